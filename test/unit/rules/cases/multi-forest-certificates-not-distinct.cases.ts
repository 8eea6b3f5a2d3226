/** The multi-forest-certificates-not-distinct rule's table (valid and invalid stacks), shared by its unit test and the metamorphic tests. */
import { multiForestCertificatesNotDistinct } from "../../../../src/rules/multi-forest-certificates-not-distinct";
import { hybridSend, organization, publicCert, tenant, withUnknownHost } from "../../support/scenarios";
import type { InvalidCase, ValidCase } from "../../support/rule-tester";

const contoso = tenant("contoso.onmicrosoft.com", ["contoso.com", "smtpo365.contoso.com"]);

export const rule = multiForestCertificatesNotDistinct;

export const cases: { valid: ValidCase[]; invalid: InvalidCase[] } = {
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
    {
      name: "two forests pinned to distinct identities, no certificate declared",
      resources: [contoso, hybridSend("send-a", "ex01.forest-a.example", "contoso.mail.onmicrosoft.com", "hybrid-a.contoso.com"), hybridSend("send-b", "ex01.forest-b.example", "contoso.mail.onmicrosoft.com", "hybrid-b.contoso.com")],
    },
    {
      name: "one forest's two hybrid connectors pinned to one identity",
      resources: [contoso, hybridSend("send-a", "ex01.forest-a.example", "contoso.mail.onmicrosoft.com", "hybrid.contoso.com"), hybridSend("send-a2", "ex02.forest-a.example", "contoso.onmicrosoft.com", "hybrid.contoso.com")],
    },
  ],
  invalid: [
    {
      // Issue 23: the "<I>issuer<S>subject" both pin decides; a certificate declaration would only add names.
      name: "two forests pin the same \"<I>issuer<S>subject\" for one tenant, no certificate declared",
      resources: [contoso, hybridSend("send-a", "ex01.forest-a.example", "contoso.mail.onmicrosoft.com", "hybrid.contoso.com"), hybridSend("send-b", "ex01.forest-b.example", "contoso.mail.onmicrosoft.com", "hybrid.contoso.com")],
      errors: [{ resource: "send-b", includes: ["inferred from the server domains forest-a.example and forest-b.example", "same CN and issuer (hybrid.contoso.com)"] }],
    },
    {
      name: "two forests present the same certificate",
      resources: [contoso, publicCert("cert", "hybrid.contoso.com"), hybridSend("send-a", "ex01.forest-a.example", "contoso.mail.onmicrosoft.com", "hybrid.contoso.com"), hybridSend("send-b", "ex01.forest-b.example", "contoso.mail.onmicrosoft.com", "hybrid.contoso.com")],
      errors: [
        {
          // Told apart by their server domains only: a later Organization descriptor could claim both, so the stack pass decides.
          resource: "send-b",
          includes: [
            "inferred from the server domains forest-a.example and forest-b.example",
            "ex01.forest-a.example",
            "ex01.forest-b.example",
            "hybrid.contoso.com",
            // One certificate and one inbound connector per forest, with distinct names.
            // The second forest gets its own certificate, read from the server where it is installed, and its own OnPremises connector.
            "# On-premises ex01.forest-b.example (Exchange Management Shell)",
            "Set-SendConnector -Identity 'Outbound to Office 365 - 6fc3a33e' -TlsCertificateName \"<I>$($c.Issuer)<S>$($c.Subject)\" -Fqdn",
            "New-InboundConnector -Name 'Inbound from ex01.forest-b.example' -ConnectorType 'OnPremises' -SenderDomains '*' -RequireTls $true -TlsSenderCertificateName",
          ],
        },
      ],
    },
  ],
};
