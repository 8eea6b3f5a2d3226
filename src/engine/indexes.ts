/**
 * Lookups over one model, built once (memoized per model object) so that the engine and the rules
 * stay linear in the size of the stack: tenants by domain, connectors by name and wildcard base,
 * organisations, certificates and Send connectors by organisation.
 */
import type { Certificate, InboundConnector, MailFlowModel, Organization, SendConnector, Tenant } from "../model/types";
import { isWildcard, nameMatches, wildcardBase } from "./names";

export interface ModelIndexes {
  tenantById: Map<string, Tenant>;
  /** Accepted domain (exact) → tenant. */
  tenantByDomain: Map<string, Tenant>;
  /** Accepted domain with MatchSubDomains → tenant. */
  tenantBySubDomainParent: Map<string, Tenant>;
  /** Label of `<label>.mail.protection.outlook.com` (accepted domain with dots as dashes) → tenant. */
  tenantByMxLabel: Map<string, Tenant>;
  inboundByExactName: Map<string, InboundConnector[]>;
  inboundByWildcardBase: Map<string, InboundConnector[]>;
  inboundWithWildcardNames: InboundConnector[];
  orgById: Map<string, Organization>;
  /** Server host → organisation. */
  orgByServer: Map<string, Organization>;
  /** Organisation id → organisations that relay its mail (gateways). */
  relayedBy: Map<string, Organization[]>;
  certificatesByOrg: Map<string, Certificate[]>;
  certificatesByServer: Map<string, Certificate[]>;
  sendByOrg: Map<string, SendConnector[]>;
  /** Every domain suffix of every certificate name → certificates (for wildcard patterns). */
  certificatesByNameSuffix: Map<string, Certificate[]>;
}

const cache = new WeakMap<MailFlowModel, ModelIndexes>();

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function indexesOf(model: MailFlowModel): ModelIndexes {
  let ix = cache.get(model);
  if (ix) return ix;
  ix = {
    tenantById: new Map(),
    tenantByDomain: new Map(),
    tenantBySubDomainParent: new Map(),
    tenantByMxLabel: new Map(),
    inboundByExactName: new Map(),
    inboundByWildcardBase: new Map(),
    inboundWithWildcardNames: [],
    orgById: new Map(),
    orgByServer: new Map(),
    relayedBy: new Map(),
    certificatesByOrg: new Map(),
    certificatesByServer: new Map(),
    sendByOrg: new Map(),
    certificatesByNameSuffix: new Map(),
  };
  for (const t of model.tenants) {
    ix.tenantById.set(t.id, t);
    for (const d of t.acceptedDomains) {
      if (!ix.tenantByDomain.has(d.name)) ix.tenantByDomain.set(d.name, t);
      if (d.matchSubDomains && !ix.tenantBySubDomainParent.has(d.name)) ix.tenantBySubDomainParent.set(d.name, t);
      const label = d.name.replace(/\./g, "-");
      if (!ix.tenantByMxLabel.has(label)) ix.tenantByMxLabel.set(label, t);
    }
  }
  for (const ic of model.inboundConnectors) {
    const p = ic.tlsSenderCertificateName;
    if (!p) continue;
    if (isWildcard(p)) push(ix.inboundByWildcardBase, wildcardBase(p), ic);
    else push(ix.inboundByExactName, p, ic);
  }
  for (const o of model.organizations) {
    ix.orgById.set(o.id, o);
    for (const s of o.servers) if (!ix.orgByServer.has(s)) ix.orgByServer.set(s, o);
    for (const r of o.relaysFor) push(ix.relayedBy, r, o);
  }
  for (const c of model.certificates) {
    const suffixes = new Set<string>();
    for (const n of [c.subjectCN, ...c.sanDns]) if (n && !isWildcard(n)) for (const suffix of domainSuffixes(n)) suffixes.add(suffix);
    for (const suffix of suffixes) push(ix.certificatesByNameSuffix, suffix, c);
    if (c.org) push(ix.certificatesByOrg, c.org, c);
    for (const s of c.servers) push(ix.certificatesByServer, s, c);
  }
  for (const s of model.sendConnectors) push(ix.sendByOrg, s.org, s);
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
  // A presented wildcard is matched conservatively and rarely occurs: a scan is fine.
  if (isWildcard(n)) return model.inboundConnectors.filter((ic) => ic.tlsSenderCertificateName && nameMatches(ic.tlsSenderCertificateName, n));
  const ix = indexesOf(model);
  const out = [...(ix.inboundByExactName.get(n) ?? [])];
  for (const suffix of domainSuffixes(n)) out.push(...(ix.inboundByWildcardBase.get(suffix) ?? []));
  return out;
}

/** Certificates with a name that connector pattern `pattern` accepts. */
export function certificatesMatching(model: MailFlowModel, pattern: string): Certificate[] {
  const p = pattern.toLowerCase();
  const byBase = indexesOf(model).certificatesByNameSuffix.get(wildcardBase(p)) ?? [];
  // Exact patterns and presented wildcard certificates are checked name by name.
  const wildcardCerts = model.certificates.filter((c) => [c.subjectCN, ...c.sanDns].some((n) => n && isWildcard(n)));
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
