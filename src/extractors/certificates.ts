/**
 * Certificates from certificate resources (one reader per type token) and from any PEM certificate
 * found in a resource's inputs (read with @peculiar/x509). Private keys, PFX data and passwords are
 * never read. Type tokens and input names were checked in the published SDKs (`__pulumiType`,
 * `*.d.ts`) of @pulumi/tls 5.6.1, @pulumiverse/acme 0.16.2, @pulumi/aws 7.48.0 and @pulumi/azure 6.40.0;
 * cert-manager objects follow the CRD (spec.commonName, spec.dnsNames, spec.issuerRef). Sources: @pulumi/tls
 * (tls:index/selfSignedCert:SelfSignedCert: subject.commonName, dnsNames; certRequest: subject,
 * dnsNames; locallySignedCert: certRequestPem, caCertPem), @pulumiverse/acme
 * (acme:index/certificate:Certificate: commonName, subjectAlternativeNames), @pulumi/aws
 * (aws:acm/certificate:Certificate: domainName, subjectAlternativeNames, certificateAuthorityArn,
 * certificateBody), @pulumi/azure (azure:keyvault/certificate:Certificate: certificatePolicy
 * .x509CertificateProperties.subject / subjectAlternativeNames.dnsNames, issuerParameters.name), and
 * cert-manager Certificate objects (spec.commonName, spec.dnsNames, spec.issuerRef).
 */
import { commonNameOf, normalizeHostName, unique } from "../model/normalize";
import type { Certificate, CertificateTrust } from "../model/types";
import { readPemCertificates, readPemCertificateRequest } from "./pem";
import { reader } from "./read";
import { isUnknown, provenanceOf, type Extractor, type PropertyReader, type Read, type ReadTexts, type ResourceInput } from "./types";
import type { Fact } from "../model/facts";

export const CERTIFICATE_TYPES = {
  selfSigned: "tls:index/selfSignedCert:SelfSignedCert",
  certRequest: "tls:index/certRequest:CertRequest",
  locallySigned: "tls:index/locallySignedCert:LocallySignedCert",
  acme: "acme:index/certificate:Certificate",
  acm: "aws:acm/certificate:Certificate",
  keyVault: "azure:keyvault/certificate:Certificate",
  certManager: "kubernetes:cert-manager.io/v1:Certificate",
  customResource: "kubernetes:apiextensions.k8s.io:CustomResource",
} as const;

interface Reading {
  cn: Read<string>;
  sans: ReadTexts;
  trust: CertificateTrust;
  /** The input the trust depends on is unknown (so trust is "unknown" for now, not by nature). */
  trustUnknown?: boolean;
  issuer?: string;
}

const NO_NAMES: ReadTexts = { values: [], unknown: false };

/**
 * One reader per certificate resource type: where its names are and how far it is trusted. What is
 * unknown in preview degrades conservatively: unknown names keep the known ones and are listed in
 * `unknown`; an unknown issuer gives trust "unknown", never "public".
 */
const READERS: Record<string, (read: PropertyReader) => Reading | undefined> = {
  [CERTIFICATE_TYPES.selfSigned]: (read) => ({ cn: read.string("subject.commonName"), sans: read.strings("dnsNames"), trust: "self-signed" }),
  // A CertRequest is not a certificate by itself; the LocallySignedCert made from it is.
  [CERTIFICATE_TYPES.certRequest]: () => undefined,
  // Its names are in the CSR it signs (see extract).
  [CERTIFICATE_TYPES.locallySigned]: () => ({ cn: undefined, sans: NO_NAMES, trust: "private-ca" }),
  // ACME CAs such as Let's Encrypt are public; a private ACME server is not visible to a resource policy.
  [CERTIFICATE_TYPES.acme]: (read) => ({ cn: read.string("commonName"), sans: read.strings("subjectAlternativeNames"), trust: "public" }),
  [CERTIFICATE_TYPES.acm]: acm,
  [CERTIFICATE_TYPES.keyVault]: keyVault,
  [CERTIFICATE_TYPES.certManager]: (read) => certManager(read),
  [CERTIFICATE_TYPES.customResource]: (read) => (isCertManagerObject(read) ? certManager(read) : undefined),
};

