/** R1 — one certificate serves both the hybrid connector and an internet connector. */
import { effectiveCertificates, presentedIdentities } from "../engine/certificates";
import type { Finding } from "../findings/types";
import { normalizeDn } from "../model/normalize";
import type { Certificate, CertificateIdentifier, MailFlowModel, SendConnector } from "../model/types";
import { dedicatedCertificateFix } from "./remediation";
import { certificateKey, describeCertificate, describeSend, fingerprint, hybridTenants, isInternetPath, provenanceOf, SOURCES } from "./support";
import type { Rule } from "./types";

const identifierKey = (id: CertificateIdentifier): string => `${normalizeDn(id.issuer)}|${normalizeDn(id.subject)}`;

export const sharedCertificateHybridAndInternet: Rule = {
  meta: {
    id: "shared-certificate-hybrid-and-internet",
    code: "R1",
    severity: "critical",
    description:
      "The hybrid connector and an internet connector must not present the same certificate: Exchange Online cannot tell own-tenant mail from mail for other tenants.",
    remediationSteps:
      "Issue a dedicated, publicly trusted certificate for the hybrid path only; pin it on the hybrid Send connector (-TlsCertificateName, -Fqdn) and in Set-HybridConfiguration; keep the internet connector on its own certificate.",
    sources: [SOURCES.silentDiscard, SOURCES.wildcardReply, SOURCES.mc1226222, SOURCES.hybridTls],
    crossResource: true,
  },
  check({ model }) {
    const findings = new Map<string, Finding>();
    // What each internet-path connector presents to Exchange Online (through a gateway, its last hop).
    const internet = model.sendConnectors.filter((s) => isInternetPath(model, s)).flatMap((s) => presentedIdentities(model, s));
    for (const hybrid of model.sendConnectors) {
      const tenants = hybridTenants(model, hybrid);
      if (!hybrid.enabled || tenants.length === 0) continue;
      const hybridCerts = new Map<string, Certificate>();
      for (const c of effectiveCertificates(model, hybrid).certificates) hybridCerts.set(certificateKey(c), c);
      for (const identity of internet) {
        const presenter = identity.connector;
        if (presenter === hybrid) continue;
        const shared = identity.certificates.find((c) => hybridCerts.has(certificateKey(c)));
        const sameIdentifier =
          !shared &&
          hybrid.tlsCertificateName !== undefined &&
          presenter.tlsCertificateName !== undefined &&
          identifierKey(hybrid.tlsCertificateName) === identifierKey(presenter.tlsCertificateName);
        if (!shared && !sameIdentifier) continue;
        const key = fingerprint("R1", hybrid.org, hybrid.name.toLowerCase(), presenter.org, presenter.name.toLowerCase());
        if (findings.has(key)) continue;
        const what = shared ? describeCertificate(shared) : `the certificate ${hybrid.tlsCertificateName!.raw}`;
        findings.set(key, finding(model, hybrid, presenter, tenants[0]!, what, key, shared));
      }
    }
    return [...findings.values()];
  },
};

function finding(
  model: MailFlowModel,
  hybrid: SendConnector,
  internet: SendConnector,
  tenant: string,
  what: string,
  key: string,
  certificate?: Certificate,
): Finding {
  return {
    ruleId: "shared-certificate-hybrid-and-internet",
    severity: "critical",
    what: `Hybrid ${describeSend(hybrid)} (to tenant ${tenant}) and internet ${describeSend(internet)} both present ${what}.`,
    flow:
      `mail sent through '${internet.name}' to an Exchange Online recipient of another tenant presents the hybrid identity of ${tenant}, ` +
      `so Exchange Online attributes it to ${tenant} (or cannot tell the two paths apart) instead of delivering it to the recipient's tenant.`,
    consequence:
      `Mail to other Exchange Online tenants enters ${tenant} first: NDRs, SPF failures and foreign transport rules, or a silent discard ` +
      `when the recipient tenant never sees it (gateway logs success, recipient has no trace).`,
    fix: dedicatedCertificateFix(model, hybrid, internet, tenant, certificate?.subjectCN),
    provenance: provenanceOf(hybrid, internet, certificate),
    fingerprint: key,
  };
}
