/** R2 — what the internet path presents satisfies an OnPremises inbound connector: foreign mail is attributed to that tenant. */
import { attribute } from "../engine/attribution";
import { certificatesMatching, connectorsAccepting } from "../engine/indexes";
import { senderDomains, sendConnectorsWithFqdnUnder, tenantById } from "../engine/lookups";
import { nameMatches, wildcardBase } from "../engine/names";
import { originsPresentedBy, presentsItself, sendConnectorsUsing } from "../engine/reverse";
import type { Focus, InboundConnector, MailFlowModel, SendConnector } from "../model/types";
import { defineRule, type Report } from "./utils/define-rule";
import { internetIdentityNames, internetNamesOf, type InternetName } from "./utils/internet-identity";
import { dedicatedPlans, dropNamePlans, withOwnCertificate } from "./utils/plans";
import { acceptedDomainVerdict, describeCertificate, describeInbound, describeSend, inModelOrder, isKnownOnPremises, SOURCES } from "./utils/support";

/** The OnPremises connector Exchange Online attributes `name` to, per the documented steps, if any. */
function attributedConnector(model: MailFlowModel, name: string, mailFrom: string, partial: boolean): InboundConnector | undefined {
  const a = attribute(model, { certificateNames: [name], mailFromDomain: mailFrom, recipientDomains: ["recipient.example"] });
  if ((a.verdict === "originating" || a.verdict === "ambiguous") && a.connector && isKnownOnPremises(a.connector)) return a.connector;
  // A tenant whose accepted domains are not known cannot be ruled out: on the whole stack, stay
  // conservative; while resources are still arriving, a later one may declare them, so wait.
  if (partial) return undefined;
  return connectorsAccepting(model, name).find((ic) => {
    if (!isKnownOnPremises(ic) || !ic.tlsSenderCertificateName || !nameMatches(ic.tlsSenderCertificateName, name)) return false;
    return acceptedDomainVerdict(ic.tlsSenderCertificateName, tenantById(model, ic.tenant), false) === "unknown";
  });
}

