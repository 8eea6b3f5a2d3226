/**
 * This package's descriptor resources (src/sdk/descriptors.ts): facts that PowerShell does not
 * describe — tenants, on-premises organisations, third-party gateways and external certificates.
 * The same shapes are accepted in policy configuration (src/extractors/config-facts.ts).
 */
import { normalizeThumbprint } from "../model/certificate-ref";
import { commonNameOf, lower, normalizeHostName, unique } from "../model/normalize";
import type { AcceptedDomain, Certificate, CertificateTrust } from "../model/types";
import { reader } from "./read";
import { isUnknown, provenanceOf, type Extractor, type PropertyReader, type Read, type ResourceInput } from "./types";
import type { Fact } from "../model/facts";

export const DESCRIPTOR_TYPES = {
  tenant: "pulumi-nodejs:dynamic/mailflow:Tenant",
  organization: "pulumi-nodejs:dynamic/mailflow:Organization",
  gateway: "pulumi-nodejs:dynamic/mailflow:Gateway",
  certificate: "pulumi-nodejs:dynamic/mailflow:Certificate",
} as const;

const TYPES = new Set<string>(Object.values(DESCRIPTOR_TYPES));

const TRUST = new Set<CertificateTrust>(["public", "private-ca", "self-signed"]);

const at = (path: string, key: string): string => (path ? `${path}.${key}` : key);
const hostNames = (values: readonly string[]): string[] => unique(values.map(normalizeHostName).filter((n) => n.length > 0));
const known = <T>(v: Read<T>): T | undefined => (isUnknown(v) ? undefined : v);

/** A certificate descriptor (or an inline gateway certificate at `path`) → model certificate. */
function certificateOf(read: PropertyReader, resource: ResourceInput, id: string, label: string, path = ""): Certificate {
  const subject = known(read.string(at(path, "subject")));
  const cn = subject ? commonNameOf(subject) : undefined;
  const trust = known(read.string(at(path, "trust")));
  const thumbprint = known(read.string(at(path, "thumbprint")));
  const issuer = known(read.string(at(path, "issuer")));
  const notAfter = known(read.string(at(path, "notAfter")));
  const organization = known(read.string(at(path, "organization")));
  const dnsNames = read.strings(at(path, "dnsNames"));
  return {
    id,
    label,
    ...(cn ? { subjectCN: cn, subjectDN: subject!.includes("=") ? subject! : `CN=${cn}` } : {}),
    sanDns: hostNames(dnsNames.values),
    ...(issuer ? { issuerDN: issuer } : {}),
    trust: trust && TRUST.has(trust as CertificateTrust) ? (trust as CertificateTrust) : "unknown",
    ...(thumbprint ? { thumbprint: normalizeThumbprint(thumbprint) } : {}),
    ...(notAfter ? { notAfter } : {}),
    servers: hostNames(read.strings(at(path, "servers")).values),
    services: ["SMTP"],
    ...(organization ? { org: lower(organization) } : {}),
    unknown: [...(subject === undefined ? ["names"] : []), ...(dnsNames.unknown ? ["dnsNames"] : [])],
    provenance: [provenanceOf(resource, path || undefined)],
  };
}

/** A tenant's accepted domain: a name, or { name, matchSubDomains }. Unknown → recorded and left out. */
function acceptedDomainOf(read: PropertyReader, path: string): AcceptedDomain | undefined {
  const entry = read.value(path);
  if (typeof entry === "string") return { name: normalizeHostName(entry), matchSubDomains: false };
  if (entry === null || typeof entry !== "object" || isUnknown(entry)) return undefined;
  const name = known(read.string(at(path, "name")));
  if (!name) return undefined;
  // An unknown MatchSubDomains is taken as false: the narrower reading, recorded as unverifiable.
  return { name: normalizeHostName(name), matchSubDomains: read.bool(at(path, "matchSubDomains")) === true };
}

function tenantFacts(resource: ResourceInput, read: PropertyReader): Fact[] {
  const subject = `tenant '${resource.name}'`;
  const initialDomain = known(read.string("initialDomain"));
  if (!initialDomain) return read.unverifiable(subject);
  const domainPaths = known(read.items("acceptedDomains")) ?? [];
  const acceptedDomains = domainPaths.flatMap((p) => acceptedDomainOf(read, p) ?? []);
  // A list with an unknown entry is not complete as far as the pack can tell.
  const complete = read.bool("acceptedDomainsComplete") === true && !read.isUnknownAt("acceptedDomains");
  const tenant: Fact = { kind: "tenant", tenant: lower(initialDomain), initialDomain, acceptedDomains, complete, provenance: provenanceOf(resource) };
  return [...read.unverifiable(subject), tenant];
}

/** The `name` input of an organisation or gateway; the resource name when absent or unknown (recorded). */
const nameOf = (resource: ResourceInput, read: PropertyReader): string => known(read.name("name")) ?? resource.name;

