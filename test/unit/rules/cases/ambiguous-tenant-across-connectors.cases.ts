/** The ambiguous-tenant-across-connectors rule's table (valid and invalid stacks), shared by its unit test and the metamorphic tests. */
import { ambiguousTenantAcrossConnectors } from "../../../../src/rules/ambiguous-tenant-across-connectors";
import { hcwInbound, hybridSend, publicCert, tenant } from "../../support/scenarios";
import { onPrem } from "../../support/stack";
import type { InvalidCase, ValidCase } from "../../support/rule-tester";

const contoso = tenant("contoso.onmicrosoft.com", ["contoso.com", "hybrid.contoso.com"]);
const fabrikam = tenant("fabrikam.onmicrosoft.com", ["fabrikam.com", "hybrid.fabrikam.com"]);

export const rule = ambiguousTenantAcrossConnectors;

export const cases: { valid: ValidCase[]; invalid: InvalidCase[] } = {
  valid: [
    {
      name: "one organisation, two tenants, one certificate and one Send connector per tenant",
      resources: [
        contoso,
        fabrikam,
        publicCert("cert-contoso", "hybrid.contoso.com"),
        publicCert("cert-fabrikam", "hybrid.fabrikam.com"),
        hybridSend("send-contoso", "ex01.corp.example", "contoso.mail.onmicrosoft.com", "hybrid.contoso.com"),
        hybridSend("send-fabrikam", "ex01.corp.example", "fabrikam.mail.onmicrosoft.com", "hybrid.fabrikam.com"),
        hcwInbound("exo-contoso", "contoso.onmicrosoft.com", "hybrid.contoso.com"),
        hcwInbound("exo-fabrikam", "fabrikam.onmicrosoft.com", "hybrid.fabrikam.com"),
      ],
    },
    {
      name: "two connectors with overlapping names in the same tenant",
      resources: [contoso, hcwInbound("a", "contoso.onmicrosoft.com", "*.contoso.com"), hcwInbound("b", "contoso.onmicrosoft.com", "hybrid.contoso.com", " -Enabled $true")],
    },
  ],
  invalid: [
    {
      name: "two tenants' OnPremises connectors with overlapping names",
      resources: [contoso, fabrikam, hcwInbound("exo-contoso", "contoso.onmicrosoft.com", "*.corp.example"), hcwInbound("exo-fabrikam", "fabrikam.onmicrosoft.com", "ex01.corp.example")],
      errors: [{ resource: "exo-fabrikam", includes: ["*.corp.example", "ex01.corp.example", "contoso.onmicrosoft.com", "fabrikam.onmicrosoft.com"] }],
    },
    {
      name: "one organisation sends to two tenants with the same certificate (MC1226222)",
      resources: [
        contoso,
        fabrikam,
        publicCert("shared-cert", "hybrid.corp.example"),
        hybridSend("send-contoso", "ex01.corp.example", "contoso.mail.onmicrosoft.com", "hybrid.corp.example"),
        onPrem(
          "send-fabrikam",
          "ex01.corp.example",
          `New-SendConnector -Name "Outbound to fabrikam" -AddressSpaces "smtp:fabrikam.mail.onmicrosoft.com;1" -CloudServicesMailEnabled $true -Fqdn hybrid.corp.example -TlsCertificateName "<I>CN=GeoTrust TLS RSA CA G1, O=DigiCert Inc, C=US<S>CN=hybrid.corp.example"`,
        ),
      ],
      errors: [{ resource: "send-fabrikam", includes: ["ex01.corp.example", "contoso.onmicrosoft.com", "fabrikam.onmicrosoft.com", "New-SendConnector"] }],
    },
  ],
};
