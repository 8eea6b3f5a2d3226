/** R1 — one certificate serves both the hybrid connector and an internet connector. */
import { effectiveCertificates } from "../engine/certificates";
import { sendConnectorsPinnedTo, sendConnectorsReferencing } from "../engine/lookups";
import { presentsItself, sendConnectorsUsing, sendConnectorsUsingKeyOf } from "../engine/reverse";
import { thumbprintOf } from "../model/certificate-ref";
import type { Certificate, Focus, MailFlowModel, SendConnector } from "../model/types";
import { defineRule, type Report } from "./utils/define-rule";
import { dedicatedPlans, withOwnCertificate } from "./utils/plans";
import { certificateKey, describeCertificate, describeSend, hybridTenants, inModelOrder, SOURCES } from "./utils/support";

export const sharedCertificateHybridAndInternet = defineRule(
  {
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
  ({ model, about, report, reported }) => {
    for (const hybrid of about ? hybridsConcerned(model, about) : model.sendConnectors) {
      const tenants = hybridTenants(model, hybrid);
      if (!hybrid.enabled || tenants.length === 0) continue;
      for (const { presenter, shared, identity } of presentersSharing(model, hybrid)) {
        if (presenter === hybrid) continue;
        const key = [hybrid.org, hybrid.name.toLowerCase(), presenter.org, presenter.name.toLowerCase()];
        if (reported(key)) continue;
        report(finding(model, hybrid, presenter, tenants[0]!, shared ? describeCertificate(shared) : identity!, key, shared));
      }
    }
  },
);

/**
 * Connectors Exchange Online sees on the internet path (they deliver internet mail themselves, or a
 * connector relays through them) that present a certificate with the identity of one `hybrid`
 * presents, or the certificate its TlsCertificateName names, or the certificate both name by the same
 * reference (`"<I>$($c.Issuer)<S>$($c.Subject)"` of one `Get-ExchangeCertificate -Thumbprint X`): the
 * identity decides, a certificate declaration only adds its names (issue 23). `shared` is the first
 * such certificate the stack describes; otherwise `identity` says what both present.
 */
function presentersSharing(model: MailFlowModel, hybrid: SendConnector): Array<{ presenter: SendConnector; shared?: Certificate; identity?: string }> {
  const out: Array<{ presenter: SendConnector; shared?: Certificate; identity?: string }> = [];
  const effective = effectiveCertificates(model, hybrid).certificates;
  for (const c of effective) {
    for (const presenter of sendConnectorsUsingKeyOf(model, certificateKey(c))) if (presentsItself(model, presenter)) out.push({ presenter, shared: c });
  }
  const named = hybrid.tlsCertificateName;
  if (named) for (const presenter of sendConnectorsPinnedTo(model, named)) if (presentsItself(model, presenter)) out.push({ presenter, identity: `the certificate ${named.raw}` });
  for (const ref of undescribedReferences(model, hybrid, effective)) {
    for (const presenter of sendConnectorsReferencing(model, ref)) if (presentsItself(model, presenter)) out.push({ presenter, identity: `the certificate ${describeReference(ref)}` });
  }
  return out;
}

/** Certificates a connector names by thumbprint that the stack does not describe (a descriptor named by reference is waited for). */
const undescribedReferences = (model: MailFlowModel, s: SendConnector, effective: readonly Certificate[]): string[] =>
  s.certificateIds.filter((id) => thumbprintOf(id) !== undefined && !effective.some((c) => c.id === id || certificateKey(c) === id) && sendConnectorsReferencing(model, id).length > 1);

/** `thumbprint:ABCD…` → "with thumbprint ABCD…". */
const describeReference = (ref: string): string => `with thumbprint ${thumbprintOf(ref)}`;

/** Hybrid connectors whose findings may name what a resource states: its own, those sharing with its presenters, those using its certificates. */
function hybridsConcerned(model: MailFlowModel, about: Focus): SendConnector[] {
  const hybrids: SendConnector[] = [...about.send, ...about.certificates.flatMap((c) => sendConnectorsUsing(model, c))];
  for (const presenter of about.send) {
    if (!presentsItself(model, presenter)) continue;
    for (const c of effectiveCertificates(model, presenter).certificates) hybrids.push(...sendConnectorsUsingKeyOf(model, certificateKey(c)));
    const named = presenter.tlsCertificateName;
    if (named) hybrids.push(...sendConnectorsPinnedTo(model, named));
    for (const ref of presenter.certificateIds) hybrids.push(...sendConnectorsReferencing(model, ref));
  }
  return inModelOrder(model, hybrids);
}

function finding(
  model: MailFlowModel,
  hybrid: SendConnector,
  internet: SendConnector,
  tenant: string,
  what: string,
  key: string[],
  certificate?: Certificate,
): Report {
  return {
    at: [hybrid, internet, certificate],
    key,
    what: `Hybrid ${describeSend(hybrid)} (to tenant ${tenant}) and internet ${describeSend(internet)} both present ${what}.`,
    flow:
      `mail sent through '${internet.name}' to an Exchange Online recipient of another tenant presents the hybrid identity of ${tenant}, ` +
      `so Exchange Online attributes it to ${tenant} (or cannot tell the two paths apart) instead of delivering it to the recipient's tenant.`,
    consequence:
      `Mail to other Exchange Online tenants enters ${tenant} first: NDRs, SPF failures and foreign transport rules, or a silent discard ` +
      `when the recipient tenant never sees it (gateway logs success, recipient has no trace).`,
    plans: withOwnCertificate(model, dedicatedPlans(model, tenant, { hybrids: [hybrid], ...(certificate ? { avoid: certificate } : {}) }), internet, certificate),
  };
}
