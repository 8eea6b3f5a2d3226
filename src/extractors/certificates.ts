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
import { commonNameOf, lower, unique } from "../model/normalize";
import type { Certificate, CertificateTrust } from "../model/types";
import { readPemCertificates, readPemCertificateRequest } from "./pem";
import { isUnknown, provenanceOf, type Extractor, type Fact, type ResourceInput } from "./types";

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
  cn?: unknown;
  sans?: unknown;
  trust: CertificateTrust;
  issuer?: string;
}

type Props = Record<string, unknown>;
const get = (o: unknown, ...path: string[]): unknown => path.reduce<unknown>((v, k) => (v !== null && typeof v === "object" && !isUnknown(v) ? (v as Props)[k] : undefined), o);

/** One reader per certificate resource type: where its names are and how far it is trusted. */
const READERS: Record<string, (p: Props) => Reading | undefined> = {
  [CERTIFICATE_TYPES.selfSigned]: (p) => ({ cn: get(p, "subject", "commonName"), sans: p.dnsNames, trust: "self-signed" }),
  // A CertRequest is not a certificate by itself; the LocallySignedCert made from it is.
  [CERTIFICATE_TYPES.certRequest]: () => undefined,
  [CERTIFICATE_TYPES.locallySigned]: () => ({ trust: "private-ca" }),
  // ACME CAs such as Let's Encrypt are public; a private ACME server is not visible to a resource policy.
  [CERTIFICATE_TYPES.acme]: (p) => ({ cn: p.commonName, sans: p.subjectAlternativeNames, trust: "public" }),
  [CERTIFICATE_TYPES.acm]: (p) => (p.certificateBody !== undefined && p.domainName === undefined ? undefined : { cn: p.domainName, sans: p.subjectAlternativeNames, trust: p.certificateAuthorityArn ? "private-ca" : "public" }),
  [CERTIFICATE_TYPES.keyVault]: (p) => {
    const props = get(p, "certificatePolicy", "x509CertificateProperties");
    const subject = get(props, "subject");
    const issuer = get(p, "certificatePolicy", "issuerParameters", "name");
    return {
      cn: typeof subject === "string" ? commonNameOf(subject) : subject,
      sans: get(props, "subjectAlternativeNames", "dnsNames"),
      // issuerParameters.name: "Self" = self-signed; "Unknown" = an external CA (Let's Encrypt, or an
      // enterprise CA: trust not knowable); otherwise an issuer Key Vault integrates with (public CAs).
      trust: issuer === "Self" ? "self-signed" : issuer === "Unknown" || issuer === undefined ? "unknown" : "public",
    };
  },
  [CERTIFICATE_TYPES.certManager]: (p) => certManager(p.spec),
  [CERTIFICATE_TYPES.customResource]: (p) => (p.apiVersion === "cert-manager.io/v1" && p.kind === "Certificate" ? certManager(p.spec) : undefined),
};

function certManager(spec: unknown): Reading {
  const issuer = get(spec, "issuerRef", "name");
  // Only an ACME (Let's Encrypt) issuer is known to be public; anything else may be a private CA.
  const trust: CertificateTrust = typeof issuer === "string" && /letsencrypt|acme/i.test(issuer) ? "public" : "unknown";
  return { cn: get(spec, "commonName"), sans: get(spec, "dnsNames"), trust, ...(typeof issuer === "string" ? { issuer } : {}) };
}

const SECRET_KEY = /key|password|secret|pfx|pkcs12|token|credential/i;

/** PEM certificates anywhere in the inputs (not under secret-looking keys), with their path. */
function pemInputs(props: Props): Array<{ path: string; pem: string }> {
  const out: Array<{ path: string; pem: string }> = [];
  const walk = (v: unknown, path: string, depth: number) => {
    if (depth > 8 || isUnknown(v)) return;
    if (typeof v === "string") {
      if (v.includes("-----BEGIN CERTIFICATE-----")) out.push({ path, pem: v });
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, `${path}[${i}]`, depth + 1));
    } else if (v !== null && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) if (!SECRET_KEY.test(k) && k !== "caCertPem") walk(x, path ? `${path}.${k}` : k, depth + 1);
    }
  };
  walk(props, "", 0);
  return out;
}

