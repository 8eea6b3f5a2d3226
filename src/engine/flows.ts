/**
 * Every mail flow that matters for attribution: each sending organisation (and each organisation a
 * gateway relays for) × its paths — hybrid to its own tenant, internet to a recipient in another
 * Exchange Online tenant, internet to a recipient outside Microsoft — with where Exchange Online will
 * attribute it and why (the attribution steps).
 */
import type { MailFlowModel, SendConnector } from "../model/types";
import { attribute, type Attribution } from "./attribution";
import { presentedIdentities } from "./certificates";
import { indexesOf } from "./indexes";
import { pathsOf } from "./paths";

/** A recipient domain that belongs to no tenant in the model: "another Exchange Online tenant". */
export const OTHER_TENANT_RECIPIENT = "recipient.example";

export interface MailFlow {
  senderOrg: string;
  senderDomain: string;
  /** The sender's connector, then the connector Exchange Online sees (a gateway's) when different. */
  route: SendConnector[];
  destination: "own-tenant" | "other-exo-tenant" | "non-microsoft";
  /** For own-tenant flows: the tenant the mail should be attributed to. */
  expectedTenant?: string;
  /** Absent for mail that never reaches Exchange Online. */
  attribution?: Attribution;
  misattributed: boolean;
  explanation: string;
}

/**
 * Who sends through `s`: its organisation's domains; for a gateway, also the organisations it relays
 * for that have no connectors of their own in the model (those flows start at their own connectors).
 */
function sendersOf(model: MailFlowModel, s: SendConnector): Array<{ org: string; domain: string }> {
  const ix = indexesOf(model);
  const org = ix.orgById.get(s.org);
  if (org?.kind === "gateway") {
    const relayed = org.relaysFor.map((id) => ix.orgById.get(id)).filter((o) => o !== undefined && !ix.sendByOrg.has(o.id));
    return [org, ...relayed].flatMap((o) => o!.domains.map((domain) => ({ org: o!.id, domain })));
  }
  const domains = org?.domains ?? [];
  return domains.length ? domains.map((domain) => ({ org: s.org, domain })) : [{ org: s.org, domain: s.org }];
}

function describeRoute(route: SendConnector[]): string {
  return route.map((c) => `'${c.name}' (${c.org})`).join(" → ");
}

function verdictText(a: Attribution): string {
  switch (a.verdict) {
    case "originating":
      return `attributed to tenant ${a.tenant} as originating there by connector '${a.connector?.name}'${a.matchedName ? ` (certificate name ${a.matchedName} matches ${a.connector?.tlsSenderCertificateName})` : ""}`;
    case "ambiguous":
      return `ambiguous between tenants ${[...new Set(a.candidates.map((c) => c.tenant))].join(" and ")}`;
    case "rejected":
      return `rejected by ${a.tenant}${a.connector ? ` (Partner connector '${a.connector.name}')` : ""}`;
    case "incoming":
      return a.tenant ? `Incoming to tenant ${a.tenant}` : "Incoming to the recipient's own tenant";
  }
}

const DESTINATION_ORDER: Record<MailFlow["destination"], number> = { "own-tenant": 0, "other-exo-tenant": 1, "non-microsoft": 2 };
const routeKey = (f: MailFlow): string => f.route.map((c) => `${c.org}\u0000${c.name}`).join("\u0001");
const byFlowKey = (a: MailFlow, b: MailFlow): number =>
  a.senderDomain.localeCompare(b.senderDomain) ||
  DESTINATION_ORDER[a.destination] - DESTINATION_ORDER[b.destination] ||
  (a.expectedTenant ?? "").localeCompare(b.expectedTenant ?? "") ||
  routeKey(a).localeCompare(routeKey(b));

/**
 * Every mail flow that matters, in a stable order (sender, destination, tenant, route): the same
 * model gives the same list whatever order its connectors were declared or read in.
 */
export function deriveFlows(model: MailFlowModel): MailFlow[] {
  return collectFlows(model).sort(byFlowKey);
}

function collectFlows(model: MailFlowModel): MailFlow[] {
  const flows: MailFlow[] = [];
  for (const s of model.sendConnectors) {
    if (!s.enabled) continue;
    for (const path of pathsOf(model, s)) {
      if (path.kind === "other") continue;
      for (const { org, domain } of sendersOf(model, s)) {
        if (path.kind === "hybrid" || path.kind === "relay-via-own-tenant") {
          const tenant = path.tenant;
          const t = indexesOf(model).tenantById.get(tenant);
          const recipient = t?.coexistenceDomain ?? tenant;
          for (const identity of presentedIdentities(model, s)) {
            const attribution = attribute(model, { certificateNames: identity.names, mailFromDomain: domain, recipientDomains: [recipient], ...(identity.egressIps[0] ? { sourceIp: identity.egressIps[0] } : {}) });
            const misattributed = !(attribution.tenant === tenant && (attribution.verdict === "originating" || attribution.verdict === "incoming"));
            const route = identity.connector === s ? [s] : [s, identity.connector];
            flows.push({
              senderOrg: org,
              senderDomain: domain,
              route,
              destination: "own-tenant",
              expectedTenant: tenant,
              attribution,
              misattributed,
              explanation: `mail from ${domain} on the hybrid path to tenant ${tenant} through ${describeRoute(route)} is ${verdictText(attribution)}.`,
            });
          }
          continue;
        }
        // The internet path: to another Exchange Online tenant, and to anyone outside Microsoft.
        for (const identity of presentedIdentities(model, s)) {
          const route = identity.connector === s ? [s] : [s, identity.connector];
          const attribution = attribute(model, { certificateNames: identity.names, mailFromDomain: domain, recipientDomains: [OTHER_TENANT_RECIPIENT] });
          const misattributed = attribution.verdict === "originating" || attribution.verdict === "ambiguous";
          flows.push({
            senderOrg: org,
            senderDomain: domain,
            route,
            destination: "other-exo-tenant",
            attribution,
            misattributed,
            explanation: `mail from ${domain} to an Exchange Online recipient of another tenant through ${describeRoute(route)} is ${verdictText(attribution)}.`,
          });
          flows.push({
            senderOrg: org,
            senderDomain: domain,
            route,
            destination: "non-microsoft",
            misattributed: false,
            explanation: `mail from ${domain} to a recipient outside Microsoft through ${describeRoute(route)} never reaches Exchange Online.`,
          });
        }
      }
    }
  }
  return flows;
}
