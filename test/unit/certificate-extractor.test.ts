/** Certificates from certificate resources (the providers' real input shapes) and from PEM inputs. */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { webcrypto } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { certificateExtractor, extractCertificates } from "../../src/extractors/certificates";
import { descriptorExtractor } from "../../src/extractors/descriptors";
import { UnknownValue } from "../../src/extractors/types";
import type { Fact } from "../../src/model/facts";
import { resourceInput } from "./support/resources";

const certificates = (facts: Fact[]) => facts.flatMap((f) => (f.kind === "certificate" ? [f.certificate] : []));
const PRIVATE_KEY = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ\n-----END PRIVATE KEY-----";

let selfSignedPem = "";
let caSignedPem = "";
let csrPem = "";

beforeAll(async () => {
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const alg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
  const keys = await webcrypto.subtle.generateKey(alg, true, ["sign", "verify"]);
  const san = new x509.SubjectAlternativeNameExtension([{ type: "dns", value: "smtpo365.contoso.com" }, { type: "dns", value: "Hybrid.Contoso.com" }]);
  const selfSigned = await x509.X509CertificateGenerator.createSelfSigned({ serialNumber: "01", name: "CN=smtpo365.contoso.com, O=Contoso", notBefore: new Date("2026-01-01"), notAfter: new Date("2027-01-01"), keys: keys as webcrypto.CryptoKeyPair, signingAlgorithm: alg, extensions: [san] });
  selfSignedPem = selfSigned.toString("pem");
  const caKeys = await webcrypto.subtle.generateKey(alg, true, ["sign", "verify"]);
  const issued = await x509.X509CertificateGenerator.create({ serialNumber: "02", subject: "CN=mx01.contoso.com", issuer: "CN=Contoso Test CA", notBefore: new Date("2026-01-01"), notAfter: new Date("2027-01-01"), publicKey: (keys as webcrypto.CryptoKeyPair).publicKey, signingKey: (caKeys as webcrypto.CryptoKeyPair).privateKey, signingAlgorithm: alg, extensions: [new x509.SubjectAlternativeNameExtension([{ type: "dns", value: "mx01.contoso.com" }])] });
  caSignedPem = issued.toString("pem");
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: "CN=smtpo365.fabrikam.com", keys: keys as webcrypto.CryptoKeyPair, signingAlgorithm: alg, extensions: [new x509.SubjectAlternativeNameExtension([{ type: "dns", value: "smtpo365.fabrikam.com" }])] });
  csrPem = csr.toString("pem");
});

describe("certificate resources", () => {
  it.each([
    ["tls SelfSignedCert", "tls:index/selfSignedCert:SelfSignedCert", { privateKeyPem: PRIVATE_KEY, subject: { commonName: "SMTPO365.contoso.com", organization: "Contoso" }, dnsNames: ["smtpo365.contoso.com"], validityPeriodHours: 8760, allowedUses: ["digital_signature", "server_auth"] }, { subjectCN: "smtpo365.contoso.com", sanDns: ["smtpo365.contoso.com"], trust: "self-signed" }],
    ["ACME certificate", "acme:index/certificate:Certificate", { commonName: "mx01.contoso.com", subjectAlternativeNames: ["mx02.contoso.com"], accountKeyPem: PRIVATE_KEY }, { subjectCN: "mx01.contoso.com", sanDns: ["mx02.contoso.com"], trust: "public" }],
    ["AWS ACM (public)", "aws:acm/certificate:Certificate", { domainName: "*.contoso.com", subjectAlternativeNames: ["contoso.com"], validationMethod: "DNS" }, { subjectCN: "*.contoso.com", sanDns: ["contoso.com"], trust: "public" }],
    ["AWS ACM (private CA)", "aws:acm/certificate:Certificate", { domainName: "relay.contoso.com", certificateAuthorityArn: "arn:aws:acm-pca:eu-west-1:111122223333:certificate-authority/x" }, { subjectCN: "relay.contoso.com", trust: "private-ca" }],
    ["Azure Key Vault", "azure:keyvault/certificate:Certificate", { certificatePolicy: { issuerParameters: { name: "Self" }, x509CertificateProperties: { subject: "CN=hybrid.contoso.com", subjectAlternativeNames: { dnsNames: ["hybrid.contoso.com"] } } } }, { subjectCN: "hybrid.contoso.com", trust: "self-signed" }],
    ["cert-manager Certificate (CustomResource)", "kubernetes:apiextensions.k8s.io:CustomResource", { apiVersion: "cert-manager.io/v1", kind: "Certificate", spec: { commonName: "mx.contoso.com", dnsNames: ["mx.contoso.com"], issuerRef: { name: "letsencrypt-prod", kind: "ClusterIssuer" } } }, { subjectCN: "mx.contoso.com", trust: "public" }],
  ])("%s", (_name, type, props, expected) => {
    const facts = certificateExtractor.extract(resourceInput(type, props, "cert"));
    expect(certificates(facts)).toMatchObject([{ id: `urn:pulumi:test::mailflow::${type}::cert`, ...expected }]);
    expect(JSON.stringify(facts)).not.toContain("PRIVATE KEY");
  });

  it("unknown names in preview become explicit unverifiable facts", () => {
    const facts = certificateExtractor.extract(resourceInput("tls:index/selfSignedCert:SelfSignedCert", { subject: { commonName: "x.contoso.com" }, dnsNames: new UnknownValue("dnsNames") }, "cert"));
    expect(certificates(facts)[0]).toMatchObject({ subjectCN: "x.contoso.com", unknown: ["dnsNames"] });
    expect(facts.filter((f) => f.kind === "unverifiable")).toHaveLength(1);
  });

  it("a LocallySignedCert takes its names from the CSR it signs (private CA)", () => {
    const facts = certificateExtractor.extract(resourceInput("tls:index/locallySignedCert:LocallySignedCert", { certRequestPem: csrPem, caCertPem: caSignedPem, caPrivateKeyPem: PRIVATE_KEY }, "signed"));
    expect(certificates(facts)).toMatchObject([{ subjectCN: "smtpo365.fabrikam.com", sanDns: ["smtpo365.fabrikam.com"], trust: "private-ca" }]);
  });

  it("a LocallySignedCert whose CSR is unknown takes the names of the CertRequest it depends on", () => {
    const request = resourceInput("tls:index/certRequest:CertRequest", { subject: { commonName: "hybrid.fabrikam.com" }, dnsNames: ["hybrid.fabrikam.com"] }, "request");
    const signed = resourceInput("tls:index/locallySignedCert:LocallySignedCert", { certRequestPem: new UnknownValue("certRequestPem") }, "signed", { propertyDependencies: { certRequestPem: [request.urn] } });
    expect(certificates(extractCertificates([request, signed]))).toMatchObject([{ id: signed.urn, subjectCN: "hybrid.fabrikam.com", trust: "private-ca" }]);
  });
});

