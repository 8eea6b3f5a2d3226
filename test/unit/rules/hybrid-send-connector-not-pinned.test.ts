import { beforeAll } from "vitest";
import { loadExtractors } from "../../../src/extractors";
import { hybridSendConnectorNotPinned } from "../../../src/rules/hybrid-send-connector-not-pinned";
import { RuleTester } from "../support/rule-tester";
import { hybridSend, tenant } from "../support/scenarios";
import { onPrem } from "../support/stack";

beforeAll(loadExtractors);

const contoso = tenant("contoso.onmicrosoft.com", ["contoso.com"]);

new RuleTester().run(hybridSendConnectorNotPinned, {
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
});
