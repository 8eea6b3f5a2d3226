/** R4 — the domain of an OnPremises connector's certificate name is not an accepted domain of its tenant. */
import { inboundConnectorsOfTenant, tenantById } from "../engine/lookups";
import { defineRule } from "./utils/define-rule";
import { exactNamePlans } from "./utils/plans";
import { acceptedDomainVerdict, describeInbound, inModelOrder, isKnownOnPremises, SOURCES } from "./utils/support";

export const onPremisesCertificateNameNotAcceptedDomain = defineRule(
  {
    id: "onpremises-certificate-name-not-accepted-domain",
    code: "R4",
    severity: "high",
    description:
      "The certificate name of an OnPremises inbound connector must be an accepted domain of its tenant, or Exchange Online falls back to MAIL FROM and recipient to pick a tenant.",
    remediationSteps:
      "Add the exact certificate host name as an accepted domain of the tenant before switching the connector to it (Microsoft 365 domain verification), then set TlsSenderCertificateName to it.",
    sources: [SOURCES.mc1226222, SOURCES.attribution, SOURCES.hybridTls, SOURCES.relayRequirements],
    crossResource: true,
  },
  ({ model, partial, about, report }) => {
    // A finding names its connector and the connector's tenant.
    const connectors = about ? inModelOrder(model, [...about.inbound, ...about.tenants.flatMap((t) => inboundConnectorsOfTenant(model, t.id))]) : model.inboundConnectors;
    for (const ic of connectors) {
      const name = ic.tlsSenderCertificateName;
      if (!isKnownOnPremises(ic) || !name) continue;
      const tenant = tenantById(model, ic.tenant);
      // Without the tenant's accepted domains the check cannot be made; the inventory reports that.
      if (!tenant || acceptedDomainVerdict(name, tenant, partial) !== "not-accepted") continue;
      const domain = name.replace(/^\*\./, "");
      report({
        at: [ic, tenant],
        key: [ic.tenant, ic.name.toLowerCase()],
        what: `${describeInbound(ic)} trusts ${name}, but ${domain} is not an accepted domain of ${ic.tenant} (accepted: ${tenant.acceptedDomains.map((d) => d.name).join(", ")}).`,
        flow: `mail presenting ${domain} is not attributed by certificate: Exchange Online falls back to the MAIL FROM domain, then the recipient domain, to choose a tenant.`,
        consequence:
          "Relay through the tenant is refused (550 5.7.64 / 5.7.51), NDRs and empty-sender mail lose their tenant, and a set-up that works today can stop after an internal tenant move (MC1226222 anti-pattern 1).",
        plans: exactNamePlans(model, ic),
      });
    }
  },
);
