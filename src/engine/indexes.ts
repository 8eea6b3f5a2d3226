/**
 * Lookups over one model (memoized per model object) so that the engine and the rules stay linear in
 * the size of the stack: tenants by domain, connectors by name and wildcard base, organisations,
 * certificates and Send connectors by organisation. A model that grows one resource at a time keeps
 * one set of lookups up to date instead (`MaintainedIndexes`): only the entities a resource changed
 * are indexed again. The index kinds, their shape and how entities are filed live beside this file.
 */
import type { EntityKind } from "../model/build";
import type { Certificate, InboundConnector, MailFlowModel, Tenant } from "../model/types";
import { domainSuffixes, fileEntity } from "./index-filing";
import { emptyIndexes, type ModelIndexes } from "./index-shape";
import type { Filing, Order } from "./index-structures";
import { isWildcard, nameMatches, wildcardBase } from "./names";

export { certificateDnKey, certificateKey, dnKey, domainSuffixes } from "./index-filing";

/** Entities in model order, each once: answers gathered through several lookups, put back in order. */
export function inModelOrder<E extends object>(model: MailFlowModel, entities: readonly E[]): E[] {
  if (entities.length <= 1) return [...entities];
  const ix = indexesOf(model);
  return [...new Set(entities)].sort((a, b) => ix.orderOf(a) - ix.orderOf(b));
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
