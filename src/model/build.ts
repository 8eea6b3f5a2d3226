/**
 * Builds the mail-flow model from facts, applied in order: `create` before `update`, earlier
 * resources before later ones, so what the model holds is what the scripts leave behind. A `Set-*`
 * in another resource on the same `-Identity` changes the same connector.
 */
import type { Fact, InboundConnectorFact, MultiValue, Op, OutboundConnectorFact, ReceiveConnectorFact, SendConnectorFact } from "./facts";
import { CONNECTOR_FIELDS, elementNormaliser, type FieldSchema } from "./fields";
import { certificateRef, thumbprintLookup, thumbprintRef } from "./certificate-ref";
import { selects } from "./selection";
import { addressSpaceDomain, coexistenceDomainOf, identityName, initialDomainOf, lower, unique } from "./normalize";
import {
  UNKNOWN_ORG,
  UNKNOWN_TENANT,
  UNNAMED_ORG,
  UNNAMED_TENANT,
  type Certificate,
  type InboundConnector,
  type MailFlowModel,
  type Organization,
  type OutboundConnector,
  type Provenance,
  type ReceiveConnector,
  type SendConnector,
  type Tenant,
  type Unverifiable,
} from "./types";

export interface BuildOptions {
  /** Tenant to use when a script does not name one (policy configuration `defaultTenant`). */
  defaultTenant?: string;
  /** Organisation to use when an on-premises script does not name one. */
  defaultOrganization?: string;
  /**
   * Without a configured default, take the only tenant (or organisation) the facts name for scripts
   * that name none. True for a whole stack; while resources are still arriving, another may come.
   */
  inferDefaults?: boolean;
}

export function emptyModel(): MailFlowModel {
  return {
    tenants: [],
    inboundConnectors: [],
    outboundConnectors: [],
    sendConnectors: [],
    receiveConnectors: [],
    organizations: [],
    certificates: [],
    hybridConfigurations: [],
    unverifiable: [],
  };
}

export function buildModel(facts: readonly Fact[], options: BuildOptions = {}): MailFlowModel {
  const b = new ModelBuilder(options, false);
  b.learn(facts);
  b.settleDefaults();
  for (const fact of facts) b.apply(fact);
  return b.finish();
}

function applyMultiValue(current: string[], value: MultiValue, normalize: (s: string) => string): string[] {
  if (Array.isArray(value)) return unique(value.map(normalize));
  const removed = new Set(value.remove.map(normalize));
  return unique([...current.filter((v) => !removed.has(v)), ...value.add.map(normalize)]);
}

/** Keeps `unknown` in step with `fields`: a known value clears an earlier unknown. */
function mergeUnknown(entity: { unknown: string[] }, fields: object, unknown: string[]): void {
  const set = new Set(entity.unknown.filter((k) => !(k in fields)));
  for (const k of unknown) set.add(k);
  entity.unknown = [...set];
}

type ConnectorFact = InboundConnectorFact | OutboundConnectorFact | SendConnectorFact | ReceiveConnectorFact;
/** A pipeline's change, remembered for connectors created after it; `owner` undefined: every owner. */
interface Selection {
  kind: ConnectorKind;
  owner?: string;
  fact: ConnectorFact;
  spec: readonly FieldSchema[];
}

export type EntityKind = "tenant" | "organization" | "certificate" | "hybrid-configuration" | ConnectorKind;
type ConnectorKind = "inbound" | "outbound" | "send" | "receive";
type Connector = InboundConnector | OutboundConnector | SendConnector | ReceiveConnector;
const isConnectorKind = (k: EntityKind | undefined): k is ConnectorKind => k === "inbound" || k === "outbound" || k === "send" || k === "receive";

