/** Valid and invalid tables for R6 (d), R7, R9, R10, R11 and R12. */
import { beforeAll } from "vitest";
import { loadExtractors } from "../../../src/extractors";
import { ambiguousConnectorGrantsInternalTrust } from "../../../src/rules/ambiguous-connector-grants-internal-trust";
import { hybridWizardWillRevertCertificate } from "../../../src/rules/hybrid-wizard-will-revert-certificate";
import { ipBasedOnPremisesConnectorInternetEgress } from "../../../src/rules/ip-based-onpremises-connector-internet-egress";
import { multiForestCertificatesNotDistinct } from "../../../src/rules/multi-forest-certificates-not-distinct";
import { tenantDomainMissingFromHybridPath } from "../../../src/rules/tenant-domain-missing-from-hybrid-path";
import { untrustedCertificateOnHybridPath } from "../../../src/rules/untrusted-certificate-on-hybrid-path";
import { RuleTester } from "../support/rule-tester";
import { completeTenant, gateway, hcwInbound, hybridSend, inbound, internetDirect, organization, publicCert, tenant, withUnknownHost } from "../support/scenarios";
import { onPrem } from "../support/stack";

beforeAll(loadExtractors);

const tester = new RuleTester();
const contoso = tenant("contoso.onmicrosoft.com", ["contoso.com", "smtpo365.contoso.com"]);
const gatewayWith = (certificate: Record<string, unknown>, egressIps: string[] = []) =>
  gateway("gateway", { name: "gw", servers: ["gw01.contoso.com"], egressIps, connectors: [{ name: "Internet", addressSpaces: ["*"], dnsRouting: true, certificate }] });

tester.run(ipBasedOnPremisesConnectorInternetEgress, {
  valid: [
    { name: "certificate-based hybrid connector beside the gateway", resources: [contoso, gatewayWith({ subject: "CN=mx.contoso.com", trust: "public" }, ["203.0.113.10"]), hcwInbound("exo", "contoso.onmicrosoft.com", "smtpo365.contoso.com")] },
  ],
  invalid: [
    {
      name: "IP-based connector on the gateway's internet egress",
      resources: [contoso, gatewayWith({ subject: "CN=mx.contoso.com", trust: "public" }, ["203.0.113.10"]), inbound("exo", "contoso.onmicrosoft.com", `-Name "From gateway" -ConnectorType OnPremises -SenderDomains * -SenderIPAddresses 203.0.113.10`)],
      errors: [{ resource: "exo", includes: ["203.0.113.10", "internet connector 'Internet' of gw"] }],
    },
    {
      name: "IP-based connector on the egress of a gateway an Exchange organisation relays through, the gateway described last",
      resources: [
        contoso,
        inbound("exo", "contoso.onmicrosoft.com", `-Name "From gateway" -ConnectorType OnPremises -SenderDomains * -SenderIPAddresses 203.0.113.10`),
        onPrem("internet-send", "ex01.contoso.com", `New-SendConnector -Internet -Name "Internet via gateway" -AddressSpaces "SMTP:*;1" -DNSRoutingEnabled $false -SmartHosts gw01.contoso.com`),
        gatewayWith({ subject: "CN=mx.contoso.com", trust: "public" }, ["203.0.113.10"]),
      ],
      errors: [{ resource: "gateway", includes: ["203.0.113.10", "internet connector 'Internet' of gw"] }],
    },
  ],
});

tester.run(untrustedCertificateOnHybridPath, {
  valid: [
    { name: "public hybrid certificate", resources: [contoso, publicCert("hybrid-cert", "smtpo365.contoso.com"), hybridSend("send", "ex01.contoso.com", "contoso.mail.onmicrosoft.com", "smtpo365.contoso.com")] },
    { name: "self-signed certificate nobody trusts for attribution", resources: [contoso, gatewayWith({ subject: "CN=gw01.contoso.com", trust: "self-signed" })] },
  ],
  invalid: [
    {
      name: "self-signed certificate accepted by an OnPremises connector",
      resources: [contoso, gatewayWith({ subject: "CN=gw01.contoso.com", trust: "self-signed" }), inbound("exo", "contoso.onmicrosoft.com", `-Name "From gateway" -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName gw01.contoso.com`)],
      errors: [{ resource: "exo", includes: ["self-signed", "'From gateway'"] }],
    },
    {
      name: "private-CA certificate on the hybrid connector",
      resources: [contoso, publicCert("hybrid-cert", "smtpo365.contoso.com", { trust: "private-ca" }), hybridSend("send", "ex01.contoso.com", "contoso.mail.onmicrosoft.com", "smtpo365.contoso.com")],
      errors: [{ resource: "send", includes: ["issued by a private CA", "hybrid connector"] }],
    },
  ],
});

