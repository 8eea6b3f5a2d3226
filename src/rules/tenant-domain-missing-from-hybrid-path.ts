/** R10 — a domain hosted in the tenant is missing from the hybrid address spaces, so its mail leaves by the internet path. */
import { presentedIdentities, relaysOf } from "../engine/certificates";
import { uncoveredTenantDomains } from "../engine/hybrid-coverage";
import type { MailFlowModel, SendConnector } from "../model/types";
import { defineRule } from "./utils/define-rule";
import { sendRef } from "./utils/plans";
import { describeSend, SOURCES } from "./utils/support";

/** How the internet path leaves: by MX, or through the relays Exchange Online sees instead of the connector. */
function internetRoute(model: MailFlowModel, s: SendConnector): string {
  const relays = relaysOf(s);
  if (relays.length === 0) return `internet ${describeSend(s)}`;
  const presenters = [...new Set(presentedIdentities(model, s).filter((i) => i.connector !== s).map((i) => describeSend(i.connector)))];
  return `internet ${describeSend(s)} through smart host ${relays.join(", ")}${presenters.length ? ` (${presenters.join(", ")})` : ""}`;
}

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
    // The internet path may leave by MX or through a smart host (a gateway, a relay): each is a way out.
    for (const { org, tenant, missing, covered, hybrid, internet } of uncoveredTenantDomains(model)) {
      report({
        at: [hybrid, ...internet],
        key: [org, tenant],
        what: `Hybrid ${describeSend(hybrid)} covers ${covered.join(", ")} but not ${missing.join(", ")}, which ${tenant} hosts.`,
        flow: `mail from ${org} to ${missing[0]} addresses (Microsoft 365 Groups, cloud-only users) leaves through ${internet.map((s) => internetRoute(model, s)).join(" or ")} and reaches ${tenant} by the internet path, not as mail from its own organisation.`,
        consequence: "That mail loses its internal status (rejected by groups that refuse external senders), or is misattributed when the internet identity matches a connector.",
        plans: [
          {
            summary: `Add ${missing.join(", ")} to the address spaces of the hybrid connector '${hybrid.name}' (and as an InternalRelay accepted domain on-premises).`,
            edits: [{ kind: "set-connector-field", connector: sendRef(hybrid), field: "addressSpaces", value: [...new Set([...hybrid.addressSpaces, ...missing])] }],
          },
        ],
      });
    }
  },
);
