/** The ambiguous-connector-grants-internal-trust rule's table (valid and invalid stacks), shared by its unit test and the metamorphic tests. */
import { ambiguousConnectorGrantsInternalTrust } from "../../../../src/rules/ambiguous-connector-grants-internal-trust";
import { hcwInbound, inbound, tenant } from "../../support/scenarios";
import type { InvalidCase, ValidCase } from "../../support/rule-tester";

const contoso = tenant("contoso.onmicrosoft.com", ["contoso.com", "smtpo365.contoso.com"]);

export const rule = ambiguousConnectorGrantsInternalTrust;

export const cases: { valid: ValidCase[]; invalid: InvalidCase[] } = {
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
};
