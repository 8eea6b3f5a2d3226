/**
 * This package's descriptor resources (src/sdk/descriptors.ts): facts that PowerShell does not
 * describe — tenants, on-premises organisations, third-party gateways and external certificates.
 * The same shapes are accepted in policy configuration (src/config/facts.ts).
 */
import { commonNameOf, lower } from "../model/normalize";
import type { Certificate, CertificateTrust } from "../model/types";
import { isUnknown, provenanceOf, type Extractor, type Fact, type ResourceInput } from "./types";

export const DESCRIPTOR_TYPES = {
  tenant: "pulumi-nodejs:dynamic/mailflow:Tenant",
  organization: "pulumi-nodejs:dynamic/mailflow:Organization",
  gateway: "pulumi-nodejs:dynamic/mailflow:Gateway",
  certificate: "pulumi-nodejs:dynamic/mailflow:Certificate",
} as const;

const TYPES = new Set<string>(Object.values(DESCRIPTOR_TYPES));

class Reader {
  readonly facts: Fact[] = [];
  constructor(private readonly resource: ResourceInput, private readonly subject: string) {}

  private unknown(path: string, reason = "unknown during preview"): undefined {
    this.facts.push({ kind: "unverifiable", item: { subject: this.subject, property: path, reason, provenance: provenanceOf(this.resource, path.split(/[.[]/)[0]) } });
    return undefined;
  }

  string(obj: Record<string, unknown>, key: string, path = key): string | undefined {
    const v = obj[key];
    if (isUnknown(v)) return this.unknown(path);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "string") return this.unknown(path, "not a text value");
    return v;
  }

  bool(obj: Record<string, unknown>, key: string, path = key): boolean | undefined {
    const v = obj[key];
    if (isUnknown(v)) return this.unknown(path);
    return typeof v === "boolean" ? v : undefined;
  }

  strings(obj: Record<string, unknown>, key: string, path = key): string[] {
    const v = obj[key];
    if (isUnknown(v)) return this.unknown(path) ?? [];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) return this.unknown(path, "not a list") ?? [];
    const out: string[] = [];
    v.forEach((item, i) => {
      if (typeof item === "string") out.push(item);
      else if (isUnknown(item)) this.unknown(`${path}[${i}]`);
    });
    return out;
  }

  objects(obj: Record<string, unknown>, key: string): Array<Record<string, unknown>> {
    const v = obj[key];
    if (isUnknown(v)) return this.unknown(key) ?? [];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) return this.unknown(key, "not a list") ?? [];
    return v.filter((x): x is Record<string, unknown> => x !== null && typeof x === "object" && !isUnknown(x));
  }
}

const TRUST = new Set<CertificateTrust>(["public", "private-ca", "self-signed"]);

/** A certificate descriptor (or an inline gateway certificate) → model certificate. */
function certificateOf(r: Reader, resource: ResourceInput, props: Record<string, unknown>, id: string, label: string, path = ""): Certificate {
  const p = (k: string) => (path ? `${path}.${k}` : k);
  const subject = r.string(props, "subject", p("subject"));
  const cn = subject ? commonNameOf(subject) : undefined;
  const trust = r.string(props, "trust", p("trust"));
  const thumbprint = r.string(props, "thumbprint", p("thumbprint"));
  const issuer = r.string(props, "issuer", p("issuer"));
  const notAfter = r.string(props, "notAfter", p("notAfter"));
  const organization = r.string(props, "organization", p("organization"));
  return {
    id,
    label,
    ...(cn ? { subjectCN: cn, subjectDN: subject!.includes("=") ? subject! : `CN=${cn}` } : {}),
    sanDns: r.strings(props, "dnsNames", p("dnsNames")).map(lower),
    ...(issuer ? { issuerDN: issuer } : {}),
    trust: trust && TRUST.has(trust as CertificateTrust) ? (trust as CertificateTrust) : "unknown",
    ...(thumbprint ? { thumbprint: thumbprint.replace(/\s+/g, "").toUpperCase() } : {}),
    ...(notAfter ? { notAfter } : {}),
    servers: r.strings(props, "servers", p("servers")).map(lower),
    services: ["SMTP"],
    ...(organization ? { org: lower(organization) } : {}),
    unknown: subject === undefined ? ["names"] : [],
    provenance: [provenanceOf(resource, path || undefined)],
  };
}