/** Applies facts to entities; `buildModel` for a whole stack, `IncrementalModel` (engine) for a growing one. */
export class ModelBuilder {
  private readonly tenants = new Map<string, Tenant>();
  private readonly inbound = new Map<string, InboundConnector>();
  private readonly outbound = new Map<string, OutboundConnector>();
  private readonly send = new Map<string, SendConnector>();
  private readonly receive = new Map<string, ReceiveConnector>();
  private readonly orgs = new Map<string, Organization>();
  private readonly certificates = new Map<string, Certificate>();
  private readonly hybridConfigurations = new Map<string, MailFlowModel["hybridConfigurations"][number]>();
  private readonly model = emptyModel();
  private defaultTenant: string = UNNAMED_TENANT;
  private defaultOrg: string = UNNAMED_ORG;
  /** Tenants and organisations the facts name, for the defaults of scripts that name none. */
  private readonly tenantNames = new Set<string>();
  private readonly orgNames = new Set<string>();
  /** Server host → organisation id, from organisation descriptors: a script run on ex01 acts on ex01's organisation. */
  private readonly serverOrg = new Map<string, string>();
  /** Organisation references that no descriptor's server claimed when they were resolved. */
  private readonly unclaimedOrgRefs = new Set<string>();
  /** Organisations a descriptor describes (by its own id). */
  private readonly describedOrgs = new Set<string>();
  /** Entities by the resources in their provenance, and what each resource's facts could not verify. */
  private readonly byUrn = new Map<string, Set<object>>();
  private readonly unverifiableByUrn = new Map<string, Unverifiable[]>();
  /** Entities changed since the last `settle()`. */
  private readonly touched = new Set<object>();
  /** Advisories the model adds (not facts): per connector, kept in step as connectors change. */
  private readonly advisories = new Map<object, Unverifiable[]>();
  /** Connectors of scripts that name no owner: their advisory says how many owners the stack names. */
  private readonly unnamedOwner = new Set<object>();
  /** Send connectors naming a certificate reference the model could not resolve yet. */
  private readonly pendingRefs = new Set<SendConnector>();
  private namesCounted = { tenants: 0, orgs: 0 };
  /** Pipelines from `Get-*Connector` applied so far: a connector another resource creates later is one they find too. */
  private readonly selections: Selection[] = [];

  /**
   * `tracking`: remember which entities change and which resources state them, for a model that
   * goes on growing; a model built at once settles everything once instead.
   */
  constructor(
    private readonly options: BuildOptions,
    private readonly tracking = true,
  ) {}

  /**
   * Reads what applying facts needs from all of them first: servers organisation descriptors claim,
   * and the tenants and organisations named. `incremental`: the facts come after others already
   * applied. A server they claim that earlier facts named as an organisation moves what those facts
   * stated to the claiming organisation; false (nothing learnt) when that cannot be done as if the
   * claim had been known from the start — then the model starts again from all facts.
   */
  learn(facts: readonly Fact[], incremental = false): boolean {
    const claims: Array<[string, string]> = [];
    for (const f of facts) {
      if (f.kind !== "organization" || f.organization.kind === "gateway") continue;
      for (const server of f.organization.servers ?? []) claims.push([lower(server), lower(f.organization.id)]);
    }
    if (incremental) {
      if (claims.some(([server, org]) => this.serverOrg.has(server) && this.serverOrg.get(server) !== org)) return false;
      const moves = claims.filter(([server, org]) => server !== org && !this.serverOrg.has(server) && this.unclaimedOrgRefs.has(server));
      if (moves.length > 1 || (moves.length === 1 && !this.moveOrganization(moves[0]![0], moves[0]![1]))) return false;
    }
    for (const [server, org] of claims) this.serverOrg.set(server, org);
    // A stack that names exactly one tenant (or one organisation) means it wherever a script is silent.
    for (const f of facts) {
      if (f.kind === "tenant") this.tenantNames.add(lower(f.tenant));
      if ((f.kind === "inbound-connector" || f.kind === "outbound-connector") && f.tenant) this.tenantNames.add(lower(f.tenant));
      if (f.kind === "organization" && (f.organization.kind ?? "exchange") !== "gateway") this.orgNames.add(lower(f.organization.id));
      if ((f.kind === "send-connector" || f.kind === "receive-connector") && f.org) this.orgNames.add(this.orgId(f.org));
    }
    // Owners only known at deploy time name nothing.
    this.tenantNames.delete(UNKNOWN_TENANT);
    this.orgNames.delete(UNKNOWN_ORG);
    return true;
  }

  /**
   * What earlier facts stated of organisation `from` (a server now claimed by `to`) becomes `to`'s:
   * its entity, Send and Receive connectors, certificates and hybrid configuration — unless two
   * entities would have to become one (which one's fields win depends on the order facts came in).
   */
  private moveOrganization(from: string, to: string): boolean {
    const rekeyed = (key: string): string => `${to}\u0000${key.slice(key.indexOf("\u0000") + 1)}`;
    const connectors = [this.send, this.receive] as Array<Map<string, SendConnector | ReceiveConnector>>;
    const collides =
      this.describedOrgs.has(from) ||
      (this.orgs.has(from) && this.orgs.has(to)) ||
      (this.hybridConfigurations.has(from) && this.hybridConfigurations.has(to)) ||
      connectors.some((map) => [...map].some(([key, c]) => c.org === from && map.has(rekeyed(key))));
    if (collides) return false;
    const o = this.orgs.get(from);
    if (o) {
      this.orgs.delete(from);
      this.orgs.set(to, Object.assign(o, { id: to }));
      this.note(o);
    }
    for (const map of connectors) {
      for (const [key, c] of [...map]) {
        if (c.org !== from) continue;
        map.delete(key);
        map.set(rekeyed(key), Object.assign(c, { org: to }));
        this.note(c);
      }
    }
    for (const c of this.certificates.values()) if (c.org === from) this.note(Object.assign(c, { org: to }));
    const hc = this.hybridConfigurations.get(from);
    if (hc) {
      this.hybridConfigurations.delete(from);
      this.hybridConfigurations.set(to, Object.assign(hc, { org: to }));
      this.note(hc);
    }
    if (this.orgNames.delete(from)) this.orgNames.add(to);
    this.unclaimedOrgRefs.delete(from);
    return true;
  }

