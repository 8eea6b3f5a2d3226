/** R11 — a connector that misattributes mail also grants it internal treatment. */
import { raiseSeverity, type Finding, type Severity } from "../findings/types";
import { ambiguousTenantAcrossConnectors } from "./ambiguous-tenant-across-connectors";
import { internetIdentityMatchesOnPremisesConnector } from "./internet-identity-matches-onpremises-connector";
import { ipBasedOnPremisesConnectorSharedIp } from "./ip-based-onpremises-connector-shared-ip";
import { indexesOf } from "../engine/indexes";
import { describeInbound, fingerprint, inModelOrder, provenanceOf, SOURCES } from "./utils/support";
import { checkRule, type Rule } from "./utils/define-rule";
import { wildcardOnPremisesCertificateName } from "./wildcard-onpremises-certificate-name";

const UNDERLYING = [
  internetIdentityMatchesOnPremisesConnector,
  wildcardOnPremisesCertificateName,
  ambiguousTenantAcrossConnectors,
  ipBasedOnPremisesConnectorSharedIp,
];

export const ambiguousConnectorGrantsInternalTrust: Rule = {
  meta: {
    id: "ambiguous-connector-grants-internal-trust",
    code: "R11",
    severity: "critical",
    description:
      "An inbound connector that can misattribute mail must not also treat it as internal (TreatMessagesAsInternal or CloudServicesMailEnabled): foreign mail would carry your organisation's headers.",
    remediationSteps: "Fix the underlying attribution finding first; never enable TreatMessagesAsInternal on an ambiguous connector.",
    sources: [SOURCES.newInboundConnector, SOURCES.attribution],
    crossResource: true,
  },
  check(context) {
    const { model } = context;
    const findings = new Map<string, Finding>();
    for (const rule of UNDERLYING) {
      for (const underlying of checkRule(rule, context)) {
        // Connectors sharing a statement with the finding: found by the resources the finding names.
        const connectors = inModelOrder(model, underlying.provenance.flatMap((p) => indexesOf(model).inboundByUrn.get(p.urn) ?? []));
        for (const ic of connectors) {
          if (!(ic.treatMessagesAsInternal || ic.cloudServicesMailEnabled)) continue;
          if (!underlying.provenance.some((p) => ic.provenance.some((q) => q.urn === p.urn && q.line === p.line && q.property === p.property))) continue;
          const key = fingerprint("R11", ic.tenant, ic.name.toLowerCase());
          const severity: Severity = raiseSeverity(underlying.severity);
          const existing = findings.get(key);
          if (existing) continue;
          const grants = [ic.treatMessagesAsInternal && "TreatMessagesAsInternal $true", ic.cloudServicesMailEnabled && "CloudServicesMailEnabled $true"].filter(Boolean).join(" and ");
          findings.set(key, {
            ruleId: "ambiguous-connector-grants-internal-trust",
            severity,
            what: `${describeInbound(ic)} has ${grants} while ${underlying.ruleId} applies to it (${underlying.what})`,
            ...(underlying.flow ? { flow: underlying.flow } : {}),
            consequence: `Misattributed mail is promoted to internal: X-MS-Exchange-Organization headers are kept and anti-spam may be bypassed, so foreign mail looks like ${ic.tenant}'s own.`,
            fix: underlying.fix,
            provenance: provenanceOf(ic, underlying),
            fingerprint: key,
          });
        }
      }
    }
    return [...findings.values()];
  },
};
