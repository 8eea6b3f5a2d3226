import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { configFacts } from "../../src/extractors/config-facts";
import { checkInventoryConfig, ConfigGate, MAX_LISTED_PROBLEMS, renderConfigProblems, type ConfigCheck } from "../../src/config/validate";
import { loadExtractors } from "../../src/extractors";
import { CONFIG_POLICY } from "../../src/reporters/pulumi/config-policy";
import { createPolicies, INVENTORY_POLICY, isInventoryPolicy } from "../../src/reporters/pulumi/policies";
import { wildcardOnPremisesCertificateName } from "../../src/rules/wildcard-onpremises-certificate-name";
import { runStack } from "./support/rule-tester";
import { inbound, tenant } from "./support/scenarios";

beforeAll(loadExtractors);

const exemption = { policy: "wildcard-onpremises-certificate-name", resource: "legacy-*", reason: "HCW re-run scheduled", expires: "2999-12-31" };
const problemsOf = (config: unknown): string[] => checkInventoryConfig(config).problems.map((p) => `${p.path}: ${p.problem}`);

describe("policy configuration validation", () => {
  it.each<[string, unknown, string[], object]>([
    ["tenants given as an object", { tenants: {}, defaultTenant: "contoso.onmicrosoft.com" }, ["mailflow-inventory.tenants: must be array, got object"], { defaultTenant: "contoso.onmicrosoft.com" }],
    [
      "an exemption without resource",
      { exemptions: [{ policy: "*", reason: "decommissioning" }, exemption] },
      ["mailflow-inventory.exemptions[0].resource: is required (string), missing"],
      { exemptions: [exemption] },
    ],
    ["exemptions not a list", { exemptions: exemption }, ["mailflow-inventory.exemptions: must be array, got object"], {}],
    [
      "a non-string tlsSenderCertificateName",
      { inboundConnectors: [{ tenant: "fabrikam.onmicrosoft.com", name: "Inbound from MSP", connectorType: "OnPremises", tlsSenderCertificateName: 42 }] },
      ["mailflow-inventory.inboundConnectors[0].tlsSenderCertificateName: must be string, got integer"],
      { inboundConnectors: [] },
    ],
    [
      "unknown keys at the top and in an entry",
      { exemption: [exemption], exemptions: [{ ...exemption, resourse: "legacy-*" }] },
      [
        'mailflow-inventory.exemption: unknown key "exemption" (known: defaultTenant, defaultOrganization, tenants, organizations, gateways, certificates, inboundConnectors, sharedEgressIps, exemptions, reportUnverifiable, unverifiable, checkEachResource, report)',
        'mailflow-inventory.exemptions[0].resourse: unknown key "resourse" (known: policy, resource, reason, expires)',
      ],
      { exemptions: [] },
    ],
    [
      "wrong enum values",
      { certificates: [{ subject: "CN=mail.contoso.com", trust: "trusted" }], organizations: [{ name: "contoso", kind: "hub" }], inboundConnectors: [{ tenant: "t", name: "n", connectorType: "onpremises" }] },
      [
        'mailflow-inventory.organizations[0].kind: must be one of "exchange", "edge", got "hub"',
        'mailflow-inventory.certificates[0].trust: must be one of "public", "private-ca", "self-signed", got "trusted"',
        'mailflow-inventory.inboundConnectors[0].connectorType: must be one of "OnPremises", "Partner", got "onpremises"',
      ],
      { organizations: [], certificates: [], inboundConnectors: [] },
    ],
    [
      "expiry dates that are not calendar days",
      { exemptions: [{ ...exemption, expires: "2999-02-30" }, { ...exemption, expires: "31.12.2026" }, { ...exemption, expires: "" }] },
      [
        'mailflow-inventory.exemptions[0].expires: must be a date YYYY-MM-DD, got "2999-02-30"',
        'mailflow-inventory.exemptions[1].expires: must be a date YYYY-MM-DD, got "31.12.2026"',
        'mailflow-inventory.exemptions[2].expires: must be a date YYYY-MM-DD, got ""',
      ],
      { exemptions: [] },
    ],
    [
      "a nested accepted domain that is neither a name nor an object with a name",
      { tenants: [{ initialDomain: "contoso.onmicrosoft.com", acceptedDomains: ["contoso.com", 7, { name: 8 }] }, { initialDomain: "fabrikam.onmicrosoft.com" }] },
      [
        "mailflow-inventory.tenants[0].acceptedDomains[1]: must be string or object, got integer",
        "mailflow-inventory.tenants[0].acceptedDomains[2].name: must be string, got integer",
      ],
      { tenants: [{ initialDomain: "fabrikam.onmicrosoft.com" }] },
    ],
    [
      "switches that are not booleans keep their defaults",
      { reportUnverifiable: "no", checkEachResource: 0, sharedEgressIps: ["203.0.113.0/24", null] },
      [
        "mailflow-inventory.sharedEgressIps[1]: must be string, got null",
        "mailflow-inventory.reportUnverifiable: must be boolean, got string",
        "mailflow-inventory.checkEachResource: must be boolean, got integer",
      ],
      { sharedEgressIps: ["203.0.113.0/24"] },
    ],
    ["an exemption with an empty reason", { exemptions: [{ ...exemption, reason: "" }] }, ["mailflow-inventory.exemptions[0].reason: must not be empty"], { exemptions: [] }],
    ["a configuration that is not an object", "contoso.onmicrosoft.com", ["mailflow-inventory: must be object, got string"], {}],
    ["a gateway connector's certificate that is neither an id nor a certificate", { gateways: [{ name: "g", servers: [], connectors: [{ name: "c", addressSpaces: ["*"], certificate: { subject: "CN=x" } }] }] }, ["mailflow-inventory.gateways[0].connectors[0].certificate.trust: is required (string), missing"], { gateways: [] }],
  ])("%s", (_name, config, problems, sanitised) => {
    expect(problemsOf(config)).toEqual(problems);
    expect(checkInventoryConfig(config).config).toEqual(sanitised);
  });

  it("never repeats a long value: a 50,000-character exemption pattern is quoted for 60 characters", () => {
    const pattern = `legacy-${"x".repeat(49_993)}`;
    const check = checkInventoryConfig({ exemptions: [{ ...exemption, resource: pattern }] });
    expect(check.problems.map((p) => `${p.path}: ${p.problem}`)).toEqual([
      `mailflow-inventory.exemptions[0].resource: must be at most 1000 characters, got "legacy-${"x".repeat(53)}"… (50000 characters)`,
    ]);
    expect(check.config).toEqual({ exemptions: [] });
    expect(renderConfigProblems(check.problems)).not.toContain("x".repeat(61));
  });

  it("cuts long unknown key names too", () => {
    expect(problemsOf({ [`k${"y".repeat(5000)}`]: 1 })[0]).not.toContain("y".repeat(61));
  });

  it("accepts every key of the documented example unchanged", () => {
    const page = readFileSync(join(__dirname, "..", "..", "docs", "rules", "mailflow-inventory.md"), "utf8");
    const json = page.slice(page.indexOf("```json\n") + 8, page.indexOf("\n```", page.indexOf("```json\n")));
    const example = JSON.parse(json)[INVENTORY_POLICY] as object;
    expect(checkInventoryConfig(example)).toEqual({ config: example, problems: [] });
  });

  it("accepts no configuration at all", () => {
    expect(checkInventoryConfig(undefined)).toEqual({ config: {}, problems: [] });
    expect(checkInventoryConfig({})).toEqual({ config: {}, problems: [] });
  });

  it("lists at most 20 problems and counts the rest", () => {
    const check = checkInventoryConfig({ sharedEgressIps: Array.from({ length: 25 }, () => 1) });
    const lines = renderConfigProblems(check.problems).split("\n");
    expect(lines.length).toBe(1 + MAX_LISTED_PROBLEMS + 1);
    expect(lines[MAX_LISTED_PROBLEMS]).toBe("- mailflow-inventory.sharedEgressIps[19]: must be string, got integer");
    expect(lines[MAX_LISTED_PROBLEMS + 1]).toBe("- … and 5 more");
  });
});

