/** R3 — an OnPremises inbound connector trusts a wildcard certificate name. */
import { certificatesMatching } from "../engine/indexes";
import { nameMatches } from "../engine/names";
import type { Finding } from "../findings/types";
import type { InboundConnector, MailFlowModel } from "../model/types";
import { internetIdentityNames } from "./utils/internet-identity";
import { exactInboundNameFix } from "./utils/remediation";
import { describeInbound, fingerprint, hybridPresentations, isKnownOnPremises, provenanceOf, SOURCES } from "./utils/support";
import type { Rule } from "./utils/define-rule";

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

export const wildcardOnPremisesCertificateName: Rule = {
  meta: {
    id: "wildcard-onpremises-certificate-name",
    code: "R3",
    severity: "high",
    description:
      "An OnPremises inbound connector must name the exact hybrid certificate, not a wildcard: every certificate under that domain would be attributed to the tenant.",
    remediationSteps:
      "Issue a dedicated hybrid certificate, add its exact host name as an accepted domain, set TlsSenderCertificateName to that exact name, and keep gateways and internet connectors on other certificates.",
    sources: [SOURCES.attribution, SOURCES.attributionJa, SOURCES.wildcardReply, SOURCES.newInboundConnector],
    crossResource: true,
  },
  check({ model, partial, about }) {
    const findings: Finding[] = [];
    // A finding names only its connector.
    for (const ic of about ? about.inbound : model.inboundConnectors) {
      const pattern = ic.tlsSenderCertificateName;
      if (!isKnownOnPremises(ic) || !pattern?.startsWith("*.")) continue;
      const hcw = ic.connectorSource?.toLowerCase() === "hybridwizard";
      // Whether an HCW wildcard is dedicated needs the whole stack; R2 blocks a real match early.
      if (hcw && (partial || isDedicatedHybridWildcard(model, ic))) continue;
      const base = pattern.slice(2);
      findings.push({
        ruleId: "wildcard-onpremises-certificate-name",
        severity: "high",
        what: `${describeInbound(ic)} has TlsSenderCertificateName ${pattern}.`,
        flow:
          `Any server presenting a certificate for ${base} or any name under it (a gateway such as mx01.${base}, another server, ` +
          `a hosted client's relay) is attributed to tenant ${ic.tenant} as mail originating there, including mail to other Exchange Online tenants.`,
        consequence:
          `Mail that is not ${ic.tenant}'s runs through its transport and journal rules (journaling leak, foreign transport rules) and is relayed by it` +
          (hcw
            ? `. The Hybrid Configuration Wizard wrote this wildcard because the host name is not an accepted domain (FAQ #6(a)); FAQ #6(b) is the fix.`
            : "."),
        fix: exactInboundNameFix(model, ic),
        provenance: provenanceOf(ic),
        fingerprint: fingerprint("R3", ic.tenant, ic.name.toLowerCase()),
      });
    }
    return findings;
  },
};
