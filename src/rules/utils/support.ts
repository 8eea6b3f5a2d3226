/** Small shared vocabulary for rules: how entities are named in messages, and stable fingerprints. */
import { effectiveCertificates } from "../../engine/certificates";
import { pathsOf, type Path } from "../../engine/paths";
import { acceptedDomainCheck } from "../../engine/names";
import { UNKNOWN_ORG, UNKNOWN_TENANT, UNNAMED_ORG, UNNAMED_TENANT, type Certificate, type InboundConnector, type MailFlowModel, type Provenance, type SendConnector, type Tenant } from "../../model/types";

export const SOURCES = {
  attribution: "https://techcommunity.microsoft.com/t5/exchange-team-blog/office-365-message-attribution/ba-p/749143",
  attributionJa: "https://jpmessaging.github.io/blog/office-365-message-attribution/",
  mc1226222: "https://mwpro.co.uk/blog/2026/02/04/updated-prevent-fix-guidance-for-on-premises-connectors-configuration-mc1226222",
  relayRequirements: "https://learn.microsoft.com/exchange/mail-flow-best-practices/updated-requirements-smtp-relay",
  wildcardReply:
    "https://techcommunity.microsoft.com/blog/exchange/updated-requirements-for-smtp-relay-through-exchange-online/3851357/replies/3855525",
  caSignedReply:
    "https://techcommunity.microsoft.com/blog/exchange/updated-requirements-for-smtp-relay-through-exchange-online/3851357/replies/3981065",
  hybridTls: "https://techcommunity.microsoft.com/blog/exchange/tls-certificates-in-exchange-hybrid---common-issues--how-to-fix-them/4420592",
  newInboundConnector: "https://learn.microsoft.com/powershell/module/exchangepowershell/new-inboundconnector",
  newSendConnector: "https://learn.microsoft.com/powershell/module/exchangepowershell/new-sendconnector",
  setHybridConfiguration: "https://learn.microsoft.com/powershell/module/exchangepowershell/set-hybridconfiguration",
  certificateRequirements: "https://learn.microsoft.com/exchange/certificate-requirements",
  multiForest: "https://learn.microsoft.com/exchange/hybrid-deployment/hybrid-with-multiple-forests",
  groupsHybrid: "https://learn.microsoft.com/exchange/hybrid-deployment/set-up-microsoft-365-groups",
  silentDiscard: "https://granikos.eu/email-delivery-fails-for-other-office-365-tenant/",
  mspJournaling: "https://granikos.eu/exo-inboundconnector-tls-issue/",
  threePoints: "https://jpmessaging.github.io/blog/Three-Key-Points-for-Connector-Settings/",
  hcw: "https://learn.microsoft.com/exchange/hybrid-configuration-wizard",
} as const;

export const describeInbound = (ic: InboundConnector): string =>
  `${ic.connectorType} inbound connector '${ic.name}' of tenant ${ic.tenant}`;

export const describeSend = (s: SendConnector): string => `connector '${s.name}' of ${s.org}`;

export function describeCertificate(c: Certificate): string {
  const names = [c.subjectCN, ...c.sanDns].filter((n, i, a): n is string => !!n && a.indexOf(n) === i);
  return `certificate '${c.label}'${names.length ? ` (${names.join(", ")})` : ""}`;
}

/** An OnPremises connector whose type is known (a Set-* on an unseen connector leaves it unknown). */
export { isKnownOnPremises } from "../../engine/attribution";

const PLACEHOLDERS = new Set([UNNAMED_TENANT, UNNAMED_ORG, UNKNOWN_TENANT, UNKNOWN_ORG]);
const isNamed = (id: string): boolean => !PLACEHOLDERS.has(id);

/** Two tenants (or organisations) known to be different: a script that names none may be either. */
export const knownDistinct = (a: string, b: string): boolean => a !== b && isNamed(a) && isNamed(b);

/** Whether `org` stands for one organisation (a placeholder may be any of them): one answer for the engine and the rules. */
export { isOneOrganization } from "../../engine/hybrid-coverage";

export { inModelOrder } from "../../engine/indexes";

export function provenanceOf(...groups: ReadonlyArray<{ provenance: Provenance[] } | undefined>): Provenance[] {
  const out: Provenance[] = [];
  const seen = new Set<string>();
  for (const g of groups) {
    for (const p of g?.provenance ?? []) {
      const key = `${p.urn}|${p.property ?? ""}|${p.line ?? ""}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push(p);
      }
    }
  }
  return out;
}

export function hybridTenants(model: MailFlowModel, s: SendConnector): string[] {
  return pathsOf(model, s)
    .filter((p): p is Extract<Path, { kind: "hybrid" }> => p.kind === "hybrid")
    .map((p) => p.tenant);
}

/**
 * Tenants a connector's mail is bound to: its hybrid paths and a relay through the own tenant (all
 * mail smart-hosted to `<tenant>.mail.protection.outlook.com`), which Exchange Online attributes by the
 * connector's certificate as it does a hybrid connector's (research §6, decided 2026-12-07).
 */
export function tenantBoundTenants(model: MailFlowModel, s: SendConnector): string[] {
  return pathsOf(model, s).flatMap((p) => (p.kind === "hybrid" || p.kind === "relay-via-own-tenant" ? [p.tenant] : []));
}

export interface HybridPresentation {
  connector: SendConnector;
  tenant: string;
  certificate: Certificate;
}

const hybridCache = new WeakMap<MailFlowModel, HybridPresentation[]>();

/** Every certificate an enabled hybrid-path connector presents, with the tenant it goes to. */
export function hybridPresentations(model: MailFlowModel): HybridPresentation[] {
  let out = hybridCache.get(model);
  if (out) return out;
  out = [];
  for (const connector of model.sendConnectors) {
    if (!connector.enabled) continue;
    const tenants = hybridTenants(model, connector);
    if (tenants.length === 0) continue;
    for (const certificate of effectiveCertificates(model, connector).certificates) out.push({ connector, tenant: tenants[0]!, certificate });
  }
  hybridCache.set(model, out);
  return out;
}

export { isInternetPath } from "../../engine/paths";

export { certificateKey } from "../../engine/indexes";

/**
 * Whether `pattern`'s domain is an accepted domain of `tenant`, as far as this view can tell. On the
 * whole stack "not accepted" is final once the tenant's accepted domains are known; while resources
 * are still arriving (`partial`), only when they are declared complete, because a later resource
 * (`Set-AcceptedDomain -MatchSubDomains`, a descriptor) could still add the domain.
 */
export function acceptedDomainVerdict(pattern: string, tenant: Tenant | undefined, partial: boolean): "accepted" | "not-accepted" | "unknown" {
  if (!tenant) return "unknown";
  const check = acceptedDomainCheck(pattern, tenant);
  if (check.accepted) return "accepted";
  return (partial ? tenant.acceptedDomainsComplete : check.tenantDomainsKnown) ? "not-accepted" : "unknown";
}