  /** Fixes the defaults for silent scripts, once the names are learnt (whole stack) or from configuration only. */
  settleDefaults(): void {
    const infer = this.options.inferDefaults ?? true;
    const only = (names: Set<string>): string | undefined => (infer && names.size === 1 ? [...names][0] : undefined);
    this.defaultTenant = lower(this.options.defaultTenant ?? only(this.tenantNames) ?? UNNAMED_TENANT);
    this.defaultOrg = lower(this.options.defaultOrganization ?? only(this.orgNames) ?? UNNAMED_ORG);
  }

  entitiesOf(urn: string): ReadonlySet<object> {
    return this.byUrn.get(urn) ?? new Set();
  }

  unverifiableOf(urn: string): Unverifiable[] {
    const advised: Unverifiable[] = [];
    for (const e of this.entitiesOf(urn)) for (const a of this.advisories.get(e) ?? []) if (a.provenance.urn === urn) advised.push(a);
    return [...(this.unverifiableByUrn.get(urn) ?? []), ...advised];
  }

  /** Remembers that `provenance`'s resource states `entity` (and that the entity changed). */
  private note<E extends object>(entity: E, provenance?: Provenance): E {
    if (!this.tracking) return entity;
    this.touched.add(entity);
    if (provenance) {
      let set = this.byUrn.get(provenance.urn);
      if (!set) this.byUrn.set(provenance.urn, (set = new Set()));
      set.add(entity);
    }
    return entity;
  }

