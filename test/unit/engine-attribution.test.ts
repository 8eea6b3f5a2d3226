/** Exchange Online's attribution, one documented step at a time (2019 attribution blog, MC1226222). */
import { describe, expect, it } from "vitest";
import { attribute } from "../../src/engine/attribution";
import { acceptedDomainCheck, nameMatches, patternsOverlap } from "../../src/engine/names";
import { rangesOverlap } from "../../src/engine/ip";
import { buildModel } from "../../src/model/build";
import type { Fact } from "../../src/model/facts";

const at = { urn: "urn:t", resourceName: "t", resourceType: "test" };
const tenant = (id: string, domains: string[], sub: string[] = []): Fact => ({
  kind: "tenant",
  tenant: id,
  initialDomain: id,
  acceptedDomains: [...domains.map((name) => ({ name, matchSubDomains: false })), ...sub.map((name) => ({ name, matchSubDomains: true }))],
  provenance: at,
});
const inbound = (t: string, name: string, fields: Record<string, unknown>): Fact => ({ kind: "inbound-connector", op: "new", tenant: t, identity: name, fields: { connectorType: "OnPremises", ...fields }, unknown: [], provenance: at });
const model = (...facts: Fact[]) => buildModel(facts);
const conn = (names: string[], mailFrom = "contoso.com", to = ["recipient.example"], sourceIp?: string) => ({ certificateNames: names, mailFromDomain: mailFrom, recipientDomains: to, ...(sourceIp ? { sourceIp } : {}) });

describe("certificate names (TlsSenderCertificateName semantics)", () => {
  it.each([
    ["*.contoso.com", "mx01.contoso.com", true],
    ["*.contoso.com", "a.b.contoso.com", true],
    ["*.contoso.com", "contoso.com", true],
    ["*.contoso.com", "contoso.com.evil.example", false],
    ["*.contoso.com", "notcontoso.com", false],
    ["mail.contoso.com", "MAIL.contoso.com", true],
    ["mail.contoso.com", "mx01.contoso.com", false],
    ["mail.contoso.com", "*.contoso.com", true], // a presented wildcard is matched conservatively
    ["*.contoso.com", "*.mx.contoso.com", true],
  ])("%s accepts %s: %s", (pattern, name, expected) => expect(nameMatches(pattern, name)).toBe(expected));
  it.each([
    ["*.contoso.com", "mx01.contoso.com", true],
    ["*.contoso.com", "*.eu.contoso.com", true],
    ["a.contoso.com", "b.contoso.com", false],
  ])("%s overlaps %s: %s", (a, b, expected) => expect(patternsOverlap(a, b)).toBe(expected));
  it.each([
    ["198.51.100.0/24", "198.51.100.20", true],
    ["198.51.100.0/24", "198.51.101.1", false],
    ["203.0.113.7", "203.0.113.7/32", true],
    ["not-an-ip", "203.0.113.7", false],
  ])("%s overlaps %s: %s", (a, b, expected) => expect(rangesOverlap(a, b)).toBe(expected));
});

describe("step 2: the connector's certificate domain must be an accepted domain", () => {
  const t = model(tenant("contoso.onmicrosoft.com", ["contoso.com"], ["corp.example"])).tenants[0]!;
  it.each([
    ["*.contoso.com", true, undefined],
    ["mail.contoso.com", false, undefined],
    ["mx.corp.example", true, true],
    ["*.fabrikam.com", false, undefined],
  ])("%s accepted: %s", (name, accepted, viaSub) => {
    const r = acceptedDomainCheck(name, t);
    expect(r.accepted).toBe(accepted);
    expect(r.viaMatchSubDomains).toBe(viaSub);
    expect(r.tenantDomainsKnown).toBe(true);
  });
});