tester.run(multiForestCertificatesNotDistinct, {
  valid: [
    {
      name: "two forests with distinct certificates",
      resources: [contoso, publicCert("cert-a", "hybrid-a.contoso.com"), publicCert("cert-b", "hybrid-b.contoso.com"), hybridSend("send-a", "ex01.forest-a.example", "contoso.mail.onmicrosoft.com", "hybrid-a.contoso.com"), hybridSend("send-b", "ex01.forest-b.example", "contoso.mail.onmicrosoft.com", "hybrid-b.contoso.com")],
    },
    {
      name: "one forest whose second hybrid connector runs on a server whose host is unknown in preview is not a second forest",
      resources: [
        contoso,
        organization("org-a", { name: "forest-a", servers: ["ex01.forest-a.example"] }),
        organization("org-b", { name: "forest-b", servers: ["ex01.forest-b.example"] }),
        publicCert("cert", "hybrid.contoso.com"),
        hybridSend("send-a", "ex01.forest-a.example", "contoso.mail.onmicrosoft.com", "hybrid.contoso.com"),
        withUnknownHost(hybridSend("send-a2", "ex02.forest-a.example", "contoso.onmicrosoft.com", "hybrid.contoso.com")),
      ],
    },
  ],
  invalid: [
    {
      name: "two forests present the same certificate",
      resources: [contoso, publicCert("cert", "hybrid.contoso.com"), hybridSend("send-a", "ex01.forest-a.example", "contoso.mail.onmicrosoft.com", "hybrid.contoso.com"), hybridSend("send-b", "ex01.forest-b.example", "contoso.mail.onmicrosoft.com", "hybrid.contoso.com")],
      errors: [
        {
          // Told apart by their server domains only: a later Organization descriptor could claim both, so the stack pass decides.
          resource: "send-b",
          stack: true,
          includes: [
            "inferred from the server domains forest-a.example and forest-b.example",
            "ex01.forest-a.example",
            "ex01.forest-b.example",
            "hybrid.contoso.com",
            // One certificate and one inbound connector per forest, with distinct names.
            "Set-SendConnector -Identity 'Outbound to Office 365 - 6fc3a33e' -TlsCertificateName \"<I>$($c.Issuer)<S>$($c.Subject)\" -Fqdn hybrid-forest-a.contoso.com",
            "Set-SendConnector -Identity 'Outbound to Office 365 - 6fc3a33e' -TlsCertificateName \"<I>$($c.Issuer)<S>$($c.Subject)\" -Fqdn hybrid-forest-b.contoso.com",
            "New-InboundConnector -Name 'Inbound from ex01.forest-a.example' -ConnectorType OnPremises -SenderDomains '*' -RequireTls $true -TlsSenderCertificateName 'hybrid-forest-a.contoso.com'",
            "New-InboundConnector -Name 'Inbound from ex01.forest-b.example' -ConnectorType OnPremises -SenderDomains '*' -RequireTls $true -TlsSenderCertificateName 'hybrid-forest-b.contoso.com'",
          ],
        },
      ],
    },
  ],
});

tester.run(tenantDomainMissingFromHybridPath, {
  valid: [
    {
      name: "hybrid connector covers both routing domains",
      resources: [contoso, onPrem("send", "ex01.contoso.com", `New-SendConnector -Name "Outbound to Office 365" -AddressSpaces "smtp:contoso.mail.onmicrosoft.com;1","smtp:contoso.onmicrosoft.com;1" -CloudServicesMailEnabled $true\nNew-SendConnector -Internet -Name Internet -AddressSpaces "SMTP:*;1"`)],
    },
    { name: "no internet connector: nothing leaves by the internet identity", resources: [contoso, hybridSend("send", "ex01.contoso.com", "contoso.mail.onmicrosoft.com", "smtpo365.contoso.com")] },
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
      errors: [{ resource: "internet", includes: ["contoso.onmicrosoft.com", "Set-SendConnector", "InternalRelay"], stack: true }],
    },
  ],
});

