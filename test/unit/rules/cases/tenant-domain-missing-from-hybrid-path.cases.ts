/** The tenant-domain-missing-from-hybrid-path rule's table (valid and invalid stacks), shared by its unit test and the metamorphic tests. */
import { tenantDomainMissingFromHybridPath } from "../../../../src/rules/tenant-domain-missing-from-hybrid-path";
import { gateway, hybridSend, internetDirect, internetViaGateway, organization, tenant, withUnknownHost } from "../../support/scenarios";
import { onPrem } from "../../support/stack";
import type { InvalidCase, ValidCase } from "../../support/rule-tester";

const contoso = tenant("contoso.onmicrosoft.com", ["contoso.com", "smtpo365.contoso.com"]);

/*
 * The internet path leaves by MX or through smart hosts (a gateway, a relay): either way mail to a
 * tenant domain the hybrid Send connector does not cover takes it (New-SendConnector -SmartHosts,
 * https://learn.microsoft.com/powershell/module/exchangepowershell/new-sendconnector#-smarthosts;
 * the tenant's domains belong on the hybrid path,
 * https://learn.microsoft.com/exchange/hybrid-deployment/set-up-microsoft-365-groups).
 */
const contosoOrg = organization("org-contoso", { name: "contoso", servers: ["ex01.contoso.com"], domains: ["contoso.com"], tenant: "contoso.onmicrosoft.com" });
const mailGateway = gateway("mail-gateway", {
  name: "contoso-gateway",
  servers: ["mx01.contoso.com", "mx02.contoso.com"],
  relaysFor: ["contoso"],
  connectors: [{ name: "Internet", addressSpaces: ["*"], dnsRouting: true, certificate: { subject: "CN=mx01.contoso.com", trust: "public" } }],
});
const bothRoutingDomains = (resource: string) =>
  onPrem(resource, "ex01.contoso.com", `New-SendConnector -Name "Outbound to Office 365" -AddressSpaces "smtp:contoso.mail.onmicrosoft.com;1","smtp:contoso.onmicrosoft.com;1" -CloudServicesMailEnabled $true`);

export const rule = tenantDomainMissingFromHybridPath;

