/** R6 (d) — an IP-based OnPremises connector whose IP is also the egress of an internet connector. */
import { defineRule } from "./utils/define-rule";
import { ipOverlaps } from "./utils/ip-attribution";
import { dedicatedPlans } from "./utils/plans";
import { describeInbound, SOURCES } from "./utils/support";

export const ipBasedOnPremisesConnectorInternetEgress = defineRule(
  {
    id: "ip-based-onpremises-connector-internet-egress",
    code: "R6d",
    severity: "medium",
    description:
      "An IP-based OnPremises inbound connector should not cover the egress IP of an internet connector: internet mail to other tenants becomes mail originating in this tenant.",
    remediationSteps: "Authenticate the hybrid path by a dedicated certificate instead of the shared egress IP.",
    sources: [SOURCES.threePoints, SOURCES.silentDiscard, SOURCES.attribution],
    crossResource: true,
  },
  ({ model, about, report, reported }) => {
    for (const o of ipOverlaps(model, about)) {
      if (o.kind !== "internet-egress") continue;
      const key = [o.connector.tenant, o.connector.name.toLowerCase(), o.other.toLowerCase()];
      if (reported(key)) continue;
      report({
        at: [o.connector, { provenance: o.provenance }],
        key,
        what: `${describeInbound(o.connector)} is identified by IP ${o.ip}, the egress of ${o.other}.`,
        flow: `internet mail with a MAIL FROM domain accepted in ${o.connector.tenant} sent from ${o.ip} to an Exchange Online recipient of another tenant is attributed as originating in ${o.connector.tenant}.`,
        consequence: "Your tenant's rules run on that mail and relay it (Microsoft Japan, 2017); with a self-signed gateway certificate this is the silent-discard set-up.",
        plans: dedicatedPlans(model, o.connector.tenant, { inbound: [o.connector], fromIps: true }),
      });
    }
  },
);
