/** The hybrid-send-connector-not-pinned rule's table (valid and invalid stacks), shared by its unit test and the metamorphic tests. */
import { hybridSendConnectorNotPinned } from "../../../../src/rules/hybrid-send-connector-not-pinned";
import { hybridSend, tenant } from "../../support/scenarios";
import { onPrem } from "../../support/stack";
import type { InvalidCase, ValidCase } from "../../support/rule-tester";

const contoso = tenant("contoso.onmicrosoft.com", ["contoso.com"]);

export const rule = hybridSendConnectorNotPinned;

export const cases: { valid: ValidCase[]; invalid: InvalidCase[] } = {
  valid: [
    { name: "HCW-style pinned hybrid connector", resources: [contoso, hybridSend("send", "ex01.contoso.com", "contoso.mail.onmicrosoft.com", "smtpo365.contoso.com")] },
    { name: "internet connectors are out of scope", resources: [contoso, onPrem("send", "ex01.contoso.com", `New-SendConnector -Internet -Name Internet -AddressSpaces "SMTP:*;1"`)] },
  ],
  invalid: [
    {
      name: "hybrid connector without certificate, FQDN or TLS validation",
      resources: [contoso, onPrem("send", "ex01.contoso.com", `New-SendConnector -Name "Outbound to Office 365" -AddressSpaces "smtp:contoso.mail.onmicrosoft.com;1" -CloudServicesMailEnabled $true`)],
      errors: [{ resource: "send", includes: ["no -TlsCertificateName", "no -Fqdn", "-TlsAuthLevel is not set"] }],
    },
  ],
};
