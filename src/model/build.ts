/**
 * Builds the mail-flow model from facts, applied in order: `create` before `update`, earlier
 * resources before later ones, so what the model holds is what the scripts leave behind. A `Set-*`
 * in another resource on the same `-Identity` changes the same connector.
 */
import type {
  Fact,
  InboundConnectorFact,
  MultiValue,
  Op,
  OutboundConnectorFact,
  ReceiveConnectorFact,
  SendConnectorFact,
} from "../extractors/types";
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
  const b = new ModelBuilder(facts, options);
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

const keepName = (s: string): string => s.trim();

class ModelBuilder {
  private readonly tenants = new Map<string, Tenant>();
  private readonly inbound = new Map<string, InboundConnector>();
  private readonly outbound = new Map<string, OutboundConnector>();
  private readonly send = new Map<string, SendConnector>();
  private readonly receive = new Map<string, ReceiveConnector>();
  private readonly orgs = new Map<string, Organization>();
  private readonly certificates = new Map<string, Certificate>();
  private readonly model = emptyModel();
  private readonly defaultTenant: string;
  private readonly defaultOrg: string;
  /** Tenants and organisations the facts name, for the defaults of scripts that name none. */
  private readonly tenantNames = new Set<string>();
  private readonly orgNames = new Set<string>();
  /** Server host → organisation id, from organisation descriptors: a script run on ex01 acts on ex01's organisation. */
  private readonly serverOrg = new Map<string, string>();

