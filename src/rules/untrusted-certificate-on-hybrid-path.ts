/** R7 — a certificate on the hybrid path, or matched by an OnPremises connector, is not publicly trusted. */
import { effectiveCertificates, relaysOf } from "../engine/certificates";
import { certificatesMatching, connectorsAccepting } from "../engine/indexes";
import { certificateNames } from "../engine/names";
import { sendConnectorsUsing } from "../engine/reverse";
import type { Certificate, Focus, InboundConnector, MailFlowModel, SendConnector } from "../model/types";
import { defineRule } from "./utils/define-rule";
import { dedicatedPlans } from "./utils/plans";
import { describeCertificate, hybridTenants, inModelOrder, isKnownOnPremises, SOURCES } from "./utils/support";

const UNTRUSTED = new Set(["self-signed", "private-ca"]);

interface Use {
  certificate: Certificate;
  why: string;
  tenant: string;
  connector: { provenance: Certificate["provenance"] };
  /** The hybrid connector that presents it, when one does. */
  hybrid?: SendConnector;
}

/**
 * Why a certificate matters on the hybrid path: the first hybrid connector (in model order) that
 * presents it, else the first OnPremises connector that accepts one of its names when some
 * connector presents it (one that relays through nobody presents its own certificates).
 */
function firstUse(model: MailFlowModel, c: Certificate): Use | undefined {
  const users = sendConnectorsUsing(model, c);
  const hybrid = users.find((s) => s.enabled && hybridTenants(model, s).length > 0);
  if (hybrid) return { certificate: c, why: `the hybrid connector '${hybrid.name}' of ${hybrid.org} presents it`, tenant: hybridTenants(model, hybrid)[0]!, connector: hybrid, hybrid };
  if (!users.some((s) => relaysOf(s).length === 0)) return undefined;
  const ic = certificateNames(c)
    .flatMap((n) => connectorsAccepting(model, n))
    .find((i) => isKnownOnPremises(i));
  return ic ? { certificate: c, why: `OnPremises connector '${ic.name}' of ${ic.tenant} accepts it`, tenant: ic.tenant, connector: ic } : undefined;
}

/** Certificates whose findings may name what a resource states: its own, its Send connectors', those its OnPremises connectors accept. */
function certificatesConcerned(model: MailFlowModel, about: Focus): Certificate[] {
  return inModelOrder(model, [
    ...about.certificates,
    ...about.send.flatMap((s) => effectiveCertificates(model, s).certificates),
    ...about.inbound.flatMap((ic) => (ic.tlsSenderCertificateName ? certificatesMatching(model, ic.tlsSenderCertificateName) : [])),
  ]);
}

export const untrustedCertificateOnHybridPath = defineRule(
  {
    id: "untrusted-certificate-on-hybrid-path",
    code: "R7",
    severity: "high",
    description:
      "Certificates on the hybrid path, or accepted by an OnPremises connector, must come from a publicly trusted CA: Exchange Online does not accept self-signed or private-CA certificates there.",
    remediationSteps: "Replace the certificate with a dedicated certificate from a public CA and send the full chain.",
    sources: [SOURCES.certificateRequirements, SOURCES.caSignedReply, SOURCES.silentDiscard],
    crossResource: true,
  },
  ({ model, about, report, reported }) => {
    for (const c of about ? certificatesConcerned(model, about) : model.certificates) {
      if (!UNTRUSTED.has(c.trust)) continue;
      const u = firstUse(model, c);
      if (!u) continue;
      const key = [c.id];
      if (reported(key)) continue;
      report({
        at: [u.certificate, u.connector],
        key,
        what: `${describeCertificate(u.certificate)} is ${u.certificate.trust === "self-signed" ? "self-signed" : "issued by a private CA"}, and ${u.why}.`,
        flow: `mail presenting it to Exchange Online is not matched by certificate (550 5.7.64 TenantAttribution) and falls back to IP and MAIL FROM attribution.`,
        consequence: "Hybrid mail is refused or misattributed; combined with an IP-based connector on the same egress it is the silent-discard set-up.",
        plans: dedicatedPlans(model, u.tenant, { ...(u.hybrid ? { hybrids: [u.hybrid] } : { inbound: [u.connector as InboundConnector] }), avoid: u.certificate }),
      });
    }
  },
);