describe("the configuration gate", () => {
  const counting = () => {
    const calls: unknown[] = [];
    const gate = new ConfigGate((raw): ConfigCheck => {
      calls.push(raw);
      return checkInventoryConfig(raw);
    });
    return { gate, calls };
  };

  it("validates each distinct configuration once, though every resource brings a fresh copy", () => {
    const { gate, calls } = counting();
    for (let i = 0; i < 5; i++) gate.accept({ tenants: {} });
    gate.accept({ defaultTenant: "contoso.onmicrosoft.com" });
    gate.accept({ defaultTenant: "contoso.onmicrosoft.com" });
    expect(calls).toEqual([{ tenants: {} }, { defaultTenant: "contoso.onmicrosoft.com" }]);
  });

  it("hands out a configuration's problems once", () => {
    const { gate } = counting();
    expect(gate.accept({ tenants: {} })).toEqual({});
    expect(gate.takeUnreportedProblems().map((p) => p.path)).toEqual(["mailflow-inventory.tenants"]);
    gate.accept({ tenants: {} });
    expect(gate.takeUnreportedProblems()).toEqual([]);
  });

  it("does not throw on a configuration that cannot be serialised", () => {
    const cyclic: Record<string, unknown> = { defaultTenant: "contoso.onmicrosoft.com" };
    cyclic.self = cyclic;
    const gate = new ConfigGate();
    expect(gate.accept(cyclic)).toEqual({ defaultTenant: "contoso.onmicrosoft.com" });
    expect(gate.takeUnreportedProblems().map((p) => `${p.path}: ${p.problem}`)).toEqual([
      'mailflow-inventory.self: unknown key "self" (known: defaultTenant, defaultOrganization, tenants, organizations, gateways, certificates, inboundConnectors, sharedEgressIps, exemptions, reportUnverifiable, unverifiable, checkEachResource, report)',
    ]);
  });
});

