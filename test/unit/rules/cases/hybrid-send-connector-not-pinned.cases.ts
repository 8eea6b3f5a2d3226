/** The hybrid-send-connector-not-pinned rule's table (valid and invalid stacks), shared by its unit test and the metamorphic tests. */
import { hybridSendConnectorNotPinned } from "../../../../src/rules/hybrid-send-connector-not-pinned";
import { hybridSend, tenant } from "../../support/scenarios";
import { onPrem } from "../../support/stack";
import type { InvalidCase, ValidCase } from "../../support/rule-tester";

const contoso = tenant("contoso.onmicrosoft.com", ["contoso.com"]);
/**
 * All mail smart-hosted to the organisation's own tenant MX (relay through the own tenant, research §6):
 * tenant-bound, so Exchange Online attributes it by its certificate as a hybrid connector's (decided 2026-12-07).
 * https://learn.microsoft.com/exchange/mail-flow-best-practices/use-connectors-to-configure-mail-flow/set-up-connectors-to-route-mail
 */
const RELAY_VIA_OWN_TENANT = `New-SendConnector -Name "Relay via Exchange Online" -AddressSpaces "SMTP:*;1" -SmartHosts contoso-com.mail.protection.outlook.com -DNSRoutingEnabled $false`;

export const rule = hybridSendConnectorNotPinned;

export const cases: { valid: ValidCase[]; invalid: InvalidCase[] } = {
  valid: [
    { name: "HCW-style pinned hybrid connector", resources: [contoso, hybridSend("send", "ex01.contoso.com", "contoso.mail.onmicrosoft.com", "smtpo365.contoso.com")] },
    { name: "internet connectors are out of scope", resources: [contoso, onPrem("send", "ex01.contoso.com", `New-SendConnector -Internet -Name Internet -AddressSpaces "SMTP:*;1"`)] },
    {
      name: "a * connector relaying through the own tenant, pinned as a hybrid connector is",
      resources: [
        contoso,
        onPrem("relay", "ex01.contoso.com", `${RELAY_VIA_OWN_TENANT} -TlsCertificateName "<I>CN=GeoTrust TLS RSA CA G1, O=DigiCert Inc, C=US<S>CN=smtpo365.contoso.com" -Fqdn smtpo365.contoso.com -CloudServicesMailEnabled $true -RequireTLS $true -TlsAuthLevel DomainValidation -TlsDomain mail.protection.outlook.com`),
      ],
    },
  ],
  invalid: [
    {
      name: "hybrid connector without certificate, FQDN or TLS validation",
      resources: [contoso, onPrem("send", "ex01.contoso.com", `New-SendConnector -Name "Outbound to Office 365" -AddressSpaces "smtp:contoso.mail.onmicrosoft.com;1" -CloudServicesMailEnabled $true`)],
      errors: [{ resource: "send", includes: ["no -TlsCertificateName", "no -Fqdn", "-TlsAuthLevel is not set"] }],
    },
    {
      name: "a * connector relaying through the own tenant's MX with no TlsCertificateName",
      resources: [contoso, onPrem("relay", "ex01.contoso.com", RELAY_VIA_OWN_TENANT)],
      errors: [{ resource: "relay", includes: ["'Relay via Exchange Online'", "(to contoso.onmicrosoft.com)", "no -TlsCertificateName"] }],
    },
  ],
};