function organizationFacts(resource: ResourceInput, read: PropertyReader): Fact[] {
  const name = nameOf(resource, read);
  const tenant = known(read.string("tenant"));
  const organization: Fact = {
    kind: "organization",
    organization: {
      id: lower(name),
      name,
      kind: read.string("kind") === "edge" ? "edge" : "exchange",
      servers: hostNames(read.strings("servers").values),
      egressIps: read.strings("egressIps").values,
      sharedEgress: read.bool("sharedEgress") === true,
      domains: hostNames(read.strings("domains").values),
      ...(tenant ? { tenant } : {}),
    },
    provenance: provenanceOf(resource),
  };
  // Read everything before collecting what could not be read.
  return [...read.unverifiable(`organisation '${name}'`), organization];
}

/** One gateway connector (at `path`): its Send connector and, when inline, its certificate. */
function gatewayConnectorFacts(resource: ResourceInput, read: PropertyReader, gateway: { name: string; org: string }, path: string, index: number): Fact[] {
  if (isUnknown(read.value(path))) return [];
  const cname = known(read.name(at(path, "name"))) ?? `connector ${index + 1}`;
  const facts: Fact[] = [];
  const certificateIds: string[] = [];
  const certificatePath = at(path, "certificate");
  const cert = read.value(certificatePath);
  if (typeof cert === "string") certificateIds.push(cert);
  else if (cert !== null && typeof cert === "object" && !isUnknown(cert)) {
    const id = `${resource.urn}#${cname}`;
    facts.push({ kind: "certificate", certificate: { ...certificateOf(read, resource, id, `${gateway.name} / ${cname}`, certificatePath), org: gateway.org } });
    certificateIds.push(id);
  }
  const dnsRouting = read.bool(at(path, "dnsRouting"));
  const smartHosts = read.strings(at(path, "smartHosts"));
  const egressIps = read.strings(at(path, "egressIps"));
  // Fields whose input is unknown, as the Send connector fact names them. Not addressSpaces: the model
  // reads an unknown addressSpaces as "created outside the stack"; the unverifiable fact says why.
  const unknown = [...(smartHosts.unknown ? ["smartHosts"] : []), ...(isUnknown(dnsRouting) ? ["dnsRoutingEnabled"] : []), ...(egressIps.unknown ? ["egressIps"] : []), ...(isUnknown(cert) ? ["certificateIds"] : [])];
  facts.push({
    kind: "send-connector",
    op: "new",
    org: gateway.org,
    identity: cname,
    fields: {
      addressSpaces: read.strings(at(path, "addressSpaces")).values,
      smartHosts: hostNames(smartHosts.values),
      ...(typeof dnsRouting === "boolean" ? { dnsRoutingEnabled: dnsRouting } : {}),
      egressIps: egressIps.values,
      certificateIds,
    },
    unknown,
    provenance: provenanceOf(resource, path),
  });
  return facts;
}

function gatewayFacts(resource: ResourceInput, read: PropertyReader): Fact[] {
  const name = nameOf(resource, read);
  const gateway = { name, org: lower(name) };
  const connectorFacts = (known(read.items("connectors")) ?? []).flatMap((path, i) => gatewayConnectorFacts(resource, read, gateway, path, i));
  const organization: Fact = {
    kind: "organization",
    organization: {
      id: gateway.org,
      name,
      kind: "gateway",
      servers: hostNames(read.strings("servers").values),
      egressIps: read.strings("egressIps").values,
      sharedEgress: read.bool("sharedEgress") === true,
      domains: hostNames(read.strings("domains").values),
      relaysFor: read.strings("relaysFor").values,
    },
    provenance: provenanceOf(resource),
  };
  return [...read.unverifiable(`gateway '${name}'`), organization, ...connectorFacts];
}

function certificateFacts(resource: ResourceInput, read: PropertyReader): Fact[] {
  const certificate = certificateOf(read, resource, resource.urn, resource.name);
  return [...read.unverifiable(`certificate '${resource.name}'`), { kind: "certificate", certificate }];
}

const BY_TYPE: Record<string, (resource: ResourceInput, read: PropertyReader) => Fact[]> = {
  [DESCRIPTOR_TYPES.tenant]: tenantFacts,
  [DESCRIPTOR_TYPES.organization]: organizationFacts,
  [DESCRIPTOR_TYPES.gateway]: gatewayFacts,
  [DESCRIPTOR_TYPES.certificate]: certificateFacts,
};

function extract(resource: ResourceInput): Fact[] {
  return BY_TYPE[resource.type]?.(resource, reader(resource)) ?? [];
}

export const descriptorExtractor: Extractor = {
  name: "descriptor",
  appliesTo: (type) => TYPES.has(type),
  extract,
};