  apply(fact: Fact): void {
    switch (fact.kind) {
      case "tenant": {
        const t = this.tenant(fact.tenant, fact.provenance);
        if (fact.initialDomain) this.setInitialDomain(t, fact.initialDomain);
        for (const d of fact.acceptedDomains ?? []) this.addAcceptedDomain(t, d.name, d.matchSubDomains);
        if (fact.complete) t.acceptedDomainsComplete = true;
        return;
      }
      case "accepted-domain": {
        if (fact.scope === "tenant") {
          this.addAcceptedDomain(this.tenant(fact.owner ?? this.defaultTenant, fact.provenance), fact.domain, fact.matchSubDomains);
        } else {
          const org = this.org(fact.owner ?? this.defaultOrg, fact.provenance);
          org.domains = unique([...org.domains, lower(fact.domain)]);
        }
        return;
      }
      case "inbound-connector":
        return this.applyInbound(fact);
      case "outbound-connector":
        return this.applyOutbound(fact);
      case "send-connector":
        return this.applySend(fact);
      case "receive-connector":
        return this.applyReceive(fact);
      case "organization": {
        this.describedOrgs.add(lower(fact.organization.id));
        const o = this.org(fact.organization.id, fact.provenance);
        o.described = true;
        const { id: _id, provenance: _p, ...rest } = fact.organization;
        Object.assign(o, rest);
        o.servers = unique((fact.organization.servers ?? o.servers).map(lower));
        o.egressIps = unique((fact.organization.egressIps ?? o.egressIps).map(lower));
        o.domains = unique((fact.organization.domains ?? o.domains).map(lower));
        o.relaysFor = unique((fact.organization.relaysFor ?? o.relaysFor).map(lower));
        if (fact.organization.tenant) o.tenant = lower(fact.organization.tenant);
        return;
      }
      case "certificate": {
        const certificate = fact.certificate.org ? { ...fact.certificate, org: this.orgId(fact.certificate.org) } : fact.certificate;
        const existing = this.certificates.get(certificate.id);
        if (existing) {
          // A later, more complete reading of the same certificate wins; bindings and provenance add up.
          Object.assign(existing, certificate, {
            servers: unique([...existing.servers, ...certificate.servers]),
            services: unique([...existing.services, ...certificate.services]),
            provenance: [...existing.provenance, ...certificate.provenance],
          });
          for (const p of certificate.provenance) this.note(existing, p);
          if (certificate.smtpDefault) this.makeSmtpDefault(existing);
        } else {
          const created = { ...certificate, unknown: [...certificate.unknown] };
          this.adoptPlaceholder(created);
          this.place(this.certificates, this.model.certificates, certificate.id, created, "certificate");
          this.indexCertificateRefs(created);
          for (const p of certificate.provenance) this.note(created, p);
          // Send connectors that named it before it was described can now resolve it.
          for (const s of this.pendingRefs) this.note(s);
          if (certificate.smtpDefault) this.makeSmtpDefault(created);
        }
        return;
      }
      case "certificate-removal":
        return this.removeCertificate(fact.certificate);
      case "certificate-binding": {
        const cert = this.certificateByRef(fact.certificate, fact.provenance);
        cert.servers = unique([...cert.servers, ...fact.servers.map(lower)]);
        cert.services = unique([...cert.services, ...fact.services.map((s) => s.toUpperCase())]);
        if (fact.org && !cert.org) cert.org = this.orgId(fact.org);
        // The enabling resource states the certificate too: a conflict it completes is reported on it.
        if (!cert.provenance.some((p) => p.urn === fact.provenance.urn && p.line === fact.provenance.line)) cert.provenance.push(fact.provenance);
        this.note(cert, fact.provenance);
        if (fact.services.some((x) => x.toUpperCase() === "SMTP")) this.makeSmtpDefault(cert);
        return;
      }
      case "hybrid-configuration": {
        const org = this.orgId(fact.org ?? this.defaultOrg);
        const existing = this.hybridConfigurations.get(org);
        if (existing) {
          if (fact.tlsCertificateName) existing.tlsCertificateName = fact.tlsCertificateName;
          existing.provenance.push(fact.provenance);
          this.note(existing, fact.provenance);
        } else {
          const created = { org, ...(fact.tlsCertificateName ? { tlsCertificateName: fact.tlsCertificateName } : {}), provenance: [fact.provenance] };
          this.place(this.hybridConfigurations, this.model.hybridConfigurations, org, created, "hybrid-configuration");
          this.note(created, fact.provenance);
        }
        return;
      }
      case "unverifiable": {
        this.model.unverifiable.push(fact.item);
        const list = this.unverifiableByUrn.get(fact.item.provenance.urn) ?? [];
        list.push(fact.item);
        this.unverifiableByUrn.set(fact.item.provenance.urn, list);
        return;
      }
    }
  }

  /** The whole model, with every advisory in `unverifiable` (a one-off build). */
  finish(): MailFlowModel {
    this.settle();
    const m = this.model;
    m.unverifiable = [...m.unverifiable, ...[...this.advisories.values()].flat()];
    return m;
  }

  /**
   * The model as it stands, for a builder that goes on growing: a new object over the same entity
   * lists, whose `unverifiable` is put together only when read.
   */
  view(): MailFlowModel {
    const { unverifiable: fromFacts, ...lists } = this.model;
    const advisories = this.advisories;
    const view = { ...lists } as MailFlowModel;
    // Read as it stands: resources outside mail flow add what they could not verify without a new view.
    Object.defineProperty(view, "unverifiable", { enumerable: true, get: () => [...fromFacts, ...[...advisories.values()].flat()] });
    return view;
  }

  /**
   * Brings what depends on changed entities up to date (resolved certificate references, the
   * model's advisories) and returns the entities changed since the last call, removed ones included.
   */
  settle(): object[] {
    const counted = { tenants: this.tenantNames.size, orgs: this.orgNames.size };
    // Whether a silent script's connector is worth an advisory depends on how many owners the stack names.
    const recount = counted.tenants !== this.namesCounted.tenants || counted.orgs !== this.namesCounted.orgs;
    this.namesCounted = counted;
    const changed = this.tracking ? [...this.touched] : [...this.kinds.keys()];
    this.touched.clear();
    for (const e of recount ? [...changed, ...this.unnamedOwner] : changed) {
      const kind = this.kinds.get(e);
      if (kind === "send") this.resolveRefs(e as SendConnector);
      if (!isConnectorKind(kind)) continue;
      const owner = kind === "inbound" || kind === "outbound" ? (e as { tenant: string }).tenant : (e as { org: string }).org;
      if (owner === UNNAMED_TENANT || owner === UNNAMED_ORG) this.unnamedOwner.add(e);
      else this.unnamedOwner.delete(e);
      const advisories = this.connectorAdvisories(e as Connector, kind);
      if (advisories.length > 0) this.advisories.set(e, advisories);
      else this.advisories.delete(e);
    }
    return changed;
  }