describe("the mailflow-config policy, through the policies the engine runs", () => {
  const contoso = tenant("contoso.onmicrosoft.com", ["contoso.com", "smtpo365.contoso.com"]);
  const legacyWildcard = inbound("legacy-inbound", "contoso.onmicrosoft.com", `-Name "From on-prem" -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName *.contoso.com`);
  const verdicts = async (config: object, mode: "preview" | "update" = "preview") =>
    (await runStack([wildcardOnPremisesCertificateName], [contoso, legacyWildcard], config as never, { mode })).filter((v) => !isInventoryPolicy(v.policy));

  it("is mandatory, follows the inventory policy and has a docs page that says what the code says", () => {
    const policies = createPolicies([wildcardOnPremisesCertificateName]);
    const policy = policies[1]!;
    expect([policies[0]!.name, policy.name, policy.enforcementLevel, policy.url]).toEqual([INVENTORY_POLICY, CONFIG_POLICY, "mandatory", "https://github.com/mailflow-guard/mailflow-guard/blob/main/docs/rules/mailflow-config.md"]);
    const page = readFileSync(join(__dirname, "..", "..", "docs", "rules", "mailflow-config.md"), "utf8");
    expect(page.startsWith(`# ${CONFIG_POLICY} (mandatory)\n\n${policy.description}\n`)).toBe(true);
    expect(page).toContain(policy.remediationSteps!);
  });

  it("reports an invalid configuration once, for the stack in a preview, on the first resource in an update, and the rules still run (tenants: {} used to crash)", async () => {
    // The exemption still applies: the waived finding is advised, not blocked.
    const waived = `${wildcardOnPremisesCertificateName.meta.id} on legacy-inbound (advisory)`;
    expect((await verdicts({ tenants: {}, exemptions: [exemption] }, "update")).map((v) => `${v.policy} on ${v.resource}${v.level === "advisory" ? " (advisory)" : ""}`)).toEqual([`${CONFIG_POLICY} on tenant-contoso`, waived]);
    const violations = await verdicts({ tenants: {}, exemptions: [exemption] });
    expect(violations.map((v) => `${v.policy} on ${v.resource}${v.level === "advisory" ? " (advisory)" : ""}`)).toEqual([`${CONFIG_POLICY} on (stack)`, waived]);
    expect(violations[0]!.message.split("\n").slice(1)).toEqual([
      "The policy configuration of mailflow-inventory is invalid. The pack runs without the invalid parts (an invalid list entry is left out, any other invalid value takes its default), so this deployment is blocked until it is fixed:",
      "- mailflow-inventory.tenants: must be array, got object",
    ]);
  });

  it("an exemption with an invalid expiry is a configuration error and exempts nothing (not 'never expires')", async () => {
    const violations = await verdicts({ exemptions: [{ ...exemption, expires: "2999-02-30" }] });
    expect(violations.map((v) => `${v.policy} on ${v.resource}`)).toEqual([`${CONFIG_POLICY} on (stack)`, `${wildcardOnPremisesCertificateName.meta.id} on legacy-inbound`]);
    expect(violations[0]!.message).toContain('- mailflow-inventory.exemptions[0].expires: must be a date YYYY-MM-DD, got "2999-02-30"');
  });

  it("a valid configuration passes without a word, and its exemption applies (the waived finding stays in the log, as advisory)", async () => {
    expect((await verdicts({ exemptions: [exemption] })).map((v) => `${v.level} ${v.policy} on ${v.resource}`)).toEqual([`advisory ${wildcardOnPremisesCertificateName.meta.id} on legacy-inbound`]);
  });

  it("a pathological exemption pattern is matched (not a backtracking regexp) and does not exempt what it does not match", async () => {
    const violations = await verdicts({ exemptions: [{ ...exemption, resource: "*a*a*a*a*a*a*a*a*b" }] });
    expect(violations.map((v) => `${v.policy} on ${v.resource}`)).toEqual([`${wildcardOnPremisesCertificateName.meta.id} on legacy-inbound`]);
  });

  it("a 50,000-character exemption pattern is one configuration error, not 'Regular expression too large'", async () => {
    const violations = await verdicts({ exemptions: [{ ...exemption, resource: `legacy-${"x".repeat(49_993)}` }] });
    expect(violations.map((v) => `${v.policy} on ${v.resource}`)).toEqual([`${CONFIG_POLICY} on (stack)`, `${wildcardOnPremisesCertificateName.meta.id} on legacy-inbound`]);
    for (const v of violations) expect(v.message).not.toContain("x".repeat(61));
  });
});

describe("configured facts", () => {
  it("are not read from lists that are not lists, even when validation was skipped", () => {
    const facts = configFacts({ tenants: {}, inboundConnectors: "x", sharedEgressIps: 5, certificates: [null, "CN=x"] } as never);
    expect(facts).toEqual([]);
  });
});
