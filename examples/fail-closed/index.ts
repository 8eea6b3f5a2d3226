/**
 * Issue 23: failing closed on the text, not on the parse tree, and reading the data scripts carry
 * their values in. `pulumi config set case <name>` picks one; the same wildcard OnPremises connector
 * (the seed incident: `*.contoso.com` also matches the internet gateway's mx01.contoso.com) is blocked
 * however the script lays it out or keeps its values, and what the pack cannot read is named.
 *
 *   param-same-line, block-param, hashtable-loop, cipp-wrapper,
 *   dsc-configuration, stdin                 → blocked: R2 and R3 on "inbound"
 *   placeholder                              → passes, with an advisory: PowerShell refuses the script (a
 *                                              copied <CONNECTOR NAME> placeholder), so nothing in it runs
 *   identity-r9                              → blocked: R9 at stack level, by the pinned "<I>…<S>…" alone
 *   identity-r1                              → blocked: R1 on "on-premises", by one thumbprint, no certificate declared
 *   ip-owner                                 → passes, with an advisory: nobody declares the connector's IPs as egress
 *   relay-own-tenant                         → R8 (advisory): a * connector relaying through the own tenant, unpinned
 */
import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import * as mailflow from "mailflow-guard/sdk";

const which = new pulumi.Config().get("case") ?? "param-same-line";
const tenant = "contoso.onmicrosoft.com";
const connect = `Connect-ExchangeOnline -AppId $env:EXO_APP_ID -CertificateFilePath $env:EXO_CERT_PATH -Organization ${tenant} -ShowBanner:$false`;
const wildcard = `New-InboundConnector -Name 'Inbound from hcw' -ConnectorType OnPremises -SenderDomains * -RequireTls $true -TlsSenderCertificateName`;
const pwsh = ["pwsh", "-NoProfile", "-NonInteractive", "-Command"];

const facts: pulumi.Resource[] = [
  new mailflow.Tenant("contoso-tenant", { initialDomain: tenant, acceptedDomains: ["contoso.com", "smtpo365.contoso.com"], acceptedDomainsComplete: true }),
  new mailflow.Gateway("gateway", {
    name: "contoso-gateway",
    servers: ["mx01.contoso.com"],
    connectors: [{ name: "Internet", addressSpaces: ["*"], dnsRouting: true, certificate: { subject: "CN=mx01.contoso.com", trust: "public" } }],
  }),
];

/** Scripts of the "inbound" command resource (an Exchange Online script run by pwsh). */
const inbound: Record<string, { interpreter?: string[]; create: string; stdin?: string }> = {
  // The grammar misread both layouts; PowerShell reads them as their re-laid-out twins.
  "param-same-line": { create: `${connect}\nfunction New-HybridInbound { param($Unused) ${wildcard} '*.contoso.com' }\nNew-HybridInbound -Unused 1` },
  "block-param": { create: `${connect}\n& { param($c) ${wildcard} $c } '*.contoso.com'` },
  "hashtable-loop": {
    create: [
      connect,
      `$connectors = @{ 'Inbound from hcw' = @{ Type = 'OnPremises'; Cert = '*.contoso.com' } }`,
      `foreach ($c in $connectors.GetEnumerator()) { New-InboundConnector -Name $c.Key -ConnectorType $c.Value.Type -SenderDomains * -RequireTls $true -TlsSenderCertificateName $c.Value.Cert }`,
    ].join("\n"),
  },
  // CIPP's wrapper (github.com/KelvinTegelaar/CIPP-API): the cmdlet named as text, on its -tenantid.
  "cipp-wrapper": { create: `New-ExoRequest -tenantid '${tenant}' -cmdlet 'New-InboundConnector' -cmdParams @{ Name = 'Inbound from hcw'; ConnectorType = 'OnPremises'; SenderDomains = '*'; RequireTls = $true; TlsSenderCertificateName = '*.contoso.com' }` },
  // Microsoft365DSC as its exports are laid out: each { on its own line, inside Configuration and Node.
  "dsc-configuration": {
    create: [
      "Configuration M365TenantConfig",
      "{",
      "    Import-DscResource -ModuleName 'Microsoft365DSC'",
      "    Node localhost",
      "    {",
      '        EXOInboundConnector "EXOInboundConnector-Inbound from hcw"',
      "        {",
      '            Identity                 = "Inbound from hcw";',
      '            ConnectorType            = "OnPremises";',
      "            SenderDomains            = @('*');",
      "            RequireTls               = $true;",
      '            TlsSenderCertificateName = "*.contoso.com";',
      `            TenantId                 = "${tenant}";`,
      '            Ensure                   = "Present";',
      "        }",
      "    }",
      "}",
      "M365TenantConfig -OutputPath ./mof",
    ].join("\n"),
  },
  // The interpreter reads its script from standard input (about_Pwsh: -Command -).
  stdin: { interpreter: ["pwsh", "-NoProfile", "-NonInteractive", "-Command", "-"], create: "", stdin: `${connect}\n${wildcard} '*.contoso.com'` },
  // A placeholder copied from documentation: `<` is reserved, PowerShell refuses the whole script.
  placeholder: { create: `${connect}\n${wildcard} '*.contoso.com'\nSet-InboundConnector -Identity <CONNECTOR NAME> -RequireTls $true` },
  "ip-owner": { create: `${connect}\nNew-InboundConnector -Name 'Inbound from on-prem' -ConnectorType OnPremises -SenderDomains * -SenderIPAddresses 198.51.100.7 -TreatMessagesAsInternal $true` },
};

