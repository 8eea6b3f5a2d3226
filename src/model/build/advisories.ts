/**
 * Advisories the model adds about connectors it cannot place (not facts), kept in step as
 * connectors change: settled after each batch of facts, with certificate references resolved.
 */
import type { ConnectorKind } from "../fields";
import { UNNAMED_ORG, UNNAMED_TENANT, type SendConnector, type Unverifiable } from "../types";
import { resolveRefs } from "./certificates";
import { isCloudKind, isConnectorKind, ownerOf, type BuildState, type Connector } from "./state";

/**
 * Brings what depends on changed entities up to date (resolved certificate references, the
 * model's advisories) and returns the entities changed since the last call, removed ones included.
 */
export function settle(state: BuildState): object[] {
  const counted = { tenants: state.tenantNames.size, orgs: state.orgNames.size };
  // Whether a silent script's connector is worth an advisory depends on how many owners the stack names.
  const recount = counted.tenants !== state.namesCounted.tenants || counted.orgs !== state.namesCounted.orgs;
  state.namesCounted = counted;
  const changed = state.tracking ? [...state.touched] : [...state.kinds.keys()];
  state.touched.clear();
  for (const e of recount ? [...changed, ...state.unnamedOwner] : changed) {
    const kind = state.kinds.get(e);
    if (kind === "send") resolveRefs(state, e as SendConnector);
    if (!isConnectorKind(kind)) continue;
    const owner = ownerOf(e as Connector, kind);
    if (owner === UNNAMED_TENANT || owner === UNNAMED_ORG) state.unnamedOwner.add(e);
    else state.unnamedOwner.delete(e);
    const advisories = connectorAdvisories(state, e as Connector, kind);
    if (advisories.length > 0) state.advisories.set(e, advisories);
    else state.advisories.delete(e);
  }
  return changed;
}

/**
 * What the model cannot place about a connector, said on the resource that created it:
 * - a script that names no tenant (organisation) while the facts name several: checks that compare
 *   owners cannot place it;
 * - a `Set-*` on a connector the stack does not create: what decides whether checks apply (an
 *   inbound connector's type, a Send connector's address spaces) is not known, so they leave it out.
 */
function connectorAdvisories(state: BuildState, c: Connector, kind: ConnectorKind): Unverifiable[] {
  const out: Unverifiable[] = [];
  const provenance = c.provenance[0];
  if (!provenance) return out;
  const cloud = isCloudKind(kind);
  const owner = ownerOf(c, kind);
  const names = cloud ? state.tenantNames : state.orgNames;
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
