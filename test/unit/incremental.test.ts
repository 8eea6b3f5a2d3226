/**
 * The resource pass grows its model resource by resource and asks rules only about what each
 * resource states (docs/design/incremental-evaluation.md). On randomly composed managed-service
 * set-ups, with the seed incidents injected and with values unknown until deploy, in several
 * registration orders, every answer must equal a rebuild's (support/differential.ts).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { loadExtractors } from "../../src/extractors";
import { rules } from "../../src/rules";
import { incrementalDifferences } from "./support/differential";
import { registrationOrders } from "./support/orders";
import type { TestResource } from "./support/stack";
import { connect, gateway, hybridSend, inbound, internetDirect, organization, publicCert, tenant } from "./support/scenarios";
import { exo, onPrem } from "./support/stack";
import { correctSetUp, INCIDENTS, withSilentTenant, withUnknowns } from "./support/topologies";

beforeAll(loadExtractors);

const sameAsRebuild = (stack: TestResource[]): void => {
  for (const order of [stack, ...registrationOrders(stack, 2)]) {
    expect({ order: order.map((r) => r.name), differences: incrementalDifferences(rules, order) }).toEqual({ order: order.map((r) => r.name), differences: [] });
  }
};

describe("the resource pass answers as a rebuild would", () => {
  it.each(Array.from({ length: 12 }, (_, k) => k + 1))("random set-up %i", (seed) => sameAsRebuild(correctSetUp(seed)));
  it.each(INCIDENTS.map((incident) => [incident.name, incident] as const))("%s", (_name, incident) => sameAsRebuild(incident.inject(correctSetUp(5))));
  it.each([3, 8])("random set-up %i with values unknown until deploy", (seed) => sameAsRebuild(withUnknowns(correctSetUp(seed), seed)));
  it("a set-up where a client's scripts name no tenant", () => sameAsRebuild(withSilentTenant(correctSetUp(702), 1)));

  // Where the model cannot simply grow, it starts again from all facts; the answers must not change.
  it("an organisation descriptor registered after the scripts that ran on its server", () =>
    sameAsRebuild([
      tenant("contoso.onmicrosoft.com", ["contoso.com", "smtpo365.contoso.com"]),
      publicCert("hybrid-cert", "smtpo365.contoso.com"),
      hybridSend("hybrid-send", "ex01.contoso.com", "contoso.mail.onmicrosoft.com", "smtpo365.contoso.com"),
      internetDirect("internet-send", "ex01.contoso.com", "smtpo365.contoso.com", "smtpo365.contoso.com", "CN=GeoTrust TLS RSA CA G1, O=DigiCert Inc, C=US"),
      organization("org", { name: "contoso", servers: ["ex01.contoso.com"], domains: ["contoso.com"], tenant: "contoso.onmicrosoft.com" }),
    ]));
  it("an organisation descriptor registered last: its server's certificates, connectors and name become its own", () =>
    sameAsRebuild([
      tenant("contoso.onmicrosoft.com", ["contoso.com", "smtpo365.contoso.com"]),
      publicCert("hybrid-cert", "smtpo365.contoso.com", { organization: "ex01.contoso.com" }),
      hybridSend("hybrid-send", "ex01.contoso.com", "contoso.mail.onmicrosoft.com", "smtpo365.contoso.com"),
      onPrem("internet-send", "ex01.contoso.com", `New-SendConnector -Internet -Name "Internet" -AddressSpaces "SMTP:*;1" -Fqdn smtpo365.contoso.com`),
      // A script that names no organisation: whether it gets an advisory depends on how many the stack names.
      exo("silent-send", `New-SendConnector -Name "Relay" -AddressSpaces "SMTP:partner.example;1" -SmartHosts relay.partner.example`),
      organization("org", { name: "contoso", servers: ["ex01.contoso.com"], domains: ["contoso.com"], tenant: "contoso.onmicrosoft.com" }),
    ]));
  it("a connector widened, narrowed and removed by later resources", () =>
    sameAsRebuild([
      tenant("contoso.onmicrosoft.com", ["contoso.com", "smtpo365.contoso.com"]),
      inbound("exo-new", "contoso.onmicrosoft.com", `-Name "From on-prem" -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName smtpo365.contoso.com`),
      exo("exo-widen", `${connect("contoso.onmicrosoft.com")}\nSet-InboundConnector -Identity "From on-prem" -TlsSenderCertificateName '*.contoso.com'`),
      exo("exo-narrow", `${connect("contoso.onmicrosoft.com")}\nSet-InboundConnector -Identity "From on-prem" -TlsSenderCertificateName smtpo365.contoso.com`),
      // Presents a name under the wildcard the connector no longer has.
      gateway("gateway", { name: "gw", servers: ["mx01.contoso.com"], connectors: [{ name: "Internet", addressSpaces: ["*"], dnsRouting: true, certificate: { subject: "CN=mx01.contoso.com", trust: "public" } }] }),
      exo("exo-remove", `${connect("contoso.onmicrosoft.com")}\nRemove-InboundConnector -Identity "From on-prem" -Confirm:$false`),
      inbound("exo-again", "contoso.onmicrosoft.com", `-Name "Legacy" -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName mx01.contoso.com`),
    ]));
});
