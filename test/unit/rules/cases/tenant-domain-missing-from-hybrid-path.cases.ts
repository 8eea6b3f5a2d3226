/** The tenant-domain-missing-from-hybrid-path rule's table (valid and invalid stacks), shared by its unit test and the metamorphic tests. */
import { tenantDomainMissingFromHybridPath } from "../../../../src/rules/tenant-domain-missing-from-hybrid-path";
import { hybridSend, internetDirect, tenant, withUnknownHost } from "../../support/scenarios";
import { onPrem } from "../../support/stack";
import type { InvalidCase, ValidCase } from "../../support/rule-tester";

const contoso = tenant("contoso.onmicrosoft.com", ["contoso.com", "smtpo365.contoso.com"]);

export const rule = tenantDomainMissingFromHybridPath;

export const cases: { valid: ValidCase[]; invalid: InvalidCase[] } = {
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
      errors: [{ resource: "internet", includes: ["contoso.onmicrosoft.com", "Set-SendConnector", "InternalRelay"] }],
    },
  ],
};
