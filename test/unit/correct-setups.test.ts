/**
 * False positives erode trust as much as misses: randomly composed, correct dedicated-certificate
 * set-ups (per tenant its own hybrid certificate and exact connector name; internet mail direct with
 * another certificate, through a provider gateway, or relayed through the own tenant; split or single hybrid address spaces; HCW or
 * hand-made connectors; Partner lock-down connectors; tenants declared in full or not) must pass
 * every policy, in any registration order.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { loadExtractors } from "../../src/extractors";
import { analyzeInProcess } from "../../src/reporters/pulumi/in-process";
import { rules } from "../../src/rules";
import { registrationOrders } from "./support/orders";
import { completeTenant, gateway, hcwInbound, inbound, internetDirect, internetViaGateway, organization, publicCert, tenant } from "./support/scenarios";
import { onPrem, urnOf, type TestResource } from "./support/stack";

beforeAll(loadExtractors);

const DIGICERT = "CN=GeoTrust TLS RSA CA G1, O=DigiCert Inc, C=US";

function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
}

function hybridSendScript(name: string, addressSpaces: string[], dedicated: string): string {
  return (
    `New-SendConnector -Name "${name}" -AddressSpaces ${addressSpaces.map((a) => `"smtp:${a};1"`).join(",")} -CloudServicesMailEnabled $true ` +
    `-RequireTLS $true -TlsAuthLevel DomainValidation -TlsDomain mail.protection.outlook.com -Fqdn ${dedicated} -TlsCertificateName "<I>${DIGICERT}<S>CN=${dedicated}"`
  );
}

type InternetRoute = "direct" | "gateway" | "own-tenant";

/** One hosted client: its tenant, organisation, dedicated hybrid certificate and connectors. */
function client(i: number, random: () => number, route: InternetRoute): TestResource[] {
  const domain = `c${i}.example`;
  const tenantId = `c${i}.onmicrosoft.com`;
  const host = `ex01.${domain}`;
  const dedicated = `smtpo365.${domain}`;
  const out: TestResource[] = [
    (random() < 0.5 ? completeTenant : tenant)(tenantId, [domain, dedicated], `c${i}`),
    organization(`org-${i}`, { name: `c${i}`, servers: [host], domains: [domain], tenant: tenantId }),
    publicCert(`hybrid-cert-${i}`, dedicated),
    random() < 0.5
      ? hcwInbound(`exo-${i}`, tenantId, dedicated)
      : inbound(`exo-${i}`, tenantId, `-Name "From c${i}" -ConnectorType OnPremises -SenderDomains * -RequireTls $true -TlsSenderCertificateName ${dedicated}`),
  ];
  const routing = [`c${i}.mail.onmicrosoft.com`, tenantId];
  if (random() < 0.5) out.push(onPrem(`send-${i}`, host, hybridSendScript("Outbound to Office 365", routing, dedicated)));
  else out.push(onPrem(`send-${i}`, host, hybridSendScript("Outbound to Office 365", routing.slice(0, 1), dedicated)), onPrem(`send-initial-${i}`, host, hybridSendScript("Outbound to Office 365 (initial domain)", routing.slice(1), dedicated)));
  if (route === "gateway") out.push(internetViaGateway(`internet-${i}`, host, ["mx01.provider.example"]));
  else if (route === "direct") out.push(publicCert(`internet-cert-${i}`, `mx01.${domain}`, { issuer: "CN=R11, O=Let's Encrypt, C=US" }), internetDirect(`internet-${i}`, host, `mx01.${domain}`, `mx01.${domain}`));
  else {
    // Relay all via the own tenant: internet mail goes to the tenant's own endpoint with the hybrid certificate.
    out.push(
      onPrem(
        `internet-${i}`,
        host,
        `New-SendConnector -Internet -Name "Internet via Office 365" -AddressSpaces "SMTP:*;1" -DNSRoutingEnabled $false -SmartHosts c${i}-example.mail.protection.outlook.com ` +
          `-RequireTLS $true -TlsAuthLevel DomainValidation -TlsDomain mail.protection.outlook.com -Fqdn ${dedicated} -TlsCertificateName "<I>${DIGICERT}<S>CN=${dedicated}" -CloudServicesMailEnabled $true`,
      ),
    );
  }
  if (random() < 0.3) {
    out.push(inbound(`partner-${i}`, tenantId, `-Name "Partner fabrikam" -ConnectorType Partner -SenderDomains fabrikam.example -RequireTls $true -RestrictDomainsToCertificate $true -TlsSenderCertificateName mail.fabrikam.example`));
  }
  return out;
}

function correctSetUp(seed: number): TestResource[] {
  const random = seeded(seed);
  const clients = 2 + Math.floor(random() * 4);
  const out: TestResource[] = [];
  const relayed: string[] = [];
  for (let i = 0; i < clients; i++) {
    const route: InternetRoute = (["direct", "gateway", "own-tenant"] as const)[Math.floor(random() * 3)]!;
    if (route === "gateway") relayed.push(`c${i}`);
    out.push(...client(i, random, route));
  }
  if (relayed.length > 0) {
    out.unshift(
      gateway("provider-gateway", {
        name: "provider",
        servers: ["mx01.provider.example"],
        relaysFor: relayed,
        connectors: [{ name: "Internet", addressSpaces: ["*"], dnsRouting: true, certificate: { subject: "CN=mx01.provider.example", dnsNames: ["mx01.provider.example"], issuer: DIGICERT, trust: "public" } }],
      }),
    );
  }
  return out;
}

