/**
 * One wildcard OnPremises connector (the seed incident: `*.contoso.com` also matches the internet
 * gateway's mx01.contoso.com), written the many ways PowerShell accepts it, plus the certificate and
 * organisation cases of issue 10. `pulumi config set spelling <name>` picks one; every spelling of the
 * same connector must get the same verdict, and what the pack cannot read must be named, not passed.
 *
 *   plain, enum-case, invoke-command, call-operator, function, prefix, module-qualified,
 *   posix-cd, posix-env, posix-exec          → blocked: R2 and R3 on "inbound"
 *   dedicated                                → passes (exact dedicated name)
 *   exchange-certificate                     → blocked: R1/R2 on "on-premises" (a New-ExchangeCertificate
 *                                              whose SAN carries the hybrid name, pinned on the internet connector)
 *   two-organisations                        → blocked: R9 at stack level (two HCW organisation GUIDs, one certificate)
 *   dynamic                                  → advisory only; blocked with policy config `unverifiable: mandatory`
 *   unknown-interpreter                      → advisory naming the interpreter the pack does not read
 */
import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import * as mailflow from "mailflow-guard/sdk";

const spelling = new pulumi.Config().get("spelling") ?? "plain";
const tenant = "contoso.onmicrosoft.com";
const connect = `Connect-ExchangeOnline -AppId $env:EXO_APP_ID -CertificateFilePath $env:EXO_CERT_PATH -Organization ${tenant} -ShowBanner:$false`;
const wildcard = `-Name "Inbound from on-prem" -ConnectorType OnPremises -SenderDomains * -RequireTls $true -TlsSenderCertificateName *.contoso.com`;

const facts: pulumi.Resource[] = [
  new mailflow.Tenant("contoso-tenant", { initialDomain: tenant, acceptedDomains: ["contoso.com", "smtpo365.contoso.com"], acceptedDomainsComplete: true }),
  new mailflow.Gateway("gateway", {
    name: "contoso-gateway",
    servers: ["mx01.contoso.com"],
    connectors: [{ name: "Internet", addressSpaces: ["*"], dnsRouting: true, certificate: { subject: "CN=mx01.contoso.com", trust: "public" } }],
  }),
];

const pwsh = ["pwsh", "-NoProfile", "-NonInteractive", "-Command"];
const scripts: Record<string, { interpreter?: string[]; create: string }> = {
  plain: { interpreter: pwsh, create: `${connect}\nNew-InboundConnector ${wildcard}` },
  "enum-case": { interpreter: pwsh, create: `${connect}\nnew-inboundconnector -name "Inbound from on-prem" -connectortype ONPREMISES -senderdomains * -requiretls:$TRUE -tlssendercert *.contoso.com` },
  "invoke-command": { interpreter: pwsh, create: `Invoke-Command -ScriptBlock {\n${connect}\nNew-InboundConnector ${wildcard}\n}` },
  "call-operator": { interpreter: pwsh, create: `${connect}\n& 'New-InboundConnector' ${wildcard}` },
  function: { interpreter: pwsh, create: `function Add-HybridInbound([string]$Certificate) {\n  New-InboundConnector -Name "Inbound from on-prem" -ConnectorType OnPremises -SenderDomains * -RequireTls $true -TlsSenderCertificateName $Certificate\n}\n${connect}\nforeach ($c in @('*.contoso.com')) { Add-HybridInbound -Certificate $c }` },
  prefix: { interpreter: pwsh, create: `${connect} -Prefix Cloud\nNew-CloudInboundConnector ${wildcard}` },
  "module-qualified": { interpreter: pwsh, create: `ExchangeOnlineManagement\\${connect}\nNew-InboundConnector ${wildcard}` },
  "posix-cd": { create: `cd /tmp && pwsh -NoProfile -c '${connect}; New-InboundConnector ${wildcard}'` },
  "posix-env": { create: `EXO_TRACE=1 pwsh -NoProfile -c '${connect}; New-InboundConnector ${wildcard}'` },
  "posix-exec": { create: `exec pwsh -NoProfile -c '${connect}; New-InboundConnector ${wildcard}'` },
  dedicated: { interpreter: pwsh, create: `${connect}\nNew-InboundConnector -Name "Inbound from on-prem" -ConnectorType onpremises -SenderDomains * -RequireTls $true -TlsSenderCertificateName smtpo365.contoso.com` },
  dynamic: { interpreter: pwsh, create: `${connect}\n$cmd = Get-ConnectorCmdlet\n& $cmd ${wildcard}` },
  "unknown-interpreter": { interpreter: ["python3", "-c"], create: `import subprocess; subprocess.run(["pwsh", "-c", "New-InboundConnector -Name x"])` },
};