  /**
   * `c` is now what its servers (its organisation's, when no server is named) present for STARTTLS:
   * the certificate enabled for SMTP before it there stops being the default (research §3.1).
   */
  private makeSmtpDefault(c: Certificate): void {
    c.smtpDefault = true;
    this.note(c);
    for (const other of this.certificates.values()) {
      if (other === c || !other.smtpDefault) continue;
      const sameServers = c.servers.length > 0 ? other.servers.some((srv) => c.servers.includes(srv)) : other.org === c.org;
      if (sameServers) this.note(Object.assign(other, { smtpDefault: false }));
    }
  }

  /** Remove-ExchangeCertificate: the certificate a reference names leaves the model; connectors naming it wait for another. */
  private removeCertificate(ref: string): void {
    const c = this.certificates.get(this.resolveCertificateRef(ref));
    if (c) this.dropCertificate(c);
  }

  private dropCertificate(c: Certificate): void {
    this.drop(this.certificates, this.model.certificates, c.id);
    // Other certificates may now be the first under the references this one held.
    for (const [key, holder] of [...this.certificateRefs]) if (holder === c) this.certificateRefs.delete(key);
    for (const other of this.model.certificates) this.indexCertificateRefs(other);
    for (const s of this.model.sendConnectors) if (s.certificateIds.includes(c.id)) this.note(s);
  }

  /**
   * A certificate described after a script enabled it by thumbprint takes over what the placeholder
   * for that thumbprint gathered (servers, services, organisation, default for SMTP), in its place.
   */
  private adoptPlaceholder(c: Certificate): void {
    if (!c.thumbprint) return;
    const placeholder = this.certificates.get(thumbprintRef(c.thumbprint));
    if (!placeholder || placeholder === c || !placeholder.unknown.includes("names")) return;
    c.servers = unique([...placeholder.servers, ...c.servers]);
    c.services = unique([...placeholder.services, ...c.services]);
    if (!c.org && placeholder.org) c.org = placeholder.org;
    if (placeholder.smtpDefault) c.smtpDefault = true;
    c.provenance = [...c.provenance, ...placeholder.provenance];
    this.dropCertificate(placeholder);
    for (const p of c.provenance) this.note(c, p);
  }

  private resolveRefs(s: SendConnector): void {
    // Certificate references are written as ids (URNs), thumbprints or resource names: resolve to ids.
    s.certificateIds = unique(s.certificateIds.map((ref) => this.resolveCertificateRef(ref)));
    if (s.certificateIds.some((id) => !this.certificates.has(id))) this.pendingRefs.add(s);
    else this.pendingRefs.delete(s);
  }

  /**
   * What the model cannot place about a connector, said on the resource that created it:
   * - a script that names no tenant (organisation) while the facts name several: checks that compare
   *   owners cannot place it;
   * - a `Set-*` on a connector the stack does not create: what decides whether checks apply (an
   *   inbound connector's type, a Send connector's address spaces) is not known, so they leave it out.
   */
  private connectorAdvisories(c: Connector, kind: ConnectorKind): Unverifiable[] {
    const out: Unverifiable[] = [];
    const provenance = c.provenance[0];
    if (!provenance) return out;
    const cloud = kind === "inbound" || kind === "outbound";
    const owner = cloud ? (c as { tenant: string }).tenant : (c as { org: string }).org;
    const names = cloud ? this.tenantNames : this.orgNames;
    if (owner === (cloud ? UNNAMED_TENANT : UNNAMED_ORG) && names.size >= 2) {
      const what = cloud ? "tenant" : "on-premises organisation";
      const how = cloud ? "Connect-ExchangeOnline -Organization" : "a remote command's host, New-PSSession -ConnectionUri or MAILFLOW_ORG";
      const config = cloud ? "defaultTenant" : "defaultOrganization";
      out.push({
        subject: `connector '${c.name}'`,
        property: what,
        reason: `the script names no ${what} (${how}) and the stack names ${names.size}: checks that compare ${what}s leave this connector out; name it, or set ${config} in the mailflow-inventory configuration`,
        provenance,
      });
    }
    const elsewhere = {
      inbound: { field: "connectorType", subject: `inbound connector '${c.name}' of tenant ${owner}`, declare: "declare it under mailflow-inventory.inboundConnectors with its connectorType" },
      outbound: { field: "connectorType", subject: `outbound connector '${c.name}' of tenant ${owner}`, declare: "create it in the stack" },
      send: { field: "addressSpaces", subject: `Send connector '${c.name}' of ${owner}`, declare: "set its -AddressSpaces here, or create it in the stack" },
      receive: undefined,
    }[kind];
    if (elsewhere && c.unknown.includes(elsewhere.field)) {
      out.push({
        subject: elsewhere.subject,
        property: elsewhere.field,
        reason: `it is changed here but created outside the stack, so its ${elsewhere.field} is not known and the attribution checks leave it out; ${elsewhere.declare}`,
        provenance,
      });
    }
    return out;
  }

