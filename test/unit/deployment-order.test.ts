/**
 * The order a deployment gives a stack (issue 25): changes of one connector are ordered by dependsOn
 * and outputs, never by the order the engine happens to register resources in; where nothing orders
 * them every order is judged, at its end and part way; a change ordered before the creation of its
 * connector applies to it (never "created outside the stack"); and what cannot be ordered is said.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { extractResource, loadExtractors } from "../../src/extractors";
import { buildModel } from "../../src/model/build";
import { SUMMARY_POLICY } from "../../src/reporters/pulumi/run-summary";
import { DeploymentOrder } from "../../src/runner/deployment-order";
import { MAX_JUDGED_STATES } from "../../src/runner/stack-states";
import { rules } from "../../src/rules";
import { resourceInput } from "./support/resources";
import { runStack } from "./support/rule-tester";
import { completeTenant, connect, tenant } from "./support/scenarios";
import { exo, type TestResource } from "./support/stack";

beforeAll(loadExtractors);

const node = (name: string, ...dependencies: string[]) => ({ urn: `urn:${name}`, name, dependencies: dependencies.map((d) => `urn:${d}`) });

describe("DeploymentOrder", () => {
  const order = new DeploymentOrder([node("zeta"), node("alpha", "zeta"), node("beta"), node("gamma", "alpha"), node("delta", "outside")]);

  it("puts every resource after what it depends on, and breaks ties by name, whatever order it is given", () => {
    expect(order.order.map((u) => u.slice(4))).toEqual(["beta", "delta", "zeta", "alpha", "gamma"]);
    const shuffled = new DeploymentOrder([node("gamma", "alpha"), node("beta"), node("delta", "outside"), node("alpha", "zeta"), node("zeta")]);
    expect(shuffled.order).toEqual(order.order);
  });

  it("knows what depends on what, through other resources too", () => {
    expect([order.dependsOn("urn:gamma", "urn:zeta"), order.dependsOn("urn:zeta", "urn:gamma"), order.dependsOn("urn:beta", "urn:zeta")]).toEqual([true, false, false]);
    expect([...order.withDependents(["urn:zeta"])].sort()).toEqual(["urn:alpha", "urn:gamma", "urn:zeta"]);
    expect(order.last(["urn:zeta", "urn:beta", "urn:alpha"])).toBe("urn:alpha");
  });
});

const CONTOSO = "contoso.onmicrosoft.com";
const HCW = "Inbound from 6fc3a33e-3ca2-4528-8e3c-75e5d4e9db76";
const script = (line: string) => `${connect(CONTOSO)}\n${line}`;
const create = (name: string, certificateName: string, deps?: string[]): TestResource => ({
  ...exo(name, script(`New-InboundConnector -Name "${HCW}" -ConnectorType OnPremises -SenderDomains * -RequireTls $true -TlsSenderCertificateName ${certificateName}`)),
  ...(deps ? { dependencies: deps } : {}),
});
const change = (name: string, certificateName: string, deps?: string[]): TestResource => ({
  ...exo(name, script(`Set-InboundConnector -Identity "${HCW}" -TlsSenderCertificateName ${certificateName}`)),
  ...(deps ? { dependencies: deps } : {}),
});
const verdicts = async (stack: TestResource[], mode: "preview" | "update" = "preview") =>
  (await runStack(rules, stack, {}, { mode })).filter((v) => v.policy !== SUMMARY_POLICY).map((v) => `${v.level} ${v.policy} -> ${v.resource}`).sort();
const advice = async (stack: TestResource[]) => (await runStack(rules, stack)).filter((v) => v.policy === "mailflow-inventory").map((v) => v.message.split("\n")[1]!);

describe("changes of one connector from several resources", () => {
  const domains = completeTenant(CONTOSO, ["contoso.com", "mail.contoso.com"]);

  it("a Set-InboundConnector registered before the New-InboundConnector of the same connector changes the connector the stack creates", () => {
    const facts = [change("widen", "*.contoso.com"), create("create", "mail.contoso.com")].flatMap((r) => extractResource(resourceInput(r.type, r.props, r.name)));
    const model = buildModel(facts);
    expect(model.inboundConnectors.map((c) => [c.name, c.connectorType, c.tlsSenderCertificateName, c.provenance.map((p) => p.resourceName)])).toEqual([[HCW, "OnPremises", "*.contoso.com", ["create", "widen"]]]);
    expect(model.unverifiable.map((u) => u.reason).join("\n")).not.toContain("created outside the stack");
  });

  it("a wildcard written, then narrowed by a resource that depends on it, was in place between the two: blocked on the resource that wrote it", async () => {
    const stack = [domains, create("create", "*.contoso.com"), change("narrow", "mail.contoso.com", ["create"])];
    expect(await verdicts(stack)).toContain("mandatory wildcard-onpremises-certificate-name -> create");
    // An update stops there too, before the narrowing resource would run.
    expect(await verdicts(stack, "update")).toContain("mandatory wildcard-onpremises-certificate-name -> create");
  });

  it("a change ordered before the creation of its connector is judged after it, and the order is named", async () => {
    const stack = [domains, change("widen", "*.contoso.com"), create("create", "mail.contoso.com", ["widen"])];
    expect(await verdicts(stack)).toContain("mandatory wildcard-onpremises-certificate-name -> create");
    expect(await advice(stack)).toEqual([expect.stringContaining("it runs before create, which creates it")]);
  });

  it("two changes nothing orders: every order is judged (here only one of them leaves a name that is not an accepted domain), and the order is named", async () => {
    // Accepted domains declared but not declared complete: part way, a later resource could still add one, so only the ends decide R4.
    const declared = tenant(CONTOSO, ["contoso.com", "mail.contoso.com"]);
    const stack = [declared, create("create", "mail.contoso.com"), change("rename-a", "relay.fabrikam.example", ["create"]), change("rename-b", "mail.contoso.com", ["create"])];
    expect(await verdicts(stack)).toEqual(["advisory mailflow-inventory -> rename-b", "mandatory onpremises-certificate-name-not-accepted-domain -> rename-a"]);
    expect(await advice(stack)).toEqual([expect.stringContaining("rename-a changes it too, and nothing orders rename-b and rename-a")]);
    // Ordered, the stack leaves the accepted name: nothing to block, nothing to say.
    const ordered = [declared, create("create", "mail.contoso.com"), change("rename-a", "relay.fabrikam.example", ["create"]), change("rename-b", "mail.contoso.com", ["rename-a"])];
    expect(await verdicts(ordered)).toEqual([]);
    // With the tenant's accepted domains declared complete, the name that was in place between the two is blocked too.
    expect(await verdicts([domains, ...ordered.slice(1)])).toEqual(["mandatory onpremises-certificate-name-not-accepted-domain -> rename-a"]);
  });

  it("more orders than are judged: the first are, and the advisory says so", async () => {
    const many = ["a", "b", "c", "d", "e"].map((n) => change(`rename-${n}`, `${n}.contoso.com`, ["create"]));
    const messages = await advice([tenant(CONTOSO, ["contoso.com"]), create("create", "mail.contoso.com"), ...many]);
    expect(messages.filter((m) => m.includes(`the first ${MAX_JUDGED_STATES} were judged`))).toHaveLength(1);
  });
});