/** An imported ACM certificate (certificateBody, no domainName) is read from its PEM instead. */
function acm(read: PropertyReader): Reading | undefined {
  const domainName = read.string("domainName");
  if (domainName === undefined && read.string("certificateBody") !== undefined) return undefined;
  const authority = read.string("certificateAuthorityArn");
  const trust: CertificateTrust = isUnknown(authority) ? "unknown" : authority ? "private-ca" : "public";
  return { cn: domainName, sans: read.strings("subjectAlternativeNames"), trust, trustUnknown: isUnknown(authority) };
}

function keyVault(read: PropertyReader): Reading {
  const subject = read.string("certificatePolicy.x509CertificateProperties.subject");
  const issuer = read.string("certificatePolicy.issuerParameters.name");
  return {
    cn: typeof subject === "string" ? commonNameOf(subject) : subject,
    sans: read.strings("certificatePolicy.x509CertificateProperties.subjectAlternativeNames.dnsNames"),
    trust: keyVaultTrust(issuer),
    trustUnknown: isUnknown(issuer),
  };
}

/**
 * issuerParameters.name: "Self" = self-signed; "Unknown" = an external CA (Let's Encrypt, or an
 * enterprise CA: trust not knowable); otherwise an issuer Key Vault integrates with (public CAs).
 */
function keyVaultTrust(issuer: Read<string>): CertificateTrust {
  if (issuer === "Self") return "self-signed";
  return typeof issuer === "string" && issuer !== "Unknown" ? "public" : "unknown";
}

function isCertManagerObject(read: PropertyReader): boolean {
  // Read lazily so an unrelated custom resource is not reported for what it does not need.
  const kind = read.string("kind");
  if (typeof kind === "string" && kind !== "Certificate") return false;
  const apiVersion = read.string("apiVersion");
  if (typeof apiVersion === "string" && apiVersion !== "cert-manager.io/v1") return false;
  // Unknown kind or apiVersion (recorded): it may be a certificate, so read it as one.
  return kind !== undefined && apiVersion !== undefined;
}

function certManager(read: PropertyReader): Reading {
  const issuer = read.string("spec.issuerRef.name");
  // Only an ACME (Let's Encrypt) issuer is known to be public; anything else may be a private CA.
  const trust: CertificateTrust = typeof issuer === "string" && /letsencrypt|acme/i.test(issuer) ? "public" : "unknown";
  return { cn: read.string("spec.commonName"), sans: read.strings("spec.dnsNames"), trust, trustUnknown: isUnknown(issuer), ...(typeof issuer === "string" ? { issuer } : {}) };
}

const SECRET_KEY = /key|password|secret|pfx|pkcs12|token|credential/i;

/** PEM certificates anywhere in the inputs (not under secret-looking keys, not the CA of a LocallySignedCert), with their path. */
const CERTIFICATE_TEXT = "-----BEGIN CERTIFICATE-----";
/** How deep in a resource's props a PEM certificate is looked for. */
const PEM_SCAN_DEPTH = 8;

/**
 * Any text holding a PEM certificate, under any key, as deep as the PEM scan looks: a superset of
 * what `pemInputs` finds, so a resource without one has no PEM certificate facts. Reads the props as
 * given (raw or snapshotted), allocating nothing: it runs on every policy call on most resources.
 */
export function holdsCertificateText(value: unknown, depth = 0): boolean {
  if (depth > PEM_SCAN_DEPTH) return false;
  if (typeof value === "string") return value.includes(CERTIFICATE_TEXT);
  if (value === null || typeof value !== "object") return false;
  if (Array.isArray(value)) {
    for (const item of value) if (holdsCertificateText(item, depth + 1)) return true;
    return false;
  }
  for (const key in value) if (holdsCertificateText((value as Record<string, unknown>)[key], depth + 1)) return true;
  return false;
}

function pemInputs(read: PropertyReader): Array<{ path: string; pem: string }> {
  return read
    .scanTexts((key) => !SECRET_KEY.test(key) && key !== "caCertPem", PEM_SCAN_DEPTH)
    .filter(({ value }) => value.includes(CERTIFICATE_TEXT))
    .map(({ path, value }) => ({ path, pem: value }));
}

const hostNames = (values: readonly string[]): string[] => unique(values.map(normalizeHostName).filter((n) => n.length > 0));

/** Which names could not be read, as Certificate.unknown lists them. */
function unknownNames(reading: Reading): string[] {
  return [...(isUnknown(reading.cn) ? ["commonName"] : []), ...(reading.sans.unknown ? ["dnsNames"] : [])];
}