  private resolveCertificateRef(ref: string): string {
    if (this.certificates.has(ref)) return ref;
    // The first certificate (in model order) with that thumbprint, label or resource name.
    const candidates = [this.certificateRefs.get(`thumbprint:${thumbprintLookup(ref)}`), this.certificateRefs.get(`label:${ref}`), this.certificateRefs.get(`name:${ref}`)];
    let first: Certificate | undefined;
    for (const c of candidates) if (c && (!first || this.orderOf(c) < this.orderOf(first))) first = c;
    if (!first && ref.includes("::")) first = [...this.certificates.values()].find((c) => c.id.endsWith(`::${ref}`));
    return first?.id ?? ref;
  }

  /** Certificates by the ways a script refers to them, first in model order kept. */
  private readonly certificateRefs = new Map<string, Certificate>();

  private indexCertificateRefs(c: Certificate): void {
    const tail = c.id.lastIndexOf("::");
    const refs = [c.thumbprint && `thumbprint:${c.thumbprint.toUpperCase()}`, `label:${c.label}`, tail >= 0 && `name:${c.id.slice(tail + 2)}`];
    for (const r of refs) if (r && !this.certificateRefs.has(r)) this.certificateRefs.set(r, c);
  }

  private readonly order = new WeakMap<object, number>();
  private created = 0;
  /** Creation order of an entity: lists in the model are in this order. */
  orderOf(e: object): number {
    return this.order.get(e) ?? Number.MAX_SAFE_INTEGER;
  }

  /** Puts a new entity under `key`, where the entity it replaces was (New-* on an existing name), or last. */
  private place<E extends object>(map: Map<string, E>, list: E[], key: string, entity: E, kind: EntityKind): void {
    const old = map.get(key);
    map.set(key, entity);
    this.order.set(entity, old ? this.orderOf(old) : this.created++);
    this.kinds.set(entity, kind);
    if (old) {
      list[list.indexOf(old)] = entity;
      this.forget(old);
    } else {
      list.push(entity);
    }
    this.note(entity);
  }

  private drop<E extends object>(map: Map<string, E>, list: E[], key: string): void {
    const old = map.get(key);
    if (!old) return;
    map.delete(key);
    list.splice(list.indexOf(old), 1);
    this.forget(old);
  }

  /** An entity no longer in the model: no advisory, no resource states it, indexes drop it. */
  private forget(e: object): void {
    this.kinds.delete(e);
    this.advisories.delete(e);
    this.unnamedOwner.delete(e);
    this.pendingRefs.delete(e as SendConnector);
    for (const p of (e as { provenance?: Provenance[] }).provenance ?? []) this.byUrn.get(p.urn)?.delete(e);
    this.touched.add(e);
  }

  /** Which kind each live entity is; an entity that is not here has left the model. */
  private readonly kinds = new Map<object, EntityKind>();

  kindOf(e: object): EntityKind | undefined {
    return this.kinds.get(e);
  }

  private tenant(id: string, provenance: Provenance): Tenant {
    const key = lower(id);
    let t = this.tenants.get(key);
    if (!t) {
      t = { id: key, acceptedDomains: [], acceptedDomainsComplete: false, provenance: [] };
      this.place(this.tenants, this.model.tenants, key, t, "tenant");
      const initial = initialDomainOf(key);
      if (initial) this.setInitialDomain(t, initial);
    }
    if (!t.provenance.some((p) => p.urn === provenance.urn)) t.provenance.push(provenance);
    return this.note(t, provenance);
  }

  /**
   * The tenant a connector belongs to: created by the first statement that names it, and otherwise
   * left as it is. A connector names its tenant but states nothing about it: every connector adding
   * itself to its tenant's provenance made each new connector re-check, and copy, all of them.
   */
  private tenantOfConnector(id: string, provenance: Provenance): Tenant {
    return this.tenants.get(lower(id)) ?? this.tenant(id, provenance);
  }

  private setInitialDomain(t: Tenant, domain: string): void {
    t.initialDomain = lower(domain);
    const coexistence = coexistenceDomainOf(t.initialDomain);
    if (coexistence) t.coexistenceDomain = coexistence;
    // Both routing domains of a tenant are accepted domains of that tenant.
    this.addAcceptedDomain(t, t.initialDomain, false);
    if (coexistence) this.addAcceptedDomain(t, coexistence, false);
  }