describe("PEM certificates in any input", () => {
  it("reads CN, SANs, issuer, validity, SHA-1 thumbprint; self-issued is self-signed", () => {
    const [c] = certificates(certificateExtractor.extract(resourceInput("aws:acm/certificate:Certificate", { certificateBody: selfSignedPem, privateKey: PRIVATE_KEY }, "imported")));
    expect(c).toMatchObject({ subjectCN: "smtpo365.contoso.com", sanDns: ["smtpo365.contoso.com", "hybrid.contoso.com"], trust: "self-signed", notAfter: "2027-01-01T00:00:00.000Z" });
    expect(c!.thumbprint).toMatch(/^[0-9A-F]{40}$/);
  });
  it("a CA-issued certificate is not called self-signed", () => {
    const [c] = certificates(certificateExtractor.extract(resourceInput("command:local:Command", { environment: { CERT: caSignedPem } }, "cmd")));
    expect(c).toMatchObject({ subjectCN: "mx01.contoso.com", issuerDN: "CN=Contoso Test CA", trust: "unknown" });
  });
  it("malformed PEM is reported, never thrown", () => {
    const facts = certificateExtractor.extract(resourceInput("command:local:Command", { stdin: "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----" }, "cmd"));
    expect(facts).toMatchObject([{ kind: "unverifiable", item: { property: "stdin", reason: expect.stringContaining("not a readable X.509 certificate") } }]);
  });
});

