/** R7 — a certificate on the hybrid path, or matched by an OnPremises connector, is not publicly trusted. */
import { presentedIdentities } from "../engine/certificates";
import { connectorsAccepting } from "../engine/indexes";
import { certificateNames } from "../engine/names";
import type { Finding } from "../findings/types";
import type { Certificate, MailFlowModel } from "../model/types";
import { dedicatedCertificateFix } from "./remediation";
import { describeCertificate, fingerprint, hybridPresentations, isKnownOnPremises, provenanceOf, SOURCES } from "./support";
import type { Rule } from "./types";

const UNTRUSTED = new Set(["self-signed", "private-ca"]);

interface Use {
  certificate: Certificate;
  why: string;
  tenant: string;
  connector: { provenance: Certificate["provenance"] };
}

function uses(model: MailFlowModel): Use[] {
  const out: Use[] = [];
  for (const h of hybridPresentations(model)) {
    out.push({ certificate: h.certificate, why: `the hybrid connector '${h.connector.name}' of ${h.connector.org} presents it`, tenant: h.tenant, connector: h.connector });
  }
  for (const s of model.sendConnectors) {
    for (const identity of presentedIdentities(model, s)) {
      for (const c of identity.certificates) {
        const ic = certificateNames(c)
          .flatMap((n) => connectorsAccepting(model, n))
          .find((i) => isKnownOnPremises(i));
        if (ic) out.push({ certificate: c, why: `OnPremises connector '${ic.name}' of ${ic.tenant} accepts it`, tenant: ic.tenant, connector: ic });
      }
    }
  }
  return out;
}

export const untrustedCertificateOnHybridPath: Rule = {
  meta: {
    id: "untrusted-certificate-on-hybrid-path",
    code: "R7",
    severity: "high",
    description:
      "Certificates on the hybrid path, or accepted by an OnPremises connector, must come from a publicly trusted CA: Exchange Online does not accept self-signed or private-CA certificates there.",
    remediationSteps: "Replace the certificate with a dedicated certificate from a public CA and send the full chain.",
    sources: [SOURCES.certificateRequirements, SOURCES.caSignedReply, SOURCES.silentDiscard],
    crossResource: true,
  },
  check({ model }) {
    const findings = new Map<string, Finding>();
    for (const u of uses(model)) {
      if (!UNTRUSTED.has(u.certificate.trust)) continue;
      const key = fingerprint("R7", u.certificate.id);
      if (findings.has(key)) continue;
      const internet = model.sendConnectors.find((s) => s.certificateIds.includes(u.certificate.id)) ?? model.sendConnectors[0]!;
      findings.set(key, {
        ruleId: "untrusted-certificate-on-hybrid-path",
        severity: "high",
        what: `${describeCertificate(u.certificate)} is ${u.certificate.trust === "self-signed" ? "self-signed" : "issued by a private CA"}, and ${u.why}.`,
        flow: `mail presenting it to Exchange Online is not matched by certificate (550 5.7.64 TenantAttribution) and falls back to IP and MAIL FROM attribution.`,
        consequence: "Hybrid mail is refused or misattributed; combined with an IP-based connector on the same egress it is the silent-discard set-up.",
        fix: dedicatedCertificateFix(model, undefined, internet, u.tenant, u.certificate.subjectCN),
        provenance: provenanceOf(u.certificate, u.connector),
        fingerprint: key,
      });
    }
    return [...findings.values()];
  },
};
