/**
 * Every mail flow that matters for attribution: each sending organisation (and each organisation a
 * gateway relays for) × its paths — hybrid to its own tenant, internet to a recipient in another
 * Exchange Online tenant, internet to a recipient outside Microsoft, and internet to a domain of its own
 * tenant that the hybrid path does not cover (R10) — with where Exchange Online will attribute it and
 * why (the attribution steps). An internet path through a smart host the model does not describe is a
 * flow too, through that host, with what Exchange Online sees from it unknown.
 */
import type { MailFlowModel, SendConnector } from "../model/types";
import { attribute, type Attribution } from "./attribution";
import { presentedIdentities, relaysOf, type PresentedIdentity } from "./certificates";
import { uncoveredTenantDomains } from "./hybrid-coverage";
import { indexesOf } from "./indexes";
import { organizationOfHost, pathsOf } from "./paths";

/** A recipient domain that belongs to no tenant in the model: "another Exchange Online tenant". */
export const OTHER_TENANT_RECIPIENT = "recipient.example";

export interface MailFlow {
  senderOrg: string;
  senderDomain: string;
  /** The sender's connector, then the connector Exchange Online sees (a gateway's) when different. */
  route: SendConnector[];
  /** Smart hosts the route ends at that the model does not describe: what Exchange Online sees from them is not known. */
  unknownRelays?: string[];
  /**
   * `own-tenant`: the hybrid path; `own-tenant-outside-hybrid`: the internet path to a domain of the
   * sender's own tenant the hybrid path does not cover (R10); the others leave the organisation by the
   * internet path.
   */
  destination: "own-tenant" | "own-tenant-outside-hybrid" | "other-exo-tenant" | "non-microsoft";
  /** For flows to the own tenant: the tenant the mail should be attributed to. */
  expectedTenant?: string;
  /** For `own-tenant-outside-hybrid`: the tenant's domain the mail is addressed to. */
  recipientDomain?: string;
  /** Absent for mail that never reaches Exchange Online, or that leaves through a relay the model does not describe. */
  attribution?: Attribution;
  /** A flow a finding names as wrong: drawn red, predicted to fail in the test plan. */
  misattributed: boolean;
  explanation: string;
}

/** What Exchange Online may see from `s`: the presented identities, or — through smart hosts the model does not describe — nothing known. */
type Identity = PresentedIdentity & { unknownRelays?: string[] };

function identitiesOf(model: MailFlowModel, s: SendConnector): Identity[] {
  const presented = presentedIdentities(model, s);
  if (presented.length > 0) return presented;
  const unknown = relaysOf(s).filter((h) => organizationOfHost(model, h) === undefined);
  return unknown.length > 0 ? [{ connector: s, certificates: [], names: [], egressIps: [], explanation: "relayed by hosts the model does not describe", unknownRelays: unknown }] : [];
}

const routeOf = (s: SendConnector, identity: Identity): SendConnector[] => (identity.connector === s ? [s] : [s, identity.connector]);
const relaysText = (identity: Identity): string => (identity.unknownRelays ? ` → smart host ${identity.unknownRelays.join(", ")} (not described: declare it under mailflow-inventory.gateways)` : "");

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

function describeRoute(route: SendConnector[], identity?: Identity): string {
  return `${route.map((c) => `'${c.name}' (${c.org})`).join(" → ")}${identity ? relaysText(identity) : ""}`;
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

const DESTINATION_ORDER: Record<MailFlow["destination"], number> = { "own-tenant": 0, "other-exo-tenant": 1, "non-microsoft": 2, "own-tenant-outside-hybrid": 3 };
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
        for (const identity of identitiesOf(model, s)) {
          const route = routeOf(s, identity);
          const unknown = identity.unknownRelays ? { unknownRelays: identity.unknownRelays } : {};
          const attribution = identity.unknownRelays ? undefined : attribute(model, { certificateNames: identity.names, mailFromDomain: domain, recipientDomains: [OTHER_TENANT_RECIPIENT] });
          flows.push({
            senderOrg: org,
            senderDomain: domain,
            route,
            ...unknown,
            destination: "other-exo-tenant",
            ...(attribution ? { attribution } : {}),
            misattributed: attribution !== undefined && (attribution.verdict === "originating" || attribution.verdict === "ambiguous"),
            explanation: `mail from ${domain} to an Exchange Online recipient of another tenant through ${describeRoute(route, identity)} is ${attribution ? verdictText(attribution) : "attributed as the relay presents it, which the model does not know"}.`,
          });
          flows.push({
            senderOrg: org,
            senderDomain: domain,
            route,
            ...unknown,
            destination: "non-microsoft",
            misattributed: false,
            explanation: `mail from ${domain} to a recipient outside Microsoft through ${describeRoute(route, identity)} never reaches Exchange Online.`,
          });
        }
      }
    }
  }
  flows.push(...outsideHybridFlows(model));
  return flows;
}

/**
 * Mail to a domain of the sender's own tenant that its hybrid path does not cover (R10): it leaves
 * through each internet-path connector, and Exchange Online sees it as the internet path presents it.
 */
function outsideHybridFlows(model: MailFlowModel): MailFlow[] {
  const flows: MailFlow[] = [];
  for (const u of uncoveredTenantDomains(model)) {
    const recipient = u.missing[0]!;
    for (const s of u.internet) {
      for (const { org, domain } of sendersOf(model, s).filter((x) => x.org === u.org)) {
        for (const identity of identitiesOf(model, s)) {
          const route = routeOf(s, identity);
          const attribution = identity.unknownRelays
            ? undefined
            : attribute(model, { certificateNames: identity.names, mailFromDomain: domain, recipientDomains: [recipient], ...(identity.egressIps[0] ? { sourceIp: identity.egressIps[0] } : {}) });
          flows.push({
            senderOrg: org,
            senderDomain: domain,
            route,
            ...(identity.unknownRelays ? { unknownRelays: identity.unknownRelays } : {}),
            destination: "own-tenant-outside-hybrid",
            expectedTenant: u.tenant,
            recipientDomain: recipient,
            ...(attribution ? { attribution } : {}),
            misattributed: true,
            explanation: `mail from ${domain} to ${recipient} addresses of its own tenant ${u.tenant} leaves by the internet path through ${describeRoute(route, identity)} instead of the hybrid path, and is ${attribution ? verdictText(attribution) : "attributed as the relay presents it, which the model does not know"}.`,
          });
        }
      }
    }
  }
  return flows;
}