describe("attribute()", () => {
  const contoso = tenant("contoso.onmicrosoft.com", ["contoso.com", "smtpo365.contoso.com"]);
  const fabrikam = tenant("fabrikam.onmicrosoft.com", ["fabrikam.com"]);

  it("step 1+2+3: a matching OnPremises connector whose name is accepted makes the mail originating", () => {
    const a = attribute(model(contoso, inbound("contoso.onmicrosoft.com", "Hybrid", { tlsSenderCertificateName: "*.contoso.com" })), conn(["mx01.contoso.com"], "setebos-ag.com"));
    expect(a).toMatchObject({ verdict: "originating", tenant: "contoso.onmicrosoft.com", matchedName: "mx01.contoso.com" });
    expect(a.steps.map((s) => s.step)).toEqual(["certificate-match", "accepted-domain", "most-exact"]);
  });
  it("step 2 filters a connector whose certificate domain is not accepted", () => {
    const a = attribute(model(fabrikam, inbound("fabrikam.onmicrosoft.com", "Bad", { tlsSenderCertificateName: "*.contoso.com" })), conn(["mx01.contoso.com"]));
    expect(a.verdict).toBe("incoming");
  });
  it("step 3: the most exact match wins across tenants", () => {
    const a = attribute(
      model(contoso, tenant("contoso-eu.onmicrosoft.com", ["eu.contoso.com"]), inbound("contoso.onmicrosoft.com", "Wide", { tlsSenderCertificateName: "*.contoso.com" }), inbound("contoso-eu.onmicrosoft.com", "Narrow", { tlsSenderCertificateName: "*.eu.contoso.com" })),
      conn(["mx.eu.contoso.com"]),
    );
    expect(a).toMatchObject({ verdict: "originating", tenant: "contoso-eu.onmicrosoft.com" });
  });
  it("equally exact matches in two tenants are ambiguous", () => {
    const a = attribute(
      model(tenant("a.onmicrosoft.com", ["hybrid.corp.example"]), tenant("b.onmicrosoft.com", ["hybrid.corp.example"]), inbound("a.onmicrosoft.com", "A", { tlsSenderCertificateName: "hybrid.corp.example" }), inbound("b.onmicrosoft.com", "B", { tlsSenderCertificateName: "hybrid.corp.example" })),
      conn(["hybrid.corp.example"]),
    );
    expect(a.verdict).toBe("ambiguous");
    expect(a.candidates.map((c) => c.tenant).sort()).toEqual(["a.onmicrosoft.com", "b.onmicrosoft.com"]);
  });
  it("a Partner connector match never makes mail originating", () => {
    const a = attribute(model(contoso, inbound("contoso.onmicrosoft.com", "Lock-down", { connectorType: "Partner", tlsSenderCertificateName: "mx01.contoso.com", restrictDomainsToCertificate: true, senderDomains: ["*"] })), conn(["mx01.contoso.com"], "contoso.com", ["contoso.com"]));
    expect(a).toMatchObject({ verdict: "incoming", tenant: "contoso.onmicrosoft.com", connector: { name: "Lock-down" } });
  });
  it("IP step: an OnPremises connector by IP with MAIL FROM accepted in its tenant", () => {
    const m = model(contoso, inbound("contoso.onmicrosoft.com", "Relay", { senderIpAddresses: ["198.51.100.0/24"] }));
    expect(attribute(m, conn([], "contoso.com", ["fabrikam.com"], "198.51.100.20"))).toMatchObject({ verdict: "originating", tenant: "contoso.onmicrosoft.com" });
    expect(attribute(m, conn([], "setebos-ag.com", ["fabrikam.com"], "198.51.100.20")).verdict).toBe("incoming");
  });
  it("Incoming: a Partner connector restricting the sender domain rejects a non-matching connection (5.7.51)", () => {
    const m = model(fabrikam, inbound("fabrikam.onmicrosoft.com", "Only via MX", { connectorType: "Partner", senderDomains: ["*"], restrictDomainsToCertificate: true, tlsSenderCertificateName: "mx.fabrikam.com" }));
    expect(attribute(m, conn(["mx01.contoso.com"], "contoso.com", ["fabrikam.com"]))).toMatchObject({ verdict: "rejected", tenant: "fabrikam.onmicrosoft.com" });
  });
  it("dedicated certificates: the internet identity is Incoming to the recipient's tenant", () => {
    const m = model(contoso, fabrikam, inbound("contoso.onmicrosoft.com", "Hybrid", { tlsSenderCertificateName: "smtpo365.contoso.com" }));
    expect(attribute(m, conn(["mx01.contoso.com"], "contoso.com", ["fabrikam.com"]))).toMatchObject({ verdict: "incoming", tenant: "fabrikam.onmicrosoft.com" });
  });
});
