/** The shared-certificate-hybrid-and-internet rule's table (valid and invalid stacks), shared by its unit test and the metamorphic tests. */
import { sharedCertificateHybridAndInternet } from "../../../../src/rules/shared-certificate-hybrid-and-internet";
import { gateway, hybridSend, internetDirect, publicCert, tenant } from "../../support/scenarios";
import { onPrem } from "../../support/stack";
import type { InvalidCase, ValidCase } from "../../support/rule-tester";

const contoso = tenant("contoso.onmicrosoft.com", ["contoso.com", "smtpo365.contoso.com"]);
const THUMBPRINT = "0123456789ABCDEF0123456789ABCDEF01234567";
/** `New-SendConnector … -TlsCertificateName "<I>$($c.Issuer)<S>$($c.Subject)"` of `$c = Get-ExchangeCertificate -Thumbprint <thumbprint>`: an identity built at run time. */
const pinnedAtRunTime = (thumbprint: string, connector: string): string =>
  `$c = Get-ExchangeCertificate -Thumbprint ${thumbprint}\n${connector} -TlsCertificateName "<I>$($c.Issuer)<S>$($c.Subject)"`;
const HYBRID = `New-SendConnector -Name "Outbound to Office 365 - 6fc3a33e" -AddressSpaces contoso.mail.onmicrosoft.com -CloudServicesMailEnabled $true -RequireTLS $true -TlsAuthLevel DomainValidation -TlsDomain mail.protection.outlook.com -Fqdn smtpo365.contoso.com`;
const INTERNET = `New-SendConnector -Internet -Name "Internet" -AddressSpaces "SMTP:*;1" -DNSRoutingEnabled $true -Fqdn mx01.contoso.com`;
const selfSigned = { subject: "CN=gw.contoso.com", dnsNames: ["gw.contoso.com"], trust: "self-signed" };

export const rule = sharedCertificateHybridAndInternet;

