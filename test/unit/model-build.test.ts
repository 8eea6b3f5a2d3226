import { describe, expect, it } from "vitest";
import type { Fact } from "../../src/model/facts";
import { buildModel } from "../../src/model/build";
import { UNKNOWN_ORG, UNKNOWN_TENANT, UNNAMED_TENANT, type Provenance } from "../../src/model/types";

const at = (resourceName: string, line = 1): Provenance => ({ urn: `urn:pulumi:t::p::command:local:Command::${resourceName}`, resourceName, resourceType: "command:local:Command", line });

const newInbound = (identity: string, fields: Record<string, unknown>, tenant = "contoso.onmicrosoft.com", where = at("a")): Fact => ({
  kind: "inbound-connector",
  op: "new",
  identity,
  tenant,
  fields,
  unknown: [],
  provenance: where,
});

describe("buildModel", () => {
  it("applies New- then Set- on the same identity, case-insensitively, across resources", () => {
    const m = buildModel([
      newInbound("From on-prem", { connectorType: "OnPremises", tlsSenderCertificateName: "*.Contoso.com", senderDomains: ["smtp:*;1"] }),
      { kind: "inbound-connector", op: "set", identity: "from ON-PREM", tenant: "contoso.onmicrosoft.com", fields: { tlsSenderCertificateName: "smtpo365.contoso.com" }, unknown: [], provenance: at("b") },
    ]);
    expect(m.inboundConnectors).toHaveLength(1);
    const ic = m.inboundConnectors[0]!;
    expect(ic).toMatchObject({ name: "From on-prem", connectorType: "OnPremises", tlsSenderCertificateName: "smtpo365.contoso.com", senderDomains: ["*"], enabled: true });
    expect(ic.provenance.map((p) => p.resourceName)).toEqual(["a", "b"]);
  });

  it("defaults a new inbound connector to Partner, and leaves the type unknown for a Set- on an unseen connector", () => {
    const m = buildModel([
      newInbound("Partner default", {}),
      { kind: "inbound-connector", op: "set", identity: "Inbound from 6fc3", tenant: "contoso.onmicrosoft.com", fields: { tlsSenderCertificateName: "x.contoso.com" }, unknown: [], provenance: at("c") },
    ]);
    expect(m.inboundConnectors.map((c) => [c.name, c.connectorType, c.unknown.includes("connectorType")])).toEqual([
      ["Partner default", "Partner", false],
      ["Inbound from 6fc3", "Partner", true],
    ]);
  });

  it("removes a connector on Remove-", () => {
    const m = buildModel([
      newInbound("Old IP relay", { connectorType: "OnPremises", senderIpAddresses: ["198.51.100.0/24"] }),
      { kind: "inbound-connector", op: "remove", identity: "Old IP relay", tenant: "contoso.onmicrosoft.com", fields: {}, unknown: [], provenance: at("d") },
    ]);
    expect(m.inboundConnectors).toEqual([]);
  });

  it("applies @{Add=…;Remove=…} edits to multi-valued properties", () => {
    const m = buildModel([
      newInbound("Relay", { connectorType: "OnPremises", senderIpAddresses: ["198.51.100.0/24", "203.0.113.7"] }),
      { kind: "inbound-connector", op: "set", identity: "Relay", tenant: "contoso.onmicrosoft.com", fields: { senderIpAddresses: { add: ["203.0.113.25"], remove: ["198.51.100.0/24"] } }, unknown: [], provenance: at("e") },
    ]);
    expect(m.inboundConnectors[0]!.senderIpAddresses).toEqual(["203.0.113.7", "203.0.113.25"]);
  });

  it("a known value clears an earlier unknown, and an unknown value is recorded", () => {
    const m = buildModel([
      { ...newInbound("X", { connectorType: "OnPremises" }), unknown: ["tlsSenderCertificateName"] } as Fact,
      { kind: "inbound-connector", op: "set", identity: "X", tenant: "contoso.onmicrosoft.com", fields: { tlsSenderCertificateName: "a.contoso.com" }, unknown: ["requireTls"], provenance: at("f") },
    ]);
    expect(m.inboundConnectors[0]!.unknown).toEqual(["requireTls"]);
  });

  it("derives the coexistence domain and counts both routing domains as accepted", () => {
    const m = buildModel([{ kind: "tenant", tenant: "Contoso.onmicrosoft.com", acceptedDomains: [{ name: "Contoso.com", matchSubDomains: false }], provenance: at("t") }]);
    expect(m.tenants[0]).toMatchObject({
      id: "contoso.onmicrosoft.com",
      initialDomain: "contoso.onmicrosoft.com",
      coexistenceDomain: "contoso.mail.onmicrosoft.com",
    });
    expect(m.tenants[0]!.acceptedDomains.map((d) => d.name).sort()).toEqual(["contoso.com", "contoso.mail.onmicrosoft.com", "contoso.onmicrosoft.com"]);
  });

  it("uses the only tenant of the stack when a script does not name one, else an explicit placeholder", () => {
    const silent: Fact = { kind: "inbound-connector", op: "new", identity: "X", fields: {}, unknown: [], provenance: at("x") };
    const one = buildModel([{ kind: "tenant", tenant: "contoso.onmicrosoft.com", provenance: at("t") }, silent]);
    expect(one.inboundConnectors[0]!.tenant).toBe("contoso.onmicrosoft.com");
    const none = buildModel([silent]);
    expect(none.inboundConnectors[0]!.tenant).toBe(UNNAMED_TENANT);
    // While resources are still arriving, the only tenant so far may not stay the only one.
    const arriving = buildModel([{ kind: "tenant", tenant: "contoso.onmicrosoft.com", provenance: at("t") }, silent], { inferDefaults: false });
    expect(arriving.inboundConnectors[0]!.tenant).toBe(UNNAMED_TENANT);
    const configured = buildModel([silent], { defaultTenant: "fabrikam.onmicrosoft.com", inferDefaults: false });
    expect(configured.inboundConnectors[0]!.tenant).toBe("fabrikam.onmicrosoft.com");
    // With one tenant named there is nothing to say; with two, the connector cannot be placed, and that is said.
    expect(arriving.unverifiable).toEqual([]);
    const two = buildModel([{ kind: "tenant", tenant: "contoso.onmicrosoft.com", provenance: at("t") }, { kind: "tenant", tenant: "fabrikam.onmicrosoft.com", provenance: at("t2") }, silent]);
    expect(two.inboundConnectors[0]!.tenant).toBe(UNNAMED_TENANT);
    expect(two.unverifiable.map((u) => [u.subject, u.property, u.provenance.resourceName])).toEqual([["connector 'X'", "tenant", "x"]]);
    expect(two.unverifiable[0]!.reason).toContain("defaultTenant");
    // A tenant only known at deploy time names none: the only named tenant is still the default.
    const unknownToo = buildModel([{ kind: "tenant", tenant: "contoso.onmicrosoft.com", provenance: at("t") }, { ...silent, identity: "Y", tenant: UNKNOWN_TENANT }, silent]);
    expect(unknownToo.inboundConnectors.map((c) => c.tenant)).toEqual([UNKNOWN_TENANT, "contoso.onmicrosoft.com"]);
  });

  it("never merges connectors of an organisation only known at deploy time across resources, but does within one", () => {
    const send = (resource: string, op: "new" | "set", fields: Record<string, unknown>): Fact => ({ kind: "send-connector", op, org: UNKNOWN_ORG, identity: "Outbound to Office 365", fields, unknown: [], provenance: at(resource) });
    const m = buildModel([
      send("onprem-a", "new", { addressSpaces: ["a.mail.onmicrosoft.com"] }),
      send("onprem-b", "new", { addressSpaces: ["b.mail.onmicrosoft.com"] }),
      send("onprem-a", "set", { fqdn: "smtpo365.a.example" }),
    ]);
    expect(m.sendConnectors.map((s) => [s.org, s.addressSpaces, s.fqdn])).toEqual([
      [UNKNOWN_ORG, ["a.mail.onmicrosoft.com"], "smtpo365.a.example"],
      [UNKNOWN_ORG, ["b.mail.onmicrosoft.com"], undefined],
    ]);
  });

  it("normalises address spaces and keeps send connectors per organisation", () => {
    const m = buildModel([
      { kind: "send-connector", op: "new", org: "ex01.contoso.com", identity: "Internet", fields: { addressSpaces: ["SMTP:*;1"], smartHosts: ["MX01.contoso.com"] }, unknown: [], provenance: at("s") },
      { kind: "send-connector", op: "new", org: "ex01.fabrikam.com", identity: "Internet", fields: { addressSpaces: ["*"] }, unknown: [], provenance: at("s2") },
    ]);
    expect(m.sendConnectors.map((s) => [s.org, s.addressSpaces, s.smartHosts, s.dnsRoutingEnabled])).toEqual([
      ["ex01.contoso.com", ["*"], ["mx01.contoso.com"], true],
      ["ex01.fabrikam.com", ["*"], [], true],
    ]);
  });

  it("binds Enable-ExchangeCertificate to a known certificate by thumbprint, or records a placeholder with unknown names", () => {
    const m = buildModel([
      {
        kind: "certificate",
        certificate: { id: "urn:c", label: "hybrid", subjectCN: "smtpo365.contoso.com", sanDns: [], trust: "public", thumbprint: "AB12", servers: [], services: [], unknown: [], provenance: [at("c")] },
      },
      { kind: "certificate-binding", certificate: "thumbprint:ab12", servers: ["EX01"], services: ["smtp"], provenance: at("b") },
      { kind: "certificate-binding", certificate: "thumbprint:FFFF", servers: ["EX02"], services: ["SMTP"], provenance: at("b") },
    ]);
    expect(m.certificates.map((c) => [c.id, c.servers, c.services, c.unknown])).toEqual([
      ["urn:c", ["ex01"], ["SMTP"], []],
      ["thumbprint:FFFF", ["ex02"], ["SMTP"], ["names"]],
    ]);
  });
});
