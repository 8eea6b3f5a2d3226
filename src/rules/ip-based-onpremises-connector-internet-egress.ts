/** R6 (d) — an IP-based OnPremises connector whose IP is also the egress of an internet connector. */
import type { Finding } from "../findings/types";
import { ipOverlaps } from "./utils/ip-attribution";
import { ipToCertificateFix } from "./utils/remediation";
import { describeInbound, fingerprint, provenanceOf, SOURCES } from "./utils/support";
import type { Rule } from "./utils/define-rule";

export const ipBasedOnPremisesConnectorInternetEgress: Rule = {
  meta: {
    id: "ip-based-onpremises-connector-internet-egress",
    code: "R6d",
    severity: "medium",
    description:
      "An IP-based OnPremises inbound connector should not cover the egress IP of an internet connector: internet mail to other tenants becomes mail originating in this tenant.",
    remediationSteps: "Authenticate the hybrid path by a dedicated certificate instead of the shared egress IP.",
    sources: [SOURCES.threePoints, SOURCES.silentDiscard, SOURCES.attribution],
    crossResource: true,
  },
  check({ model, about }) {
    const findings = new Map<string, Finding>();
    for (const o of ipOverlaps(model, about)) {
      if (o.kind !== "internet-egress") continue;
      const key = fingerprint("R6d", o.connector.tenant, o.connector.name.toLowerCase(), o.other.toLowerCase());
      if (findings.has(key)) continue;
      findings.set(key, {
        ruleId: "ip-based-onpremises-connector-internet-egress",
        severity: "medium",
        what: `${describeInbound(o.connector)} is identified by IP ${o.ip}, the egress of ${o.other}.`,
        flow: `internet mail with a MAIL FROM domain accepted in ${o.connector.tenant} sent from ${o.ip} to an Exchange Online recipient of another tenant is attributed as originating in ${o.connector.tenant}.`,
        consequence: "Your tenant's rules run on that mail and relay it (Microsoft Japan, 2017); with a self-signed gateway certificate this is the silent-discard set-up.",
        fix: ipToCertificateFix(model, o.connector),
        provenance: provenanceOf(o.connector, { provenance: o.provenance }),
        fingerprint: key,
      });
    }
    return [...findings.values()];
  },
};
