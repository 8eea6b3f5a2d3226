/** R6 (a)–(c) — an IP-based OnPremises connector whose IPs other tenants or shared egress also use. */
import { defineRule } from "./utils/define-rule";
import { ipOverlaps } from "./utils/ip-attribution";
import { dedicatedPlans } from "./utils/plans";
import { describeInbound, SOURCES } from "./utils/support";

export const ipBasedOnPremisesConnectorSharedIp = defineRule(
  {
    id: "ip-based-onpremises-connector-shared-ip",
    code: "R6",
    severity: "high",
    description:
      "An IP-based OnPremises inbound connector must use IPs that belong exclusively to its organisation: with shared IPs only MAIL FROM decides the tenant.",
    remediationSteps: "Move the connector to a certificate (dedicated certificate whose name is an accepted domain), verify with message trace, then remove the IP-based connector.",
    sources: [SOURCES.attribution, SOURCES.mc1226222, SOURCES.threePoints],
    crossResource: true,
  },
  ({ model, about, report, reported }) => {
    for (const o of ipOverlaps(model, about)) {
      if (o.kind === "internet-egress") continue;
      const key = [o.connector.tenant, o.connector.name.toLowerCase(), o.kind, o.other.toLowerCase()];
      if (reported(key)) continue;
      report({
        at: [o.connector, { provenance: o.provenance }],
        key,
        what: `${describeInbound(o.connector)} is identified by IP ${o.ip}, which ${o.other} also uses.`,
        flow: `mail from ${o.ip} with a MAIL FROM domain accepted in ${o.connector.tenant} is attributed to ${o.connector.tenant}, whoever sent it; other senders behind ${o.ip} can relay through ${o.connector.tenant}.`,
        consequence: "Mail lands in the wrong tenant (foreign rules, logs in the wrong tenant, SPF failures) or is refused as relay; sessions with several recipient domains are denied (MC1226222 anti-pattern 2).",
        plans: dedicatedPlans(model, o.connector.tenant, { inbound: [o.connector], fromIps: true }),
      });
    }
  },
);
