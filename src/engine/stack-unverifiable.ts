/**
 * What only the whole stack shows cannot be verified: an OnPremises connector's certificate name that
 * cannot be checked against accepted domains because its tenant declares none (R4 then stays silent).
 * While resources arrive a Tenant descriptor may still come, so this is asked of the whole stack only.
 */
import type { MailFlowModel, Unverifiable } from "../model/types";
import { UNKNOWN_TENANT } from "../model/types";
import { isKnownOnPremises } from "./attribution";
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
  return out;
}