function extract(resource: ResourceInput): Fact[] {
  const props = resource.props;
  const name = typeof props.name === "string" ? props.name : resource.name;
  switch (resource.type) {
    case DESCRIPTOR_TYPES.tenant: {
      const r = new Reader(resource, `tenant '${name}'`);
      const initialDomain = r.string(props, "initialDomain");
      if (!initialDomain) return r.facts;
      const raw = props.acceptedDomains;
      const acceptedDomains = Array.isArray(raw)
        ? raw.flatMap((d) => (typeof d === "string" ? [{ name: lower(d), matchSubDomains: false }] : d && typeof d === "object" && typeof (d as { name?: unknown }).name === "string" ? [{ name: lower((d as { name: string }).name), matchSubDomains: (d as { matchSubDomains?: unknown }).matchSubDomains === true }] : []))
        : [];
      if (isUnknown(raw)) r.string(props, "acceptedDomains");
      const tenant: Fact = { kind: "tenant", tenant: lower(initialDomain), initialDomain, acceptedDomains, complete: r.bool(props, "acceptedDomainsComplete") === true, provenance: provenanceOf(resource) };
      return [...r.facts, tenant];
    }
    case DESCRIPTOR_TYPES.organization: {
      const r = new Reader(resource, `organisation '${name}'`);
      const kind = r.string(props, "kind") === "edge" ? "edge" : "exchange";
      const tenant = r.string(props, "tenant");
      const organization: Fact = {
        kind: "organization",
        organization: {
          id: lower(name),
          name,
          kind,
          servers: r.strings(props, "servers"),
          egressIps: r.strings(props, "egressIps"),
          sharedEgress: r.bool(props, "sharedEgress") === true,
          domains: r.strings(props, "domains"),
          ...(tenant ? { tenant } : {}),
        },
        provenance: provenanceOf(resource),
      };
      // Read everything before collecting what could not be read.
      return [...r.facts, organization];
    }
    case DESCRIPTOR_TYPES.gateway: {
      const r = new Reader(resource, `gateway '${name}'`);
      const org = lower(name);
      const facts: Fact[] = [];
      const connectors = r.objects(props, "connectors");
      connectors.forEach((c, i) => {
        const cname = typeof c.name === "string" ? c.name : `connector ${i + 1}`;
        const certificateIds: string[] = [];
        const cert = c.certificate;
        if (typeof cert === "string") certificateIds.push(cert);
        else if (isUnknown(cert)) r.string(c, "certificate", `connectors[${i}].certificate`);
        else if (cert && typeof cert === "object") {
          const id = `${resource.urn}#${cname}`;
          facts.push({ kind: "certificate", certificate: { ...certificateOf(r, resource, cert as Record<string, unknown>, id, `${name} / ${cname}`, `connectors[${i}].certificate`), org } });
          certificateIds.push(id);
        }
        const dnsRouting = r.bool(c, "dnsRouting", `connectors[${i}].dnsRouting`);
        facts.push({
          kind: "send-connector",
          op: "new",
          org,
          identity: cname,
          fields: {
            addressSpaces: r.strings(c, "addressSpaces", `connectors[${i}].addressSpaces`),
            smartHosts: r.strings(c, "smartHosts", `connectors[${i}].smartHosts`),
            ...(dnsRouting !== undefined ? { dnsRoutingEnabled: dnsRouting } : {}),
            egressIps: r.strings(c, "egressIps", `connectors[${i}].egressIps`),
            certificateIds,
          },
          unknown: [],
          provenance: provenanceOf(resource, `connectors[${i}]`),
        });
      });
      const organization: Fact = {
        kind: "organization",
        organization: {
          id: org,
          name,
          kind: "gateway",
          servers: r.strings(props, "servers"),
          egressIps: r.strings(props, "egressIps"),
          sharedEgress: r.bool(props, "sharedEgress") === true,
          domains: r.strings(props, "domains"),
          relaysFor: r.strings(props, "relaysFor"),
        },
        provenance: provenanceOf(resource),
      };
      return [...r.facts, organization, ...facts];
    }
    case DESCRIPTOR_TYPES.certificate: {
      const r = new Reader(resource, `certificate '${resource.name}'`);
      const cert = certificateOf(r, resource, props, resource.urn, resource.name);
      return [...r.facts, { kind: "certificate", certificate: cert }];
    }
    default:
      return [];
  }
}

export const descriptorExtractor: Extractor = {
  name: "descriptor",
  appliesTo: (type) => TYPES.has(type),
  extract,
};
