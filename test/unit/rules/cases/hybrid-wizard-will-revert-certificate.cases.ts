/** The hybrid-wizard-will-revert-certificate rule's table (valid and invalid stacks), shared by its unit test and the metamorphic tests. */
import { hybridWizardWillRevertCertificate } from "../../../../src/rules/hybrid-wizard-will-revert-certificate";
import { completeTenant, hcwInbound, hybridSend, organization, publicCert, tenant } from "../../support/scenarios";
import { onPrem } from "../../support/stack";
import type { InvalidCase, ValidCase } from "../../support/rule-tester";

const contoso = tenant("contoso.onmicrosoft.com", ["contoso.com", "smtpo365.contoso.com"]);

export const rule = hybridWizardWillRevertCertificate;

export const cases: { valid: ValidCase[]; invalid: InvalidCase[] } = {
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
      errors: [{ resource: "exo", includes: ["not an accepted domain", "FAQ #6(a)"] }],
    },
    {
      name: "HCW wildcard kept while only the dedicated hybrid certificate matches it (whole stack)",
      resources: [contoso, organization("org", { name: "contoso", servers: ["ex01.contoso.com"] }), publicCert("hybrid-cert", "smtpo365.contoso.com"), hybridSend("send", "ex01.contoso.com", "contoso.mail.onmicrosoft.com", "smtpo365.contoso.com"), hcwInbound("exo", "contoso.onmicrosoft.com", "*.contoso.com")],
      errors: [{ resource: "exo", includes: ["keeps the HCW wildcard *.contoso.com", "FAQ #6(b)"] }],
    },
  ],
};
