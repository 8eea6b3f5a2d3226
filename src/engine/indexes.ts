/**
 * Lookups over one model, built once (memoized per model object) so that the engine and the rules
 * stay linear in the size of the stack: tenants by domain, connectors by name and wildcard base,
 * organisations, certificates and Send connectors by organisation.
 */
/**
 * Lookups over one model (memoized per model object) so that the engine and the rules stay linear in
 * the size of the stack: tenants by domain, connectors by name and wildcard base, organisations,
 * certificates and Send connectors by organisation. A model that grows one resource at a time keeps
 * one set of lookups up to date instead (`MaintainedIndexes`): only the entities a resource changed
 * are indexed again.
 */
import { thumbprintLookup } from "../model/certificate-ref";
import { normalizeDn } from "../model/normalize";
import type { EntityKind } from "../model/build";
import { UNKNOWN_ORG, UNNAMED_ORG, type Certificate, type HybridConfiguration, type InboundConnector, type MailFlowModel, type Organization, type SendConnector, type Tenant } from "../model/types";
import { isWildcard, nameMatches, wildcardBase } from "./names";

type Order = (e: object) => number;

/** An index an entity can be filed under and taken out of. */
interface Filing {
  add(key: string, e: object): void;
  remove(key: string, e: object): void;
}

/** Entities under keys, each list in model order, so that every answer is the one a rebuilt model gives. */
export class MultiIndex<E extends object> implements Filing {
  private readonly lists = new Map<string, E[]>();
  constructor(private readonly orderOf: Order) {}

  get(key: string): E[] | undefined {
    return this.lists.get(key);
  }

  has(key: string): boolean {
    return this.lists.has(key);
  }

  add(key: string, entity: object): void {
    const e = entity as E;
    const list = this.lists.get(key);
    if (!list) {
      this.lists.set(key, [e]);
      return;
    }
    const order = this.orderOf(e);
    let at = list.length;
    while (at > 0 && this.orderOf(list[at - 1]!) > order) at--;
    list.splice(at, 0, e);
  }

  remove(key: string, e: object): void {
    const list = this.lists.get(key);
    if (!list) return;
    const at = list.indexOf(e as E);
    if (at >= 0) list.splice(at, 1);
    if (list.length === 0) this.lists.delete(key);
  }
}

/** One entity per key: the first in model order (`last`: the last), as a map filled in model order keeps it. */
export class PickIndex<E extends object> implements Filing {
  private readonly all: MultiIndex<E>;
  constructor(orderOf: Order, private readonly pick: "first" | "last" = "first") {
    this.all = new MultiIndex<E>(orderOf);
  }

  get(key: string): E | undefined {
    const list = this.all.get(key);
    return list && (this.pick === "first" ? list[0] : list[list.length - 1]);
  }

  has(key: string): boolean {
    return this.all.has(key);
  }

  add(key: string, e: object): void {
    this.all.add(key, e as E);
  }

  remove(key: string, e: object): void {
    this.all.remove(key, e as E);
  }
}

