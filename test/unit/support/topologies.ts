/**
 * Randomly composed managed-service set-ups for property tests: correct dedicated-certificate
 * set-ups (per tenant its own hybrid certificate and exact connector name; internet mail direct with
 * another certificate, through a provider gateway, or relayed through the own tenant; single or
 * split hybrid address spaces; HCW or hand-made connectors; Partner lock-down connectors, by
 * certificate or also by IP; hybrid outbound connectors; the hybrid configuration storing the
 * dedicated certificate; a second forest with its own certificate; tenants declared in full or not), and seed incidents to inject into them.
 */
import { completeTenant, connect, gateway, hcwInbound, inbound, internetDirect, internetViaGateway, organization, publicCert, tenant, withUnknownHost } from "./scenarios";
import { exo, onPrem, type TestResource } from "./stack";

export const DIGICERT = "CN=GeoTrust TLS RSA CA G1, O=DigiCert Inc, C=US";

/**
 * The generator the set-ups are drawn with. Tests name seeds that once exposed a bug, so it stays as
 * it is: another generator would draw other set-ups for the same seeds.
 */
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
    const ips = random() < 0.5 ? " -SenderIPAddresses 203.0.113.7 -RestrictDomainsToIPAddresses $true" : "";
    out.push(inbound(`partner-${i}`, tenantId, `-Name "Partner fabrikam" -ConnectorType Partner -SenderDomains fabrikam.example -RequireTls $true -RestrictDomainsToCertificate $true -TlsSenderCertificateName mail.fabrikam.example${ips}`));
  }
  if (random() < 0.5) {
    out.push(
      exo(
        `exo-outbound-${i}`,
        `${connect(tenantId)}\nNew-OutboundConnector -Name "Outbound to c${i}" -ConnectorType OnPremises -RecipientDomains ${domain} -SmartHosts ${dedicated} -UseMXRecord $false -TlsSettings DomainValidation -TlsDomain ${dedicated} -CloudServicesMailEnabled $true`,
      ),
    );
  }
  if (random() < 0.5) out.push(onPrem(`hybrid-config-${i}`, host, `Set-HybridConfiguration -TlsCertificateName "<I>${DIGICERT}<S>CN=${dedicated}"`));
  if (random() < 0.3) out.push(...secondForest(i, out[0]!));
  return out;
}

/** Multi-forest done right: a second organisation sends hybrid mail to the same tenant with its own certificate and connector. */
function secondForest(i: number, tenantResource: TestResource): TestResource[] {
  const domain = `b.c${i}.example`;
  const tenantId = `c${i}.onmicrosoft.com`;
  const host = `ex02.c${i}.example`;
  const dedicated = `smtpo365.${domain}`;
  (tenantResource.props.acceptedDomains as string[]).push(domain, dedicated);
  return [
    organization(`org-${i}b`, { name: `c${i}b`, servers: [host], domains: [domain], tenant: tenantId }),
    publicCert(`hybrid-cert-${i}b`, dedicated),
    inbound(`exo-${i}b`, tenantId, `-Name "From c${i} forest b" -ConnectorType OnPremises -SenderDomains ${domain} -RequireTls $true -TlsSenderCertificateName ${dedicated}`),
    onPrem(`send-${i}b`, host, hybridSendScript("Outbound to Office 365", [`c${i}.mail.onmicrosoft.com`, tenantId], dedicated)),
  ];
}

export function correctSetUp(seed: number): TestResource[] {
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
        egressIps: ["198.51.100.10"],
        relaysFor: relayed,
        connectors: [{ name: "Internet", addressSpaces: ["*"], dnsRouting: true, certificate: { subject: "CN=mx01.provider.example", dnsNames: ["mx01.provider.example"], issuer: DIGICERT, trust: "public" } }],
      }),
    );
  }
  return out;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { unknownStringValue, unknownArrayValue } = require("@pulumi/policy/proxy") as { unknownStringValue: string; unknownArrayValue: string };

/**
 * The same set-up with values only known at deploy time, chosen by `seed`: Exchange servers' hosts,
 * connector certificate names and tenants from `$env:` values, certificate names.
 */
