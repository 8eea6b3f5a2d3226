/**
 * Exchange certificate cmdlets as a certificate source (issue 10): what New-/Enable-/Remove-/
 * Import-ExchangeCertificate state, how a TlsCertificateName binds to a certificate from any source
 * (issuer and subject DNs compared as Exchange compares them), and R1/R2 seeing what they bind.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { certificatesNamedBy, effectiveCertificates } from "../../src/engine/certificates";
import { commandExtractor } from "../../src/extractors/command";
import { loadExtractors } from "../../src/extractors";
import { factsOfCalls } from "../../src/extractors/exchange";
import type { ScriptContext } from "../../src/extractors/exchange-values";
import type { CmdletCall, PsValue } from "../../src/extractors/powershell/evaluate";
import type { Fact } from "../../src/model/facts";
import { buildModel } from "../../src/model/build";
import { certificateRef, thumbprintRef } from "../../src/model/certificate-ref";
import { normalizeDn, sameDn } from "../../src/model/normalize";
import { internetIdentityMatchesOnPremisesConnector } from "../../src/rules/internet-identity-matches-onpremises-connector";
import { sharedCertificateHybridAndInternet } from "../../src/rules/shared-certificate-hybrid-and-internet";
import { resourceInput } from "./support/resources";
import { RuleTester } from "./support/rule-tester";
import { hcwInbound, tenant } from "./support/scenarios";
import { certificateDescriptor, onPrem } from "./support/stack";

beforeAll(loadExtractors);

const remote = (create: string, name = "onprem") => commandExtractor.extract(resourceInput("command:remote:Command", { connection: { host: "ex01.contoso.com", password: "S3cret!" }, create }, name));
const certificates = (facts: Fact[]) => facts.flatMap((f) => (f.kind === "certificate" ? [f.certificate] : []));
const advisories = (facts: Fact[]) => facts.flatMap((f) => (f.kind === "unverifiable" ? [f.item] : []));
const THUMB = "3B5A9F1E2C7D4A6B8E0F1A2B3C4D5E6F70819203";

describe("New-ExchangeCertificate", () => {
  it("is self-signed, its own issuer, with its SANs and the documented default services", () => {
    const [c] = certificates(remote(`New-ExchangeCertificate -SubjectName "CN=mx01.contoso.com, O=Contoso" -DomainName mx01.contoso.com,SMTPO365.contoso.com -FriendlyName gw`));
    expect(c).toMatchObject({ label: "gw", subjectCN: "mx01.contoso.com", subjectDN: "CN=mx01.contoso.com, O=Contoso", issuerDN: "CN=mx01.contoso.com, O=Contoso", sanDns: ["mx01.contoso.com", "smtpo365.contoso.com"], trust: "self-signed", services: ["IMAP", "POP", "SMTP"], org: "ex01.contoso.com" });
    expect(c!.smtpDefault).toBeUndefined();
  });

  it("with -GenerateRequest is a request: issuer unknown, no services", () => {
    const [c] = certificates(remote(`New-ExchangeCertificate -GenerateRequest -SubjectName "CN=smtpo365.contoso.com" -DomainName smtpo365.contoso.com`));
    expect(c).toMatchObject({ subjectDN: "CN=smtpo365.contoso.com", trust: "unknown", services: [] });
    expect(c!.issuerDN).toBeUndefined();
  });

  it("names only known when the script runs are an advisory, and the certificate's names unknown", () => {
    const facts = remote(`New-ExchangeCertificate -SubjectName "CN=$env:MX_HOST" -DomainName $env:MX_HOST -Services SMTP`);
    const [c] = certificates(facts);
    expect(c!.unknown).toEqual(["names"]);
    expect(advisories(facts).map((a) => [a.property, a.expression])).toEqual([
      ["SubjectName", '"CN=$env:MX_HOST"'],
      ["DomainName", "$env:MX_HOST"],
    ]);
  });

  it.each([
    ["a comma list with spaces", `-Services "POP, IMAP, smtp, IIS"`, ["POP", "IMAP", "SMTP", "IIS"], true],
    ["an array", `-Services @("iis", "Smtp")`, ["IIS", "SMTP"], true],
    ["one value, lower-case", `-Services smtp`, ["SMTP"], true],
    ["no SMTP", `-Services "IIS,POP"`, ["IIS", "POP"], false],
  ])("reads -Services as %s", (_name, services, expected, smtpDefault) => {
    const [c] = certificates(remote(`New-ExchangeCertificate -DomainName mx01.contoso.com ${services}`));
    expect([c!.services, c!.smtpDefault === true, c!.subjectDN, c!.issuerDN]).toEqual([expected, smtpDefault, "CN=mx01.contoso.com", "CN=mx01.contoso.com"]);
  });
});

describe("Enable-, Remove- and Import-ExchangeCertificate", () => {
  it("Enable-ExchangeCertificate names its certificate by thumbprint or Server\\thumbprint identity", () => {
    const facts = remote(`Enable-ExchangeCertificate -Thumbprint ${THUMB.toLowerCase()} -Services "IIS, smtp" -Server EX01\nEnable-ExchangeCertificate -Identity "EX02\\${THUMB}" -Services SMTP`);
    expect(facts).toMatchObject([
      { kind: "certificate-binding", certificate: `thumbprint:${THUMB}`, servers: ["ex01"], services: ["IIS", "SMTP"], org: "ex01.contoso.com" },
      { kind: "certificate-binding", certificate: `thumbprint:${THUMB}`, servers: [], services: ["SMTP"] },
    ]);
  });

  it("the certificate New-ExchangeCertificate returned is the one $c.Thumbprint names (issue 16)", () => {
    const facts = remote(`$c = New-ExchangeCertificate -DomainName mx01.contoso.com\nEnable-ExchangeCertificate -Thumbprint $c.Thumbprint -Services SMTP`);
    const made = facts.flatMap((f) => (f.kind === "certificate" ? [f.certificate.id] : []));
    expect(made).toHaveLength(1);
    expect(facts.flatMap((f) => (f.kind === "certificate-binding" ? [f.certificate] : []))).toEqual(made);
    expect(advisories(facts).filter((a) => a.property === "Thumbprint")).toEqual([]);
  });

  it("a certificate named only when the script runs is an advisory naming the expression", () => {
    const facts = remote(`$c = Get-ChildItem Cert:\\LocalMachine\\My | Select-Object -First 1\nEnable-ExchangeCertificate -Thumbprint $c.Thumbprint -Services SMTP`);
    const items = advisories(facts).filter((a) => a.property === "Thumbprint");
    expect(items).toHaveLength(1);
    expect(items[0]!.subject).toBe("Enable-ExchangeCertificate");
    expect(items[0]!.reason).toContain("which certificate it acts on is not known");
  });

  // The PowerShell catalogue (src/extractors/powershell) does not bind Remove-ExchangeCertificate yet: the call is built here.
  const call = (cmdlet: string, parameters: Record<string, PsValue>): CmdletCall => ({ cmdlet, written: cmdlet, line: 3, parameters: new Map(Object.entries(parameters)), ambiguous: [] });
  const ctx: ScriptContext = { org: "ex01.contoso.com", provenance: (line) => ({ urn: "urn:onprem", resourceName: "onprem", resourceType: "command:remote:Command", line }), subjectPrefix: "" };

  it("Remove-ExchangeCertificate states a removal of the certificate it names (-Thumbprint or -Identity Server\\thumbprint)", () => {
    expect(factsOfCalls([call("remove-exchangecertificate", { Thumbprint: { kind: "string", value: THUMB.toLowerCase() } }), call("remove-exchangecertificate", { Identity: { kind: "string", value: `EX01\\${THUMB}` } })], ctx)).toEqual([
      { kind: "certificate-removal", certificate: `thumbprint:${THUMB}`, provenance: ctx.provenance(3) },
      { kind: "certificate-removal", certificate: `thumbprint:${THUMB}`, provenance: ctx.provenance(3) },
    ]);
  });

  it("Remove-ExchangeCertificate of a certificate only known when the script runs is an advisory", () => {
    const [fact] = factsOfCalls([call("remove-exchangecertificate", { Thumbprint: { kind: "unresolved", reason: "$c is only known when the script runs", expression: "$c.Thumbprint" } })], ctx);
    expect(fact).toMatchObject({ kind: "unverifiable", item: { property: "Thumbprint", expression: "$c.Thumbprint" } });
  });

  it("Import-ExchangeCertificate keeps its advisory, says how to describe it, and never shows the file data", () => {
    const facts = remote(`Import-ExchangeCertificate -Server EX01 -FileData ([System.IO.File]::ReadAllBytes('C:\\certs\\mx.pfx')) -Password (ConvertTo-SecureString -String 'S3cret!' -AsPlainText -Force)`);
    const [item] = advisories(facts).filter((a) => a.property === "FileData");
    expect(item!.subject).toBe("certificate imported on EX01");
    expect(item!.reason).toContain("Certificate descriptor");
    expect(item!.reason).toContain("thumbprint");
    expect(JSON.stringify(facts)).not.toContain("S3cret!");
  });
});

describe("distinguished names and certificate references", () => {
  it.each([
    ["CN=R11, O=Let's Encrypt, C=US", "cn=r11,o=let's encrypt,c=us", true],
    ["CN = mx01.contoso.com ,O= Contoso", "CN=mx01.contoso.com, O=Contoso", true],
    ["O=Contoso, CN=mx01.contoso.com", "CN=mx01.contoso.com, O=Contoso", false],
    ["CN=a\\, b, O=x", "CN=a\\,b,O=x", false],
    ['CN="a, b", O=x', 'cn="a, b",o=x', true],
    ["CN=mx01.contoso.com", "CN=mx02.contoso.com", false],
  ])("%s and %s are the same DN: %s", (a, b, same) => {
    expect(sameDn(a, b)).toBe(same);
  });

  it("keeps an escaped comma inside its value", () => {
    expect(normalizeDn("CN=Contoso\\, Inc , C=US")).toBe("cn=contoso\\, inc,c=us");
  });

  it.each([
    [`thumbprint:${THUMB.toLowerCase()}`, { kind: "thumbprint", thumbprint: THUMB }],
    [`EX01\\${THUMB.toLowerCase()}`, { kind: "thumbprint", thumbprint: THUMB }],
    [THUMB.toLowerCase(), { kind: "thumbprint", thumbprint: THUMB }],
    ["urn:pulumi:test::mailflow::tls:index/selfSignedCert:SelfSignedCert::gw", { kind: "name", name: "urn:pulumi:test::mailflow::tls:index/selfSignedCert:SelfSignedCert::gw" }],
    ["hybrid-cert", { kind: "name", name: "hybrid-cert" }],
  ])("certificateRef(%s)", (raw, expected) => {
    expect(certificateRef(raw)).toEqual(expected);
  });

  it("thumbprintRef normalises what scripts write", () => {
    expect(thumbprintRef(` ex01\\${THUMB.toLowerCase()} `)).toBe(`thumbprint:${THUMB}`);
  });
});

describe("which certificate a Send connector presents, from Exchange certificate cmdlets", () => {
  const facts = (script: string) => commandExtractor.extract(resourceInput("command:remote:Command", { connection: { host: "ex01.contoso.com", password: "x" }, create: script }, "onprem"));
  const described = (thumb: string, cn: string): Fact => ({
    kind: "certificate",
    certificate: { id: `urn:cert-${cn}`, label: cn, subjectCN: cn, subjectDN: `CN=${cn}`, issuerDN: "CN=R11, O=Let's Encrypt, C=US", sanDns: [cn], trust: "public", thumbprint: thumb, servers: [], services: [], unknown: [], provenance: [{ urn: `urn:cert-${cn}`, resourceName: cn, resourceType: "t" }] },
  });
  const internet = `New-SendConnector -Internet -Name Internet -AddressSpaces "SMTP:*;1"`;
  const A = "A".repeat(40);
  const B = "B".repeat(40);

  it("a TlsCertificateName written with other case and spacing binds to a self-signed New-ExchangeCertificate", () => {
    const m = buildModel(facts(`New-ExchangeCertificate -SubjectName "CN=MX01.contoso.com" -DomainName mx01.contoso.com -Services SMTP\nNew-SendConnector -Internet -Name Internet -AddressSpaces "SMTP:*;1" -TlsCertificateName "<I>cn = mx01.contoso.com<S>CN=mx01.contoso.com"`));
    const e = effectiveCertificates(m, m.sendConnectors[0]!);
    expect([e.how, e.certificates.map((c) => c.subjectCN)]).toEqual(["tls-certificate-name", ["mx01.contoso.com"]]);
  });

  it("a Receive connector's TlsCertificateName binds the same way, and another issuer does not", () => {
    const m = buildModel(facts(`New-ExchangeCertificate -SubjectName "CN=smtp.contoso.com, O=Contoso" -DomainName smtp.contoso.com\nNew-ReceiveConnector -Name "Default Frontend" -TlsCertificateName "<I>cn=smtp.contoso.com , o=contoso<S>CN=smtp.contoso.com,O=Contoso"\nSet-ReceiveConnector -Identity "Other" -TlsCertificateName "<I>CN=R11, O=Let's Encrypt, C=US<S>CN=smtp.contoso.com, O=Contoso"`));
    expect(m.receiveConnectors.map((r) => certificatesNamedBy(m, r.tlsCertificateName!).map((c) => c.subjectCN))).toEqual([["smtp.contoso.com"], []]);
  });

  it("the certificate last enabled for SMTP is what a connector without TlsCertificateName presents; Remove- takes it away", () => {
    const enableA = facts(`Enable-ExchangeCertificate -Thumbprint ${A} -Services "IIS, SMTP"\n${internet}`);
    const enableB = facts(`Enable-ExchangeCertificate -Thumbprint ${B} -Services smtp`);
    const removeB: Fact[] = [{ kind: "certificate-removal", certificate: `thumbprint:${B}`, provenance: { urn: "urn:remove", resourceName: "remove", resourceType: "t" } }];
    const presented = (all: Fact[]) => {
      const m = buildModel(all);
      const e = effectiveCertificates(m, m.sendConnectors[0]!);
      return [e.how, e.certificates.map((c) => c.label)];
    };
    expect(presented([described(A, "a.contoso.com"), described(B, "b.contoso.com"), ...enableA])).toEqual(["server-default-smtp", ["a.contoso.com"]]);
    expect(presented([described(A, "a.contoso.com"), described(B, "b.contoso.com"), ...enableA, ...enableB])).toEqual(["server-default-smtp", ["b.contoso.com"]]);
    // Once B is removed, nothing is the default any more: A is still enabled for SMTP (conservative: any SMTP certificate).
    expect(presented([described(A, "a.contoso.com"), described(B, "b.contoso.com"), ...enableA, ...enableB, ...removeB])).toEqual(["server-smtp", ["a.contoso.com"]]);
  });
});

const tester = new RuleTester();
const contoso = tenant("contoso.onmicrosoft.com", ["contoso.com", "smtpo365.contoso.com"]);
const hcw = hcwInbound("exo", "contoso.onmicrosoft.com", "smtpo365.contoso.com");
const selfSignedPin = (cn: string) => `-TlsCertificateName "<I>CN=${cn}<S>CN=${cn}"`;
const newCert = (cn: string, sans: string[], extra = "") => `New-ExchangeCertificate -SubjectName "CN=${cn}" -DomainName ${sans.join(",")}${extra}`;
const GW_THUMB = "C0FFEE00112233445566778899AABBCCDDEEFF00";
const gatewayCert = (dnsNames: string[]) => certificateDescriptor("gw-cert", { subject: "CN=mx01.contoso.com", dnsNames, issuer: "CN=R11, O=Let's Encrypt, C=US", trust: "public", thumbprint: GW_THUMB });

tester.run(internetIdentityMatchesOnPremisesConnector, {
  valid: [
    {
      name: "the internet connector's New-ExchangeCertificate does not carry the hybrid name",
      resources: [contoso, hcw, onPrem("internet", "ex01.contoso.com", `${newCert("mx01.contoso.com", ["mx01.contoso.com"])}\nNew-SendConnector -Internet -Name Internet -AddressSpaces "SMTP:*;1" ${selfSignedPin("mx01.contoso.com")}`)],
    },
    {
      name: "a certificate carrying the hybrid name is enabled for SMTP on another organisation's server, not on the internet connector's",
      resources: [contoso, hcw, gatewayCert(["mx01.contoso.com", "smtpo365.contoso.com"]), onPrem("enable", "ex01.fabrikam.example", `Enable-ExchangeCertificate -Thumbprint ${GW_THUMB} -Services SMTP`), onPrem("internet", "ex01.contoso.com", `New-SendConnector -Internet -Name Internet -AddressSpaces "SMTP:*;1"`)],
    },
  ],
  invalid: [
    {
      name: "the internet connector's self-signed New-ExchangeCertificate carries the hybrid name in its SAN (bound by issuer and subject)",
      resources: [contoso, hcw, onPrem("internet", "ex01.contoso.com", `${newCert("mx01.contoso.com", ["mx01.contoso.com", "smtpo365.contoso.com"], " -Services SMTP")}\nNew-SendConnector -Internet -Name Internet -AddressSpaces "SMTP:*;1" -TlsCertificateName "<I>cn=MX01.contoso.com<S>CN = mx01.contoso.com"`)],
      errors: [{ resource: "internet", includes: ["connector 'Internet' of ex01.contoso.com", "smtpo365.contoso.com", "'Inbound from 6fc3a33e-3ca2-4528-8e3c-75e5d4e9db76'"] }],
    },
    {
      name: "the certificate enabled for SMTP (\"POP, IMAP, SMTP, IIS\") carries the hybrid name and the internet connector names none",
      resources: [contoso, hcw, gatewayCert(["mx01.contoso.com", "smtpo365.contoso.com"]), onPrem("internet", "ex01.contoso.com", `New-SendConnector -Internet -Name Internet -AddressSpaces "SMTP:*;1"`), onPrem("enable", "ex01.contoso.com", `Enable-ExchangeCertificate -Thumbprint ${GW_THUMB.toLowerCase()} -Services "POP, IMAP, SMTP, IIS"`)],
      errors: [{ resource: "enable", includes: ["connector 'Internet' of ex01.contoso.com", "smtpo365.contoso.com"] }],
    },
  ],
});

tester.run(sharedCertificateHybridAndInternet, {
  valid: [
    {
      name: "hybrid and internet connectors pinned to two self-signed New-ExchangeCertificates",
      resources: [
        contoso,
        onPrem(
          "onprem",
          "ex01.contoso.com",
          [
            newCert("mx01.contoso.com", ["mx01.contoso.com"]),
            newCert("smtpo365.contoso.com", ["smtpo365.contoso.com"]),
            `New-SendConnector -Internet -Name Internet -AddressSpaces "SMTP:*;1" ${selfSignedPin("mx01.contoso.com")}`,
            `New-SendConnector -Name "Outbound to Office 365" -AddressSpaces "smtp:contoso.mail.onmicrosoft.com;1" -CloudServicesMailEnabled $true -Fqdn smtpo365.contoso.com ${selfSignedPin("smtpo365.contoso.com")}`,
          ].join("\n"),
        ),
      ],
    },
  ],
  invalid: [
    {
      name: "hybrid and internet connectors pinned to one self-signed New-ExchangeCertificate, written differently",
      resources: [
        contoso,
        onPrem(
          "onprem",
          "ex01.contoso.com",
          [
            newCert("mx01.contoso.com", ["mx01.contoso.com", "smtpo365.contoso.com"]),
            `New-SendConnector -Internet -Name Internet -AddressSpaces "SMTP:*;1" ${selfSignedPin("mx01.contoso.com")}`,
            `New-SendConnector -Name "Outbound to Office 365" -AddressSpaces "smtp:contoso.mail.onmicrosoft.com;1" -CloudServicesMailEnabled $true -TlsCertificateName "<I>CN = MX01.contoso.com<S>cn=mx01.contoso.com"`,
          ].join("\n"),
        ),
      ],
      errors: [{ resource: "onprem", includes: ["Hybrid connector 'Outbound to Office 365' of ex01.contoso.com", "internet connector 'Internet' of ex01.contoso.com", "certificate 'mx01.contoso.com' (mx01.contoso.com, smtpo365.contoso.com)"] }],
    },
  ],
});
