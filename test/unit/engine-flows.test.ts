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