describe("descriptors", () => {
  const T = (t: string) => `pulumi-nodejs:dynamic/mailflow:${t}`;
  it("a gateway becomes an organisation, its connectors and their inline certificates", () => {
    const facts = descriptorExtractor.extract(resourceInput(T("Gateway"), { name: "GW", servers: ["MX01.contoso.com"], relaysFor: ["contoso"], connectors: [{ name: "Internet", addressSpaces: ["*"], dnsRouting: true, certificate: { subject: "CN=mx01.contoso.com", trust: "public" } }, { name: "O365", addressSpaces: ["contoso.mail.onmicrosoft.com"], certificate: "shared-cert" }] }, "gw"));
    expect(facts.map((f) => f.kind)).toEqual(["organization", "certificate", "send-connector", "send-connector"]);
    expect(facts[0]).toMatchObject({ organization: { id: "gw", kind: "gateway", servers: ["mx01.contoso.com"], relaysFor: ["contoso"] } });
    expect(facts[2]).toMatchObject({ org: "gw", identity: "Internet", fields: { addressSpaces: ["*"], dnsRoutingEnabled: true, certificateIds: ["urn:pulumi:test::mailflow::pulumi-nodejs:dynamic/mailflow:Gateway::gw#Internet"] } });
    expect(facts[3]).toMatchObject({ fields: { certificateIds: ["shared-cert"] } });
  });
  it("malformed or unknown descriptor inputs are reported, never thrown", () => {
    const facts = descriptorExtractor.extract(resourceInput(T("Gateway"), { name: "gw", servers: new UnknownValue("servers"), connectors: "not a list" }, "gw"));
    expect(facts.filter((f) => f.kind === "unverifiable").map((f) => (f.kind === "unverifiable" ? f.item.property : ""))).toEqual(["connectors", "servers"]);
  });
  it("a tenant with accepted domains", () => {
    expect(descriptorExtractor.extract(resourceInput(T("Tenant"), { initialDomain: "Contoso.onmicrosoft.com", acceptedDomains: ["contoso.com", { name: "Sub.contoso.com", matchSubDomains: true }] }))).toMatchObject([
      { kind: "tenant", tenant: "contoso.onmicrosoft.com", acceptedDomains: [{ name: "contoso.com", matchSubDomains: false }, { name: "sub.contoso.com", matchSubDomains: true }] },
    ]);
  });
});

describe("unknown inputs degrade conservatively, with an advisory naming the property", () => {
  const T = (t: string) => `pulumi-nodejs:dynamic/mailflow:${t}`;
  const U = (path: string) => new UnknownValue(path);
  const advisories = (facts: Fact[]) => facts.flatMap((f) => (f.kind === "unverifiable" ? [`${f.item.subject} | ${f.item.property} | ${f.item.reason}`] : []));

  it("an unknown tls subject keeps the certificate with its known names", () => {
    const facts = certificateExtractor.extract(resourceInput("tls:index/selfSignedCert:SelfSignedCert", { subject: U("subject"), dnsNames: ["mx01.contoso.com"] }, "cert"));
    expect(advisories(facts)).toEqual(["certificate 'cert' | subject | unknown during preview"]);
    expect(certificates(facts)).toEqual([expect.objectContaining({ sanDns: ["mx01.contoso.com"], unknown: ["commonName"], trust: "self-signed" })]);
    expect(certificates(facts)[0]!.subjectCN).toBeUndefined();
  });

  it("an unknown Key Vault issuer is trust 'unknown', never 'public'", () => {
    const facts = certificateExtractor.extract(resourceInput("azure:keyvault/certificate:Certificate", { certificatePolicy: { issuerParameters: { name: U("certificatePolicy.issuerParameters.name") }, x509CertificateProperties: { subject: "CN=hybrid.contoso.com" } } }, "kv"));
    expect(advisories(facts)).toEqual(["certificate 'kv' | certificatePolicy.issuerParameters.name | unknown during preview"]);
    expect(certificates(facts)).toEqual([expect.objectContaining({ subjectCN: "hybrid.contoso.com", trust: "unknown", unknown: ["trust"] })]);
  });

  it("an unknown Key Vault certificatePolicy is one advisory, and the certificate is kept with trust 'unknown'", () => {
    const facts = certificateExtractor.extract(resourceInput("azure:keyvault/certificate:Certificate", { certificatePolicy: U("certificatePolicy") }, "kv"));
    expect(advisories(facts)).toEqual(["certificate 'kv' | certificatePolicy | unknown during preview"]);
    expect(certificates(facts)).toEqual([expect.objectContaining({ trust: "unknown", unknown: ["commonName", "dnsNames", "trust"] })]);
  });

  it("an unknown ACM certificateAuthorityArn is trust 'unknown'", () => {
    const facts = certificateExtractor.extract(resourceInput("aws:acm/certificate:Certificate", { domainName: "relay.contoso.com", certificateAuthorityArn: U("certificateAuthorityArn") }, "acm"));
    expect(certificates(facts)).toEqual([expect.objectContaining({ subjectCN: "relay.contoso.com", trust: "unknown" })]);
  });

  it("an unknown ACM certificateBody is reported on the resource", () => {
    const facts = certificateExtractor.extract(resourceInput("aws:acm/certificate:Certificate", { certificateBody: U("certificateBody"), privateKey: U("privateKey") }, "imported"));
    expect(advisories(facts)).toEqual(["resource 'imported' | certificateBody | unknown during preview"]);
    expect(certificates(facts)).toEqual([]);
  });

  it.each([
    ["spec", { spec: U("spec") }, "spec"],
    ["spec.issuerRef", { spec: { commonName: "mx.contoso.com", issuerRef: U("spec.issuerRef") } }, "spec.issuerRef"],
  ])("an unknown cert-manager %s is reported and the trust is 'unknown'", (_what, props, property) => {
    const facts = certificateExtractor.extract(resourceInput("kubernetes:cert-manager.io/v1:Certificate", props, "cm"));
    expect(advisories(facts)).toEqual([`certificate 'cm' | ${property} | unknown during preview`]);
    expect(certificates(facts)).toEqual([expect.objectContaining({ trust: "unknown" })]);
  });

  it("an unknown accepted domain is reported and the tenant's list is no longer complete", () => {
    const facts = descriptorExtractor.extract(resourceInput(T("Tenant"), { initialDomain: "contoso.onmicrosoft.com", acceptedDomains: ["contoso.com", U("acceptedDomains[1]")], acceptedDomainsComplete: true }, "tenant"));
    expect(advisories(facts)).toEqual(["tenant 'tenant' | acceptedDomains[1] | unknown during preview"]);
    expect(facts.at(-1)).toMatchObject({ kind: "tenant", acceptedDomains: [{ name: "contoso.com", matchSubDomains: false }], complete: false });
  });

  it.each(["Organization", "Gateway"])("an unknown %s name is reported (the resource name stands in)", (type) => {
    const facts = descriptorExtractor.extract(resourceInput(T(type), { name: U("name"), servers: ["mx01.contoso.com"], connectors: [] }, "res"));
    expect(advisories(facts)).toEqual([`${type === "Gateway" ? "gateway" : "organisation"} 'res' | name | unknown during preview`]);
    expect(facts.find((f) => f.kind === "organization")).toMatchObject({ organization: { id: "res", name: "res" } });
  });

  it("an unknown gateway connector is reported, the known ones are kept", () => {
    const facts = descriptorExtractor.extract(resourceInput(T("Gateway"), { name: "gw", servers: ["mx01.gw.example"], connectors: [U("connectors[0]"), { name: "Internet", addressSpaces: ["*"] }] }, "gw"));
    expect(advisories(facts)).toEqual(["gateway 'gw' | connectors[0] | unknown during preview"]);
    expect(facts.filter((f) => f.kind === "send-connector").map((f) => (f.kind === "send-connector" ? f.identity : ""))).toEqual(["Internet"]);
  });
});

