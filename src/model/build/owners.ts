/**
 * Owners: tenants (Exchange Online) and on-premises organisations. Which owner a script acts on when
 * it names none (the stack's only one, or configuration), servers an organisation descriptor claims,
 * and the facts that describe owners (tenant, accepted domain, organisation descriptor).
 */
import type { Fact } from "../facts";
import { coexistenceDomainOf, initialDomainOf, lower, unique } from "../normalize";
import {
  UNKNOWN_ORG,
  UNKNOWN_TENANT,
  UNNAMED_ORG,
  UNNAMED_TENANT,
  type Organization,
  type Provenance,
  type ReceiveConnector,
  type SendConnector,
  type Tenant,
} from "../types";
import type { BuildState, FactOf } from "./state";

/**
 * Reads what applying facts needs from all of them first: servers organisation descriptors claim,
 * and the tenants and organisations named. `incremental`: the facts come after others already
 * applied. A server they claim that earlier facts named as an organisation moves what those facts
 * stated to the claiming organisation; false (nothing learnt) when that cannot be done as if the
 * claim had been known from the start — then the model starts again from all facts.
 */
export function learn(state: BuildState, facts: readonly Fact[], incremental = false): boolean {
  const claims: Array<[string, string]> = [];
  for (const f of facts) {
    if (f.kind !== "organization" || f.organization.kind === "gateway") continue;
    for (const server of f.organization.servers ?? []) claims.push([lower(server), lower(f.organization.id)]);
  }
  if (incremental) {
    if (claims.some(([server, org]) => state.serverOrg.has(server) && state.serverOrg.get(server) !== org)) return false;
    const moves = claims.filter(([server, org]) => server !== org && !state.serverOrg.has(server) && state.unclaimedOrgRefs.has(server));
    if (moves.length > 1 || (moves.length === 1 && !moveOrganization(state, moves[0]![0], moves[0]![1]))) return false;
  }
  for (const [server, org] of claims) state.serverOrg.set(server, org);
  // A stack that names exactly one tenant (or one organisation) means it wherever a script is silent.
  for (const f of facts) {
    if (f.kind === "tenant") state.tenantNames.add(lower(f.tenant));
    if ((f.kind === "inbound-connector" || f.kind === "outbound-connector") && f.tenant) state.tenantNames.add(lower(f.tenant));
    if (f.kind === "organization" && (f.organization.kind ?? "exchange") !== "gateway") state.orgNames.add(lower(f.organization.id));
    if ((f.kind === "send-connector" || f.kind === "receive-connector") && f.org) state.orgNames.add(orgId(state, f.org));
  }
  // Owners only known at deploy time name nothing.
  state.tenantNames.delete(UNKNOWN_TENANT);
  state.orgNames.delete(UNKNOWN_ORG);
  return true;
}

/**
 * What earlier facts stated of organisation `from` (a server now claimed by `to`) becomes `to`'s:
 * its entity, Send and Receive connectors, certificates and hybrid configuration — unless two
 * entities would have to become one (which one's fields win depends on the order facts came in).
 */
function moveOrganization(state: BuildState, from: string, to: string): boolean {
  const rekeyed = (key: string): string => `${to}\u0000${key.slice(key.indexOf("\u0000") + 1)}`;
  const connectors = [state.send, state.receive] as Array<Map<string, SendConnector | ReceiveConnector>>;
  const collides =
    state.describedOrgs.has(from) ||
    (state.orgs.has(from) && state.orgs.has(to)) ||
    (state.hybridConfigurations.has(from) && state.hybridConfigurations.has(to)) ||
    connectors.some((map) => [...map].some(([key, c]) => c.org === from && map.has(rekeyed(key))));
  if (collides) return false;
  const o = state.orgs.get(from);
  if (o) {
    state.orgs.delete(from);
    state.orgs.set(to, Object.assign(o, { id: to }));
    state.note(o);
  }
  for (const map of connectors) {
    for (const [key, c] of [...map]) {
      if (c.org !== from) continue;
      map.delete(key);
      map.set(rekeyed(key), Object.assign(c, { org: to }));
      state.note(c);
    }
  }
  for (const c of state.certificates.values()) if (c.org === from) state.note(Object.assign(c, { org: to }));
  const hc = state.hybridConfigurations.get(from);
  if (hc) {
    state.hybridConfigurations.delete(from);
    state.hybridConfigurations.set(to, Object.assign(hc, { org: to }));
    state.note(hc);
  }
  if (state.orgNames.delete(from)) state.orgNames.add(to);
  state.unclaimedOrgRefs.delete(from);
  return true;
}

