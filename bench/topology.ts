/**
 * Generated managed-service-provider topologies for the benchmark: one provider tenant and gateway,
 * and per hosted client a tenant, an Exchange Online script, an on-premises script and a dedicated
 * hybrid certificate — with a wildcard connector every 50th client so findings are produced too —
 * and platform stacks where most resources have nothing to do with mail flow.
 */
import type { ResourceInput } from "../src/extractors/types";

const dynamic = (t: string) => `pulumi-nodejs:dynamic/mailflow:${t}`;
const input = (type: string, name: string, props: Record<string, unknown>): ResourceInput => ({
  urn: `urn:pulumi:bench::msp::${type}::${name}`,
  name,
  type,
  props,
  dependencies: [],
  propertyDependencies: {},
});

function client(i: number): ResourceInput[] {
  const domain = `client${i}.example`;
  const tenant = `client${i}.onmicrosoft.com`;
  const hybridName = i % 50 === 7 ? `*.${domain}` : `smtpo365.${domain}`;
  return [
    input(dynamic("Tenant"), `tenant-${i}`, { initialDomain: tenant, acceptedDomains: [domain, `smtpo365.${domain}`] }),
    input(dynamic("Certificate"), `hybrid-cert-${i}`, { subject: `CN=smtpo365.${domain}`, dnsNames: [`smtpo365.${domain}`], issuer: "CN=GeoTrust TLS RSA CA G1, O=DigiCert Inc, C=US", trust: "public" }),
    input("command:local:Command", `exo-${i}`, {
      interpreter: ["pwsh", "-NoProfile", "-NonInteractive", "-Command"],
      create: [
        `Connect-ExchangeOnline -AppId $env:EXO_APP_ID -CertificateFilePath $env:EXO_CERT_PATH -Organization ${tenant} -ShowBanner:$false`,
        `New-InboundConnector -Name "Inbound from client ${i}" -ConnectorType OnPremises -ConnectorSource HybridWizard -SenderDomains 'smtp:*;1' -RequireTls $true -CloudServicesMailEnabled $true -TlsSenderCertificateName '${hybridName}'`,
        `New-OutboundConnector -Name "Outbound to client ${i}" -ConnectorType OnPremises -RecipientDomains ${domain} -SmartHosts smtpo365.${domain} -UseMXRecord $false -TlsSettings DomainValidation -TlsDomain smtpo365.${domain}`,
      ].join("\n"),
    }),
    input("command:remote:Command", `onprem-${i}`, {
      connection: { host: `ex01.${domain}`, user: "svc", password: "bench-not-a-secret" },
      create: [
        `New-SendConnector -Name "Outbound to Office 365 - client ${i}" -AddressSpaces "smtp:client${i}.mail.onmicrosoft.com;1","smtp:${tenant};1" -CloudServicesMailEnabled $true -RequireTLS $true -TlsAuthLevel DomainValidation -TlsDomain mail.protection.outlook.com -Fqdn smtpo365.${domain} -TlsCertificateName "<I>CN=GeoTrust TLS RSA CA G1, O=DigiCert Inc, C=US<S>CN=smtpo365.${domain}"`,
        `New-SendConnector -Internet -Name "Internet via provider gateway" -AddressSpaces "SMTP:*;1" -DNSRoutingEnabled $false -SmartHosts mx01.provider.example,mx02.provider.example`,
      ].join("\n"),
    }),
    input(dynamic("Organization"), `org-${i}`, { name: `ex01.${domain}`, domains: [domain], tenant }),
  ];
}

export function mspTopology(resources: number): ResourceInput[] {
  const out: ResourceInput[] = [
    input(dynamic("Gateway"), "provider-gateway", {
      name: "provider-gateway",
      servers: ["mx01.provider.example", "mx02.provider.example"],
      egressIps: ["198.51.100.10", "198.51.100.11"],
      connectors: [{ name: "Internet", addressSpaces: ["*"], dnsRouting: true, certificate: { subject: "CN=mx01.provider.example", dnsNames: ["mx02.provider.example"], trust: "public" } }],
    }),
  ];
  for (let i = 0; out.length < resources; i++) out.push(...client(i));
  const gateway = out[0]!;
  (gateway.props as { relaysFor: string[] }).relaysFor = out.filter((r) => r.name.startsWith("org-")).map((r) => String(r.props.name));
  return out.slice(0, resources);
}

/** `resources` resources of which one in `every` belongs to the mail-flow topology; the rest are storage buckets. */
export function mixedTopology(resources: number, every: number): ReturnType<typeof mspTopology> {
  const mail = mspTopology(Math.ceil(resources / every));
  const out: ResourceInput[] = [];
  for (let i = 0; out.length < resources; i++) {
    if (i % every === 0 && mail.length > 0) out.push(mail.shift()!);
    else out.push(input("aws:s3/bucket:Bucket", `bucket-${i}`, { bucket: `logs-${i}`, acl: "private", tags: { team: "platform", index: String(i) } }));
  }
  return out;
}