export function withUnknowns(stack: TestResource[], seed: number): TestResource[] {
  const random = seeded(seed ^ 0x5bd1e995);
  return stack.map((r) => {
    const x = random();
    if (r.type === "command:remote:Command" && x < 0.25) return withUnknownHost(r);
    if (r.type === "command:local:Command" && x < 0.25) {
      const create = String(r.props.create)
        .replace(/-TlsSenderCertificateName '?[^'\s]+'?/, "-TlsSenderCertificateName $env:CERT_NAME")
        .replace(/-Organization \S+/, "-Organization $env:TENANT");
      return { ...r, props: { ...r.props, create, environment: { CERT_NAME: unknownStringValue, TENANT: unknownStringValue } } };
    }
    if (r.type.endsWith("Certificate") && x < 0.2) return { ...r, props: { ...r.props, subject: unknownStringValue, dnsNames: unknownArrayValue } };
    return r;
  });
}

/** The same set-up with client `i`'s Exchange Online scripts naming no tenant (no Connect-ExchangeOnline -Organization). */
export function withSilentTenant(stack: TestResource[], i: number): TestResource[] {
  const silent = (r: TestResource) => r.type === "command:local:Command" && (r.name === `exo-${i}` || r.name === `exo-outbound-${i}` || r.name === `partner-${i}`);
  return stack.map((r) => (silent(r) ? { ...r, props: { ...r.props, create: String(r.props.create).split("\n").filter((l) => !l.startsWith("Connect-ExchangeOnline")).join("\n") } } : r));
}

/** Seed incidents injected into the same set-ups: each must be blocked by its rule, in any order. */
export const INCIDENTS: Array<{ name: string; rule: string; inject: (stack: TestResource[]) => TestResource[] }> = [
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
      organization("org-0x", { name: "c0x", servers: ["ex03.c0.example"], domains: ["x.c0.example"], tenant: "c0.onmicrosoft.com" }),
      onPrem("send-0x", "ex03.c0.example", hybridSendScript("Outbound to Office 365", ["c0.mail.onmicrosoft.com"], "smtpo365.c0.example")),
    ],
  },
  {
    name: "client 0 widens its connector to a wildcard of its own domain",
    rule: "wildcard-onpremises-certificate-name",
    inject: (stack) => [...stack, inbound("exo-wide-0", "c0.onmicrosoft.com", `-Name "Wide" -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName '*.c0.example'`)],
  },
  {
    name: "client 0's wildcard connector also treats mail as internal",
    rule: "ambiguous-connector-grants-internal-trust",
    inject: (stack) => [...stack, inbound("exo-wide-0", "c0.onmicrosoft.com", `-Name "Wide" -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName '*.c0.example' -TreatMessagesAsInternal $true`)],
  },
  {
    name: "client 1's hybrid certificate is self-signed",
    rule: "untrusted-certificate-on-hybrid-path",
    inject: (stack) => stack.map((r) => (r.name === "hybrid-cert-1" ? publicCert("hybrid-cert-1", "smtpo365.c1.example", { trust: "self-signed" }) : r)),
  },
  {
    name: "client 0's hybrid configuration stores another certificate than its hybrid connector's",
    rule: "hybrid-wizard-will-revert-certificate",
    inject: (stack) => [...stack.filter((r) => r.name !== "hybrid-config-0"), onPrem("hybrid-config-0", "ex01.c0.example", `Set-HybridConfiguration -TlsCertificateName "<I>${DIGICERT}<S>CN=old.c0.example"`)],
  },
  {
    name: "client 1's tenant identifies on-premises mail by the egress IP of a relay it shares with client 0",
    rule: "ip-based-onpremises-connector-shared-ip",
    inject: (stack) => [
      gateway("shared-relay", { name: "shared relay", servers: ["relay.provider.example"], egressIps: ["198.51.100.20"], relaysFor: ["c0", "c1"] }),
      ...stack,
      inbound("exo-ip-1", "c1.onmicrosoft.com", `-Name "By IP" -ConnectorType OnPremises -SenderDomains c1.example -SenderIPAddresses 198.51.100.20`),
    ],
  },
  {
    name: "client 0 adds an OnPremises connector for a name that is not an accepted domain",
    rule: "onpremises-certificate-name-not-accepted-domain",
    inject: (stack) => [...stack, inbound("exo-second-0", "c0.onmicrosoft.com", `-Name "Second" -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName mail.c0.example`)],
  },
];

