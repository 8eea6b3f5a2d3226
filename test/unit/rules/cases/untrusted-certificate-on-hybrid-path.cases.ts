/** The untrusted-certificate-on-hybrid-path rule's table (valid and invalid stacks), shared by its unit test and the metamorphic tests. */
import { untrustedCertificateOnHybridPath } from "../../../../src/rules/untrusted-certificate-on-hybrid-path";
import { gateway, hybridSend, inbound, publicCert, tenant } from "../../support/scenarios";
import type { InvalidCase, ValidCase } from "../../support/rule-tester";

const contoso = tenant("contoso.onmicrosoft.com", ["contoso.com", "smtpo365.contoso.com"]);
const gatewayWith = (certificate: Record<string, unknown>, egressIps: string[] = []) =>
  gateway("gateway", { name: "gw", servers: ["gw01.contoso.com"], egressIps, connectors: [{ name: "Internet", addressSpaces: ["*"], dnsRouting: true, certificate }] });

export const rule = untrustedCertificateOnHybridPath;

export const cases: { valid: ValidCase[]; invalid: InvalidCase[] } = {
  valid: [
    { name: "public hybrid certificate", resources: [contoso, publicCert("hybrid-cert", "smtpo365.contoso.com"), hybridSend("send", "ex01.contoso.com", "contoso.mail.onmicrosoft.com", "smtpo365.contoso.com")] },
    { name: "self-signed certificate nobody trusts for attribution", resources: [contoso, gatewayWith({ subject: "CN=gw01.contoso.com", trust: "self-signed" })] },
  ],
  invalid: [
    {
      name: "self-signed certificate accepted by an OnPremises connector",
      resources: [contoso, gatewayWith({ subject: "CN=gw01.contoso.com", trust: "self-signed" }), inbound("exo", "contoso.onmicrosoft.com", `-Name "From gateway" -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName gw01.contoso.com`)],
      errors: [{ resource: "exo", includes: ["self-signed", "'From gateway'"] }],
    },
    {
      name: "private-CA certificate on the hybrid connector",
      resources: [contoso, publicCert("hybrid-cert", "smtpo365.contoso.com", { trust: "private-ca" }), hybridSend("send", "ex01.contoso.com", "contoso.mail.onmicrosoft.com", "smtpo365.contoso.com")],
      errors: [{ resource: "send", includes: ["issued by a private CA", "hybrid connector"] }],
    },
  ],
};