export interface ModelIndexes {
  tenantById: PickIndex<Tenant>;
  /** Accepted domain (exact) → tenant. */
  tenantByDomain: PickIndex<Tenant>;
  /** Accepted domain with MatchSubDomains → tenant. */
  tenantBySubDomainParent: PickIndex<Tenant>;
  /** Label of `<label>.mail.protection.outlook.com` (accepted domain with dots as dashes) → tenant. */
  tenantByMxLabel: PickIndex<Tenant>;
  inboundByExactName: MultiIndex<InboundConnector>;
  inboundByWildcardBase: MultiIndex<InboundConnector>;
  orgById: PickIndex<Organization>;
  /** Server host → organisation. */
  orgByServer: PickIndex<Organization>;
  /** Organisation id → organisations that relay its mail (gateways). */
  relayedBy: MultiIndex<Organization>;
  certificatesByOrg: MultiIndex<Certificate>;
  certificatesByServer: MultiIndex<Certificate>;
  sendByOrg: MultiIndex<SendConnector>;
  /** Every domain suffix of every certificate name → certificates (for wildcard patterns). */
  certificatesByNameSuffix: MultiIndex<Certificate>;
  /** Certificates by id, by thumbprint (the last described wins) and by issuer|subject. */
  certificateById: PickIndex<Certificate>;
  certificateByThumbprint: PickIndex<Certificate>;
  certificatesByDn: MultiIndex<Certificate>;
  /** Certificates with a wildcard name (matched name by name, not through suffixes). */
  wildcardCertificates: MultiIndex<Certificate>;
  /** Organisations the stack names (not a placeholder for a silent script). */
  namedOrganizations: MultiIndex<Organization>;
  /** Model order of an entity: answers found through lookups are put back in it. */
  orderOf: Order;
  // Reverse lookups, for rules that answer for one entity (the resource pass).
  /** Certificates by identity key (thumbprint, else issuer|subject, else id). */
  certificatesByKey: MultiIndex<Certificate>;
  /** Every organisation listing a server (not only the first). */
  orgsByServer: MultiIndex<Organization>;
  /** Send connectors by issuer|subject of their TlsCertificateName. */
  sendByDn: MultiIndex<SendConnector>;
  /** Send connectors by certificate reference (id, or upper-case thumbprint). */
  sendByCertRef: MultiIndex<SendConnector>;
  sendBySourceServer: MultiIndex<SendConnector>;
  sendBySmartHost: MultiIndex<SendConnector>;
  /** Send connectors by every domain suffix of every address space. */
  sendByAddressSuffix: MultiIndex<SendConnector>;
  /** Send connectors by every domain suffix of their FQDN. */
  sendByFqdnSuffix: MultiIndex<SendConnector>;
  /** Inbound connectors by every domain suffix of their pattern's base (what a wildcard above it covers). */
  inboundByNameSuffix: MultiIndex<InboundConnector>;
  inboundByTenant: MultiIndex<InboundConnector>;
  /** Inbound connectors by the resources in their provenance. */
  inboundByUrn: MultiIndex<InboundConnector>;
  hybridConfigurationByOrg: PickIndex<HybridConfiguration>;
  /** Inbound connectors with sender IP addresses (key ""). */
  inboundWithSenderIps: MultiIndex<InboundConnector>;
}

function emptyIndexes(orderOf: Order): ModelIndexes {
  const multi = () => new MultiIndex<never>(orderOf);
  const first = () => new PickIndex<never>(orderOf);
  return {
    tenantById: first(),
    tenantByDomain: first(),
    tenantBySubDomainParent: first(),
    tenantByMxLabel: first(),
    inboundByExactName: multi(),
    inboundByWildcardBase: multi(),
    orgById: first(),
    orgByServer: first(),
    relayedBy: multi(),
    certificatesByOrg: multi(),
    certificatesByServer: multi(),
    sendByOrg: multi(),
    certificatesByNameSuffix: multi(),
    certificateById: new PickIndex<never>(orderOf, "last"),
    certificateByThumbprint: new PickIndex<never>(orderOf, "last"),
    certificatesByDn: multi(),
    wildcardCertificates: multi(),
    namedOrganizations: multi(),
    orderOf,
    certificatesByKey: multi(),
    orgsByServer: multi(),
    sendByDn: multi(),
    sendByCertRef: multi(),
    sendBySourceServer: multi(),
    sendBySmartHost: multi(),
    sendByAddressSuffix: multi(),
    sendByFqdnSuffix: multi(),
    inboundByNameSuffix: multi(),
    inboundByTenant: multi(),
    inboundByUrn: multi(),
    hybridConfigurationByOrg: first(),
    inboundWithSenderIps: multi(),
  };
}

/** Entities in model order, each once: answers gathered through several lookups, put back in order. */
export function inModelOrder<E extends object>(model: MailFlowModel, entities: readonly E[]): E[] {
  if (entities.length <= 1) return [...entities];
  const ix = indexesOf(model);
  return [...new Set(entities)].sort((a, b) => ix.orderOf(a) - ix.orderOf(b));
}

/** Identity key of a certificate: thumbprint, else issuer+subject, else id. Same key = same certificate to EXO. */
export function certificateKey(c: Certificate): string {
  if (c.thumbprint) return `thumbprint:${c.thumbprint.toUpperCase()}`;
  if (c.issuerDN && c.subjectDN) return `dn:${c.issuerDN.toLowerCase()}|${c.subjectDN.toLowerCase()}`;
  return `id:${c.id}`;
}

/** issuer|subject as Exchange compares a certificate identifier. */
export const dnKey = (issuer: string, subject: string): string => `${normalizeDn(issuer)}|${normalizeDn(subject)}`;

/** The identifier a TlsCertificateName must name to select `c`, when its issuer is known. */
export function certificateDnKey(c: Certificate): string | undefined {
  const subject = c.subjectDN ?? (c.subjectCN ? `CN=${c.subjectCN}` : undefined);
  return subject && c.issuerDN ? dnKey(c.issuerDN, subject) : undefined;
}

