/** Shared by the two IP rules (R6): where an OnPremises connector's sender IPs are also used. */
import { presentedIdentities } from "../engine/certificates";
import { rangesOverlap } from "../engine/ip";
import type { InboundConnector, MailFlowModel, Organization, Provenance } from "../model/types";
import { hybridTenants, isInternetPath, isKnownOnPremises, knownDistinct } from "./support";

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
  if (model.sendConnectors.some((s) => s.org === org.id && hybridTenants(model, s).includes(tenant))) return true;
  if (org.kind !== "gateway" || org.relaysFor.length === 0 || seen.has(org.id)) return false;
  seen.add(org.id);
  return org.relaysFor.every((id) => {
    const relayed = model.organizations.find((o) => o.id === id);
    return relayed !== undefined && ownsOrg(model, tenant, relayed, seen);
  });
}

export function ipOverlaps(model: MailFlowModel): IpOverlap[] {
  const out: IpOverlap[] = [];
  for (const ic of model.inboundConnectors.filter(isIpBased)) {
    const hit = (ips: readonly string[]): string | undefined => ic.senderIpAddresses.find((a) => ips.some((b) => rangesOverlap(a, b)));
    for (const other of model.inboundConnectors) {
      if (!knownDistinct(other.tenant, ic.tenant) || !isKnownOnPremises(other)) continue;
      const ip = hit(other.senderIpAddresses);
      if (ip) out.push({ kind: "other-tenant-connector", ip, other: `connector '${other.name}' of tenant ${other.tenant}`, provenance: other.provenance, connector: ic });
    }
    for (const org of model.organizations) {
      const ip = hit(org.egressIps);
      if (!ip) continue;
      if (org.sharedEgress) out.push({ kind: "shared-egress", ip, other: `${org.name} (shared egress)`, provenance: org.provenance, connector: ic });
      else if (!ownsOrg(model, ic.tenant, org)) out.push({ kind: "foreign-egress", ip, other: `${org.kind} ${org.name}`, provenance: org.provenance, connector: ic });
    }
    for (const s of model.sendConnectors) {
      if (!isInternetPath(model, s)) continue;
      for (const identity of presentedIdentities(model, s)) {
        const presenterOrg = model.organizations.find((o) => o.id === identity.connector.org);
        const ip = hit([...identity.egressIps, ...(presenterOrg?.egressIps ?? [])]);
        if (ip) {
          out.push({
            kind: "internet-egress",
            ip,
            other: `internet connector '${identity.connector.name}' of ${identity.connector.org}`,
            provenance: [...s.provenance, ...identity.connector.provenance],
            connector: ic,
          });
        }
      }
    }
  }
  return out;
}
