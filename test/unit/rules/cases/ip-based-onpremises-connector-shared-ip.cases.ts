/** The ip-based-onpremises-connector-shared-ip rule's table (valid and invalid stacks), shared by its unit test and the metamorphic tests. */
import { ipBasedOnPremisesConnectorSharedIp } from "../../../../src/rules/ip-based-onpremises-connector-shared-ip";
import { inbound, organization, tenant } from "../../support/scenarios";
import type { InvalidCase, ValidCase } from "../../support/rule-tester";

const contoso = tenant("contoso.onmicrosoft.com", ["contoso.com"]);
const ipConnector = (name: string, t: string, ips: string) => inbound(name, t, `-Name "Relay from app" -ConnectorType OnPremises -SenderDomains * -SenderIPAddresses ${ips}`);

export const rule = ipBasedOnPremisesConnectorSharedIp;

export const cases: { valid: ValidCase[]; invalid: InvalidCase[] } = {
  valid: [
    { name: "IPs used by nobody else", resources: [contoso, ipConnector("exo", "contoso.onmicrosoft.com", "203.0.113.25")] },
    { name: "own organisation's egress", resources: [contoso, organization("org", { name: "ex01.contoso.com", egressIps: ["203.0.113.25"], tenant: "contoso.onmicrosoft.com" }), ipConnector("exo", "contoso.onmicrosoft.com", "203.0.113.25")] },
    {
      name: "certificate-based connector with IPs listed is not IP-attributed",
      resources: [contoso, inbound("exo", "contoso.onmicrosoft.com", `-Name "Hybrid" -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName mail.contoso.com -SenderIPAddresses 198.51.100.7`), organization("nat", { name: "shared-nat", egressIps: ["198.51.100.7"], sharedEgress: true })],
    },
  ],
  invalid: [
    {
      name: "another tenant's OnPremises connector uses an overlapping range (unquoted IP list)",
      resources: [contoso, tenant("fabrikam.onmicrosoft.com", ["fabrikam.com"]), ipConnector("exo-contoso", "contoso.onmicrosoft.com", "198.51.100.0/24,203.0.113.7"), ipConnector("exo-fabrikam", "fabrikam.onmicrosoft.com", "198.51.100.20")],
      errors: [
        { resource: "exo-fabrikam", includes: ["198.51.100.0/24", "fabrikam.onmicrosoft.com"] },
        { resource: "exo-fabrikam", includes: ["198.51.100.20", "contoso.onmicrosoft.com"] },
      ],
    },
    {
      name: "egress shared with other Microsoft 365 customers (from policy configuration)",
      resources: [contoso, ipConnector("exo", "contoso.onmicrosoft.com", "'203.0.113.0/24'")],
      config: { sharedEgressIps: ["203.0.113.50"] },
      errors: [{ resource: "exo", includes: ["shared egress", "203.0.113.0/24"] }],
    },
  ],
};
