/** The ip-based-onpremises-connector-internet-egress rule's table (valid and invalid stacks), shared by its unit test and the metamorphic tests. */
import { ipBasedOnPremisesConnectorInternetEgress } from "../../../../src/rules/ip-based-onpremises-connector-internet-egress";
import { gateway, hcwInbound, inbound, tenant } from "../../support/scenarios";
import { onPrem } from "../../support/stack";
import type { InvalidCase, ValidCase } from "../../support/rule-tester";

const contoso = tenant("contoso.onmicrosoft.com", ["contoso.com", "smtpo365.contoso.com"]);
const gatewayWith = (certificate: Record<string, unknown>, egressIps: string[] = []) =>
  gateway("gateway", { name: "gw", servers: ["gw01.contoso.com"], egressIps, connectors: [{ name: "Internet", addressSpaces: ["*"], dnsRouting: true, certificate }] });

export const rule = ipBasedOnPremisesConnectorInternetEgress;

export const cases: { valid: ValidCase[]; invalid: InvalidCase[] } = {
  valid: [
    { name: "certificate-based hybrid connector beside the gateway", resources: [contoso, gatewayWith({ subject: "CN=mx.contoso.com", trust: "public" }, ["203.0.113.10"]), hcwInbound("exo", "contoso.onmicrosoft.com", "smtpo365.contoso.com")] },
  ],
  invalid: [
    {
      name: "IP-based connector on the gateway's internet egress",
      resources: [contoso, gatewayWith({ subject: "CN=mx.contoso.com", trust: "public" }, ["203.0.113.10"]), inbound("exo", "contoso.onmicrosoft.com", `-Name "From gateway" -ConnectorType OnPremises -SenderDomains * -SenderIPAddresses 203.0.113.10`)],
      errors: [{ resource: "exo", includes: ["203.0.113.10", "internet connector 'Internet' of gw"] }],
    },
    {
      name: "IP-based connector on the egress of a gateway an Exchange organisation relays through, the gateway described last",
      resources: [
        contoso,
        inbound("exo", "contoso.onmicrosoft.com", `-Name "From gateway" -ConnectorType OnPremises -SenderDomains * -SenderIPAddresses 203.0.113.10`),
        onPrem("internet-send", "ex01.contoso.com", `New-SendConnector -Internet -Name "Internet via gateway" -AddressSpaces "SMTP:*;1" -DNSRoutingEnabled $false -SmartHosts gw01.contoso.com`),
        gatewayWith({ subject: "CN=mx.contoso.com", trust: "public" }, ["203.0.113.10"]),
      ],
      errors: [{ resource: "gateway", includes: ["203.0.113.10", "internet connector 'Internet' of gw"] }],
    },
  ],
};