export const cases: { valid: ValidCase[]; invalid: InvalidCase[] } = {
  valid: [
    {
      name: "an exemption on the hybrid connector covers the problem whichever resource completes it",
      resources: [
        contoso,
        publicCert("cert-mail", "mail.contoso.com"),
        hybridSend("hybrid", "ex01.contoso.com", "contoso.mail.onmicrosoft.com", "mail.contoso.com"),
        internetDirect("internet", "ex01.contoso.com", "mail.contoso.com", "mail.contoso.com", "CN=GeoTrust TLS RSA CA G1, O=DigiCert Inc, C=US"),
      ],
      config: { exemptions: [{ policy: "shared-certificate-hybrid-and-internet", resource: "hybrid", reason: "certificate split scheduled (CHG-42)", expires: "2999-12-31" }] },
    },
    {
      name: "dedicated hybrid and internet certificates",
      resources: [
        contoso,
        publicCert("hybrid-cert", "smtpo365.contoso.com"),
        publicCert("internet-cert", "mx01.contoso.com", { issuer: "CN=R11, O=Let's Encrypt, C=US" }),
        hybridSend("hybrid-send", "ex01.contoso.com", "contoso.mail.onmicrosoft.com", "smtpo365.contoso.com"),
        internetDirect("internet-send", "ex01.contoso.com", "mx01.contoso.com", "mx01.contoso.com"),
      ],
    },
    {
      name: "gateway fixed with one certificate per connector (granikos fix)",
      resources: [
        contoso,
        gateway("gateway", {
          name: "gateway",
          servers: ["gw.contoso.com"],
          connectors: [
            { name: "Internet Connector", addressSpaces: ["*"], dnsRouting: true, certificate: { subject: "CN=mx.contoso.com", trust: "public" } },
            { name: "Office 365 Connector", addressSpaces: ["contoso.mail.onmicrosoft.com"], smartHosts: ["contoso-com.mail.protection.outlook.com"], certificate: selfSigned },
          ],
        }),
      ],
    },
    {
      // Two thumbprints are two certificates: nothing is shared, whatever their names.
      name: "hybrid and internet pinned at run time to certificates of two different thumbprints",
      resources: [contoso, onPrem("hybrid-send", "ex01.contoso.com", pinnedAtRunTime(THUMBPRINT, HYBRID)), onPrem("internet-send", "ex01.contoso.com", pinnedAtRunTime("FEDCBA9876543210FEDCBA9876543210FEDCBA98", INTERNET))],
    },
  ],
  invalid: [
    {
      // Issue 23: the identity decides, not a certificate declaration (none here).
      name: "hybrid and internet pinned to one identity built at run time from the same literal thumbprint, in one script",
      resources: [contoso, onPrem("exchange", "ex01.contoso.com", `${pinnedAtRunTime(THUMBPRINT, HYBRID)}\n${INTERNET} -TlsCertificateName "<I>$($c.Issuer)<S>$($c.Subject)"`)],
      errors: [{ resource: "exchange", includes: ["Outbound to Office 365", "'Internet'", `the certificate with thumbprint ${THUMBPRINT}`] }],
    },
    {
      name: "hybrid and internet pinned at run time to the same literal thumbprint, in two resources",
      resources: [contoso, onPrem("hybrid-send", "ex01.contoso.com", pinnedAtRunTime(THUMBPRINT, HYBRID)), onPrem("internet-send", "ex01.contoso.com", pinnedAtRunTime(THUMBPRINT.toLowerCase(), INTERNET))],
      errors: [{ resource: "internet-send", includes: [`the certificate with thumbprint ${THUMBPRINT}`] }],
    },
    {
      name: "gateway with one self-signed certificate on both connectors (silent discard)",
      resources: [
        contoso,
        gateway("gateway", {
          name: "gateway",
          servers: ["gw.contoso.com"],
          connectors: [
            { name: "Internet Connector", addressSpaces: ["*"], dnsRouting: true, certificate: "shared" },
            { name: "Office 365 Connector", addressSpaces: ["contoso.mail.onmicrosoft.com"], smartHosts: ["contoso-com.mail.protection.outlook.com"], certificate: "shared" },
          ],
        }),
        { type: "pulumi-nodejs:dynamic/mailflow:Certificate", name: "shared", props: selfSigned },
      ],
      errors: [
        {
          resource: "shared",
          includes: ["Office 365 Connector", "Internet Connector", "silent discard", "# Gateway gateway (not Exchange: in its own console)", "gateway.connectors[1].certificate: present the certificate for", "new mailflow.Certificate("],
          // Both connectors are the gateway's: no Exchange cmdlet on them, no Exchange hybrid configuration.
          excludes: ["Set-SendConnector", "Set-HybridConfiguration", "onPremisesCommand"],
        },
      ],
    },
    {
      name: "Exchange hybrid and internet Send connectors pinned to the same certificate identifier",
      resources: [
        contoso,
        hybridSend("hybrid-send", "ex01.contoso.com", "contoso.mail.onmicrosoft.com", "*.contoso.com"),
        onPrem(
          "internet-send",
          "ex01.contoso.com",
          `New-SendConnector -Internet -Name "Internet" -AddressSpaces "SMTP:*;1" -TlsCertificateName "<I>CN=GeoTrust TLS RSA CA G1, O=DigiCert Inc, C=US<S>CN=*.contoso.com"`,
        ),
      ],
      errors: [{ resource: "internet-send", includes: ["Outbound to Office 365", "'Internet'", "contoso.onmicrosoft.com"] }],
    },
    {
      // The internet connector names no certificate: Exchange picks the organisation's certificate that best matches its FQDN.
      name: "an internet Send connector added later picks the hybrid certificate by its FQDN",
      resources: [
        contoso,
        publicCert("hybrid-cert", "smtpo365.contoso.com", { organization: "ex01.contoso.com" }),
        hybridSend("hybrid-send", "ex01.contoso.com", "contoso.mail.onmicrosoft.com", "smtpo365.contoso.com"),
        onPrem("internet-send", "ex01.contoso.com", `New-SendConnector -Internet -Name "Internet" -AddressSpaces "SMTP:*;1" -Fqdn smtpo365.contoso.com`),
      ],
      errors: [{ resource: "internet-send", includes: ["'Internet'", "smtpo365.contoso.com", "contoso.onmicrosoft.com"] }],
    },
  ],
};
