/**
 * What only the whole stack shows cannot be verified: an OnPremises connector's certificate name that
 * cannot be checked against accepted domains because its tenant declares none (R4 then stays silent);
 * an IP-based OnPremises connector that trusts its mail as internal whose sender IPs nobody declares as
 * egress (R6 then stays silent). While resources arrive a descriptor may still come, so this is asked
 * of the whole stack only.
 */
import type { MailFlowModel, Unverifiable } from "../model/types";
import { UNKNOWN_TENANT } from "../model/types";
import { isKnownOnPremises } from "./attribution";
import { rangesOverlap } from "./ip";
import { acceptedDomainCheck } from "./names";

export function stackUnverifiable(model: MailFlowModel): Unverifiable[] {
  const tenants = new Map(model.tenants.map((t) => [t.id, t]));
  const out: Unverifiable[] = [];
  for (const ic of model.inboundConnectors) {
    const name = ic.tlsSenderCertificateName;
    const where = ic.provenance[0];
    if (!name || !where || !isKnownOnPremises(ic) || ic.tenant === UNKNOWN_TENANT) continue;
    const tenant = tenants.get(ic.tenant);
    if (!tenant) continue;
    const check = acceptedDomainCheck(name, tenant);
    if (check.accepted || check.tenantDomainsKnown) continue;
    out.push({
      subject: `inbound connector '${ic.name}' of tenant ${ic.tenant}`,
      property: "TlsSenderCertificateName",
      reason: `tenant ${ic.tenant} declares no accepted domains, so whether ${name} is one cannot be checked (onpremises-certificate-name-not-accepted-domain); declare them with a Tenant descriptor or under mailflow-inventory.tenants`,
      known: "never",
      provenance: where,
    });
  }
  out.push(...unownedSenderIps(model));
  return out;
}

/**
 * An OnPremises inbound connector identified by IP alone that treats its mail as internal
 * (TreatMessagesAsInternal, CloudServicesMailEnabled): whether anyone else sends from its IPs decides
 * whether other senders' mail is attributed to the tenant as internal (exo-attribution.md §2, R6), and
 * that can only be checked against egress the stack declares. IPs no organisation, gateway or
 * sharedEgressIps entry claims are named, with what to declare.
 */
function unownedSenderIps(model: MailFlowModel): Unverifiable[] {
  const out: Unverifiable[] = [];
  let egress: string[] | undefined;
  for (const ic of model.inboundConnectors) {
    const where = ic.provenance[0];
    const trustsAsInternal = ic.treatMessagesAsInternal === true || ic.cloudServicesMailEnabled === true;
    const ipBased = !ic.tlsSenderCertificateName && !ic.unknown.includes("tlsSenderCertificateName") && ic.senderIpAddresses.length > 0;
    if (!where || !trustsAsInternal || !ipBased || !isKnownOnPremises(ic)) continue;
    egress ??= [...model.organizations.flatMap((o) => o.egressIps), ...model.sendConnectors.flatMap((s) => s.egressIps)];
    const unowned = ic.senderIpAddresses.filter((ip) => !egress!.some((e) => rangesOverlap(ip, e)));
    if (unowned.length === 0) continue;
    const flag = ic.treatMessagesAsInternal === true ? "TreatMessagesAsInternal" : "CloudServicesMailEnabled";
    out.push({
      subject: `inbound connector '${ic.name}' of tenant ${ic.tenant}`,
      property: "SenderIPAddresses",
      reason:
        `it is identified by IP alone and sets ${flag}, but no one in the stack declares ${unowned.slice(0, 4).join(", ")}${unowned.length > 4 ? ", …" : ""} as their egress, so whether other senders share them cannot be verified (ip-based-onpremises-connector-shared-ip); ` +
        "declare the organisation they belong to (egressIps of its Organization or Gateway descriptor), or list them under mailflow-inventory.sharedEgressIps if others send from them too",
      known: "never",
      provenance: where,
    });
  }
  return out;
}
