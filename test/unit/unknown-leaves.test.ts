/**
 * Property: for every supported certificate and descriptor resource shape, making any one input node
 * (leaf, object or list) unknown — as Pulumi does in preview — never throws and is reported as an
 * `unverifiable` fact naming that node or an ancestor of it, unless the input is documented as not read.
 */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { webcrypto } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { CERTIFICATE_TYPES, certificateExtractor, extractCertificates } from "../../src/extractors/certificates";
import { DESCRIPTOR_TYPES, descriptorExtractor } from "../../src/extractors/descriptors";
import { isPathWithin } from "../../src/extractors/read";
import { UnknownValue, type ResourceInput } from "../../src/extractors/types";
import type { Fact } from "../../src/model/facts";
import { resourceInput } from "./support/resources";

const KEY = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ\n-----END PRIVATE KEY-----";
const pems = { certificate: "", request: "" };

beforeAll(async () => {
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const alg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
  const keys = (await webcrypto.subtle.generateKey(alg, true, ["sign", "verify"])) as webcrypto.CryptoKeyPair;
  const san = new x509.SubjectAlternativeNameExtension([{ type: "dns", value: "smtpo365.contoso.com" }]);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({ serialNumber: "01", name: "CN=smtpo365.contoso.com", notBefore: new Date("2026-01-01"), notAfter: new Date("2027-01-01"), keys, signingAlgorithm: alg, extensions: [san] });
  pems.certificate = cert.toString("pem");
  pems.request = (await x509.Pkcs10CertificateRequestGenerator.create({ name: "CN=hybrid.fabrikam.com", keys, signingAlgorithm: alg, extensions: [san] })).toString("pem");
});

type Props = Record<string, unknown>;
interface Shape {
  name: string;
  type: string;
  props: () => Props;
  /** Inputs the extractor does not read, each with why (paths cover everything below them). */
  notRead: Record<string, string>;
  /** How the shape is extracted (default: the extractor for its type, alone). */
  extract?: (resource: ResourceInput) => Fact[];
}

const SECRET = "a secret: never read";
const NOT_ATTRIBUTION = "does not affect names, trust or attribution";
const certManagerSpec = () => ({ secretName: "mx-tls", commonName: "mx.contoso.com", dnsNames: ["mx.contoso.com", "smtp.contoso.com"], issuerRef: { name: "letsencrypt-prod", kind: "ClusterIssuer" } });
const descriptorCertificate = () => ({ subject: "CN=mx01.contoso.com", dnsNames: ["mx01.contoso.com"], issuer: "CN=GeoTrust TLS RSA CA G1", trust: "public", thumbprint: "AB CD", servers: ["mx01"], organization: "contoso", notAfter: "2027-01-01" });

