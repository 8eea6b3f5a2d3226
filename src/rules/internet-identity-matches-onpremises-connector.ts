/** R2 — what the internet path presents satisfies an OnPremises inbound connector: foreign mail is attributed to that tenant. */
import { attribute } from "../engine/attribution";
import { connectorsAccepting, indexesOf } from "../engine/indexes";
import { nameMatches } from "../engine/names";
import type { Finding } from "../findings/types";
import type { InboundConnector, MailFlowModel, SendConnector } from "../model/types";
import { internetIdentityNames, type InternetName } from "./internet-identity";
import { dedicatedCertificateFix } from "./remediation";
import { acceptedDomainVerdict, describeCertificate, describeInbound, describeSend, fingerprint, hybridTenants, isKnownOnPremises, provenanceOf, SOURCES } from "./support";
import type { Rule } from "./types";

/** Mail domains whose mail leaves through `s`: its organisation's, and those of organisations a gateway relays for. */
export function senderDomains(model: MailFlowModel, s: SendConnector): string[] {
  const ix = indexesOf(model);
  const org = ix.orgById.get(s.org);
  const relayed = (org?.relaysFor ?? []).map((id) => ix.orgById.get(id)).filter((o) => o !== undefined);
  const relayedBy = ix.relayedBy.get(s.org) ?? [];
  const domains = [...(org?.domains ?? []), ...relayed.flatMap((o) => o.domains), ...relayedBy.flatMap((o) => o.domains)];
  return [...new Set(domains)];
}

/** The OnPremises connector Exchange Online attributes `name` to, per the documented steps, if any. */
function attributedConnector(model: MailFlowModel, name: string, mailFrom: string, partial: boolean): InboundConnector | undefined {
  const a = attribute(model, { certificateNames: [name], mailFromDomain: mailFrom, recipientDomains: ["recipient.example"] });
  if ((a.verdict === "originating" || a.verdict === "ambiguous") && a.connector && isKnownOnPremises(a.connector)) return a.connector;
  // A tenant whose accepted domains are not known cannot be ruled out: on the whole stack, stay
  // conservative; while resources are still arriving, a later one may declare them, so wait.
  if (partial) return undefined;
  return connectorsAccepting(model, name).find((ic) => {
    if (!isKnownOnPremises(ic) || !ic.tlsSenderCertificateName || !nameMatches(ic.tlsSenderCertificateName, name)) return false;
    return acceptedDomainVerdict(ic.tlsSenderCertificateName, indexesOf(model).tenantById.get(ic.tenant), false) === "unknown";
  });
}

export const internetIdentityMatchesOnPremisesConnector: Rule = {
  meta: {
    id: "internet-identity-matches-onpremises-connector",
    code: "R2",
    severity: "critical",
    description:
      "A certificate presented on the internet path must not match any OnPremises inbound connector: Exchange Online would attribute other organisations' mail to that tenant.",
    remediationSteps:
      "Give the hybrid path a dedicated certificate, set the OnPremises connector's TlsSenderCertificateName to exactly that name, and keep gateways and internet connectors on certificates it does not match.",
    sources: [SOURCES.attribution, SOURCES.wildcardReply, SOURCES.mspJournaling, SOURCES.threePoints, SOURCES.mc1226222],
    crossResource: true,
  },
  check({ model, partial }) {
    const found = new Map<string, { n: InternetName; ic: InboundConnector; domains: Set<string> }>();
    for (const n of internetIdentityNames(model)) {
      // Certificate attribution does not depend on the sender; the MAIL FROM only names who is affected.
      const senders = senderDomains(model, n.origin);
      for (const domain of senders.length ? senders : [""]) {
        const ic = attributedConnector(model, n.name, domain, partial);
        if (!ic) continue;
        const key = fingerprint("R2", ic.tenant, ic.name.toLowerCase(), n.presenter.org, n.presenter.name.toLowerCase());
        const entry = found.get(key) ?? { n, ic, domains: new Set<string>() };
        if (domain) entry.domains.add(domain);
        found.set(key, entry);
      }
    }
    return [...found.entries()].map(([key, { n, ic, domains }]) => finding(model, n, ic, [...domains], key));
  },
};

function finding(model: MailFlowModel, n: InternetName, ic: InboundConnector, domains: string[], key: string): Finding {
  const via = n.presenter === n.origin ? n.name : `${n.name} (${describeSend(n.presenter)})`;
  const hybrid = model.sendConnectors.find((s) => hybridTenants(model, s).includes(ic.tenant));
  return {
    ruleId: "internet-identity-matches-onpremises-connector",
    severity: "critical",
    what:
      `${describeSend(n.origin)} delivers internet mail presenting ${n.certificate ? describeCertificate(n.certificate) : `the name ${n.name}`}` +
      `${n.presenter !== n.origin ? ` through ${describeSend(n.presenter)}` : ""}, and ${describeInbound(ic)} trusts ${ic.tlsSenderCertificateName}.`,
    flow:
      `${domains.length ? `mail from ${domains.join(", ")}` : `mail of every organisation sending through ${describeSend(n.origin)}`} sent through ${via} to an Exchange Online recipient of another tenant will be attributed to tenant ${ic.tenant} ` +
      `by connector '${ic.name}', because the certificate name ${n.name} matches ${ic.tlsSenderCertificateName}.`,
    consequence:
      `That mail is treated as originating in ${ic.tenant}: it runs ${ic.tenant}'s journal and transport rules (journaling leak, foreign rules), ` +
      `is relayed by ${ic.tenant} to the real recipient (SPF failures, NDRs), or is silently discarded.`,
    fix: dedicatedCertificateFix(model, hybrid, n.presenter, ic.tenant, ic.tlsSenderCertificateName, ic.name),
    provenance: provenanceOf(ic, n.origin, n.presenter, n.certificate),
    fingerprint: key,
  };
}
