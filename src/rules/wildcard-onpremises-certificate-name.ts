/** R3 — an OnPremises inbound connector trusts a wildcard certificate name. */
import { certificatesMatching } from "../engine/indexes";
import { certificateNames } from "../engine/names";
import { presentsItself, sendConnectorsUsing } from "../engine/reverse";
import { defineRule } from "./utils/define-rule";
import { isDedicatedHybridWildcard } from "./utils/hybrid-wildcard";
import { exactNamePlans } from "./utils/plans";
import { describeInbound, isInternetPath, isKnownOnPremises, SOURCES } from "./utils/support";

export const wildcardOnPremisesCertificateName = defineRule(
  {
    id: "wildcard-onpremises-certificate-name",
    code: "R3",
    severity: "high",
    description:
      "An OnPremises inbound connector must name the exact hybrid certificate, not a wildcard: every certificate under that domain would be attributed to the tenant.",
    remediationSteps:
      "Issue a dedicated hybrid certificate, add its exact host name as an accepted domain, set TlsSenderCertificateName to that exact name, and keep gateways and internet connectors on other certificates.",
    sources: [SOURCES.attribution, SOURCES.attributionJa, SOURCES.wildcardReply, SOURCES.newInboundConnector],
    crossResource: true,
  },
  ({ model, partial, about, report }) => {
    // A finding names only its connector.
    for (const ic of about ? about.inbound : model.inboundConnectors) {
      const pattern = ic.tlsSenderCertificateName;
      if (!isKnownOnPremises(ic) || !pattern?.startsWith("*.")) continue;
      const hcw = ic.connectorSource?.toLowerCase() === "hybridwizard";
      // Whether an HCW wildcard is dedicated needs the whole stack; R2 blocks a real match early.
      if (hcw && (partial || isDedicatedHybridWildcard(model, ic))) continue;
      const base = pattern.slice(2);
      // An example from the stack, never an invented one: a name under that domain a connector presents on the internet path.
      const example = certificatesMatching(model, pattern)
        .filter((c) => sendConnectorsUsing(model, c).some((s) => presentsItself(model, s) && isInternetPath(model, s)))
        .flatMap((c) => certificateNames(c))
        .find((n) => n.endsWith(`.${base}`) && !n.startsWith("*."));
      report({
        at: [ic],
        key: [ic.tenant, ic.name.toLowerCase()],
        what: `${describeInbound(ic)} has TlsSenderCertificateName ${pattern}.`,
        flow:
          `Any server with a certificate for ${base} or a name under it (${example ? `here ${example}` : "a gateway, another server, a hosted client's relay"}) ` +
          `is attributed to tenant ${ic.tenant} as mail originating there, including mail to other Exchange Online tenants.`,
        consequence:
          `Mail that is not ${ic.tenant}'s runs through its transport and journal rules (journaling leak) and is relayed by it` +
          (hcw ? `; the HCW writes this wildcard when the exact name is not an accepted domain (FAQ #6(a)).` : "."),
        plans: exactNamePlans(model, ic),
      });
    }
  },
);
