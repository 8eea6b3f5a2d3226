/**
 * What the model builder's parts share: the entities by key, the model lists, and the life cycle of
 * an entity (placed, noted as changed, dropped). The parts (owners, connectors, certificates,
 * advisories) are functions over this state; `ModelBuilder` (./index.ts) orchestrates them.
 */
import type { ConnectorKind, FieldSchema } from "../fields";
import type { Fact, InboundConnectorFact, OutboundConnectorFact, ReceiveConnectorFact, SendConnectorFact } from "../facts";
import {
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
} from "../types";

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

export type EntityKind = "tenant" | "organization" | "certificate" | "hybrid-configuration" | ConnectorKind;
export type Connector = InboundConnector | OutboundConnector | SendConnector | ReceiveConnector;
export type ConnectorFact = InboundConnectorFact | OutboundConnectorFact | SendConnectorFact | ReceiveConnectorFact;
export const isConnectorKind = (k: EntityKind | undefined): k is ConnectorKind => k === "inbound" || k === "outbound" || k === "send" || k === "receive";
export const isCloudKind = (k: ConnectorKind): k is "inbound" | "outbound" => k === "inbound" || k === "outbound";

/** A connector's owner: its tenant (Exchange Online) or organisation (on-premises). */
export const ownerOf = (c: Connector, kind: ConnectorKind): string => (isCloudKind(kind) ? (c as { tenant: string }).tenant : (c as { org: string }).org);

/** A pipeline's change, remembered for connectors created after it; `owner` undefined: every owner. */
export interface Selection {
  kind: ConnectorKind;
  owner?: string;
  fact: ConnectorFact;
  spec: readonly FieldSchema[];
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

export type FactOf<K extends Fact["kind"]> = Extract<Fact, { kind: K }>;

export class BuildState {
  readonly tenants = new Map<string, Tenant>();
  readonly inbound = new Map<string, InboundConnector>();
  readonly outbound = new Map<string, OutboundConnector>();
  readonly send = new Map<string, SendConnector>();
  readonly receive = new Map<string, ReceiveConnector>();
  readonly orgs = new Map<string, Organization>();
  readonly certificates = new Map<string, Certificate>();
  readonly hybridConfigurations = new Map<string, MailFlowModel["hybridConfigurations"][number]>();
  readonly model = emptyModel();
  defaultTenant: string = UNNAMED_TENANT;
  defaultOrg: string = UNNAMED_ORG;
  /** Tenants and organisations the facts name, for the defaults of scripts that name none. */
  readonly tenantNames = new Set<string>();
  readonly orgNames = new Set<string>();
  /** Server host → organisation id, from organisation descriptors: a script run on ex01 acts on ex01's organisation. */
  readonly serverOrg = new Map<string, string>();
  /** Organisation references that no descriptor's server claimed when they were resolved. */
  readonly unclaimedOrgRefs = new Set<string>();
  /** Organisations a descriptor describes (by its own id). */
  readonly describedOrgs = new Set<string>();
  /** Entities by the resources in their provenance, and what each resource's facts could not verify. */
  readonly byUrn = new Map<string, Set<object>>();
  readonly unverifiableByUrn = new Map<string, Unverifiable[]>();
  /** Entities changed since the last `settle()`. */
  readonly touched = new Set<object>();
  /** Advisories the model adds (not facts): per connector, kept in step as connectors change. */
  readonly advisories = new Map<object, Unverifiable[]>();
  /** Connectors of scripts that name no owner: their advisory says how many owners the stack names. */
  readonly unnamedOwner = new Set<object>();
  /** Send connectors naming a certificate reference the model could not resolve yet. */
  readonly pendingRefs = new Set<SendConnector>();
  namesCounted = { tenants: 0, orgs: 0 };
  /** Connectors a `Set-*` found missing: created outside the stack, until a `New-*` of the stack creates them. */
  readonly createdOutside = new WeakSet<object>();
  /** `Set-*`/`Remove-*` of a connector no `New-*` had created yet (by kind and key): they apply after its creation. */
  readonly changesBeforeCreation = new Map<string, ConnectorFact[]>();
  /** Pipelines from `Get-*Connector` applied so far: a connector another resource creates later is one they find too. */
  readonly selections: Selection[] = [];
  /** Certificates by the ways a script refers to them, first in model order kept. */
  readonly certificateRefs = new Map<string, Certificate>();
  /** Which kind each live entity is; an entity that is not here has left the model. */
  readonly kinds = new Map<object, EntityKind>();
  private readonly order = new WeakMap<object, number>();
  private created = 0;

  /**
   * `tracking`: remember which entities change and which resources state them, for a model that
   * goes on growing; a model built at once settles everything once instead.
   */
  constructor(
    readonly options: BuildOptions,
    readonly tracking: boolean,
  ) {}

  /** Creation order of an entity: lists in the model are in this order. */
  orderOf(e: object): number {
    return this.order.get(e) ?? Number.MAX_SAFE_INTEGER;
  }

  /** Remembers that `provenance`'s resource states `entity` (and that the entity changed). */
  note<E extends object>(entity: E, provenance?: Provenance): E {
    if (!this.tracking) return entity;
    this.touched.add(entity);
    if (provenance) {
      let set = this.byUrn.get(provenance.urn);
      if (!set) this.byUrn.set(provenance.urn, (set = new Set()));
      set.add(entity);
    }
    return entity;
  }

  /** Puts a new entity under `key`, where the entity it replaces was (New-* on an existing name), or last. */
  place<E extends object>(map: Map<string, E>, list: E[], key: string, entity: E, kind: EntityKind): void {
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

  drop<E extends object>(map: Map<string, E>, list: E[], key: string): void {
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
}