describe("host names enter the model normalised", () => {
  it("certificate names: trailing dot, case and IDN", () => {
    const facts = certificateExtractor.extract(resourceInput("acme:index/certificate:Certificate", { commonName: "MX09.Contoso.com.", subjectAlternativeNames: ["*.Bücher.example.", " mail.contoso.com "] }, "cert"));
    expect(certificates(facts)).toEqual([expect.objectContaining({ subjectCN: "mx09.contoso.com", subjectDN: "CN=mx09.contoso.com", sanDns: ["*.xn--bcher-kva.example", "mail.contoso.com"] })]);
  });
  it("descriptor accepted domains, servers, smart hosts and certificate names", () => {
    const T = (t: string) => `pulumi-nodejs:dynamic/mailflow:${t}`;
    const tenant = descriptorExtractor.extract(resourceInput(T("Tenant"), { initialDomain: "contoso.onmicrosoft.com", acceptedDomains: ["Bücher.example.", { name: "Contoso.com.", matchSubDomains: true }] }));
    expect(tenant).toMatchObject([{ acceptedDomains: [{ name: "xn--bcher-kva.example" }, { name: "contoso.com", matchSubDomains: true }] }]);
    const gateway = descriptorExtractor.extract(resourceInput(T("Gateway"), { name: "gw", servers: ["MX01.gw.example."], connectors: [{ name: "Internet", addressSpaces: ["*"], smartHosts: ["Relay.gw.example."], certificate: { subject: "CN=MX01.gw.example.", dnsNames: ["mx01.gw.example."], trust: "public" } }] }, "gw"));
    expect(gateway).toMatchObject([
      { kind: "organization", organization: { servers: ["mx01.gw.example"] } },
      { kind: "certificate", certificate: { subjectCN: "mx01.gw.example", sanDns: ["mx01.gw.example"] } },
      { kind: "send-connector", fields: { smartHosts: ["relay.gw.example"] } },
    ]);
  });
});

describe("gateway connector fields", () => {
  it("an unknown certificate or smart host list is named in the Send connector fact's unknown list", () => {
    const facts = descriptorExtractor.extract(resourceInput("pulumi-nodejs:dynamic/mailflow:Gateway", { name: "gw", connectors: [{ name: "O365", addressSpaces: ["contoso.mail.onmicrosoft.com"], smartHosts: new UnknownValue("connectors[0].smartHosts"), certificate: new UnknownValue("connectors[0].certificate") }] }, "gw"));
    expect(facts.find((f) => f.kind === "send-connector")).toMatchObject({ identity: "O365", fields: { certificateIds: [], smartHosts: [] }, unknown: ["smartHosts", "certificateIds"] });
  });
});