const PLACEHOLDER_ORGS = new Set([UNNAMED_ORG, UNKNOWN_ORG]);

/** Files one entity under every key it is found by, per its kind: the one description of every lookup. */
function fileEntity(ix: ModelIndexes, e: object, kind: EntityKind, at: (index: Filing, key: string) => void): void {
  switch (kind) {
    case "tenant": {
      const t = e as Tenant;
      at(ix.tenantById, t.id);
      for (const d of t.acceptedDomains) {
        at(ix.tenantByDomain, d.name);
        if (d.matchSubDomains) at(ix.tenantBySubDomainParent, d.name);
        at(ix.tenantByMxLabel, d.name.replace(/\./g, "-"));
      }
      break;
    }
    case "inbound": {
      const ic = e as InboundConnector;
      const p = ic.tlsSenderCertificateName;
      if (p) {
        at(isWildcard(p) ? ix.inboundByWildcardBase : ix.inboundByExactName, wildcardBase(p));
        for (const suffix of domainSuffixes(wildcardBase(p))) at(ix.inboundByNameSuffix, suffix);
      }
      at(ix.inboundByTenant, ic.tenant);
      if (ic.senderIpAddresses.length > 0) at(ix.inboundWithSenderIps, "");
      for (const urn of new Set(ic.provenance.map((q) => q.urn))) at(ix.inboundByUrn, urn);
      break;
    }
    case "organization": {
      const o = e as Organization;
      at(ix.orgById, o.id);
      for (const s of o.servers) {
        at(ix.orgByServer, s);
        at(ix.orgsByServer, s);
      }
      for (const r of o.relaysFor) at(ix.relayedBy, r);
      if (!PLACEHOLDER_ORGS.has(o.id)) at(ix.namedOrganizations, "");
      break;
    }
    case "certificate": {
      const c = e as Certificate;
      const suffixes = new Set<string>();
      for (const n of [c.subjectCN, ...c.sanDns]) if (n && !isWildcard(n)) for (const suffix of domainSuffixes(n)) suffixes.add(suffix);
      for (const suffix of suffixes) at(ix.certificatesByNameSuffix, suffix);
      if ([c.subjectCN, ...c.sanDns].some((n) => n && isWildcard(n))) at(ix.wildcardCertificates, "");
      if (c.org) at(ix.certificatesByOrg, c.org);
      for (const s of new Set(c.servers)) at(ix.certificatesByServer, s);
      at(ix.certificateById, c.id);
      if (c.thumbprint) at(ix.certificateByThumbprint, c.thumbprint.toUpperCase());
      const dn = certificateDnKey(c);
      if (dn) at(ix.certificatesByDn, dn);
      at(ix.certificatesByKey, certificateKey(c));
      break;
    }
    case "send": {
      const sc = e as SendConnector;
      at(ix.sendByOrg, sc.org);
      if (sc.tlsCertificateName) at(ix.sendByDn, dnKey(sc.tlsCertificateName.issuer, sc.tlsCertificateName.subject));
      const refs = new Set<string>();
      for (const id of sc.certificateIds) refs.add(id).add(thumbprintLookup(id));
      for (const ref of refs) at(ix.sendByCertRef, ref);
      for (const server of new Set(sc.sourceTransportServers)) at(ix.sendBySourceServer, server);
      for (const host of new Set(sc.smartHosts)) at(ix.sendBySmartHost, host);
      const spaces = new Set<string>();
      for (const space of sc.addressSpaces) for (const suffix of domainSuffixes(space)) spaces.add(suffix);
      for (const suffix of spaces) at(ix.sendByAddressSuffix, suffix);
      if (sc.fqdn) for (const suffix of domainSuffixes(sc.fqdn)) at(ix.sendByFqdnSuffix, suffix);
      break;
    }
    case "hybrid-configuration":
      at(ix.hybridConfigurationByOrg, (e as HybridConfiguration).org);
      break;
  }
}

/** Lookups kept up to date as a model grows: `update` indexes again only what changed. */
export class MaintainedIndexes {
  readonly ix: ModelIndexes;
  private readonly filed = new Map<object, Array<[Filing, string]>>();

  constructor(private readonly kindOf: (e: object) => EntityKind | undefined, orderOf: Order) {
    this.ix = emptyIndexes(orderOf);
  }

