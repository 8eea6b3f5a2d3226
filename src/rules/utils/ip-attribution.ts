/** Shared by the two IP rules (R6): where an OnPremises connector's sender IPs are also used. */
import { inboundConnectorsWithSenderIps, organizationById, sendConnectorsOf } from "../../engine/lookups";
import { rangesOverlap } from "../../engine/ip";
import { presentsItself } from "../../engine/reverse";
import type { Focus, InboundConnector, MailFlowModel, Organization, Provenance, SendConnector } from "../../model/types";
import { hybridTenants, isKnownOnPremises, knownDistinct } from "./support";

export interface IpOverlap {
  kind: "other-tenant-connector" | "foreign-egress" | "shared-egress" | "internet-egress";
  ip: string;
  other: string;
  provenance: Provenance[];
  connector: InboundConnector;
}

/** An IP-based OnPremises connector: identified by sender IPs, no certificate name. */
export const isIpBased = (ic: InboundConnector): boolean =>
  isKnownOnPremises(ic) && !ic.tlsSenderCertificateName && !ic.unknown.includes("tlsSenderCertificateName") && ic.senderIpAddresses.length > 0;

function ownsOrg(model: MailFlowModel, tenant: string, org: Organization, seen = new Set<string>()): boolean {
  if (org.tenant === tenant) return true;
  if (sendConnectorsOf(model, org.id).some((s) => hybridTenants(model, s).includes(tenant))) return true;
  if (org.kind !== "gateway" || org.relaysFor.length === 0 || seen.has(org.id)) return false;
  seen.add(org.id);
  return org.relaysFor.every((id) => {
    const relayed = organizationById(model, id);
    return relayed !== undefined && ownsOrg(model, tenant, relayed, seen);
  });
}

/**
 * Where IP-based OnPremises connectors' sender IPs are also used. `about` (the resource pass): only
 * overlaps that name what one resource states — all of an IP-based connector it states, and for the
 * others only the connectors, organisations and internet connectors it states.
 */
export function ipOverlaps(model: MailFlowModel, about?: Focus): IpOverlap[] {
  const out: IpOverlap[] = [];
  // Internet egress is the egress of the connector Exchange Online sees (whoever's mail it carries).
  const presenters = (connectors: readonly SendConnector[]) => connectors.filter((s) => presentsItself(model, s));
  let everything: { inbound: readonly InboundConnector[]; organizations: readonly Organization[]; internet: SendConnector[] } | undefined;
  const stated = about && { inbound: about.inbound, organizations: about.organizations, internet: presenters(about.send) };
  for (const ic of inboundConnectorsWithSenderIps(model).filter(isIpBased)) {
    // The whole model only for an IP-based connector the resource states (once per such connector).
    const partners = stated && !about!.has(ic) ? stated : (everything ??= { inbound: model.inboundConnectors, organizations: model.organizations, internet: presenters(model.sendConnectors) });
    const hit = (ips: readonly string[]): string | undefined => ic.senderIpAddresses.find((a) => ips.some((b) => rangesOverlap(a, b)));
    for (const other of partners.inbound) {
      if (!knownDistinct(other.tenant, ic.tenant) || !isKnownOnPremises(other)) continue;
      const ip = hit(other.senderIpAddresses);
      if (ip) out.push({ kind: "other-tenant-connector", ip, other: `connector '${other.name}' of tenant ${other.tenant}`, provenance: other.provenance, connector: ic });
    }
    for (const org of partners.organizations) {
      const ip = hit(org.egressIps);
      if (!ip) continue;
      if (org.sharedEgress) out.push({ kind: "shared-egress", ip, other: `${org.name} (shared egress)`, provenance: org.provenance, connector: ic });
      else if (!ownsOrg(model, ic.tenant, org)) out.push({ kind: "foreign-egress", ip, other: `${org.kind} ${org.name}`, provenance: org.provenance, connector: ic });
    }
    for (const p of partners.internet) {
      const ip = hit([...p.egressIps, ...(organizationById(model, p.org)?.egressIps ?? [])]);
      if (ip) out.push({ kind: "internet-egress", ip, other: `internet connector '${p.name}' of ${p.org}`, provenance: p.provenance, connector: ic });
    }
  }
  return out;
}
