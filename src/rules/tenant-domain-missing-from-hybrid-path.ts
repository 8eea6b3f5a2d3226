/** R10 — a domain hosted in the tenant is missing from the hybrid address spaces, so its mail leaves by the internet path. */
import { sendConnectorsOf, tenantById } from "../engine/lookups";
import type { SendConnector } from "../model/types";
import { defineRule } from "./utils/define-rule";
import { addressSpacesFix } from "./utils/remediation";
import { describeSend, hybridTenants, isInternetPath, isOneOrganization, SOURCES } from "./utils/support";

export const tenantDomainMissingFromHybridPath = defineRule(
  {
    id: "tenant-domain-missing-from-hybrid-path",
    code: "R10",
    severity: "medium",
    description:
      "Every domain hosted in the tenant (at least <tenant>.onmicrosoft.com) should be in the hybrid Send connector's address spaces, or its mail leaves by the internet identity.",
    remediationSteps: "Add the domain to the hybrid Send connector (Set-SendConnector -AddressSpaces @{Add=…}) and as an InternalRelay accepted domain on-premises.",
    sources: [SOURCES.groupsHybrid, SOURCES.attribution],
    crossResource: true,
  },
  ({ model, partial, report }) => {
    // "Missing" is only known on the whole stack: a later resource can add the address space.
    if (partial) return;
    const hybridByOrg = new Map<string, Array<{ s: SendConnector; tenant: string }>>();
    // Address spaces of hybrid connectors whose organisation is not known: they may cover any organisation's.
    const coveredByUnknown = new Map<string, string[]>();
    for (const s of model.sendConnectors) {
      if (!s.enabled) continue;
      const known = isOneOrganization(model, s.org);
      for (const tenant of hybridTenants(model, s)) {
        if (!known) {
          if (!coveredByUnknown.has(tenant)) coveredByUnknown.set(tenant, []);
          coveredByUnknown.get(tenant)!.push(...s.addressSpaces);
        } else {
          if (!hybridByOrg.has(s.org)) hybridByOrg.set(s.org, []);
          hybridByOrg.get(s.org)!.push({ s, tenant });
        }
      }
    }
    for (const [org, hybrids] of hybridByOrg) {
      const internet = sendConnectorsOf(model, org).find((s) => isInternetPath(model, s));
      if (!internet) continue;
      for (const tenantId of new Set(hybrids.map((h) => h.tenant))) {
        const tenant = tenantById(model, tenantId);
        const covered = new Set(hybrids.filter((h) => h.tenant === tenantId).flatMap((h) => h.s.addressSpaces));
        const maybeCovered = new Set(coveredByUnknown.get(tenantId) ?? []);
        const missing = [tenant?.initialDomain].filter((d): d is string => !!d && !covered.has(d) && !maybeCovered.has(d));
        if (missing.length === 0) continue;
        const hybrid = hybrids.find((h) => h.tenant === tenantId)!.s;
        report({
          at: [hybrid, internet],
          key: [org, tenantId],
          what: `Hybrid ${describeSend(hybrid)} covers ${[...covered].join(", ")} but not ${missing.join(", ")}, which ${tenantId} hosts.`,
          flow: `mail from ${org} to ${missing[0]} addresses (Microsoft 365 Groups, cloud-only users) leaves through internet ${describeSend(internet)} and reaches ${tenantId} as anonymous Incoming mail.`,
          consequence: "That mail loses its internal status (rejected by groups that refuse external senders), or is misattributed when the internet identity matches a connector.",
          fix: addressSpacesFix(hybrid, [...covered], missing),
        });
      }
    }
  },
);