/** Fixes the defaults for silent scripts, once the names are learnt (whole stack) or from configuration only. */
export function settleDefaults(state: BuildState): void {
  const infer = state.options.inferDefaults ?? true;
  const only = (names: Set<string>): string | undefined => (infer && names.size === 1 ? [...names][0] : undefined);
  state.defaultTenant = lower(state.options.defaultTenant ?? only(state.tenantNames) ?? UNNAMED_TENANT);
  state.defaultOrg = lower(state.options.defaultOrganization ?? only(state.orgNames) ?? UNNAMED_ORG);
}

function tenantEntity(state: BuildState, id: string, provenance: Provenance): Tenant {
  const key = lower(id);
  let t = state.tenants.get(key);
  if (!t) {
    t = { id: key, acceptedDomains: [], acceptedDomainsComplete: false, provenance: [] };
    state.place(state.tenants, state.model.tenants, key, t, "tenant");
    const initial = initialDomainOf(key);
    if (initial) setInitialDomain(state, t, initial);
  }
  if (!t.provenance.some((p) => p.urn === provenance.urn)) t.provenance.push(provenance);
  return state.note(t, provenance);
}

/**
 * The tenant a connector belongs to: created by the first statement that names it, and otherwise
 * left as it is. A connector names its tenant but states nothing about it: every connector adding
 * itself to its tenant's provenance made each new connector re-check, and copy, all of them.
 */
export function tenantOfConnector(state: BuildState, id: string, provenance: Provenance): Tenant {
  return state.tenants.get(lower(id)) ?? tenantEntity(state, id, provenance);
}

function setInitialDomain(state: BuildState, t: Tenant, domain: string): void {
  t.initialDomain = lower(domain);
  const coexistence = coexistenceDomainOf(t.initialDomain);
  if (coexistence) t.coexistenceDomain = coexistence;
  // Both routing domains of a tenant are accepted domains of that tenant.
  addAcceptedDomain(state, t, t.initialDomain, false);
  if (coexistence) addAcceptedDomain(state, t, coexistence, false);
}

function addAcceptedDomain(state: BuildState, t: Tenant, name: string, matchSubDomains = false): void {
  const domain = lower(name);
  const existing = t.acceptedDomains.find((d) => d.name === domain);
  if (existing) existing.matchSubDomains = existing.matchSubDomains || matchSubDomains;
  else t.acceptedDomains.push({ name: domain, matchSubDomains });
}

export function orgId(state: BuildState, id: string): string {
  const key = lower(id);
  const claimed = state.serverOrg.get(key);
  if (claimed === undefined) state.unclaimedOrgRefs.add(key);
  return claimed ?? key;
}

export function organizationEntity(state: BuildState, id: string, provenance: Provenance): Organization {
  const key = orgId(state, id);
  let o = state.orgs.get(key);
  if (!o) {
    o = {
      id: key,
      name: id,
      kind: "exchange",
      servers: [],
      egressIps: [],
      sharedEgress: false,
      domains: [],
      relaysFor: [],
      provenance: [],
    };
    state.place(state.orgs, state.model.organizations, key, o, "organization");
  }
  if (!o.provenance.some((p) => p.urn === provenance.urn)) o.provenance.push(provenance);
  return state.note(o, provenance);
}

export function applyTenant(state: BuildState, fact: FactOf<"tenant">): void {
  const t = tenantEntity(state, fact.tenant, fact.provenance);
  if (fact.initialDomain) setInitialDomain(state, t, fact.initialDomain);
  for (const d of fact.acceptedDomains ?? []) addAcceptedDomain(state, t, d.name, d.matchSubDomains);
  if (fact.complete) t.acceptedDomainsComplete = true;
}

/** Set-AcceptedDomain in a tenant, New-AcceptedDomain on premises, or a declared accepted domain. */
export function applyAcceptedDomain(state: BuildState, fact: FactOf<"accepted-domain">): void {
  if (fact.scope === "tenant") {
    addAcceptedDomain(state, tenantEntity(state, fact.owner ?? state.defaultTenant, fact.provenance), fact.domain, fact.matchSubDomains);
  } else {
    const org = organizationEntity(state, fact.owner ?? state.defaultOrg, fact.provenance);
    org.domains = unique([...org.domains, lower(fact.domain)]);
  }
}

/** An organisation descriptor: what it states replaces what scripts inferred of that organisation. */
export function applyOrganization(state: BuildState, fact: FactOf<"organization">): void {
  state.describedOrgs.add(lower(fact.organization.id));
  const o = organizationEntity(state, fact.organization.id, fact.provenance);
  o.described = true;
  const { id: _id, provenance: _p, ...rest } = fact.organization;
  Object.assign(o, rest);
  o.servers = unique((fact.organization.servers ?? o.servers).map(lower));
  o.egressIps = unique((fact.organization.egressIps ?? o.egressIps).map(lower));
  o.domains = unique((fact.organization.domains ?? o.domains).map(lower));
  o.relaysFor = unique((fact.organization.relaysFor ?? o.relaysFor).map(lower));
  if (fact.organization.tenant) o.tenant = lower(fact.organization.tenant);
}