  constructor(facts: readonly Fact[], options: BuildOptions) {
    for (const f of facts) {
      if (f.kind !== "organization" || f.organization.kind === "gateway") continue;
      for (const server of f.organization.servers ?? []) this.serverOrg.set(lower(server), lower(f.organization.id));
    }
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
    const infer = options.inferDefaults ?? true;
    const only = (names: Set<string>): string | undefined => (infer && names.size === 1 ? [...names][0] : undefined);
    this.defaultTenant = lower(options.defaultTenant ?? only(this.tenantNames) ?? UNNAMED_TENANT);
    this.defaultOrg = lower(options.defaultOrganization ?? only(this.orgNames) ?? UNNAMED_ORG);
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
        const o = this.org(fact.organization.id, fact.provenance);
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
        } else {
          this.certificates.set(certificate.id, { ...certificate, unknown: [...certificate.unknown] });
        }
        return;
      }
      case "certificate-binding": {
        const cert = this.certificateByRef(fact.certificate, fact.provenance);
        cert.servers = unique([...cert.servers, ...fact.servers.map(lower)]);
        cert.services = unique([...cert.services, ...fact.services.map((s) => s.toUpperCase())]);
        if (fact.org && !cert.org) cert.org = this.orgId(fact.org);
        return;
      }
      case "hybrid-configuration": {
        const org = this.orgId(fact.org ?? this.defaultOrg);
        const existing = this.model.hybridConfigurations.find((h) => h.org === org);
        if (existing) {
          if (fact.tlsCertificateName) existing.tlsCertificateName = fact.tlsCertificateName;
          existing.provenance.push(fact.provenance);
        } else {
          this.model.hybridConfigurations.push({
            org,
            ...(fact.tlsCertificateName ? { tlsCertificateName: fact.tlsCertificateName } : {}),
            provenance: [fact.provenance],
          });
        }
        return;
      }
      case "unverifiable":
        this.model.unverifiable.push(fact.item);
        return;
    }
  }

  finish(): MailFlowModel {
    const m = this.model;
    m.tenants = [...this.tenants.values()];
    m.inboundConnectors = [...this.inbound.values()];
    m.outboundConnectors = [...this.outbound.values()];
    m.sendConnectors = [...this.send.values()];
    m.receiveConnectors = [...this.receive.values()];
    m.organizations = [...this.orgs.values()];
    m.certificates = [...this.certificates.values()];
    // Certificate references are written as ids (URNs), thumbprints or resource names: resolve to ids.
    for (const s of m.sendConnectors) s.certificateIds = unique(s.certificateIds.map((ref) => this.resolveCertificateRef(ref)));
    this.reportUnnamedOwners(m);
    this.reportConnectorsCreatedElsewhere(m);
    return m;
  }

  /**
   * A `Set-*` on a connector the stack does not create: what decides whether checks apply (an inbound
   * connector's type, a Send connector's address spaces) is not known, so they leave it out. Said on
   * the resource that changes it, with the way to declare it.
   */
  private reportConnectorsCreatedElsewhere(m: MailFlowModel): void {
    const changed = [
      ...m.inboundConnectors.map((c) => ({ c, field: "connectorType", subject: `inbound connector '${c.name}' of tenant ${c.tenant}`, declare: "declare it under mailflow-inventory.inboundConnectors with its connectorType" })),
      ...m.outboundConnectors.map((c) => ({ c, field: "connectorType", subject: `outbound connector '${c.name}' of tenant ${c.tenant}`, declare: "create it in the stack" })),
      ...m.sendConnectors.map((c) => ({ c, field: "addressSpaces", subject: `Send connector '${c.name}' of ${c.org}`, declare: "set its -AddressSpaces here, or create it in the stack" })),
    ];
    for (const { c, field, subject, declare } of changed) {
      if (!c.unknown.includes(field)) continue;
      m.unverifiable.push({
        subject,
        property: field,
        reason: `it is changed here but created outside the stack, so its ${field} is not known and the attribution checks leave it out; ${declare}`,
        provenance: c.provenance[0]!,
      });
    }
  }

  /**
   * A connector of a script that names no tenant (organisation) while the facts name several: checks
   * that compare tenants cannot place it. Said once per connector, on the resource that created it.
   */
  private reportUnnamedOwners(m: MailFlowModel): void {
    const cases = [
      { connectors: [...m.inboundConnectors, ...m.outboundConnectors].filter((c) => c.tenant === UNNAMED_TENANT), names: this.tenantNames, what: "tenant", how: "Connect-ExchangeOnline -Organization", config: "defaultTenant" },
      { connectors: [...m.sendConnectors, ...m.receiveConnectors].filter((c) => c.org === UNNAMED_ORG), names: this.orgNames, what: "on-premises organisation", how: "a remote command's host, New-PSSession -ConnectionUri or MAILFLOW_ORG", config: "defaultOrganization" },
    ];
    for (const { connectors, names, what, how, config } of cases) {
      if (names.size < 2) continue;
      for (const c of connectors) {
        m.unverifiable.push({
          subject: `connector '${c.name}'`,
          property: what,
          reason: `the script names no ${what} (${how}) and the stack names ${names.size}: checks that compare ${what}s leave this connector out; name it, or set ${config} in the mailflow-inventory configuration`,
          provenance: c.provenance[0]!,
        });
      }
    }
  }

  private resolveCertificateRef(ref: string): string {
    if (this.certificates.has(ref)) return ref;
    const thumb = ref.replace(/^thumbprint:/i, "").toUpperCase();
    for (const c of this.certificates.values()) {
      if (c.thumbprint?.toUpperCase() === thumb || c.label === ref || c.id.endsWith(`::${ref}`)) return c.id;
    }
    return ref;
  }

  private tenant(id: string, provenance: Provenance): Tenant {
    const key = lower(id);
    let t = this.tenants.get(key);
    if (!t) {
      t = { id: key, acceptedDomains: [], acceptedDomainsComplete: false, provenance: [] };
      this.tenants.set(key, t);
      const initial = initialDomainOf(key);
      if (initial) this.setInitialDomain(t, initial);
    }
    if (!t.provenance.some((p) => p.urn === provenance.urn)) t.provenance.push(provenance);
    return t;
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
    return this.serverOrg.get(key) ?? key;
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
      this.orgs.set(key, o);
    }
    if (!o.provenance.some((p) => p.urn === provenance.urn)) o.provenance.push(provenance);
    return o;
  }

  private certificateByRef(ref: string, provenance: Provenance): Certificate {
    const direct = this.certificates.get(ref);
    if (direct) return direct;
    const thumb = ref.replace(/^thumbprint:/i, "").toUpperCase();
    for (const c of this.certificates.values()) if (c.thumbprint?.toUpperCase() === thumb) return c;
    // A certificate the stack only refers to (e.g. Enable-ExchangeCertificate -Thumbprint): names unknown.
    const placeholder: Certificate = {
      id: ref,
      label: ref,
      sanDns: [],
      trust: "unknown",
      thumbprint: ref.toLowerCase().startsWith("thumbprint:") ? thumb : undefined,
      servers: [],
      services: [],
      unknown: ["names"],
      provenance: [provenance],
    };
    this.certificates.set(ref, placeholder);
    return placeholder;
  }

  /** New-/Set-/Remove- on one connector map: the same life cycle for every connector kind. */
  private upsert<C extends { unknown: string[]; provenance: Provenance[] }>(
    map: Map<string, C>,
    key: string,
    f: { op: Op; fields: object; unknown: string[]; provenance: Provenance },
    create: () => C,
    spec: FieldSpec,
  ): void {
    if (f.op === "remove") {
      map.delete(key);
      return;
    }
    let c = map.get(key);
    if (!c || f.op === "new") {
      c = create();
      map.set(key, c);
    }
    applyFields(c as unknown as Record<string, unknown>, f.fields as Record<string, unknown>, spec);
    mergeUnknown(c, f.fields, f.unknown);
    c.provenance.push(f.provenance);
  }

  private applyInbound(f: InboundConnectorFact): void {
    const tenant = this.tenant(f.tenant ?? this.defaultTenant, f.provenance).id;
    this.upsert(this.inbound, connectorKey(tenant, f), f, () => ({
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
    const tenant = this.tenant(f.tenant ?? this.defaultTenant, f.provenance).id;
    this.upsert(this.outbound, connectorKey(tenant, f), f, () => ({
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
    const org = this.org(f.org ?? this.defaultOrg, f.provenance).id;
    this.upsert(this.send, connectorKey(org, f), f, () => ({
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
    const org = this.org(f.org ?? this.defaultOrg, f.provenance).id;
    this.upsert(this.receive, connectorKey(org, f), f, () => ({ org, name: f.identity.trim(), tlsDomainCapabilities: [], unknown: [], provenance: [] }), RECEIVE_FIELDS);
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
 * How a fact's field lands on the model: `value` as given, `lower`-cased text, or a multi-valued
 * property (replaced, or edited with Add/Remove) with the normaliser of its elements. `null` clears.
 */
type FieldRule = "value" | "lower" | { multi: (s: string) => string };
type FieldSpec = Record<string, FieldRule>;

function applyFields(target: Record<string, unknown>, fields: Record<string, unknown>, spec: FieldSpec): void {
  for (const [field, rule] of Object.entries(spec)) {
    const v = fields[field];
    if (v === undefined) continue;
    if (typeof rule === "object") target[field] = applyMultiValue((target[field] as string[] | undefined) ?? [], v as MultiValue, rule.multi);
    else if (v === null) delete target[field];
    else target[field] = rule === "lower" && typeof v === "string" ? lower(v) : v;
  }
}

const multi = (normalize: (s: string) => string): FieldRule => ({ multi: normalize });

const INBOUND_FIELDS: FieldSpec = {
  connectorType: "value",
  enabled: "value",
  tlsSenderCertificateName: "lower",
  senderIpAddresses: multi(lower),
  senderDomains: multi(addressSpaceDomain),
  associatedAcceptedDomains: multi(lower),
  requireTls: "value",
  restrictDomainsToCertificate: "value",
  restrictDomainsToIPAddresses: "value",
  cloudServicesMailEnabled: "value",
  treatMessagesAsInternal: "value",
  connectorSource: "value",
};
const OUTBOUND_FIELDS: FieldSpec = {
  connectorType: "value",
  enabled: "value",
  recipientDomains: multi(addressSpaceDomain),
  smartHosts: multi(lower),
  useMxRecord: "value",
  routeAllMessagesViaOnPremises: "value",
  cloudServicesMailEnabled: "value",
  tlsSettings: "value",
  tlsDomain: "lower",
};
const SEND_FIELDS: FieldSpec = {
  addressSpaces: multi(addressSpaceDomain),
  smartHosts: multi(lower),
  sourceTransportServers: multi(lower),
  egressIps: multi(lower),
  certificateIds: multi(keepName),
  dnsRoutingEnabled: "value",
  requireTls: "value",
  cloudServicesMailEnabled: "value",
  enabled: "value",
  tlsCertificateName: "value",
  fqdn: "lower",
  tlsAuthLevel: "value",
  tlsDomain: "lower",
};
const RECEIVE_FIELDS: FieldSpec = {
  fqdn: "lower",
  tlsCertificateName: "value",
  tlsDomainCapabilities: multi(lower),
};
