/** Shared by R3 and R12: when the wildcard the Hybrid Configuration Wizard writes is harmless today. */
import { certificatesMatching } from "../../engine/indexes";
import { nameMatches } from "../../engine/names";
import type { InboundConnector, MailFlowModel } from "../../model/types";
import { internetIdentityNames } from "./internet-identity";
import { hybridPresentations } from "./support";

/**
 * HCW writes the wildcard on purpose (FAQ #6(a)). Such a connector is not blocked when the model shows
 * the wildcard matches only the dedicated hybrid certificate: no internet identity and no other
 * certificate matches it. R12 then gives FAQ #6(b)'s hardening advice instead.
 */
export function isDedicatedHybridWildcard(model: MailFlowModel, ic: InboundConnector): boolean {
  if (ic.connectorSource?.toLowerCase() !== "hybridwizard" || !ic.tlsSenderCertificateName?.startsWith("*.")) return false;
  const pattern = ic.tlsSenderCertificateName;
  if (internetIdentityNames(model).some((n) => nameMatches(pattern, n.name))) return false;
  const matching = certificatesMatching(model, pattern);
  const hybridCertIds = new Set(hybridPresentations(model).map((h) => h.certificate.id));
  return matching.length > 0 && matching.every((c) => hybridCertIds.has(c.id));
}