  private addAcceptedDomain(t: Tenant, name: string, matchSubDomains = false): void {
    const domain = lower(name);
    const existing = t.acceptedDomains.find((d) => d.name === domain);
    if (existing) existing.matchSubDomains = existing.matchSubDomains || matchSubDomains;
    else t.acceptedDomains.push({ name: domain, matchSubDomains });
  }

  private orgId(id: string): string {
    const key = lower(id);
    const claimed = this.serverOrg.get(key);
    if (claimed === undefined) this.unclaimedOrgRefs.add(key);
    return claimed ?? key;
  }

  private org(id: string, provenance: Provenance): Organization {
    const key = this.orgId(id);
    let o = this.orgs.get(key);
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
      this.place(this.orgs, this.model.organizations, key, o, "organization");
    }
    if (!o.provenance.some((p) => p.urn === provenance.urn)) o.provenance.push(provenance);
    return this.note(o, provenance);
  }

  private certificateByRef(ref: string, provenance: Provenance): Certificate {
    const direct = this.certificates.get(ref);
    if (direct) return direct;
    const byThumbprint = this.certificateRefs.get(`thumbprint:${thumbprintLookup(ref)}`);
    if (byThumbprint) return byThumbprint;
    const parsed = certificateRef(ref);
    // A certificate the stack only refers to (e.g. Enable-ExchangeCertificate -Thumbprint): names unknown.
    const placeholder: Certificate = {
      id: ref,
      label: ref,
      sanDns: [],
      trust: "unknown",
      thumbprint: parsed.kind === "thumbprint" ? parsed.thumbprint : undefined,
      servers: [],
      services: [],
      unknown: ["names"],
      provenance: [provenance],
    };
    this.place(this.certificates, this.model.certificates, ref, placeholder, "certificate");
    this.indexCertificateRefs(placeholder);
    for (const s of this.pendingRefs) this.note(s);
    return this.note(placeholder, provenance);
  }

  /** New-/Set-/Remove- on one connector map: the same life cycle for every connector kind. */
  private upsert<C extends Connector>(
    map: Map<string, C>,
    list: C[],
    kind: EntityKind,
    key: string,
    f: { op: Op; fields: object; unknown: string[]; provenance: Provenance },
    create: () => C,
    spec: readonly FieldSchema[],
  ): void {
    if (f.op === "remove") {
      this.drop(map, list, key);
      return;
    }
    let c = map.get(key);
    const created = !c || f.op === "new";
    if (!c || f.op === "new") {
      c = create();
      this.place(map, list, key, c, kind);
    }
    applyFields(c as unknown as Record<string, unknown>, f.fields as Record<string, unknown>, spec);
    mergeUnknown(c, f.fields, f.unknown);
    c.provenance.push(f.provenance);
    this.note(c, f.provenance);
    // Another resource's pipeline finds this connector too (the order resources register in is not the order scripts run in).
    if (created) for (const s of this.selections) if (s.kind === kind && s.fact.provenance.urn !== f.provenance.urn) this.applySelected(s, c);
  }

  /**
   * `Get-SendConnector [| Where-Object …] | Set-SendConnector …`: the change applies to every connector
   * of that kind the facts know, of the owner the script acts on (every owner when it names none and
   * the stack names several, or it is only known at deploy time), whose name passes the filter.
   */
  private applySelection(kind: ConnectorKind, map: Map<string, Connector>, owner: string, f: ConnectorFact, spec: readonly FieldSchema[]): void {
    const placeholder = owner === UNNAMED_ORG || owner === UNNAMED_TENANT || owner === UNKNOWN_ORG || owner === UNKNOWN_TENANT;
    const s: Selection = { kind, ...(placeholder ? {} : { owner }), fact: f, spec };
    this.selections.push(s);
    for (const c of [...map.values()]) this.applySelected(s, c);
  }

  private applySelected(s: Selection, c: Connector): void {
    const owner = s.kind === "inbound" || s.kind === "outbound" ? (c as { tenant: string }).tenant : (c as { org: string }).org;
    if ((s.owner !== undefined && owner !== s.owner) || !s.fact.selection || !selects(s.fact.selection, c.name)) return;
    applyFields(c as unknown as Record<string, unknown>, s.fact.fields as Record<string, unknown>, s.spec);
    mergeUnknown(c, s.fact.fields, s.fact.unknown);
    c.provenance.push(s.fact.provenance);
    this.note(c, s.fact.provenance);
  }

  private applyInbound(f: InboundConnectorFact): void {
    if (f.selection) return this.applySelection("inbound", this.inbound, lower(f.tenant ?? this.defaultTenant), f, INBOUND_FIELDS);
    const tenant = this.tenantOfConnector(f.tenant ?? this.defaultTenant, f.provenance).id;
    this.upsert(this.inbound, this.model.inboundConnectors, "inbound", connectorKey(tenant, f), f, () => ({
      tenant,
      name: f.identity.trim(),
      // New-InboundConnector defaults (learn.microsoft.com/powershell/module/exchangepowershell/new-inboundconnector).
      connectorType: "Partner" as const,
      enabled: true,
      senderIpAddresses: [],
      senderDomains: [],
      associatedAcceptedDomains: [],
      // A Set-* on a connector created outside the stack: what it does not set is not known.
      unknown: f.op === "set" ? ["connectorType", "tlsSenderCertificateName", "senderIpAddresses"] : [],
      provenance: [],
    }), INBOUND_FIELDS);
  }

  private applyOutbound(f: OutboundConnectorFact): void {
    if (f.selection) return this.applySelection("outbound", this.outbound, lower(f.tenant ?? this.defaultTenant), f, OUTBOUND_FIELDS);
    const tenant = this.tenantOfConnector(f.tenant ?? this.defaultTenant, f.provenance).id;
    this.upsert(this.outbound, this.model.outboundConnectors, "outbound", connectorKey(tenant, f), f, () => ({
      tenant,
      name: f.identity.trim(),
      connectorType: "Partner" as const,
      enabled: true,
      recipientDomains: [],
      smartHosts: [],
      unknown: f.op === "set" ? ["connectorType"] : [],
      provenance: [],
    }), OUTBOUND_FIELDS);
  }

  private applySend(f: SendConnectorFact): void {
    if (f.selection) return this.applySelection("send", this.send, this.orgId(f.org ?? this.defaultOrg), f, SEND_FIELDS);
    const org = this.org(f.org ?? this.defaultOrg, f.provenance).id;
    this.upsert(this.send, this.model.sendConnectors, "send", connectorKey(org, f), f, () => ({
      org,
      name: f.identity.trim(),
      addressSpaces: [],
      smartHosts: [],
      certificateIds: [],
      sourceTransportServers: [],
      // New-SendConnector: DNSRoutingEnabled defaults to $true, Enabled to $true.
      dnsRoutingEnabled: true,
      enabled: true,
      egressIps: [],
      unknown: f.op === "set" ? ["addressSpaces", "tlsCertificateName"] : [],
      provenance: [],
    }), SEND_FIELDS);
  }

  private applyReceive(f: ReceiveConnectorFact): void {
    if (f.selection) return this.applySelection("receive", this.receive, this.orgId(f.org ?? this.defaultOrg), f, RECEIVE_FIELDS);
    const org = this.org(f.org ?? this.defaultOrg, f.provenance).id;
    this.upsert(this.receive, this.model.receiveConnectors, "receive", connectorKey(org, f), f, () => ({ org, name: f.identity.trim(), tlsDomainCapabilities: [], unknown: [], provenance: [] }), RECEIVE_FIELDS);
  }
}

