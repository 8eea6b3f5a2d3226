/** Every mail flow of a topology, and where Exchange Online attributes it. */
import { beforeAll, describe, expect, it } from "vitest";
import { deriveFlows } from "../../src/engine/flows";
import { loadExtractors } from "../../src/extractors";
import { Session } from "../../src/runner/session";
import { gateway, hcwInbound, hybridSend, internetViaGateway, organization, publicCert, tenant } from "./support/scenarios";
import { urnOf, type TestResource } from "./support/stack";

beforeAll(loadExtractors);

function flowsOf(resources: TestResource[]) {
  const session = new Session({ wholeStack: true });
  for (const r of resources) session.ingest({ urn: urnOf(r), name: r.name, type: r.type, props: r.props, dependencies: [], propertyDependencies: {} });
  return deriveFlows(session.model()).map((f) => [f.senderDomain, f.destination, f.attribution?.verdict ?? "-", f.attribution?.tenant ?? "-", f.misattributed] as const);
}

const msp = (inboundName: string): TestResource[] => [
  tenant("varunagroup.onmicrosoft.com", ["varunagroup.de", "smtpo365.varunagroup.de"]),
  organization("org-varuna", { name: "varunagroup", domains: ["varunagroup.de"], servers: ["ex01.varunagroup.de"], tenant: "varunagroup.onmicrosoft.com" }),
  organization("org-setebos", { name: "setebos-ag", domains: ["setebos-ag.com"], servers: ["ex01.setebos-ag.com"] }),
  publicCert("edge-cert", "smtpo365.varunagroup.de"),
  hybridSend("varuna-hybrid", "ex01.varunagroup.de", "varunagroup.mail.onmicrosoft.com", "smtpo365.varunagroup.de"),
  internetViaGateway("setebos-internet", "ex01.setebos-ag.com", ["mx01.varunagroup.de"]),
  gateway("gw", { name: "gw", servers: ["mx01.varunagroup.de"], connectors: [{ name: "Internet", addressSpaces: ["*"], dnsRouting: true, certificate: { subject: "CN=mx01.varunagroup.de", trust: "public" } }] }),
  hcwInbound("exo", "varunagroup.onmicrosoft.com", inboundName),
];

describe("deriveFlows", () => {
  it("the seed incident: the client's mail to other tenants is attributed to the provider's tenant", () => {
    expect(flowsOf(msp("*.varunagroup.de"))).toEqual([
      ["setebos-ag.com", "other-exo-tenant", "originating", "varunagroup.onmicrosoft.com", true],
      ["setebos-ag.com", "non-microsoft", "-", "-", false],
      ["varunagroup.de", "own-tenant", "originating", "varunagroup.onmicrosoft.com", false],
    ]);
  });
  it("dedicated certificates: own mail to the own tenant, other mail Incoming to the recipient's tenant", () => {
    expect(flowsOf(msp("smtpo365.varunagroup.de"))).toEqual([
      ["setebos-ag.com", "other-exo-tenant", "incoming", "-", false],
      ["setebos-ag.com", "non-microsoft", "-", "-", false],
      ["varunagroup.de", "own-tenant", "originating", "varunagroup.onmicrosoft.com", false],
    ]);
  });
});

describe("deriveFlows: every internet path, smart-hosted or DNS-routed, gateway or Exchange", () => {
  const contoso = tenant("contoso.onmicrosoft.com", ["contoso.com", "smtpo365.contoso.com"]);
  const org = organization("org", { name: "contoso", domains: ["contoso.com"], servers: ["ex01.contoso.com"], tenant: "contoso.onmicrosoft.com" });
  const hybrid = hybridSend("hybrid", "ex01.contoso.com", "contoso.mail.onmicrosoft.com", "smtpo365.contoso.com");
  const gw = gateway("gw", { name: "gw", servers: ["mx01.contoso.com"], relaysFor: ["contoso"], connectors: [{ name: "Internet", addressSpaces: ["*"], dnsRouting: true, certificate: { subject: "CN=mx01.contoso.com", trust: "public" } }] });

  it("mail to the tenant's initial domain the hybrid path leaves out goes through the gateway, and is a flow of its own (R10), red", () => {
    const flows = flowsOf([contoso, org, gw, hybrid, internetViaGateway("internet", "ex01.contoso.com", ["mx01.contoso.com"]), hcwInbound("exo", "contoso.onmicrosoft.com", "*.contoso.com")]);
    expect(flows).toContainEqual(["contoso.com", "own-tenant-outside-hybrid", "originating", "contoso.onmicrosoft.com", true]);
    expect(flows).toContainEqual(["contoso.com", "other-exo-tenant", "originating", "contoso.onmicrosoft.com", true]);
  });

  it("through a smart host the model does not describe: the flows are there, through that host, attribution unknown", () => {
    const session = new Session({ wholeStack: true });
    for (const r of [contoso, org, hybrid, internetViaGateway("internet", "ex01.contoso.com", ["relay.isp.example"])]) session.ingest({ urn: urnOf(r), name: r.name, type: r.type, props: r.props, dependencies: [], propertyDependencies: {} });
    const internet = deriveFlows(session.model()).filter((f) => f.destination !== "own-tenant");
    expect(internet.map((f) => [f.destination, f.unknownRelays, f.attribution?.verdict ?? "-", f.misattributed])).toEqual([
      ["other-exo-tenant", ["relay.isp.example"], "-", false],
      ["non-microsoft", ["relay.isp.example"], "-", false],
      ["own-tenant-outside-hybrid", ["relay.isp.example"], "-", true],
    ]);
  });
});