function certificateOf(resource: ResourceInput, reading: Reading): Certificate {
  const cn = typeof reading.cn === "string" ? normalizeHostName(reading.cn) : "";
  return {
    id: resource.urn,
    label: resource.name,
    ...(cn ? { subjectCN: cn, subjectDN: `CN=${cn}` } : {}),
    sanDns: hostNames(reading.sans.values),
    ...(reading.issuer ? { issuerDN: reading.issuer } : {}),
    trust: reading.trust,
    servers: [],
    services: [],
    unknown: [...unknownNames(reading), ...(reading.trustUnknown ? ["trust"] : [])],
    provenance: [provenanceOf(resource)],
  };
}

/** A LocallySignedCert's names are in the CSR it signs; unreadable here, they may come from its CertRequest (extractCertificates). */
function withSignedRequest(certificate: Certificate, read: PropertyReader): void {
  const csr = read.string("certRequestPem");
  const request = typeof csr === "string" ? readPemCertificateRequest(csr) : undefined;
  if (request) Object.assign(certificate, { subjectCN: request.subjectCN, subjectDN: request.subjectDN, sanDns: request.sanDns });
  else certificate.unknown.push("names");
}

function pemCertificates(resource: ResourceInput, read: PropertyReader): Fact[] {
  const facts: Fact[] = [];
  for (const { path, pem } of pemInputs(read)) {
    const parsed = readPemCertificates(pem);
    const property = path.split(/[.[]/)[0];
    if (parsed.kind === "error") {
      facts.push({ kind: "unverifiable", item: { subject: `resource '${resource.name}'`, property: path, reason: parsed.reason, provenance: provenanceOf(resource, property) } });
      continue;
    }
    const leaf = parsed.certificates[0]!;
    facts.push({ kind: "certificate", certificate: { ...leaf, id: `${resource.urn}#${path}`, label: `${resource.name} (${path})`, provenance: [provenanceOf(resource, property)] } });
  }
  return facts;
}

function extract(resource: ResourceInput): Fact[] {
  const read = reader(resource);
  const reading = READERS[resource.type]?.(read);
  const certificate = reading ? certificateOf(resource, reading) : undefined;
  if (certificate && resource.type === CERTIFICATE_TYPES.locallySigned) withSignedRequest(certificate, read);
  // Any PEM certificate in the inputs (imported certificates, ACM certificateBody, …).
  const pems = !reading || resource.type === CERTIFICATE_TYPES.acm ? pemCertificates(resource, read) : [];
  const subject = certificate ? `certificate '${resource.name}'` : `resource '${resource.name}'`;
  return [...read.unverifiable(subject), ...(certificate ? [{ kind: "certificate" as const, certificate }] : []), ...pems];
}

export const certificateExtractor: Extractor = {
  name: "certificate",
  // Every resource may carry a PEM certificate; readers exist for the certificate types.
  appliesTo: () => true,
  extract,
};

/**
 * Cross-resource completion: a LocallySignedCert whose CSR is not known in its own inputs takes the
 * names of the CertRequest it depends on.
 */
export function extractCertificates(resources: readonly ResourceInput[]): Fact[] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const facts: Fact[] = [];
  for (const r of resources) {
    if (r.type !== CERTIFICATE_TYPES.locallySigned || typeof reader(r).string("certRequestPem") === "string") continue;
    const request = [...(r.propertyDependencies.certRequestPem ?? []), ...r.dependencies].map((u) => byUrn.get(u)).find((x) => x?.type === CERTIFICATE_TYPES.certRequest);
    if (!request) continue;
    const own = extract(r).find((f): f is Extract<Fact, { kind: "certificate" }> => f.kind === "certificate");
    if (!own) continue;
    // Read where the names are (as for a SelfSignedCert); what is unknown there is reported on the CertRequest.
    const read = reader(request);
    const names = READERS[CERTIFICATE_TYPES.selfSigned]!(read)!;
    const cn = typeof names.cn === "string" ? normalizeHostName(names.cn) : "";
    facts.push(...read.unverifiable(`certificate '${r.name}'`), {
      kind: "certificate",
      certificate: {
        ...own.certificate,
        ...(cn ? { subjectCN: cn, subjectDN: `CN=${cn}` } : {}),
        sanDns: hostNames(names.sans.values),
        unknown: unknownNames(names),
        provenance: [...own.certificate.provenance, provenanceOf(request)],
      },
    });
  }
  return facts;
}
