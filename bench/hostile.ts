/**
 * Hostile shapes for the benchmark (issue 11): inputs whose cost must still grow linearly — a gateway
 * presenting many wildcard names against many connectors, deeply nested props, huge scripts, a long
 * `powershell -Command "…"` wrapper, and exemption globs that backtrack; and (issue 23) one script of
 * many connectors beside as many certificate descriptors, and descriptors with very long names.
 */
import type { InventoryConfig } from "../src/config/schema";
import type { StackResource } from "../src/reporters/pulumi/in-process";

const resource = (type: string, name: string, props: Record<string, unknown>): StackResource => ({ urn: `urn:pulumi:bench::hostile::${type}::${name}`, name, type, props });
const TENANT = "contoso.onmicrosoft.com";
const connect = `Connect-ExchangeOnline -AppId $env:EXO_APP_ID -CertificateFilePath $env:EXO_CERT_PATH -Organization ${TENANT} -ShowBanner:$false`;
const local = (name: string, create: string): StackResource => resource("command:local:Command", name, { interpreter: ["pwsh", "-NoProfile", "-NonInteractive", "-Command"], create });
const tenant = (): StackResource => resource("pulumi-nodejs:dynamic/mailflow:Tenant", "tenant", { initialDomain: TENANT, acceptedDomains: ["contoso.com"] });

/** (a) A gateway presenting 200 wildcard names, and `connectors` inbound connector resources. */
export function wildcardGateway(connectors: number): StackResource[] {
  const names = Array.from({ length: 200 }, (_, i) => `*.d${i}.contoso.com`);
  const gateway = resource("pulumi-nodejs:dynamic/mailflow:Gateway", "gateway", {
    name: "provider",
    servers: ["mx01.provider.example"],
    connectors: [{ name: "Internet", addressSpaces: ["*"], dnsRouting: true, certificate: { subject: "CN=mx01.provider.example", dnsNames: names, trust: "public" } }],
  });
  const inbound = Array.from({ length: connectors }, (_, i) =>
    local(`inbound-${i}`, `${connect}\nNew-InboundConnector -Name "Inbound ${i}" -ConnectorType OnPremises -SenderDomains * -RequireTls $true -TlsSenderCertificateName 'h${i}.d${i % 200}.contoso.com'`),
  );
  return [tenant(), gateway, ...inbound];
}

function nested(depth: number, leaf: unknown): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = { level: v };
  return v;
}

/** (b) `resources` commands, each carrying props nested 80 levels deep that every policy call re-reads. */
export function deepProps(resources: number): StackResource[] {
  return [
    tenant(),
    ...Array.from({ length: resources }, (_, i) => {
      const r = local(`deep-${i}`, `${connect}\nNew-InboundConnector -Name "Inbound ${i}" -ConnectorType Partner -SenderDomains d${i}.example -RequireTls $true`);
      r.props.triggers = [nested(80, `t${i}`)];
      return r;
    }),
  ];
}

const connectorLine = (i: number): string => `New-InboundConnector -Name "Inbound ${i}" -ConnectorType Partner -SenderDomains d${i}.example -RequireTls $true`;

/** (c) One script of `bytes` bytes (1 MB at the largest size). */
export function hugeScript(bytes: number): StackResource[] {
  const lines: string[] = [connect];
  for (let i = 0, size = connect.length; size < bytes; i++) {
    const line = connectorLine(i);
    lines.push(line);
    size += line.length + 1;
  }
  return [tenant(), local("huge", lines.join("\n").slice(0, bytes))];
}

/** (d) A remote command running `powershell -Command "…"` of `lines` lines. */
export function remotePowerShellCommand(lines: number): StackResource[] {
  const body = [connect, ...Array.from({ length: lines - 1 }, (_, i) => connectorLine(i))].join("\n");
  return [tenant(), resource("command:remote:Command", "remote", { connection: { host: "ex01.contoso.com", user: "svc" }, create: `powershell -NoProfile -Command "${body.replace(/"/g, '\\"')}"` })];
}

/** (e) `count` findings on resources with 51-character names, and the exemption glob `*a*a*a*a*a*a*a*a*b`. */
export function backtrackingExemption(count: number): { resources: StackResource[]; config: InventoryConfig } {
  const resources = [
    tenant(),
    ...Array.from({ length: count }, (_, i) => local(`${"a".repeat(47)}${String(i).padStart(4, "a")}`, `${connect}\nNew-InboundConnector -Name "W${i}" -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName '*.contoso.com'`)),
  ];
  return { resources, config: { exemptions: [{ policy: "*", resource: `${"*a".repeat(8)}*b`, reason: "bench" }] } };
}

/**
 * (j) `n` certificate descriptors and one script of `n` OnPremises connectors, each pinned to one of
 * them: a resource's cost must stay linear in its size whatever else the stack declares.
 */
export function certificatesAndOneScript(n: number): StackResource[] {
  const certificates = Array.from({ length: n }, (_, i) => resource("pulumi-nodejs:dynamic/mailflow:Certificate", `cert-${i}`, { subject: `CN=h${i}.contoso.com`, dnsNames: [`h${i}.contoso.com`], issuer: "CN=GeoTrust TLS RSA CA G1, O=DigiCert Inc, C=US", trust: "public" }));
  // Short lines: 1,600 connectors stay under the script size limit (command.ts MAX_SCRIPT_CHARS).
  const lines = [connect, ...Array.from({ length: n }, (_, i) => `New-InboundConnector c${i} -ConnectorT OnPremises -TlsSenderC h${i}.contoso.com`)];
  return [tenant(), ...certificates, local("connectors", lines.join("\n"))];
}

/** (k) Ten gateways whose names and connector names are `chars` characters long, all sending hybrid mail to one tenant. */
export function longDescriptorNames(chars: number): StackResource[] {
  const gateways = Array.from({ length: 10 }, (_, i) =>
    resource("pulumi-nodejs:dynamic/mailflow:Gateway", `gateway-${i}`, {
      name: `${"g".repeat(chars)}${i}`,
      servers: [`mx${i}.contoso.com`],
      connectors: [
        { name: `${"i".repeat(chars)}${i}`, addressSpaces: ["*"], dnsRouting: true, certificate: { subject: "CN=*.contoso.com", trust: "self-signed" } },
        { name: `${"h".repeat(chars)}${i}`, addressSpaces: ["contoso.mail.onmicrosoft.com"], dnsRouting: true, certificate: { subject: "CN=*.contoso.com", trust: "self-signed" } },
      ],
    }),
  );
  return [tenant(), ...gateways];
}
