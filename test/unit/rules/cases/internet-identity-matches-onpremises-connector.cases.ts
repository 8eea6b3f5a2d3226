/** The internet-identity-matches-onpremises-connector rule's table (valid and invalid stacks), shared by its unit test and the metamorphic tests. */
import { internetIdentityMatchesOnPremisesConnector } from "../../../../src/rules/internet-identity-matches-onpremises-connector";
import { gateway, hcwInbound, hybridSend, inbound, internetDirect, internetViaGateway, organization, publicCert, tenant } from "../../support/scenarios";
import type { InvalidCase, ValidCase } from "../../support/rule-tester";

const varuna = tenant("varunagroup.onmicrosoft.com", ["varunagroup.de", "smtpo365.varunagroup.de"]);
const setebos = organization("org-setebos", { name: "setebos-ag", domains: ["setebos-ag.com"] });
const varunaOrg = organization("org-varuna", { name: "varunagroup", domains: ["varunagroup.de"], tenant: "varunagroup.onmicrosoft.com" });
const mspGateway = gateway("gateway", {
  name: "varuna-gateway",
  servers: ["mx01.varunagroup.de", "mx02.varunagroup.de"],
  relaysFor: ["varunagroup", "setebos-ag"],
  connectors: [
    { name: "Internet (mx01)", addressSpaces: ["*"], dnsRouting: true, certificate: { subject: "CN=mx01.varunagroup.de", issuer: "CN=R11, O=Let's Encrypt, C=US", trust: "public" } },
  ],
});

export const rule = internetIdentityMatchesOnPremisesConnector;

export const cases: { valid: ValidCase[]; invalid: InvalidCase[] } = {
  valid: [
    {
      name: "dedicated certificates: exact hybrid name, gateway on its own name",
      resources: [varuna, varunaOrg, setebos, mspGateway, hcwInbound("exo-inbound", "varunagroup.onmicrosoft.com", "smtpo365.varunagroup.de")],
    },
    {
      name: "Partner lock-down connector matching the gateway does not attribute mail as originating",
      resources: [
        varuna,
        varunaOrg,
        mspGateway,
        inbound("lockdown", "varunagroup.onmicrosoft.com", `-Name "Only via MX" -ConnectorType Partner -SenderDomains * -RestrictDomainsToCertificate $true -TlsSenderCertificateName mx01.varunagroup.de`),
      ],
    },
    {
      name: "wildcard whose base is not an accepted domain of the tenant fails the accepted-domain step",
      resources: [tenant("fabrikam.onmicrosoft.com", ["fabrikam.com"]), mspGateway, hcwInbound("exo-inbound", "fabrikam.onmicrosoft.com", "*.varunagroup.de")],
    },
    {
      name: "relay all via own tenant is not an internet path",
      resources: [
        tenant("contoso.onmicrosoft.com", ["contoso.com"]),
        hcwInbound("exo-inbound", "contoso.onmicrosoft.com", "*.contoso.com"),
        internetViaGateway("relay", "ex01.contoso.com", ["contoso-com.mail.protection.outlook.com"]),
      ],
    },
  ],
  invalid: [
    {
      name: "seed incident: HCW wildcard matches the MSP gateway, client mail attributed to the provider tenant",
      resources: [varuna, varunaOrg, setebos, hcwInbound("exo-inbound", "varunagroup.onmicrosoft.com", "*.varunagroup.de"), mspGateway],
      errors: [
        {
          resource: "gateway",
          includes: [
            "setebos-ag.com",
            "mx01.varunagroup.de",
            "attributed to tenant varunagroup.onmicrosoft.com",
            "sent through mx01.varunagroup.de",
            "journal",
            "Set-InboundConnector",
            // The one wrong value is the connector's: the gateway keeps its certificate.
            "-TlsSenderCertificateName 'smtpo365.varunagroup.de'",
          ],
          excludes: ["Set-SendConnector -Identity 'Internet (mx01)'"],
        },
      ],
    },
    {
      name: "a gateway outside the stack, declared in policy configuration",
      resources: [varuna, hcwInbound("exo-inbound", "varunagroup.onmicrosoft.com", "*.varunagroup.de")],
      config: {
        gateways: [{ name: "external-relay", servers: ["relay.varunagroup.de"], domains: ["setebos-ag.com"], connectors: [{ name: "Internet", addressSpaces: ["*"], dnsRouting: true, certificate: { subject: "CN=relay.varunagroup.de", trust: "public" } }] }],
      },
      errors: [{ resource: "exo-inbound", includes: ["mail from setebos-ag.com", "sent through relay.varunagroup.de", "policy configuration mailflow-inventory.gateways[0]"] }],
    },
    {
      name: "on-prem internet connector's certificate matches the OnPremises connector's exact name",
      resources: [
        tenant("contoso.onmicrosoft.com", ["contoso.com", "mail.contoso.com"]),
        hcwInbound("exo-inbound", "contoso.onmicrosoft.com", "mail.contoso.com"),
        publicCert("internet-cert", "mail.contoso.com", { issuer: "CN=R11, O=Let's Encrypt, C=US" }),
        internetDirect("internet-send", "ex01.contoso.com", "mail.contoso.com", "mail.contoso.com"),
      ],
      errors: [{ resource: "internet-send", includes: ["mail.contoso.com", "contoso.onmicrosoft.com"] }],
    },
    {
      name: "exchange smart-hosts internet mail to a gateway whose certificate the wildcard matches",
      resources: [
        tenant("contoso.onmicrosoft.com", ["contoso.com"]),
        hcwInbound("exo-inbound", "contoso.onmicrosoft.com", "*.contoso.com"),
        gateway("spamfilter", {
          name: "spamfilter",
          servers: ["filter.contoso.com"],
          connectors: [{ name: "Internet", addressSpaces: ["*"], dnsRouting: true, certificate: { subject: "CN=filter.contoso.com", trust: "public" } }],
        }),
        hybridSend("hybrid-send", "ex01.contoso.com", "contoso.mail.onmicrosoft.com", "smtpo365.contoso.com"),
        internetViaGateway("internet-send", "ex01.contoso.com", ["filter.contoso.com"]),
      ],
      errors: [{ resource: "spamfilter", includes: ["filter.contoso.com", "*.contoso.com"] }],
    },
  ],
};
