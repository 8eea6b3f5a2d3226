/**
 * Which domains of a tenant an organisation's hybrid path does not cover (research R10): mail to them
 * leaves by the internet path — delivered by MX, or smart-hosted through a gateway or another relay —
 * and reaches the tenant as mail from the internet instead of on the hybrid path. One computation for
 * the rule and for the flows (src/engine/flows.ts), so every flow the rule names is a flow the matrix,
 * the picture and the test plan show.
 * Source: https://learn.microsoft.com/exchange/hybrid-deployment/set-up-microsoft-365-groups (the
 * tenant's domains belong in the hybrid Send connector's address spaces).
 */
import type { MailFlowModel, SendConnector } from "../model/types";
import { UNKNOWN_ORG, UNNAMED_ORG } from "../model/types";
import { sendConnectorsOf, stackNamesOrganizations, tenantById } from "./lookups";
import { isInternetPath, pathsOf } from "./paths";

/**
 * Whether `org` stands for one organisation. Scripts that name none are held under a placeholder
 * key: that is one organisation when the stack names no other, and may be any of them when it does.
 * An organisation only known at deploy time (an Exchange server whose host is unknown in preview) may
 * be any.
 */
export function isOneOrganization(model: MailFlowModel, org: string): boolean {
  if (org === UNKNOWN_ORG) return false;
  if (org !== UNNAMED_ORG) return true;
  return !stackNamesOrganizations(model);
}

/** An organisation's hybrid path to a tenant that leaves domains of the tenant to the internet path. */
export interface UncoveredTenantDomains {
  org: string;
  tenant: string;
  /** The tenant's domains mail to which leaves by the internet path (its initial domain). */
  missing: string[];
  /** The address spaces the organisation's hybrid connectors to the tenant do cover. */
  covered: string[];
  /** The first hybrid connector to the tenant (the one to add the domains to). */
  hybrid: SendConnector;
  /** Every internet-path connector of the organisation, DNS-routed or smart-hosted, in model order. */
  internet: SendConnector[];
}

const hybridTenantsOf = (model: MailFlowModel, s: SendConnector): string[] => pathsOf(model, s).flatMap((p) => (p.kind === "hybrid" ? [p.tenant] : []));

const cache = new WeakMap<MailFlowModel, UncoveredTenantDomains[]>();

/** Every (organisation, tenant) whose hybrid path does not cover the tenant's initial domain while an internet path exists. */
export function uncoveredTenantDomains(model: MailFlowModel): UncoveredTenantDomains[] {
  const cached = cache.get(model);
  if (cached) return cached;
  const hybridByOrg = new Map<string, Array<{ s: SendConnector; tenant: string }>>();
  // Address spaces of hybrid connectors whose organisation is not known: they may cover any organisation's.
  const coveredByUnknown = new Map<string, string[]>();
  for (const s of model.sendConnectors) {
    if (!s.enabled) continue;
    const known = isOneOrganization(model, s.org);
    for (const tenant of hybridTenantsOf(model, s)) {
      if (!known) coveredByUnknown.set(tenant, [...(coveredByUnknown.get(tenant) ?? []), ...s.addressSpaces]);
      else hybridByOrg.set(s.org, [...(hybridByOrg.get(s.org) ?? []), { s, tenant }]);
    }
  }
  const out: UncoveredTenantDomains[] = [];
  for (const [org, hybrids] of hybridByOrg) {
    const internet = sendConnectorsOf(model, org).filter((s) => isInternetPath(model, s));
    if (internet.length === 0) continue;
    for (const tenantId of new Set(hybrids.map((h) => h.tenant))) {
      const covered = [...new Set(hybrids.filter((h) => h.tenant === tenantId).flatMap((h) => h.s.addressSpaces))];
      const maybeCovered = new Set(coveredByUnknown.get(tenantId) ?? []);
      const missing = [tenantById(model, tenantId)?.initialDomain].filter((d): d is string => !!d && !covered.includes(d) && !maybeCovered.has(d));
      if (missing.length === 0) continue;
      out.push({ org, tenant: tenantId, missing, covered, hybrid: hybrids.find((h) => h.tenant === tenantId)!.s, internet });
    }
  }
  cache.set(model, out);
  return out;
}