if (spelling === "exchange-certificate") {
  // On the server: a self-signed certificate whose SAN carries the hybrid name, pinned on the internet connector.
  const onPremises = new command.remote.Command("on-premises", {
    connection: { host: "ex01.contoso.com", user: "svc-exchange" },
    create: [
      `New-ExchangeCertificate -SubjectName "CN=mx01.contoso.com" -DomainName mx01.contoso.com,smtpo365.contoso.com -Services SMTP -Server EX01`,
      `New-SendConnector -Name Internet -Internet -AddressSpaces '*' -DNSRoutingEnabled $true -Fqdn mx01.contoso.com -TlsCertificateName "<I>CN=mx01.contoso.com<S>CN=mx01.contoso.com"`,
      `New-SendConnector -Name "Outbound to Office 365 - 6fc3a33e-3ca2-4528-8e3c-75e5d4e9db76" -AddressSpaces contoso.mail.onmicrosoft.com -CloudServicesMailEnabled $true -RequireTLS $true -TlsAuthLevel DomainValidation -TlsDomain mail.protection.outlook.com -Fqdn smtpo365.contoso.com -TlsCertificateName "<I>CN=mx01.contoso.com<S>CN=mx01.contoso.com"`,
    ].join("\n"),
  }, { dependsOn: facts });
  new command.local.Command("inbound", { interpreter: pwsh, create: `${connect}\nNew-InboundConnector -Name "Inbound from 6fc3a33e-3ca2-4528-8e3c-75e5d4e9db76" -ConnectorType OnPremises -SenderDomains * -RequireTls $true -TlsSenderCertificateName smtpo365.contoso.com` }, { dependsOn: [onPremises] });
} else if (spelling === "two-organisations") {
  // Two on-premises organisations (two HCW GUIDs, servers in two forests) pinned to one certificate identity.
  const certificate = new mailflow.Certificate("hybrid-certificate", { subject: "CN=smtpo365.contoso.com", dnsNames: ["smtpo365.contoso.com"], issuer: "CN=GeoTrust TLS RSA CA G1, O=DigiCert Inc, C=US", trust: "public" });
  const hybrid = `-TlsCertificateName "<I>CN=GeoTrust TLS RSA CA G1, O=DigiCert Inc, C=US<S>CN=smtpo365.contoso.com" -Fqdn smtpo365.contoso.com -AddressSpaces contoso.mail.onmicrosoft.com -CloudServicesMailEnabled $true -RequireTLS $true -TlsAuthLevel DomainValidation -TlsDomain mail.protection.outlook.com`;
  // forest-b after forest-a: registration order decides which resource a finding is reported on.
  let previous: pulumi.Resource[] = [...facts, certificate];
  for (const [name, host, guid] of [["forest-a", "ex01.corp.contoso.com", "6fc3a33e-3ca2-4528-8e3c-75e5d4e9db76"], ["forest-b", "ex01.fabrikam.local", "9ab1c2d3-4e5f-4a6b-8c7d-0e1f2a3b4c5d"]] as const) {
    previous = [new command.remote.Command(name, { connection: { host, user: "svc-exchange" }, create: `New-SendConnector -Name "Outbound to Office 365 - ${guid}" ${hybrid}` }, { dependsOn: previous })];
  }
} else {
  const s = scripts[spelling];
  if (!s) throw new Error(`unknown spelling '${spelling}'; see the header of index.ts`);
  new command.local.Command("inbound", { ...(s.interpreter ? { interpreter: s.interpreter } : {}), create: s.create }, { dependsOn: facts });
}
