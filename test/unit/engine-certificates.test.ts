/** Which certificate a sending connector presents (research §3.1), case by case, and what Exchange Online sees. */
import { describe, expect, it } from "vitest";
import { effectiveCertificates, presentedIdentities } from "../../src/engine/certificates";
import type { Fact } from "../../src/model/facts";
import { buildModel } from "../../src/model/build";
import type { Certificate } from "../../src/model/types";

const at = { urn: "urn:t", resourceName: "t", resourceType: "test" };
const cert = (id: string, cn: string, extra: Partial<Certificate> = {}): Fact => ({
  kind: "certificate",
  certificate: { id, label: id, subjectCN: cn, subjectDN: `CN=${cn}`, sanDns: [cn], issuerDN: "CN=CA", trust: "public", servers: [], services: ["SMTP"], unknown: [], provenance: [at], ...extra },
});
const send = (name: string, fields: Record<string, unknown>, org = "ex01.contoso.com"): Fact => ({ kind: "send-connector", op: "new", org, identity: name, fields: { addressSpaces: ["*"], ...fields }, unknown: [], provenance: at });
const ids = (certs: Certificate[]) => certs.map((c) => c.id).sort();

describe("effectiveCertificates", () => {
  it("TlsCertificateName names issuer and subject; of several matches the latest expiry wins", () => {
    const m = buildModel([
      cert("old", "mail.contoso.com", { notAfter: "2026-01-01" }),
      cert("new", "mail.contoso.com", { notAfter: "2027-01-01" }),
      send("S", { tlsCertificateName: { issuer: "CN=CA", subject: "CN=mail.contoso.com", raw: "<I>CN=CA<S>CN=mail.contoso.com" } }),
    ]);
    expect(effectiveCertificates(m, m.sendConnectors[0]!)).toMatchObject({ how: "tls-certificate-name", ambiguous: false, certificates: [{ id: "new" }] });
  });
  it("a certificate bound by thumbprint (Get-ExchangeCertificate) or link", () => {
    const m = buildModel([cert("c", "smtpo365.contoso.com", { thumbprint: "ABCD" }), send("S", { certificateIds: ["thumbprint:abcd"] })]);
    expect(effectiveCertificates(m, m.sendConnectors[0]!)).toMatchObject({ how: "certificate-link", certificates: [{ id: "c" }] });
  });
  it("without TlsCertificateName: best match on the FQDN among the organisation's certificates (a wildcard matches)", () => {
    const m = buildModel([cert("wild", "*.contoso.com", { org: "ex01.contoso.com" }), cert("other", "smtpo365.contoso.com", { org: "ex01.contoso.com" }), send("S", { fqdn: "mx01.contoso.com" })]);
    expect(effectiveCertificates(m, m.sendConnectors[0]!)).toMatchObject({ how: "fqdn", certificates: [{ id: "wild" }] });
  });
  it("nothing to go by: every SMTP certificate of the organisation, marked ambiguous (conservative)", () => {
    const m = buildModel([cert("a", "a.contoso.com", { org: "ex01.contoso.com" }), cert("b", "b.contoso.com", { org: "ex01.contoso.com" }), send("S", {})]);
    const r = effectiveCertificates(m, m.sendConnectors[0]!);
    expect([r.how, r.ambiguous, ids(r.certificates)]).toEqual(["server-smtp", true, ["a", "b"]]);
  });
  it("a TlsCertificateName for a certificate the stack does not describe: none, and said so", () => {
    const m = buildModel([send("S", { tlsCertificateName: { issuer: "CN=X", subject: "CN=y", raw: "<I>CN=X<S>CN=y" } })]);
    expect(effectiveCertificates(m, m.sendConnectors[0]!)).toMatchObject({ how: "none", certificates: [], explanation: expect.stringContaining("does not describe") });
  });
});

describe("presentedIdentities", () => {
  const gatewayOrg: Fact = { kind: "organization", organization: { id: "gw", kind: "gateway", servers: ["mx01.contoso.com"] }, provenance: at };
  it("smart-hosted to a gateway in the model: Exchange Online sees the gateway's internet connector", () => {
    const m = buildModel([gatewayOrg, cert("gw-cert", "mx01.contoso.com"), send("Internet", { dnsRoutingEnabled: true, certificateIds: ["gw-cert"] }, "gw"), send("Via gateway", { smartHosts: ["mx01.contoso.com"], dnsRoutingEnabled: false })]);
    const via = m.sendConnectors.find((s) => s.name === "Via gateway")!;
    expect(presentedIdentities(m, via).map((i) => [i.connector.name, i.names])).toEqual([["Internet", ["mx01.contoso.com"]]]);
  });
  it("smart-hosted to a relay the model does not know: nothing is claimed", () => {
    const m = buildModel([cert("own", "mail.contoso.com", { org: "ex01.contoso.com" }), send("Via relay", { smartHosts: ["relay.example"], dnsRoutingEnabled: false })]);
    expect(presentedIdentities(m, m.sendConnectors[0]!)).toEqual([]);
  });
  it("no certificate known but an FQDN: the FQDN stands for the certificate best match would pick", () => {
    const m = buildModel([send("Internet", { fqdn: "mx01.contoso.com" })]);
    expect(presentedIdentities(m, m.sendConnectors[0]!)[0]!.names).toEqual(["mx01.contoso.com"]);
  });
});