tester.run(ambiguousConnectorGrantsInternalTrust, {
  valid: [
    { name: "HCW connector with an exact dedicated name", resources: [contoso, hcwInbound("exo", "contoso.onmicrosoft.com", "smtpo365.contoso.com")] },
    { name: "ambiguous connector without internal trust", resources: [contoso, inbound("exo", "contoso.onmicrosoft.com", `-Name "From on-prem" -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName *.contoso.com`)] },
  ],
  invalid: [
    {
      name: "wildcard connector that also treats mail as internal",
      resources: [contoso, inbound("exo", "contoso.onmicrosoft.com", `-Name "From on-prem" -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName *.contoso.com -TreatMessagesAsInternal $true`)],
      errors: [{ resource: "exo", includes: ["TreatMessagesAsInternal $true", "wildcard-onpremises-certificate-name"] }],
    },
  ],
});

tester.run(hybridWizardWillRevertCertificate, {
  valid: [
    {
      name: "hybrid configuration and connector agree",
      resources: [contoso, onPrem("onprem", "ex01.contoso.com", `$n = "<I>CN=GeoTrust TLS RSA CA G1, O=DigiCert Inc, C=US<S>CN=smtpo365.contoso.com"\nNew-SendConnector -Name "Outbound to Office 365" -AddressSpaces "smtp:contoso.mail.onmicrosoft.com;1" -CloudServicesMailEnabled $true -TlsCertificateName $n\nSet-HybridConfiguration -TlsCertificateName $n`)],
    },
  ],
  invalid: [
    {
      name: "hybrid configuration stores another certificate",
      resources: [contoso, onPrem("onprem", "ex01.contoso.com", `New-SendConnector -Name "Outbound to Office 365" -AddressSpaces "smtp:contoso.mail.onmicrosoft.com;1" -CloudServicesMailEnabled $true -TlsCertificateName "<I>CN=New CA<S>CN=smtpo365.contoso.com"\nSet-HybridConfiguration -TlsCertificateName "<I>CN=Old CA<S>CN=mail.contoso.com"`)],
      errors: [{ resource: "onprem", includes: ["<I>CN=Old CA<S>CN=mail.contoso.com", "Set-HybridConfiguration -TlsCertificateName '<I>CN=New CA<S>CN=smtpo365.contoso.com'"] }],
    },
    {
      name: "HCW connector set to an exact name that is not an accepted domain of a tenant declared in full",
      resources: [completeTenant("contoso.onmicrosoft.com", ["contoso.com"]), hcwInbound("exo", "contoso.onmicrosoft.com", "mail.contoso.com")],
      errors: [{ resource: "exo", includes: ["not an accepted domain", "FAQ #6(a)"] }],
    },
    {
      name: "HCW connector set to an exact name that is not an accepted domain (a later resource could add it: whole stack)",
      resources: [tenant("contoso.onmicrosoft.com", ["contoso.com"]), hcwInbound("exo", "contoso.onmicrosoft.com", "mail.contoso.com")],
      errors: [{ resource: "exo", includes: ["not an accepted domain", "FAQ #6(a)"], stack: true }],
    },
    {
      name: "HCW wildcard kept while only the dedicated hybrid certificate matches it (whole stack)",
      resources: [contoso, organization("org", { name: "contoso", servers: ["ex01.contoso.com"] }), publicCert("hybrid-cert", "smtpo365.contoso.com"), hybridSend("send", "ex01.contoso.com", "contoso.mail.onmicrosoft.com", "smtpo365.contoso.com"), hcwInbound("exo", "contoso.onmicrosoft.com", "*.contoso.com")],
      errors: [{ resource: "exo", includes: ["keeps the HCW wildcard *.contoso.com", "FAQ #6(b)"], stack: true }],
    },
  ],
});
