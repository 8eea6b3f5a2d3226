/**
 * How the pack's session spends its work across a run: what the resource pass has read is not read
 * again by the stack pass, and resources outside mail flow neither rebuild the model nor run rules.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { commandExtractor } from "../../src/extractors/command";
import { UnknownValue } from "../../src/extractors/types";
import { Session } from "../../src/runner/session";
import { rules } from "../../src/rules";
import { runStack } from "./support/rule-tester";
import { connect, hybridSend, internetDirect, publicCert, tenant } from "./support/scenarios";
import { exo, urnOf, type TestResource } from "./support/stack";

const asInput = (r: TestResource) => ({ urn: urnOf(r), name: r.name, type: r.type, props: r.props, dependencies: [], propertyDependencies: {} });

const bucket = (name: string): TestResource => ({ type: "aws:s3/bucket:Bucket", name, props: { bucket: name } });

afterEach(() => vi.restoreAllMocks());

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { unknownStringValue } = require("@pulumi/policy/proxy") as { unknownStringValue: string };

describe("Session", () => {
  it("keeps the model when a resource outside mail flow arrives, and rebuilds it for one that states mail flow", async () => {
    const session = new Session();
    await session.ready();
    session.ingest(asInput(tenant("contoso.onmicrosoft.com", ["contoso.com"])));
    const before = session.model();
    session.ingest(asInput(bucket("logs")));
    expect(session.model()).toBe(before);
    expect(session.canCompleteFindings(urnOf(bucket("logs")))).toBe(false);
    session.ingest(asInput(exo("exo", `${connect("contoso.onmicrosoft.com")}\nNew-InboundConnector -Name "From on-prem" -ConnectorType OnPremises -TlsSenderCertificateName mail.contoso.com`)));
    expect(session.model()).not.toBe(before);
    expect(session.model().inboundConnectors.map((c) => c.name)).toEqual(["From on-prem"]);
  });

  it("still reports what a resource outside the model could not verify, in the resource and in the model", async () => {
    const session = new Session();
    await session.ready();
    session.ingest(asInput(tenant("contoso.onmicrosoft.com", ["contoso.com"])));
    session.model();
    // A command whose whole script is unknown in preview: nothing for the model, one advisory.
    const broken = exo("broken", "", { create: new UnknownValue("create") });
    session.ingest(asInput(broken));
    expect(session.canCompleteFindings(urnOf(broken))).toBe(false);
    const own = session.unverifiableOf(urnOf(broken));
    expect(own.map((u) => [u.provenance.resourceName, u.property])).toEqual([["broken", "create"]]);
    expect(session.model().unverifiable).toEqual(own);
  });

  it("treats a certificate resource as able to complete findings even before it names anything", async () => {
    const session = new Session();
    await session.ready();
    const request = { type: "tls:index/certRequest:CertRequest", name: "req", props: {} };
    session.ingest(asInput(request));
    expect(session.canCompleteFindings(urnOf(request))).toBe(true);
  });
});

describe("the stack pass", () => {
  it("reads each command once for the whole run, however many stack policies there are", async () => {
    const extract = vi.spyOn(commandExtractor, "extract");
    const resources = [
      tenant("contoso.onmicrosoft.com", ["contoso.com"]),
      publicCert("cert-mail", "mail.contoso.com"),
      hybridSend("hybrid", "ex01.contoso.com", "contoso.mail.onmicrosoft.com", "mail.contoso.com"),
      internetDirect("internet", "ex01.contoso.com", "mail.contoso.com", "mail.contoso.com", "CN=GeoTrust TLS RSA CA G1, O=DigiCert Inc, C=US"),
    ];
    const violations = await runStack(rules, resources, {}, { chain: true });
    const commands = resources.filter((r) => r.type.startsWith("command:")).length;
    expect(rules.filter((r) => r.meta.crossResource).length).toBeGreaterThan(1);
    // A proven fix reads its edited script once more (what it shows must read as it was proven): another text, not a second read of one.
    const scripts = new Set(resources.map((r) => r.props.create));
    expect(extract.mock.calls.filter(([r]) => scripts.has(r.props.create)).length).toBe(commands);
    // The work saved changes no verdict: the shared certificate is still blocked, on the resource completing it.
    expect(violations.filter((v) => v.policy === "shared-certificate-hybrid-and-internet").map((v) => v.resource)).toEqual(["internet"]);
  });
});

describe("checkEachResource: false", () => {
  it("leaves every verdict of an update to the stack pass, on the same resource, and still reports what could not be verified", async () => {
    const resources = [
      tenant("contoso.onmicrosoft.com", ["contoso.com"]),
      publicCert("cert-mail", "mail.contoso.com"),
      hybridSend("hybrid", "ex01.contoso.com", "contoso.mail.onmicrosoft.com", "mail.contoso.com"),
      internetDirect("internet", "ex01.contoso.com", "mail.contoso.com", "mail.contoso.com", "CN=GeoTrust TLS RSA CA G1, O=DigiCert Inc, C=US"),
      // As the engine sends a value unknown in preview.
      exo("exo-unknown", "", { create: unknownStringValue }),
    ];
    const blocked = (vs: Awaited<ReturnType<typeof runStack>>) => vs.filter((v) => v.policy.startsWith("shared-certificate")).map((v) => `${v.policy} on ${v.resource}`);
    const advisories = (vs: Awaited<ReturnType<typeof runStack>>) => vs.filter((v) => v.policy === "mailflow-inventory").map((v) => v.resource);
    const each = await runStack(rules, resources, {}, { chain: true, mode: "update" });
    expect(blocked(each)).toEqual(["shared-certificate-hybrid-and-internet on internet"]);
    const stackOnly = await runStack(rules, resources, { checkEachResource: false }, { chain: true, mode: "update" });
    expect(blocked(stackOnly)).toEqual(["shared-certificate-hybrid-and-internet on internet"]);
    expect(advisories(stackOnly)).toEqual(advisories(each));
    expect(advisories(stackOnly)).toEqual(["exo-unknown"]);
  });
});

describe("a connector changed here but created outside the stack", () => {
  it("is named by an advisory that says how to declare it, instead of passing silently", async () => {
    const widen = exo("exo-widen", `${connect("contoso.onmicrosoft.com")}\nSet-InboundConnector -Identity "Inbound from 6fc3a33e-3ca2-4528-8e3c-75e5d4e9db76" -TlsSenderCertificateName '*.contoso.com'`);
    const violations = await runStack(rules, [tenant("contoso.onmicrosoft.com", ["contoso.com"]), widen]);
    expect(violations.map((v) => `${v.policy} on ${v.resource}`)).toEqual(["mailflow-inventory on exo-widen"]);
    expect(violations[0]!.message).toContain("inbound connector 'Inbound from 6fc3a33e-3ca2-4528-8e3c-75e5d4e9db76' of tenant contoso.onmicrosoft.com");
    expect(violations[0]!.message).toContain("mailflow-inventory.inboundConnectors");
  });
});
