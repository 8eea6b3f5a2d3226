/** R12 — the next Hybrid Configuration Wizard run would put back an old certificate or a wildcard. */
import { hybridConfigurationsOf, sendConnectorsOf, tenantById } from "../engine/lookups";
import { normalizeDn } from "../model/normalize";
import type { CertificateIdentifier } from "../model/types";
import { defineRule } from "./utils/define-rule";
import { isDedicatedHybridWildcard } from "./utils/hybrid-wildcard";
import { exactNamePlans } from "./utils/plans";
import { acceptedDomainVerdict, describeInbound, describeSend, hybridTenants, inModelOrder, isKnownOnPremises, isOneOrganization, SOURCES } from "./utils/support";

const sameIdentifier = (a: CertificateIdentifier, b: CertificateIdentifier): boolean =>
  normalizeDn(a.issuer) === normalizeDn(b.issuer) && normalizeDn(a.subject) === normalizeDn(b.subject);

export const hybridWizardWillRevertCertificate = defineRule(
  {
    id: "hybrid-wizard-will-revert-certificate",
    code: "R12",
    severity: "low",
    description:
      "The Hybrid Configuration Wizard's stored certificate and the connectors should agree, and an HCW connector's exact name should be an accepted domain, or the next HCW run reverts the fix.",
    remediationSteps: "Set-HybridConfiguration -TlsCertificateName to the hybrid connector's certificate, and add the exact host name as an accepted domain (FAQ #6(b)).",
    sources: [SOURCES.setHybridConfiguration, SOURCES.hcw, SOURCES.attribution],
    crossResource: true,
  },
  ({ model, partial, about, report }) => {
    // A stored-certificate finding names the hybrid configuration and a Send connector of its organisation.
    const configurations = about
      ? inModelOrder(model, [...about.hybridConfigurations, ...about.send.flatMap((s) => hybridConfigurationsOf(model, s.org))])
      : model.hybridConfigurations;
    for (const hc of configurations) {
      if (!hc.tlsCertificateName || !isOneOrganization(model, hc.org)) continue;
      for (const s of sendConnectorsOf(model, hc.org)) {
        if (!s.tlsCertificateName || hybridTenants(model, s).length === 0) continue;
        if (sameIdentifier(s.tlsCertificateName, hc.tlsCertificateName)) continue;
        report({
          at: [hc, s],
          key: ["stored", hc.org, s.name.toLowerCase()],
          what: `Set-HybridConfiguration names ${hc.tlsCertificateName.raw} but hybrid ${describeSend(s)} uses ${s.tlsCertificateName.raw}.`,
          consequence: "The next HCW run re-applies the stored certificate to the connectors, undoing the dedicated-certificate fix.",
          plans: [{ summary: `Store the hybrid connector's certificate ${s.tlsCertificateName.raw} in the hybrid configuration, so the next HCW run keeps it.`, edits: [{ kind: "store-hybrid-certificate", org: hc.org, identifier: s.tlsCertificateName }] }],
        });
      }
    }
    for (const ic of about ? about.inbound : model.inboundConnectors) {
      if (!isKnownOnPremises(ic) || ic.connectorSource?.toLowerCase() !== "hybridwizard" || !ic.tlsSenderCertificateName) continue;
      const tenant = tenantById(model, ic.tenant);
      const wildcardKept = !partial && isDedicatedHybridWildcard(model, ic);
      const exactNotAccepted =
        !ic.tlsSenderCertificateName.startsWith("*.") && acceptedDomainVerdict(ic.tlsSenderCertificateName, tenant, partial) === "not-accepted";
      if (!wildcardKept && !exactNotAccepted) continue;
      report({
        at: [ic],
        key: ["hcw", ic.tenant, ic.name.toLowerCase()],
        what: wildcardKept
          ? `${describeInbound(ic)} keeps the HCW wildcard ${ic.tlsSenderCertificateName}; today only the dedicated hybrid certificate matches it.`
          : `${describeInbound(ic)} was set to ${ic.tlsSenderCertificateName}, which is not an accepted domain of ${ic.tenant}.`,
        consequence: wildcardKept
          ? "Any future certificate under that domain (a new gateway, another server) will be attributed to the tenant (FAQ #6(b))."
          : "The next HCW run writes a wildcard back, because the exact host name is not an accepted domain (FAQ #6(a)).",
        plans: exactNamePlans(model, ic),
      });
    }
  },
);