export const internetIdentityMatchesOnPremisesConnector = defineRule(
  {
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
  ({ model, partial, about, report }) => {
    const found = new Map<string, { n: InternetName; ic: InboundConnector; domains: Set<string>; key: string[] }>();
    // A finding gathers every connector whose mail one presenter carries: in the resource pass, the
    // presenters a resource's entities may be named with are asked about with all their origins.
    const presenters = about && presentersConcerned(model, about, partial);
    const names = presenters ? inModelOrder(model, [...presenters].flatMap((p) => originsPresentedBy(model, p))).flatMap((s) => internetNamesOf(model, s)) : internetIdentityNames(model);
    // A resource that states only inbound connectors can be named only as the connector a name is
    // attributed to, which accepts that name: the presenter's other names are not asked about (a gateway
    // presenting many names against many connector resources would make the pass quadratic).
    const onlyInbound =
      about && about.inbound.length > 0 && about.send.length === 0 && about.certificates.length === 0 && about.tenants.length === 0 && about.organizations.length === 0 && about.hybridConfigurations.length === 0
        ? about.inbound.flatMap((ic) => (ic.tlsSenderCertificateName ? [ic.tlsSenderCertificateName] : []))
        : undefined;
    for (const n of names) {
      if (presenters && !presenters.has(n.presenter)) continue;
      if (onlyInbound && !onlyInbound.some((pattern) => nameMatches(pattern, n.name))) continue;
      for (const { ic, domain } of attributions(model, n, partial)) {
        const key = [ic.tenant, ic.name.toLowerCase(), n.presenter.org, n.presenter.name.toLowerCase()];
        const entry = found.get(key.join("|")) ?? { n, ic, domains: new Set<string>(), key };
        if (domain) entry.domains.add(domain);
        found.set(key.join("|"), entry);
      }
    }
    for (const { n, ic, domains, key } of found.values()) report(finding(model, n, ic, [...domains], key));
  },
);

/** The OnPremises connectors a presented name is attributed to, with the sender domain that shows it (certificate attribution does not depend on the sender). */
function attributions(model: MailFlowModel, n: InternetName, partial: boolean): Array<{ ic: InboundConnector; domain: string }> {
  // A name no connector accepts is attributed to none, whatever the sender (most names: checked first).
  if (connectorsAccepting(model, n.name).length === 0) return [];
  const senders = senderDomains(model, n.origin);
  const out: Array<{ ic: InboundConnector; domain: string }> = [];
  for (const domain of senders.length ? senders : [""]) {
    const ic = attributedConnector(model, n.name, domain, partial);
    if (ic) out.push({ ic, domain });
  }
  return out;
}

/**
 * Presenters whose findings may name what a resource states: itself a presenter, presenting its
 * certificates, presenting a name its OnPremises connectors accept — and, for a connector whose
 * mail a presenter carries, that presenter only when the connector's own names are attributed
 * (otherwise the connector cannot be named, and asking about a gateway's every client would make
 * the pass quadratic).
 */
function presentersConcerned(model: MailFlowModel, about: Focus, partial: boolean): Set<SendConnector> {
  const candidates: SendConnector[] = [...about.send, ...about.certificates.flatMap((c) => sendConnectorsUsing(model, c))];
  for (const ic of about.inbound) {
    const pattern = ic.tlsSenderCertificateName;
    if (!pattern) continue;
    for (const c of certificatesMatching(model, pattern)) candidates.push(...sendConnectorsUsing(model, c));
    // A presenter with no known certificate shows its FQDN.
    candidates.push(...sendConnectorsWithFqdnUnder(model, wildcardBase(pattern)).filter((s) => s.fqdn && nameMatches(pattern, s.fqdn)));
  }
  const presenters = new Set(candidates.filter((s) => presentsItself(model, s)));
  for (const s of about.send) {
    for (const n of internetNamesOf(model, s)) if (!presenters.has(n.presenter) && attributions(model, n, partial).length > 0) presenters.add(n.presenter);
  }
  return presenters;
}

/** A certificate the presenter's own declaration describes (a gateway connector's inline certificate) is "its certificate". */
function presented(n: InternetName): string {
  const c = n.certificate!;
  const own = c.provenance[0]?.urn !== undefined && n.presenter.provenance.some((p) => p.urn === c.provenance[0]!.urn && c.provenance[0]!.property?.startsWith(`${p.property}.`));
  return own ? `its certificate (${[...new Set([c.subjectCN, ...c.sanDns].filter(Boolean))].join(", ")})` : describeCertificate(c);
}

function finding(model: MailFlowModel, n: InternetName, ic: InboundConnector, domains: string[], key: string[]): Report {
  const via = n.presenter === n.origin ? n.name : `${n.name} (${describeSend(n.presenter)})`;
  return {
    at: [ic, n.origin, n.presenter, n.certificate],
    key,
    what:
      `${describeSend(n.origin)} delivers internet mail presenting ${n.certificate ? presented(n) : `the name ${n.name}`}` +
      `${n.presenter !== n.origin ? ` through ${describeSend(n.presenter)}` : ""}, and ${describeInbound(ic)} trusts ${ic.tlsSenderCertificateName}.`,
    flow:
      `${domains.length ? `mail from ${domains.join(", ")}` : `mail of every organisation sending through ${describeSend(n.origin)}`} sent through ${via} to an Exchange Online recipient of another tenant is attributed to tenant ${ic.tenant} ` +
      `by that connector.`,
    consequence:
      `That mail is treated as originating in ${ic.tenant}: it runs that tenant's journal and transport rules (journaling leak), ` +
      `is relayed to the real recipient (SPF failures, NDRs), or is silently discarded.`,
    // The internet certificate dropping the one name it shares is smaller than a new hybrid certificate.
    plans: [
      ...dropNamePlans(model, n.certificate, ic.tlsSenderCertificateName!, n.presenter),
      ...withOwnCertificate(model, dedicatedPlans(model, ic.tenant, { inbound: [ic], ...(n.certificate ? { avoid: n.certificate } : {}) }), n.presenter, n.certificate),
    ],
  };
}