  /** `changed`: entities changed or removed (a removed entity has no kind any more). */
  update(changed: Iterable<object>): void {
    for (const e of changed) {
      for (const [index, key] of this.filed.get(e) ?? []) index.remove(key, e);
      this.filed.delete(e);
      const kind = this.kindOf(e);
      if (!kind) continue;
      const keys: Array<[Filing, string]> = [];
      fileEntity(this.ix, e, kind, (index, key) => {
        index.add(key, e);
        keys.push([index, key]);
      });
      this.filed.set(e, keys);
    }
  }

  /** Serves these lookups for `model` (a view of the growing model). */
  adopt(model: MailFlowModel): void {
    cache.set(model, this.ix);
  }
}

const cache = new WeakMap<MailFlowModel, ModelIndexes>();

const ENTITY_LISTS: Array<[keyof MailFlowModel, EntityKind]> = [
  ["tenants", "tenant"],
  ["inboundConnectors", "inbound"],
  ["organizations", "organization"],
  ["certificates", "certificate"],
  ["sendConnectors", "send"],
  ["hybridConfigurations", "hybrid-configuration"],
];

export function indexesOf(model: MailFlowModel): ModelIndexes {
  let ix = cache.get(model);
  if (ix) return ix;
  // A model built at once: its lists are in model order, and nothing is filed again.
  const order = new Map<object, number>();
  for (const [list] of ENTITY_LISTS) (model[list] as object[]).forEach((e, i) => order.set(e, i));
  ix = emptyIndexes((e) => order.get(e) ?? Number.MAX_SAFE_INTEGER);
  for (const [list, kind] of ENTITY_LISTS) for (const e of model[list] as object[]) fileEntity(ix, e, kind, (index, key) => index.add(key, e));
  cache.set(model, ix);
  return ix;
}

/** `a.b.c` → `a.b.c`, `b.c`, `c`. */
export function* domainSuffixes(name: string): Generator<string> {
  let rest = name;
  for (;;) {
    yield rest;
    const dot = rest.indexOf(".");
    if (dot < 0) return;
    rest = rest.slice(dot + 1);
  }
}

/** Inbound connectors (any tenant, any type, enabled or not) whose TlsSenderCertificateName accepts `name`. */
export function connectorsAccepting(model: MailFlowModel, name: string): InboundConnector[] {
  const n = name.toLowerCase();
  const ix = indexesOf(model);
  if (isWildcard(n)) {
    // A presented wildcard `*.c` (matched conservatively, see nameMatches) meets the patterns at or under
    // `c` and the wildcards that cover `c`: looked up, never scanned (200 presented wildcards × every
    // connector made the resource pass quadratic).
    const base = wildcardBase(n);
    const candidates = new Set(ix.inboundByNameSuffix.get(base) ?? []);
    for (const suffix of domainSuffixes(base)) for (const ic of ix.inboundByWildcardBase.get(suffix) ?? []) candidates.add(ic);
    return model.inboundConnectors.length <= candidates.size
      ? model.inboundConnectors.filter((ic) => ic.tlsSenderCertificateName && nameMatches(ic.tlsSenderCertificateName, n))
      : [...candidates].filter((ic) => ic.tlsSenderCertificateName && nameMatches(ic.tlsSenderCertificateName, n));
  }
  const out = [...(ix.inboundByExactName.get(n) ?? [])];
  for (const suffix of domainSuffixes(n)) out.push(...(ix.inboundByWildcardBase.get(suffix) ?? []));
  return out;
}

/** Certificates with a name that connector pattern `pattern` accepts. */
export function certificatesMatching(model: MailFlowModel, pattern: string): Certificate[] {
  const p = pattern.toLowerCase();
  const byBase = indexesOf(model).certificatesByNameSuffix.get(wildcardBase(p)) ?? [];
  // Exact patterns and presented wildcard certificates are checked name by name.
  const wildcardCerts = indexesOf(model).wildcardCertificates.get("") ?? [];
  return [...new Set([...byBase, ...wildcardCerts])].filter((c) => [c.subjectCN, ...c.sanDns].some((n) => n && nameMatches(p, n)));
}

/** The tenant whose accepted domains (or routing domains) contain `domain`. */
export function tenantOwningDomain(model: MailFlowModel, domain: string): Tenant | undefined {
  const ix = indexesOf(model);
  const d = domain.toLowerCase();
  const exact = ix.tenantByDomain.get(d);
  if (exact) return exact;
  for (const suffix of domainSuffixes(d)) {
    if (suffix === d) continue;
    const t = ix.tenantBySubDomainParent.get(suffix);
    if (t) return t;
  }
  return undefined;
}
