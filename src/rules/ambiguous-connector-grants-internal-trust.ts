/** R11 — a connector that misattributes mail also grants it internal treatment. */
import { inboundConnectorsDeclaredBy } from "../engine/lookups";
import { ambiguousTenantAcrossConnectors } from "./ambiguous-tenant-across-connectors";
import { internetIdentityMatchesOnPremisesConnector } from "./internet-identity-matches-onpremises-connector";
import { ipBasedOnPremisesConnectorSharedIp } from "./ip-based-onpremises-connector-shared-ip";
import { checkRule, defineRule } from "./utils/define-rule";
import { describeInbound, inModelOrder, SOURCES } from "./utils/support";
import { wildcardOnPremisesCertificateName } from "./wildcard-onpremises-certificate-name";

const UNDERLYING = [
  internetIdentityMatchesOnPremisesConnector,
  wildcardOnPremisesCertificateName,
  ambiguousTenantAcrossConnectors,
  ipBasedOnPremisesConnectorSharedIp,
];

// Every underlying rule is critical or high, so "one level above" it is always critical: the rule's
// own severity, which the framework stamps (docs/rules/ambiguous-connector-grants-internal-trust.md).
export const ambiguousConnectorGrantsInternalTrust = defineRule(
  {
    id: "ambiguous-connector-grants-internal-trust",
    code: "R11",
    severity: "critical",
    description:
      "An inbound connector that can misattribute mail must not also treat it as internal (TreatMessagesAsInternal or CloudServicesMailEnabled), or foreign mail carries your organisation's headers.",
    remediationSteps: "Fix the underlying attribution finding first; never enable TreatMessagesAsInternal on an ambiguous connector.",
    sources: [SOURCES.newInboundConnector, SOURCES.attribution],
    crossResource: true,
  },
  (context) => {
    const { model, report, reported } = context;
    for (const rule of UNDERLYING) {
      for (const underlying of checkRule(rule, context)) {
        // Connectors sharing a statement with the finding: found by the resources the finding names.
        const connectors = inModelOrder(model, underlying.provenance.flatMap((p) => inboundConnectorsDeclaredBy(model, p.urn)));
        for (const ic of connectors) {
          if (!(ic.treatMessagesAsInternal || ic.cloudServicesMailEnabled)) continue;
          if (!underlying.provenance.some((p) => ic.provenance.some((q) => q.urn === p.urn && q.line === p.line && q.property === p.property))) continue;
          const key = [ic.tenant, ic.name.toLowerCase()];
          if (reported(key)) continue;
          const grants = [ic.treatMessagesAsInternal && "TreatMessagesAsInternal $true", ic.cloudServicesMailEnabled && "CloudServicesMailEnabled $true"].filter(Boolean).join(" and ");
          report({
            at: [ic, underlying],
            key,
            // The underlying finding is reported too, with its flow: this one says what it adds.
            what: `${describeInbound(ic)} has ${grants} while ${underlying.ruleId} applies to it.`,
            consequence: "Misattributed mail is promoted to internal: its X-MS-Exchange-Organization headers are kept and anti-spam may be bypassed.",
            plans: underlying.plans,
          });
        }
      }
    }
  },
);