const THUMBPRINT = "0123456789ABCDEF0123456789ABCDEF01234567";
const hybridParameters = `-AddressSpaces contoso.mail.onmicrosoft.com -CloudServicesMailEnabled $true -RequireTLS $true -TlsAuthLevel DomainValidation -TlsDomain mail.protection.outlook.com -Fqdn smtpo365.contoso.com`;

if (which === "identity-r9") {
  // Two on-premises organisations (two HCW GUIDs, servers in two DNS domains) pin one identity; no certificate is declared.
  const pinned = `-TlsCertificateName "<I>CN=GeoTrust TLS RSA CA G1, O=DigiCert Inc, C=US<S>CN=smtpo365.contoso.com" ${hybridParameters}`;
  let previous: pulumi.Resource[] = facts;
  for (const [name, host, guid] of [["forest-a", "ex01.corp.contoso.com", "6fc3a33e-3ca2-4528-8e3c-75e5d4e9db76"], ["forest-b", "ex01.fabrikam.local", "9ab1c2d3-4e5f-4a6b-8c7d-0e1f2a3b4c5d"]] as const) {
    previous = [new command.remote.Command(name, { connection: { host, user: "svc-exchange" }, create: `New-SendConnector -Name "Outbound to Office 365 - ${guid}" ${pinned}` }, { dependsOn: previous })];
  }
} else if (which === "identity-r1") {
  // The hybrid and the internet connector pinned to the identity of one certificate, built at run time from its thumbprint.
  const identity = `-TlsCertificateName "<I>$($c.Issuer)<S>$($c.Subject)"`;
  new command.remote.Command("on-premises", {
    connection: { host: "ex01.contoso.com", user: "svc-exchange" },
    create: [
      `$c = Get-ExchangeCertificate -Thumbprint ${THUMBPRINT}`,
      `New-SendConnector -Name "Outbound to Office 365 - 6fc3a33e-3ca2-4528-8e3c-75e5d4e9db76" ${hybridParameters} ${identity}`,
      `New-SendConnector -Name Internet -Internet -AddressSpaces '*' -DNSRoutingEnabled $true -Fqdn mx01.contoso.com ${identity}`,
    ].join("\n"),
  }, { dependsOn: facts });
} else if (which === "relay-own-tenant") {
  // All mail smart-hosted to the own tenant's MX: tenant-bound, so R8 applies as to a hybrid connector.
  new command.remote.Command("relay", {
    connection: { host: "ex01.contoso.com", user: "svc-exchange" },
    create: `New-SendConnector -Name "Relay via Exchange Online" -AddressSpaces '*' -SmartHosts contoso-com.mail.protection.outlook.com -DNSRoutingEnabled $false`,
  }, { dependsOn: facts });
} else {
  const s = inbound[which];
  if (!s) throw new Error(`unknown case '${which}'; see the header of index.ts`);
  new command.local.Command("inbound", { interpreter: s.interpreter ?? pwsh, create: s.create, ...(s.stdin !== undefined ? { stdin: s.stdin } : {}) }, { dependsOn: facts });
}