/**
 * A connector is its owner's connector of that name: a `Set-*` in another resource on the same name
 * changes it. An owner only known at deploy time may be a different one in every resource, so its
 * connectors are told apart by the resource that states them.
 */
function connectorKey(owner: string, f: { identity: string; provenance: Provenance }): string {
  const scope = owner === UNKNOWN_ORG || owner === UNKNOWN_TENANT ? `${owner}\u0000${f.provenance.urn}` : owner;
  return `${scope}\u0000${identityName(f.identity)}`;
}

/**
 * How a fact's field lands on the model (the connector field schema): multi-valued properties are
 * replaced, or edited with Add/Remove, element by element normalised; host names lower-cased; the
 * rest as given. `null` clears.
 */
function applyFields(target: Record<string, unknown>, fields: Record<string, unknown>, schema: readonly FieldSchema[]): void {
  for (const spec of schema) {
    const v = fields[spec.field];
    if (v === undefined) continue;
    if (spec.kind === "multi") target[spec.field] = applyMultiValue((target[spec.field] as string[] | undefined) ?? [], v as MultiValue, elementNormaliser(spec));
    else if (v === null) delete target[spec.field];
    else target[spec.field] = spec.kind === "host" && typeof v === "string" ? lower(v) : v;
  }
}

const INBOUND_FIELDS = CONNECTOR_FIELDS.inbound;
const OUTBOUND_FIELDS = CONNECTOR_FIELDS.outbound;
const SEND_FIELDS = CONNECTOR_FIELDS.send;
const RECEIVE_FIELDS = CONNECTOR_FIELDS.receive;