function names(v: unknown): { names: string[]; unknown: boolean } {
  if (isUnknown(v)) return { names: [], unknown: true };
  if (typeof v === "string") return { names: [lower(v)], unknown: false };
  if (Array.isArray(v)) return { names: v.filter((x): x is string => typeof x === "string").map(lower), unknown: v.some(isUnknown) };
  return { names: [], unknown: false };
}

function fromReading(resource: ResourceInput, reading: Reading): Fact[] {
  const cn = names(reading.cn);
  const sans = names(reading.sans);
  const unknown = [...(cn.unknown ? ["commonName"] : []), ...(sans.unknown ? ["dnsNames"] : [])];
  const facts: Fact[] = unknown.map((property) => ({
    kind: "unverifiable" as const,
    item: { subject: `certificate '${resource.name}'`, property, reason: "unknown during preview", provenance: provenanceOf(resource, property) },
  }));
  const certificate: Certificate = {
    id: resource.urn,
    label: resource.name,
    ...(cn.names[0] ? { subjectCN: cn.names[0], subjectDN: `CN=${cn.names[0]}` } : {}),
    sanDns: unique(sans.names),
    ...(reading.issuer ? { issuerDN: reading.issuer } : {}),
    trust: reading.trust,
    servers: [],
    services: [],
    unknown,
    provenance: [provenanceOf(resource)],
  };
  return [...facts, { kind: "certificate", certificate }];
}

function extract(resource: ResourceInput): Fact[] {
  const reader = READERS[resource.type];
  const reading = reader?.(resource.props);
  const facts: Fact[] = reading ? fromReading(resource, reading) : [];
  // A LocallySignedCert's names are in the CSR it signs.
  if (resource.type === CERTIFICATE_TYPES.locallySigned) {
    const csr = resource.props.certRequestPem;
    const request = typeof csr === "string" ? readPemCertificateRequest(csr) : undefined;
    const cert = facts.find((f): f is Extract<Fact, { kind: "certificate" }> => f.kind === "certificate");
    if (cert && request) Object.assign(cert.certificate, { subjectCN: request.subjectCN, subjectDN: request.subjectDN, sanDns: request.sanDns });
    else if (cert) cert.certificate.unknown.push("names");
  }
  // Any PEM certificate in the inputs (imported certificates, ACM certificateBody, …).
  if (!reading || resource.type === CERTIFICATE_TYPES.acm) {
    for (const { path, pem } of pemInputs(resource.props)) {
      const read = readPemCertificates(pem);
      if (read.kind === "error") {
        facts.push({ kind: "unverifiable", item: { subject: `resource '${resource.name}'`, property: path, reason: read.reason, provenance: provenanceOf(resource, path.split(/[.[]/)[0]) } });
        continue;
      }
      const leaf = read.certificates[0]!;
      facts.push({ kind: "certificate", certificate: { ...leaf, id: `${resource.urn}#${path}`, label: `${resource.name} (${path})`, provenance: [provenanceOf(resource, path.split(/[.[]/)[0])] } });
    }
  }
  return facts;
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
    if (r.type !== CERTIFICATE_TYPES.locallySigned || typeof r.props.certRequestPem === "string") continue;
    const request = [...(r.propertyDependencies.certRequestPem ?? []), ...r.dependencies].map((u) => byUrn.get(u)).find((x) => x?.type === CERTIFICATE_TYPES.certRequest);
    if (!request) continue;
    const own = extract(r).find((f): f is Extract<Fact, { kind: "certificate" }> => f.kind === "certificate");
    if (!own) continue;
    const cn = names(get(request.props, "subject", "commonName"));
    const sans = names(request.props.dnsNames);
    facts.push({
      kind: "certificate",
      certificate: {
        ...own.certificate,
        ...(cn.names[0] ? { subjectCN: cn.names[0], subjectDN: `CN=${cn.names[0]}` } : {}),
        sanDns: sans.names,
        unknown: [...(cn.unknown ? ["commonName"] : []), ...(sans.unknown ? ["dnsNames"] : [])],
        provenance: [...own.certificate.provenance, provenanceOf(request)],
      },
    });
  }
  return facts;
}