const SHAPES: Shape[] = [
  { name: "tls SelfSignedCert", type: CERTIFICATE_TYPES.selfSigned, props: () => ({ privateKeyPem: KEY, subject: { commonName: "smtpo365.contoso.com", organization: "Contoso" }, dnsNames: ["smtpo365.contoso.com", "hybrid.contoso.com"], validityPeriodHours: 8760, allowedUses: ["server_auth"] }), notRead: { privateKeyPem: SECRET, "subject.organization": "not a name Exchange matches", validityPeriodHours: NOT_ATTRIBUTION, allowedUses: NOT_ATTRIBUTION } },
  {
    name: "tls CertRequest (names taken by the LocallySignedCert it signs)",
    type: CERTIFICATE_TYPES.certRequest,
    props: () => ({ privateKeyPem: KEY, subject: { commonName: "hybrid.fabrikam.com", organization: "Fabrikam" }, dnsNames: ["hybrid.fabrikam.com"] }),
    notRead: { privateKeyPem: SECRET, "subject.organization": "not a name Exchange matches" },
    extract: (request) => extractCertificates([request, resourceInput(CERTIFICATE_TYPES.locallySigned, { certRequestPem: new UnknownValue("certRequestPem") }, "signed", { propertyDependencies: { certRequestPem: [request.urn] } })]),
  },
  { name: "tls LocallySignedCert", type: CERTIFICATE_TYPES.locallySigned, props: () => ({ certRequestPem: pems.request, caCertPem: pems.certificate, caPrivateKeyPem: KEY, validityPeriodHours: 8760, allowedUses: ["server_auth"] }), notRead: { caCertPem: "trust is private-ca whichever CA signs", caPrivateKeyPem: SECRET, validityPeriodHours: NOT_ATTRIBUTION, allowedUses: NOT_ATTRIBUTION } },
  { name: "ACME certificate", type: CERTIFICATE_TYPES.acme, props: () => ({ accountKeyPem: KEY, commonName: "mx01.contoso.com", subjectAlternativeNames: ["mx02.contoso.com"], keyType: "P256", dnsChallenges: [{ provider: "route53" }] }), notRead: { accountKeyPem: SECRET, keyType: NOT_ATTRIBUTION, dnsChallenges: NOT_ATTRIBUTION } },
  { name: "AWS ACM (requested)", type: CERTIFICATE_TYPES.acm, props: () => ({ domainName: "*.contoso.com", subjectAlternativeNames: ["contoso.com"], validationMethod: "DNS" }), notRead: { validationMethod: NOT_ATTRIBUTION } },
  { name: "AWS ACM (private CA)", type: CERTIFICATE_TYPES.acm, props: () => ({ domainName: "relay.contoso.com", certificateAuthorityArn: "arn:aws:acm-pca:eu-west-1:111122223333:certificate-authority/x" }), notRead: {} },
  { name: "AWS ACM (imported)", type: CERTIFICATE_TYPES.acm, props: () => ({ certificateBody: pems.certificate, privateKey: KEY }), notRead: { privateKey: SECRET } },
  {
    name: "Azure Key Vault",
    type: CERTIFICATE_TYPES.keyVault,
    props: () => ({ name: "hybrid", keyVaultId: "/subscriptions/x/vaults/kv", certificatePolicy: { issuerParameters: { name: "Self" }, keyProperties: { exportable: true, keySize: 2048, keyType: "RSA", reuseKey: true }, secretProperties: { contentType: "application/x-pkcs12" }, x509CertificateProperties: { subject: "CN=hybrid.contoso.com", subjectAlternativeNames: { dnsNames: ["hybrid.contoso.com"] }, keyUsages: ["digitalSignature"], validityInMonths: 12 } } }),
    notRead: { name: "the Key Vault object name, not a certificate name", keyVaultId: NOT_ATTRIBUTION, "certificatePolicy.keyProperties": NOT_ATTRIBUTION, "certificatePolicy.secretProperties": NOT_ATTRIBUTION, "certificatePolicy.x509CertificateProperties.keyUsages": NOT_ATTRIBUTION, "certificatePolicy.x509CertificateProperties.validityInMonths": NOT_ATTRIBUTION },
  },
  { name: "cert-manager Certificate", type: CERTIFICATE_TYPES.certManager, props: () => ({ apiVersion: "cert-manager.io/v1", kind: "Certificate", metadata: { name: "mx", namespace: "mail" }, spec: certManagerSpec() }), notRead: { apiVersion: "the type token says what it is", kind: "the type token says what it is", metadata: NOT_ATTRIBUTION, "spec.secretName": NOT_ATTRIBUTION, "spec.issuerRef.kind": "trust is judged by the issuer's name" } },
  { name: "cert-manager Certificate (CustomResource)", type: CERTIFICATE_TYPES.customResource, props: () => ({ apiVersion: "cert-manager.io/v1", kind: "Certificate", metadata: { name: "mx", namespace: "mail" }, spec: certManagerSpec() }), notRead: { metadata: NOT_ATTRIBUTION, "spec.secretName": NOT_ATTRIBUTION, "spec.issuerRef.kind": "trust is judged by the issuer's name" } },
  { name: "Tenant descriptor", type: DESCRIPTOR_TYPES.tenant, props: () => ({ initialDomain: "contoso.onmicrosoft.com", acceptedDomains: ["contoso.com", { name: "sub.contoso.com", matchSubDomains: true }], acceptedDomainsComplete: true }), notRead: {} },
  { name: "Organization descriptor", type: DESCRIPTOR_TYPES.organization, props: () => ({ name: "contoso-onprem", kind: "exchange", servers: ["ex01.contoso.com"], egressIps: ["203.0.113.10"], sharedEgress: false, domains: ["contoso.com"], tenant: "contoso.onmicrosoft.com" }), notRead: {} },
  {
    name: "Gateway descriptor",
    type: DESCRIPTOR_TYPES.gateway,
    props: () => ({ name: "gw", servers: ["mx01.gw.example"], egressIps: ["198.51.100.1"], sharedEgress: true, relaysFor: ["contoso"], domains: ["gw.example"], connectors: [{ name: "Internet", addressSpaces: ["*"], smartHosts: ["relay.gw.example"], dnsRouting: true, egressIps: ["198.51.100.1"], certificate: descriptorCertificate() }, { name: "O365", addressSpaces: ["contoso.mail.onmicrosoft.com"], certificate: "shared-cert" }] }),
    notRead: {},
  },
  { name: "Certificate descriptor", type: DESCRIPTOR_TYPES.certificate, props: descriptorCertificate, notRead: {} },
];