describe("correct dedicated-certificate set-ups pass every policy", () => {
  it.each(Array.from({ length: 12 }, (_, k) => k + 1))("random set-up %i, in its own order and in others", async (seed) => {
    const stack = correctSetUp(seed);
    for (const order of [stack, ...registrationOrders(stack, 2)]) {
      const violations = await analyzeInProcess(rules, order.map((r) => ({ urn: urnOf(r), name: r.name, type: r.type, props: r.props })));
      expect({ order: order.map((r) => r.name), violations: violations.map((v) => `${v.policy} on ${v.resource}: ${v.message.split("\n")[1] ?? ""}`) }).toEqual({
        order: order.map((r) => r.name),
        violations: [],
      });
    }
  });

  it("the twelve set-ups exercise every variant", () => {
    const all = Array.from({ length: 12 }, (_, k) => correctSetUp(k + 1)).flat();
    const has = (test: (r: TestResource) => boolean) => all.some(test);
    const script = (r: TestResource) => String(r.props.create ?? "");
    expect({
      gateway: has((r) => r.name === "provider-gateway"),
      direct: has((r) => r.name.startsWith("internet-cert-")),
      ownTenant: has((r) => script(r).includes("Internet via Office 365")),
      splitHybrid: has((r) => r.name.startsWith("send-initial-")),
      singleHybrid: has((r) => script(r).includes('"smtp:c0.onmicrosoft.com;1"') && script(r).includes("c0.mail.onmicrosoft.com")),
      hcw: has((r) => script(r).includes("HybridWizard")),
      handMade: has((r) => script(r).includes('-Name "From c')),
      partner: has((r) => r.name.startsWith("partner-")),
      complete: has((r) => r.props.acceptedDomainsComplete === true),
      incomplete: has((r) => r.name.startsWith("tenant-") && r.props.acceptedDomainsComplete === undefined),
    }).toEqual({ gateway: true, direct: true, ownTenant: true, splitHybrid: true, singleHybrid: true, hcw: true, handMade: true, partner: true, complete: true, incomplete: true });
  });

});

/** Seed incidents injected into the same set-ups: each must be blocked by its rule, in any order. */
const INCIDENTS: Array<{ name: string; rule: string; inject: (stack: TestResource[]) => TestResource[] }> = [
  {
    name: "client 0's internet connector presents its hybrid certificate",
    rule: "shared-certificate-hybrid-and-internet",
    inject: (stack) => stack.map((r) => (r.name === "internet-0" ? internetDirect("internet-0", "ex01.c0.example", "smtpo365.c0.example", "smtpo365.c0.example", DIGICERT) : r)),
  },
  {
    name: "client 1's tenant trusts a wildcard of client 0's domain",
    rule: "ambiguous-tenant-across-connectors",
    inject: (stack) => [...stack, inbound("exo-wide-1", "c1.onmicrosoft.com", `-Name "Legacy relay" -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName '*.c0.example'`)],
  },
  {
    name: "client 0's tenant trusts the provider gateway's whole domain",
    rule: "internet-identity-matches-onpremises-connector",
    inject: (stack) => [
      ...(stack.some((r) => r.name === "provider-gateway") ? stack : [gateway("provider-gateway", { name: "provider", servers: ["mx01.provider.example"], connectors: [{ name: "Internet", addressSpaces: ["*"], dnsRouting: true, certificate: { subject: "CN=mx01.provider.example", dnsNames: ["mx01.provider.example"], issuer: DIGICERT, trust: "public" } }] }), ...stack]),
      completeTenant("c0.onmicrosoft.com", ["c0.example", "smtpo365.c0.example", "provider.example"], "c0-extra"),
      inbound("exo-provider-0", "c0.onmicrosoft.com", `-Name "From provider" -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName '*.provider.example'`),
    ],
  },
  {
    name: "a second forest sends hybrid mail to client 0's tenant with client 0's certificate",
    rule: "multi-forest-certificates-not-distinct",
    inject: (stack) => [
      ...stack,
      organization("org-0b", { name: "c0b", servers: ["ex02.c0.example"], domains: ["c0b.example"], tenant: "c0.onmicrosoft.com" }),
      onPrem("send-0b", "ex02.c0.example", hybridSendScript("Outbound to Office 365", ["c0.mail.onmicrosoft.com"], "smtpo365.c0.example")),
    ],
  },
  {
    name: "client 0 adds an OnPremises connector for a name that is not an accepted domain",
    rule: "onpremises-certificate-name-not-accepted-domain",
    inject: (stack) => [...stack, inbound("exo-second-0", "c0.onmicrosoft.com", `-Name "Second" -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName mail.c0.example`)],
  },
];

describe("incidents injected into correct set-ups are blocked in any order", () => {
  it.each(INCIDENTS.flatMap((incident) => [2, 5, 9].map((seed) => [incident.name, seed, incident] as const)))("%s (set-up %i)", async (_name, seed, incident) => {
    const stack = incident.inject(correctSetUp(seed));
    const reported = async (order: TestResource[]) =>
      (await analyzeInProcess(rules, order.map((r) => ({ urn: urnOf(r), name: r.name, type: r.type, props: r.props })))).filter((v) => v.policy.replace(/-stack$/, "") === incident.rule).length;
    // One finding per connector involved (a split hybrid path shares the certificate twice), the same in every order.
    const expected = await reported(stack);
    expect(expected).toBeGreaterThan(0);
    for (const order of registrationOrders(stack, 2)) expect({ order: order.map((r) => r.name), reported: await reported(order) }).toEqual({ order: order.map((r) => r.name), reported: expected });
  });
});
