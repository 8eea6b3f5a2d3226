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
    // Internet identities by certificate and by certificate identifier, so each hybrid connector is one lookup.
    const byCertificate = new Map<string, typeof internet>();
    const byIdentifier = new Map<string, typeof internet>();
    const add = (map: Map<string, typeof internet>, key: string, identity: (typeof internet)[number]) => map.set(key, [...(map.get(key) ?? []), identity]);
    for (const identity of internet) {
      for (const c of identity.certificates) add(byCertificate, certificateKey(c), identity);
      if (identity.connector.tlsCertificateName) add(byIdentifier, identifierKey(identity.connector.tlsCertificateName), identity);
    }
    for (const hybrid of model.sendConnectors) {
      const tenants = hybridTenants(model, hybrid);
      if (!hybrid.enabled || tenants.length === 0) continue;
      const candidates: Array<{ identity: (typeof internet)[number]; shared?: Certificate }> = [];
      for (const c of effectiveCertificates(model, hybrid).certificates) for (const identity of byCertificate.get(certificateKey(c)) ?? []) candidates.push({ identity, shared: c });
      if (hybrid.tlsCertificateName) for (const identity of byIdentifier.get(identifierKey(hybrid.tlsCertificateName)) ?? []) candidates.push({ identity });
      for (const { identity, shared } of candidates) {
        const presenter = identity.connector;
        if (presenter === hybrid) continue;
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