export const cases: { valid: ValidCase[]; invalid: InvalidCase[] } = {
  valid: [
    {
      name: "hybrid connector covers both routing domains",
      resources: [contoso, onPrem("send", "ex01.contoso.com", `New-SendConnector -Name "Outbound to Office 365" -AddressSpaces "smtp:contoso.mail.onmicrosoft.com;1","smtp:contoso.onmicrosoft.com;1" -CloudServicesMailEnabled $true\nNew-SendConnector -Internet -Name Internet -AddressSpaces "SMTP:*;1"`)],
    },
    { name: "no internet connector: nothing leaves by the internet identity", resources: [contoso, hybridSend("send", "ex01.contoso.com", "contoso.mail.onmicrosoft.com", "smtpo365.contoso.com")] },
    {
      name: "internet mail smart-hosted to a gateway, and the hybrid connector covers both routing domains",
      resources: [contoso, contosoOrg, mailGateway, bothRoutingDomains("send"), internetViaGateway("internet", "ex01.contoso.com", ["mx01.contoso.com", "mx02.contoso.com"])],
    },
    {
      name: "all mail smart-hosted to the tenant's own MX (relay through the own tenant): no internet path",
      resources: [
        contoso,
        hybridSend("send", "ex01.contoso.com", "contoso.mail.onmicrosoft.com", "smtpo365.contoso.com"),
        onPrem("relay", "ex01.contoso.com", `New-SendConnector -Name "All via EXO" -AddressSpaces "SMTP:*;1" -DNSRoutingEnabled $false -SmartHosts contoso-com.mail.protection.outlook.com`),
      ],
    },
    {
      name: "the initial domain is covered by a second hybrid connector in another resource (in any order)",
      resources: [
        contoso,
        hybridSend("send", "ex01.contoso.com", "contoso.mail.onmicrosoft.com", "smtpo365.contoso.com"),
        internetDirect("internet", "ex01.contoso.com", "mx01.contoso.com", "mx01.contoso.com"),
        onPrem("send-initial", "ex01.contoso.com", `New-SendConnector -Name "Outbound to Office 365 - initial domain" -AddressSpaces "smtp:contoso.onmicrosoft.com;1" -CloudServicesMailEnabled $true -RequireTLS $true -TlsAuthLevel DomainValidation -TlsDomain mail.protection.outlook.com -Fqdn smtpo365.contoso.com -TlsCertificateName "<I>CN=GeoTrust TLS RSA CA G1, O=DigiCert Inc, C=US<S>CN=smtpo365.contoso.com"`),
      ],
    },
    {
      name: "the initial domain is covered by a hybrid connector on a server whose host is unknown in preview (it may be this organisation's)",
      resources: [
        contoso,
        hybridSend("send", "ex01.contoso.com", "contoso.mail.onmicrosoft.com", "smtpo365.contoso.com"),
        internetDirect("internet", "ex01.contoso.com", "mx01.contoso.com", "mx01.contoso.com"),
        withUnknownHost(onPrem("send-initial", "ex02.contoso.com", `New-SendConnector -Name "Outbound to Office 365 - initial domain" -AddressSpaces "smtp:contoso.onmicrosoft.com;1" -CloudServicesMailEnabled $true -RequireTLS $true -TlsAuthLevel DomainValidation -TlsDomain mail.protection.outlook.com -Fqdn smtpo365.contoso.com -TlsCertificateName "<I>CN=GeoTrust TLS RSA CA G1, O=DigiCert Inc, C=US<S>CN=smtpo365.contoso.com"`)),
      ],
    },
  ],
  invalid: [
    {
      name: "HCW default address space only, plus an internet connector",
      resources: [contoso, hybridSend("send", "ex01.contoso.com", "contoso.mail.onmicrosoft.com", "smtpo365.contoso.com"), internetDirect("internet", "ex01.contoso.com", "mx01.contoso.com", "mx01.contoso.com")],
      errors: [{ resource: "internet", includes: ["contoso.onmicrosoft.com", "Set-SendConnector", "InternalRelay"] }],
    },
    {
      name: "internet mail smart-hosted to a described gateway, HCW default address space only",
      resources: [contoso, contosoOrg, mailGateway, hybridSend("send", "ex01.contoso.com", "contoso.mail.onmicrosoft.com", "smtpo365.contoso.com"), internetViaGateway("internet", "ex01.contoso.com", ["mx01.contoso.com", "mx02.contoso.com"])],
      errors: [{ resource: "internet", includes: ["not contoso.onmicrosoft.com", "through smart host mx01.contoso.com, mx02.contoso.com (connector 'Internet' of contoso-gateway)", "Set-SendConnector"] }],
    },
    {
      name: "internet mail smart-hosted to a relay the stack does not describe, HCW default address space only",
      resources: [contoso, hybridSend("send", "ex01.contoso.com", "contoso.mail.onmicrosoft.com", "smtpo365.contoso.com"), internetViaGateway("internet", "ex01.contoso.com", ["relay.isp.example"])],
      errors: [{ resource: "internet", includes: ["not contoso.onmicrosoft.com", "through smart host relay.isp.example", "InternalRelay"] }],
    },
    {
      name: "one organisation with a DNS-routed and a smart-hosted internet connector: one finding naming both ways out",
      resources: [
        contoso,
        hybridSend("send", "ex01.contoso.com", "contoso.mail.onmicrosoft.com", "smtpo365.contoso.com"),
        internetDirect("internet", "ex01.contoso.com", "mx01.contoso.com", "mx01.contoso.com"),
        onPrem("internet-partner", "ex01.contoso.com", `New-SendConnector -Internet -Name "Via relay" -AddressSpaces "SMTP:*;5" -DNSRoutingEnabled $false -SmartHosts relay.isp.example`),
      ],
      errors: [{ resource: "internet-partner", includes: ["connector 'Internet' of ex01.contoso.com or internet connector 'Via relay' of ex01.contoso.com through smart host relay.isp.example"] }],
    },
  ],
};
