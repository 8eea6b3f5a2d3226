/** The onpremises-certificate-name-not-accepted-domain rule's table (valid and invalid stacks), shared by its unit test and the metamorphic tests. */
import { onPremisesCertificateNameNotAcceptedDomain } from "../../../../src/rules/onpremises-certificate-name-not-accepted-domain";
import { completeTenant, hcwInbound, inbound, matchSubDomains, tenant } from "../../support/scenarios";
import type { InvalidCase, ValidCase } from "../../support/rule-tester";

export const rule = onPremisesCertificateNameNotAcceptedDomain;

export const cases: { valid: ValidCase[]; invalid: InvalidCase[] } = {
  valid: [
    { name: "exact host name is an accepted domain", resources: [tenant("contoso.onmicrosoft.com", ["contoso.com", "smtpo365.contoso.com"]), hcwInbound("exo", "contoso.onmicrosoft.com", "smtpo365.contoso.com")] },
    { name: "wildcard base is an accepted domain", resources: [tenant("contoso.onmicrosoft.com", ["contoso.com"]), hcwInbound("exo", "contoso.onmicrosoft.com", "*.contoso.com")] },
    { name: "tenant accepted domains not declared: cannot be checked, not flagged", resources: [hcwInbound("exo", "contoso.onmicrosoft.com", "mail.contoso.com")] },
    {
      name: "the host name becomes accepted in another resource (Set-AcceptedDomain -MatchSubDomains), in any order",
      resources: [tenant("contoso.onmicrosoft.com", ["contoso.com"]), hcwInbound("exo", "contoso.onmicrosoft.com", "smtpo365.contoso.com"), matchSubDomains("exo-domain", "contoso.onmicrosoft.com", "contoso.com")],
    },
    {
      name: "Partner connectors are not attribution connectors",
      resources: [tenant("contoso.onmicrosoft.com", ["contoso.com"]), inbound("p", "contoso.onmicrosoft.com", `-Name "Partner" -ConnectorType Partner -SenderDomains fabrikam.com -TlsSenderCertificateName mail.fabrikam.com`)],
    },
  ],
  invalid: [
    {
      name: "exact host name that is not an accepted domain of a tenant declared in full (MC1226222 anti-pattern 1): blocked on the connector",
      resources: [completeTenant("contoso.onmicrosoft.com", ["contoso.com"]), hcwInbound("exo", "contoso.onmicrosoft.com", "mail.contoso.com")],
      errors: [{ resource: "exo", includes: ["mail.contoso.com is not an accepted domain of contoso.onmicrosoft.com", "MC1226222"] }],
    },
    {
      name: "exact host name that is not an accepted domain, tenant not declared in full: a later resource could add it, so the whole stack decides",
      resources: [tenant("contoso.onmicrosoft.com", ["contoso.com"]), hcwInbound("exo", "contoso.onmicrosoft.com", "mail.contoso.com")],
      errors: [{ resource: "exo", includes: ["mail.contoso.com is not an accepted domain of contoso.onmicrosoft.com"] }],
    },
    {
      // Regression: each connector added itself to its tenant's provenance, so the first finding's
      // statements were a subset of every later one's and the stack pass took the others as reported.
      name: "three connectors of one tenant, each trusting a name that is not an accepted domain: three findings, not one",
      resources: [
        tenant("contoso.onmicrosoft.com", ["contoso.com"]),
        inbound("exo-a", "contoso.onmicrosoft.com", `-Name "A" -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName a.mail.contoso.com`),
        inbound("exo-b", "contoso.onmicrosoft.com", `-Name "B" -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName b.mail.contoso.com`),
        inbound("exo-c", "contoso.onmicrosoft.com", `-Name "C" -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName c.mail.contoso.com`),
      ],
      errors: [
        { resource: "exo-a", includes: ["a.mail.contoso.com is not an accepted domain"] },
        { resource: "exo-b", includes: ["b.mail.contoso.com is not an accepted domain"] },
        { resource: "exo-c", includes: ["c.mail.contoso.com is not an accepted domain"] },
      ],
    },
    {
      name: "wildcard of a domain the tenant does not own",
      resources: [completeTenant("contoso.onmicrosoft.com", ["contoso.com"]), hcwInbound("exo", "contoso.onmicrosoft.com", "*.fabrikam.com")],
      errors: [{ resource: "exo", includes: ["fabrikam.com is not an accepted domain"] }],
    },
  ],
};
