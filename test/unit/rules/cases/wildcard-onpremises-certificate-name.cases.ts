/** The wildcard-onpremises-certificate-name rule's table (valid and invalid stacks), shared by its unit test and the metamorphic tests. */
import { wildcardOnPremisesCertificateName } from "../../../../src/rules/wildcard-onpremises-certificate-name";
import { connect, gateway, hcwInbound, hybridSend, inbound, publicCert, tenant } from "../../support/scenarios";
import { exo, onPrem } from "../../support/stack";
import type { InvalidCase, ValidCase } from "../../support/rule-tester";

const contoso = tenant("contoso.onmicrosoft.com", ["contoso.com", "smtpo365.contoso.com"]);

export const rule = wildcardOnPremisesCertificateName;

export const cases: { valid: ValidCase[]; invalid: InvalidCase[] } = {
  valid: [
    { name: "exact certificate name on an OnPremises connector", resources: [contoso, hcwInbound("exo-inbound", "contoso.onmicrosoft.com", "smtpo365.contoso.com")] },
    {
      name: "Partner lock-down connector with a wildcard is not flagged",
      resources: [contoso, inbound("mx-lockdown", "contoso.onmicrosoft.com", `-Name "Reject mail not via MX" -ConnectorType Partner -SenderDomains * -RestrictDomainsToCertificate $true -TlsSenderCertificateName *.contoso.com`)],
    },
    {
      name: "connector type defaults to Partner when not given",
      resources: [inbound("partner-default", "contoso.onmicrosoft.com", `-Name "Partner" -SenderDomains 'fabrikam.com' -TlsSenderCertificateName '*.fabrikam.com'`)],
    },
    {
      name: "HCW wildcard that only the dedicated hybrid certificate matches (FAQ #6(a))",
      resources: [
        contoso,
        publicCert("hybrid-cert", "smtpo365.contoso.com"),
        hybridSend("hybrid-send", "ex01.contoso.com", "contoso.mail.onmicrosoft.com", "smtpo365.contoso.com"),
        hcwInbound("exo-inbound", "contoso.onmicrosoft.com", "*.contoso.com"),
      ],
    },
    {
      name: "an exemption of the rule covers its whole-stack check too (an HCW wildcard another certificate matches)",
      resources: [
        contoso,
        publicCert("hybrid-cert", "smtpo365.contoso.com"),
        publicCert("www-cert", "www.contoso.com"),
        hybridSend("hybrid-send", "ex01.contoso.com", "contoso.mail.onmicrosoft.com", "smtpo365.contoso.com"),
        hcwInbound("legacy-inbound", "contoso.onmicrosoft.com", "*.contoso.com"),
      ],
      config: { exemptions: [{ policy: "wildcard-onpremises-certificate-name", resource: "legacy-*", reason: "HCW re-run scheduled", expires: "2999-12-31" }] },
    },
    {
      name: "exempted until a date that has not passed",
      resources: [contoso, inbound("legacy-inbound", "contoso.onmicrosoft.com", `-Name "From on-prem" -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName *.contoso.com`)],
      config: { exemptions: [{ policy: "wildcard-onpremises-certificate-name", resource: "legacy-*", reason: "HCW re-run scheduled", expires: "2999-12-31" }] },
    },
    {
      name: "wildcard later replaced by the exact name in another resource",
      resources: [
        contoso,
        exo("exo-fix", `${connect("contoso.onmicrosoft.com")}\nSet-InboundConnector -Identity "Inbound from 6fc3a33e-3ca2-4528-8e3c-75e5d4e9db76" -TlsSenderCertificateName smtpo365.contoso.com`),
      ],
    },
  ],
  invalid: [
    {
      name: "wildcard set on an HCW connector created outside the stack, declared in policy configuration",
      resources: [contoso, exo("exo-widen", `${connect("contoso.onmicrosoft.com")}\nSet-InboundConnector -Identity "Inbound from 6fc3a33e-3ca2-4528-8e3c-75e5d4e9db76" -TlsSenderCertificateName '*.contoso.com'`)],
      config: { inboundConnectors: [{ tenant: "contoso.onmicrosoft.com", name: "Inbound from 6fc3a33e-3ca2-4528-8e3c-75e5d4e9db76", connectorType: "OnPremises" }] },
      errors: [{ resource: "exo-widen", includes: ["*.contoso.com"] }],
    },
    {
      name: "wildcard on an OnPremises connector (New-InboundConnector)",
      resources: [contoso, inbound("exo-inbound", "contoso.onmicrosoft.com", `-Name "From on-prem" -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName *.contoso.com`)],
      errors: [{ resource: "exo-inbound", includes: ["'From on-prem'", "*.contoso.com", "Set-InboundConnector -Identity 'From on-prem' -TlsSenderCertificateName 'smtpo365", "contoso.onmicrosoft.com"] }],
    },
    {
      name: "an expired exemption stops exempting and says so",
      resources: [contoso, inbound("legacy-inbound", "contoso.onmicrosoft.com", `-Name "From on-prem" -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName *.contoso.com`)],
      config: { exemptions: [{ policy: "wildcard-onpremises-certificate-name", resource: "legacy-*", reason: "HCW re-run scheduled", expires: "2020-01-31" }] },
      errors: [{ resource: "legacy-inbound", includes: ['Exemption expired: "HCW re-run scheduled" (legacy-*) ended on 2020-01-31'] }],
    },
    {
      name: "wildcard set later on an OnPremises connector (Set-InboundConnector in a remote-less local command)",
      resources: [
        contoso,
        inbound("exo-inbound", "contoso.onmicrosoft.com", `-Name "From on-prem" -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName smtpo365.contoso.com`),
        { ...exo("exo-widen", `${connect("contoso.onmicrosoft.com")}\nSet-InboundConnector "From on-prem" -TlsSenderCertificateName '*.contoso.com'`), dependencies: ["exo-inbound"] },
      ],
      errors: [{ resource: "exo-widen", includes: ["*.contoso.com"] }],
    },
    {
      name: "HCW wildcard that also matches the gateway's certificate (seed incident)",
      resources: [
        tenant("varunagroup.onmicrosoft.com", ["varunagroup.de"]),
        hcwInbound("exo-inbound", "varunagroup.onmicrosoft.com", "*.varunagroup.de"),
        gateway("gateway", {
          name: "mail gateway",
          servers: ["mx01.varunagroup.de"],
          connectors: [{ name: "Internet", addressSpaces: ["*"], dnsRouting: true, certificate: { subject: "CN=mx01.varunagroup.de", trust: "public" } }],
        }),
      ],
      // HCW wildcards are judged on the whole stack (whether they are dedicated needs every resource).
      errors: [{ resource: "exo-inbound", includes: ["*.varunagroup.de", "FAQ #6(a)"] }],
    },
    {
      name: "wildcard via splatted parameters in a POSIX-wrapped pwsh script",
      resources: [
        {
          type: "command:local:Command",
          name: "exo-splat",
          props: {
            create: `pwsh -NoProfile -Command '\n$p = @{ Name = "From on-prem"; ConnectorType = "OnPremises"; SenderDomains = "*"; TlsSenderCertificateName = "*.contoso.com" }\n${connect("contoso.onmicrosoft.com")}\nNew-InboundConnector @p\n'`,
          },
        },
      ],
      errors: [{ resource: "exo-splat", includes: ["*.contoso.com"] }],
    },
    {
      name: "wildcard in an on-premises remote script is still an EXO connector once connected",
      resources: [onPrem("remote-exo", "jump01.contoso.com", `${connect("contoso.onmicrosoft.com")}\nNew-InboundConnector -Name "From on-prem" -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName "*.contoso.com"`)],
      errors: [{ resource: "remote-exo", includes: ["*.contoso.com"] }],
    },
  ],
};
