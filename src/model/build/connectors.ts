/**
 * Connectors: New-/Set-/Remove- of inbound, outbound, Send and Receive connectors on their owner's
 * connector of that name, and `Get-*Connector | Set-*Connector` pipelines, which also change the
 * connectors other resources create later.
 */
import { CONNECTOR_FIELDS, type ConnectorKind, type FieldSchema } from "../fields";
import type { InboundConnectorFact, OutboundConnectorFact, ReceiveConnectorFact, SendConnectorFact } from "../facts";
import { identityName, lower } from "../normalize";
import { selects } from "../selection";
import { UNKNOWN_ORG, UNKNOWN_TENANT, UNNAMED_ORG, UNNAMED_TENANT, type Provenance } from "../types";
import { applyFields, mergeUnknown } from "./normalise-fields";
import { organizationEntity, orgId, tenantOfConnector } from "./owners";
import { ownerOf, type BuildState, type Connector, type ConnectorFact, type EntityKind, type Selection } from "./state";

const INBOUND_FIELDS = CONNECTOR_FIELDS.inbound;
const OUTBOUND_FIELDS = CONNECTOR_FIELDS.outbound;
const SEND_FIELDS = CONNECTOR_FIELDS.send;
const RECEIVE_FIELDS = CONNECTOR_FIELDS.receive;

/**
 * New-/Set-/Remove- on one connector map: the same life cycle for every connector kind. A `Set-*` or
 * `Remove-*` that finds no connector the stack created acts on one created outside the stack — until
 * another resource of the stack creates it: then the change applies to that connector, after its
 * creation, whatever order the resources arrive in (a script cannot change a connector before it
 * exists; on a later deployment it changes the stack's). Statements of one script keep their order.
 */
function upsert<C extends Connector>(
  state: BuildState,
  map: Map<string, C>,
  list: C[],
  kind: EntityKind,
  key: string,
  f: ConnectorFact,
  create: () => C,
  spec: readonly FieldSchema[],
): void {
  const outside = `${kind}\u0000${key}`;
  let c = map.get(key);
  const createdHere = c !== undefined && !state.createdOutside.has(c);
  if (f.op !== "new" && !createdHere) {
    const pending = state.changesBeforeCreation.get(outside) ?? [];
    pending.push(f);
    state.changesBeforeCreation.set(outside, pending);
  }
  if (f.op === "remove") {
    state.drop(map, list, key);
    return;
  }
  const created = !c || f.op === "new";
  if (!c || f.op === "new") {
    c = create();
    state.place(map, list, key, c, kind);
    if (f.op !== "new") state.createdOutside.add(c);
  }
  applyChange(state, c, f, spec);
  // Another resource's pipeline finds this connector too (the order resources register in is not the order scripts run in).
  if (created) for (const s of state.selections) if (s.kind === kind && s.fact.provenance.urn !== f.provenance.urn) applySelected(state, s, c);
  if (f.op !== "new") return;
  for (const earlier of state.changesBeforeCreation.get(outside) ?? []) {
    if (earlier.provenance.urn === f.provenance.urn) continue;
    if (earlier.op === "remove") {
      state.drop(map, list, key);
      return;
    }
    applyChange(state, c, earlier, spec);
  }
}

function applyChange(state: BuildState, c: Connector, f: ConnectorFact, spec: readonly FieldSchema[]): void {
  applyFields(c as unknown as Record<string, unknown>, f.fields as Record<string, unknown>, spec);
  mergeUnknown(c, f.fields, f.unknown);
  c.provenance.push(f.provenance);
  state.note(c, f.provenance);
}

/**
 * `Get-SendConnector [| Where-Object …] | Set-SendConnector …`: the change applies to every connector
 * of that kind the facts know, of the owner the script acts on (every owner when it names none and
 * the stack names several, or it is only known at deploy time), whose name passes the filter.
 */
function applySelection(state: BuildState, kind: ConnectorKind, map: Map<string, Connector>, owner: string, f: ConnectorFact, spec: readonly FieldSchema[]): void {
  const placeholder = owner === UNNAMED_ORG || owner === UNNAMED_TENANT || owner === UNKNOWN_ORG || owner === UNKNOWN_TENANT;
  const s: Selection = { kind, ...(placeholder ? {} : { owner }), fact: f, spec };
  state.selections.push(s);
  for (const c of [...map.values()]) applySelected(state, s, c);
}

function applySelected(state: BuildState, s: Selection, c: Connector): void {
  const owner = ownerOf(c, s.kind);
  if ((s.owner !== undefined && owner !== s.owner) || !s.fact.selection || !selects(s.fact.selection, c.name)) return;
  applyChange(state, c, s.fact, s.spec);
}

export function applyInbound(state: BuildState, f: InboundConnectorFact): void {
  if (f.selection) return applySelection(state, "inbound", state.inbound, lower(f.tenant ?? state.defaultTenant), f, INBOUND_FIELDS);
  const tenant = tenantOfConnector(state, f.tenant ?? state.defaultTenant, f.provenance).id;
  upsert(state, state.inbound, state.model.inboundConnectors, "inbound", connectorKey(tenant, f), f, () => ({
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

export function applyOutbound(state: BuildState, f: OutboundConnectorFact): void {
  if (f.selection) return applySelection(state, "outbound", state.outbound, lower(f.tenant ?? state.defaultTenant), f, OUTBOUND_FIELDS);
  const tenant = tenantOfConnector(state, f.tenant ?? state.defaultTenant, f.provenance).id;
  upsert(state, state.outbound, state.model.outboundConnectors, "outbound", connectorKey(tenant, f), f, () => ({
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

export function applySend(state: BuildState, f: SendConnectorFact): void {
  if (f.selection) return applySelection(state, "send", state.send, orgId(state, f.org ?? state.defaultOrg), f, SEND_FIELDS);
  const org = organizationEntity(state, f.org ?? state.defaultOrg, f.provenance).id;
  upsert(state, state.send, state.model.sendConnectors, "send", connectorKey(org, f), f, () => ({
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

export function applyReceive(state: BuildState, f: ReceiveConnectorFact): void {
  if (f.selection) return applySelection(state, "receive", state.receive, orgId(state, f.org ?? state.defaultOrg), f, RECEIVE_FIELDS);
  const org = organizationEntity(state, f.org ?? state.defaultOrg, f.provenance).id;
  upsert(state, state.receive, state.model.receiveConnectors, "receive", connectorKey(org, f), f, () => ({ org, name: f.identity.trim(), tlsDomainCapabilities: [], unknown: [], provenance: [] }), RECEIVE_FIELDS);
}

/**
 * The connector a fact changes, under the key the builder files it (kind, owner, name), without
 * changing the state; undefined for a pipeline, which changes every connector it selects whenever
 * it is created. For the whole-stack pass, which must know which resources change the same object.
 */
export function connectorKeyOf(state: BuildState, f: ConnectorFact): string | undefined {
  if (f.selection) return undefined;
  const cloud = f.kind === "inbound-connector" || f.kind === "outbound-connector";
  const owner = cloud ? lower((f as InboundConnectorFact).tenant ?? state.defaultTenant) : peekOrgId(state, (f as SendConnectorFact).org ?? state.defaultOrg);
  return `${f.kind}\u0000${connectorKey(owner, f)}`;
}

/** An organisation's id as `orgId` gives it, without recording the reference. */
export function peekOrgId(state: BuildState, id: string): string {
  const key = lower(id);
  return state.serverOrg.get(key) ?? key;
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