/** Every node below the root, as the path the extractors use (`a.b`, `a[0]`). */
function nodePaths(value: unknown, path = ""): string[] {
  const children: Array<[string, unknown]> = Array.isArray(value) ? value.map((v, i) => [`${path}[${i}]`, v]) : value !== null && typeof value === "object" ? Object.entries(value).map(([k, v]) => [path ? `${path}.${k}` : k, v]) : [];
  return children.flatMap(([p, v]) => [p, ...nodePaths(v, p)]);
}

/** A deep copy of `props` with the node at `path` replaced by an UnknownValue. */
function withUnknown(props: Props, path: string): Props {
  const copy = structuredClone(props);
  const segments = path.match(/[^.[\]]+|\[\d+\]/g)!.map((s) => (s.startsWith("[") ? Number(s.slice(1, -1)) : s));
  let node = copy as Record<string | number, unknown>;
  for (const segment of segments.slice(0, -1)) node = node[segment] as Record<string | number, unknown>;
  node[segments.at(-1)!] = new UnknownValue(path);
  return copy;
}

const extractorFor = (shape: Shape) => shape.extract ?? ((r: ResourceInput) => [...certificateExtractor.extract(r), ...descriptorExtractor.extract(r)]);
const unverifiable = (facts: Fact[]) => facts.flatMap((f) => (f.kind === "unverifiable" ? [f.item] : []));
const notReadReason = (shape: Shape, path: string) => Object.entries(shape.notRead).find(([p]) => isPathWithin(path, p))?.[1];

describe.each(SHAPES)("$name: one unknown input at a time", (shape) => {
  it("the known shape reads without advisories", () => {
    const facts = extractorFor(shape)(resourceInput(shape.type, shape.props(), "res"));
    expect(unverifiable(facts)).toEqual([]);
    expect(facts.length).toBeGreaterThan(0);
  });

  it("every read node, made unknown, is reported by its path (or an ancestor's); documented unread ones are not", () => {
    const paths = nodePaths(shape.props());
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths) {
      const resource = resourceInput(shape.type, withUnknown(shape.props(), path), "res");
      let facts: Fact[] = [];
      expect(() => (facts = extractorFor(shape)(resource)), path).not.toThrow();
      const reported = unverifiable(facts).filter((u) => isPathWithin(path, u.property));
      if (notReadReason(shape, path)) {
        expect(reported, `${path} is documented as not read`).toEqual([]);
        continue;
      }
      expect(reported.map((u) => u.property), `${path} made unknown`).toHaveLength(1);
      expect(reported[0]).toMatchObject({ reason: "unknown during preview", provenance: { urn: expect.stringContaining("::res") } });
    }
  });
});

it("every certificate type and descriptor type has a shape in this test", () => {
  const covered = new Set(SHAPES.map((s) => s.type));
  expect([...Object.values(CERTIFICATE_TYPES), ...Object.values(DESCRIPTOR_TYPES)].filter((t) => !covered.has(t))).toEqual([]);
});

describe("input limits on names (issue 23)", () => {
  it("a gateway and connector name past the limit is read shortened with a digest, two such names stay two, and that is said", () => {
    const gateway = (suffix: string) =>
      descriptorExtractor.extract(
        resourceInput(DESCRIPTOR_TYPES.gateway, { name: `${"g".repeat(100_000)}${suffix}`, servers: ["mx01.contoso.com"], connectors: [{ name: `${"c".repeat(100_000)}${suffix}`, addressSpaces: ["*"], dnsRouting: true }] }, "gw"),
      );
    const a = gateway("a");
    const b = gateway("b");
    const names = (facts: Fact[]) => facts.flatMap((f) => (f.kind === "organization" ? [f.organization.name] : f.kind === "send-connector" ? [f.identity] : []));
    for (const n of names(a)) expect(n?.length).toBeLessThanOrEqual(256);
    expect(names(a)).not.toEqual(names(b));
    expect(a.flatMap((f) => (f.kind === "unverifiable" ? [`${f.item.property}: ${f.item.reason}`] : []))).toEqual([
      "name: longer than 256 characters (100,001): read as its first 200 characters and a digest of the whole",
      "connectors[0].name: longer than 256 characters (100,001): read as its first 200 characters and a digest of the whole",
    ]);
  });
});
