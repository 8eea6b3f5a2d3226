/**
 * Exchange Online's tenant attribution for one connection, as documented in "Office 365 Message
 * Attribution" (techcommunity.microsoft.com/t5/exchange-team-blog/office-365-message-attribution/ba-p/749143,
 * full logic verified via jpmessaging.github.io/blog/office-365-message-attribution/) and MC1226222:
 * certificate name/SAN against TlsSenderCertificateName of enabled connectors in all tenants, the
 * accepted-domain check, most exact match; else OnPremises connectors by source IP plus MAIL FROM;
 * else Incoming to the recipient's tenant and its Partner connectors.
 */
import type { InboundConnector, MailFlowModel } from "../model/types";
import { rangesOverlap } from "./ip";
import { connectorsAccepting, indexesOf, tenantOwningDomain } from "./indexes";
import { acceptedDomainCheck, isWildcard, nameMatches, wildcardBase } from "./names";

export interface Connection {
  certificateNames: string[];
  sourceIp?: string;
  mailFromDomain: string;
  recipientDomains: string[];
}

export interface AttributionStep {
  step: "certificate-match" | "accepted-domain" | "most-exact" | "ip-mailfrom" | "recipient-tenant" | "partner-connector";
  outcome: string;
}

export interface Attribution {
  verdict: "originating" | "incoming" | "rejected" | "ambiguous";
  tenant?: string;
  connector?: InboundConnector;
  /** The presented name that matched, for messages. */
  matchedName?: string;
  steps: AttributionStep[];
  candidates: InboundConnector[];
}

/** Exact names beat wildcards; a longer wildcard base is more exact. */
const exactness = (pattern: string): number => (isWildcard(pattern) ? wildcardBase(pattern).length : 10_000 + pattern.length);

const isOnPremises = (ic: InboundConnector): boolean => ic.connectorType === "OnPremises" && !ic.unknown.includes("connectorType");

/** An enabled connector known to be OnPremises (no Set-* left its type unknown). */
export const isKnownOnPremises = (ic: InboundConnector): boolean => ic.enabled && isOnPremises(ic);

export function attribute(model: MailFlowModel, conn: Connection): Attribution {
  const steps: AttributionStep[] = [];
  const tenants = indexesOf(model).tenantById;

  // Step 1: certificate CN/SAN against TlsSenderCertificateName of connectors in all tenants.
  const matched: Array<{ ic: InboundConnector; name: string }> = [];
  const seen = new Set<InboundConnector>();
  for (const name of conn.certificateNames) {
    for (const ic of connectorsAccepting(model, name)) {
      if (!ic.enabled || seen.has(ic)) continue;
      seen.add(ic);
      matched.push({ ic, name });
    }
  }
  steps.push({ step: "certificate-match", outcome: matched.length ? `${matched.length} connector(s) match ${[...new Set(matched.map((m) => m.name))].join(", ")}` : "no connector matches the certificate" });

  // Step 2: the connector's certificate domain must be an accepted domain of its tenant.
  const accepted = matched.filter(({ ic }) => {
    const t = tenants.get(ic.tenant);
    return t !== undefined && acceptedDomainCheck(ic.tlsSenderCertificateName!, t).accepted;
  });
  if (matched.length) steps.push({ step: "accepted-domain", outcome: `${accepted.length} of them name an accepted domain of their tenant` });

  // Originating needs an OnPremises connector; Partner matches only matter for Incoming below.
  const originating = accepted.filter(({ ic }) => isOnPremises(ic));
  if (originating.length) {
    const best = Math.max(...originating.map(({ ic }) => exactness(ic.tlsSenderCertificateName!)));
    const winners = originating.filter(({ ic }) => exactness(ic.tlsSenderCertificateName!) === best);
    const winnerTenants = [...new Set(winners.map(({ ic }) => ic.tenant))];
    steps.push({ step: "most-exact", outcome: `most exact: ${winners.map(({ ic }) => `'${ic.name}' (${ic.tlsSenderCertificateName}, ${ic.tenant})`).join("; ")}` });
    if (winnerTenants.length === 1) {
      const w = winners[0]!;
      return { verdict: "originating", tenant: w.ic.tenant, connector: w.ic, matchedName: w.name, steps, candidates: originating.map((m) => m.ic) };
    }
    return { verdict: "ambiguous", connector: winners[0]!.ic, matchedName: winners[0]!.name, steps, candidates: winners.map((m) => m.ic) };
  }

  // Step 3: OnPremises connectors by source IP, filtered by the MAIL FROM domain's tenant.
  if (conn.sourceIp) {
    const byIp = model.inboundConnectors.filter((ic) => ic.enabled && isOnPremises(ic) && ic.senderIpAddresses.some((r) => rangesOverlap(r, conn.sourceIp!)));
    const withSender = byIp.filter((ic) => {
      const t = tenants.get(ic.tenant);
      return t !== undefined && acceptedDomainCheck(conn.mailFromDomain, t).accepted;
    });
    const ipTenants = [...new Set(withSender.map((ic) => ic.tenant))];
    steps.push({ step: "ip-mailfrom", outcome: `${byIp.length} OnPremises connector(s) cover ${conn.sourceIp}; ${withSender.length} in a tenant that accepts ${conn.mailFromDomain}` });
    if (ipTenants.length === 1) return { verdict: "originating", tenant: ipTenants[0], connector: withSender[0], steps, candidates: withSender };
    if (ipTenants.length > 1) return { verdict: "ambiguous", connector: withSender[0], steps, candidates: withSender };
  }

  // Incoming: the tenant owning the recipient domain, and its Partner connectors.
  const recipientTenant = conn.recipientDomains.map((d) => tenantOwningDomain(model, d)).find((t) => t !== undefined);
  if (!recipientTenant) {
    steps.push({ step: "recipient-tenant", outcome: "the recipient's tenant is not in the model: Incoming to that tenant" });
    return { verdict: "incoming", steps, candidates: [] };
  }
  steps.push({ step: "recipient-tenant", outcome: `Incoming to ${recipientTenant.id}` });
  const partners = model.inboundConnectors.filter((ic) => ic.enabled && ic.tenant === recipientTenant.id && ic.connectorType === "Partner");
  const restricting = partners.filter(
    (ic) => (ic.restrictDomainsToCertificate || ic.restrictDomainsToIPAddresses) && ic.senderDomains.some((d) => d === "*" || nameMatches(d.startsWith("*.") ? d : d, conn.mailFromDomain)),
  );
  const partnerMatch = matched.find(({ ic }) => ic.tenant === recipientTenant.id && ic.connectorType === "Partner");
  if (partnerMatch) {
    steps.push({ step: "partner-connector", outcome: `associated with Partner connector '${partnerMatch.ic.name}'` });
    return { verdict: "incoming", tenant: recipientTenant.id, connector: partnerMatch.ic, steps, candidates: [] };
  }
  if (restricting.length) {
    steps.push({ step: "partner-connector", outcome: `Partner connector '${restricting[0]!.name}' restricts ${conn.mailFromDomain}: 550 5.7.51 TenantInboundAttribution` });
    return { verdict: "rejected", tenant: recipientTenant.id, connector: restricting[0], steps, candidates: [] };
  }
  return { verdict: "incoming", tenant: recipientTenant.id, steps, candidates: [] };
}
