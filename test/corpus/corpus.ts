/**
 * Issue 16's corpus: scripts in the styles administrators really run (ACME renewal hooks, the Hybrid
 * Configuration Wizard's command log, vendor onboarding, bulk re-pins, Microsoft365DSC), written for
 * this repository. Each is run beside a small Contoso stack (tenant, certificates, the hybrid and the
 * internet Send connector) and carries what a human reads from it: the connectors and certificates it
 * changes, and the verdict.
 */
export interface CorpusCase {
  name: string;
  /** Where the script runs: an Exchange server over SSH (`onprem`) or pwsh against Exchange Online (`exo`). */
  runs: "onprem" | "exo";
  script: string;
  /** What the script changes, as `summarize` in corpus.test.ts writes it. */
  reads: string[];
  /** `<level> <policy> -> <resource>`, sorted: every policy event of the stack. */
  verdict: string[];
}

const WILDCARD_ID = `"<I>CN=GeoTrust TLS RSA CA G1, O=DigiCert Inc, C=US<S>CN=*.contoso.com"`;
const HYBRID_ID = `"<I>CN=GeoTrust TLS RSA CA G1, O=DigiCert Inc, C=US<S>CN=smtpo365.contoso.com"`;

export const CORPUS: CorpusCase[] = [];
CORPUS.push({
  name: "win-acme ImportExchange hook: new wildcard re-pinned on every Send connector (seed incident, blocked by R1)",
  runs: "onprem",
  script: String.raw`param([string]$NewCertThumbprint, [string]$OldCertThumbprint)
$cert = Get-ExchangeCertificate -Thumbprint $NewCertThumbprint
$cert | Enable-ExchangeCertificate -Services SMTP, IIS -Force
Get-SendConnector | Set-SendConnector -TlsCertificateName __W__
`.replace(/__W__/g, WILDCARD_ID).replace(/__H__/g, HYBRID_ID),
  reads: [
    "send 'Outbound to Office 365 - 6fc3a33e' of ex01.contoso.com: CN=*.contoso.com",
    "send 'Internet' of ex01.contoso.com: CN=*.contoso.com",
  ],
  verdict: [
    "advisory mailflow-inventory -> script",
    "mandatory shared-certificate-hybrid-and-internet -> script",
  ],
});
CORPUS.push({
  name: "win-acme hook: re-pin only the internet connectors by name filter",
  runs: "onprem",
  script: String.raw`param([string]$NewCertThumbprint)
Enable-ExchangeCertificate -Thumbprint $NewCertThumbprint -Services SMTP -Force
Get-SendConnector | Where-Object { $_.Name -like 'Internet*' } | Set-SendConnector -TlsCertificateName __W__
`.replace(/__W__/g, WILDCARD_ID).replace(/__H__/g, HYBRID_ID),
  reads: [
    "send 'Internet' of ex01.contoso.com: CN=*.contoso.com",
  ],
  verdict: [
    "advisory mailflow-inventory -> script",
  ],
});
CORPUS.push({
  name: "win-acme hook: mandatory thumbprint not passed",
  runs: "onprem",
  script: String.raw`param([Parameter(Mandatory = $true)][string]$NewCertThumbprint)
Enable-ExchangeCertificate -Thumbprint $NewCertThumbprint -Services SMTP -Force
`.replace(/__W__/g, WILDCARD_ID).replace(/__H__/g, HYBRID_ID),
  reads: [],
  verdict: [
    "advisory mailflow-inventory -> script",
  ],
});
CORPUS.push({
  name: "Posh-ACME hook: import the PFX, name built from the imported certificate, every connector (seed incident)",
  runs: "onprem",
  script: String.raw`$pfx = Get-PAOrder | Get-PACertificate
$cert = Import-ExchangeCertificate -FileData ([System.IO.File]::ReadAllBytes($pfx.PfxFullChain)) -Password $pfx.PfxPass -PrivateKeyExportable $true
$cert | Enable-ExchangeCertificate -Services POP, IMAP, SMTP, IIS -Force
$name = "<I>$($cert.Issuer)<S>$($cert.Subject)"
Get-SendConnector | ForEach-Object { Set-SendConnector -Identity $_.Identity -TlsCertificateName $name }
`.replace(/__W__/g, WILDCARD_ID).replace(/__H__/g, HYBRID_ID),
  reads: [
    "send 'Outbound to Office 365 - 6fc3a33e' of ex01.contoso.com: CN=smtpo365.contoso.com [certificate imported at line 2]",
    "send 'Internet' of ex01.contoso.com: CN=mx01.contoso.com [certificate imported at line 2]",
    "certificate 'certificate imported at line 2': unknown, names unknown for POP, IMAP, SMTP, IIS",
  ],
  verdict: [
    "advisory mailflow-inventory -> script",
    "mandatory shared-certificate-hybrid-and-internet -> script",
  ],
});
CORPUS.push({
  name: "Posh-ACME hook: imported certificate pinned on the internet connector only",
  runs: "onprem",
  script: String.raw`$pfx = Get-PAOrder | Get-PACertificate
$cert = Import-ExchangeCertificate -FileData ([System.IO.File]::ReadAllBytes($pfx.PfxFullChain)) -Password $pfx.PfxPass
$cert | Enable-ExchangeCertificate -Services SMTP -Force
Set-SendConnector "Internet" -TlsCertificateName "<I>$($cert.Issuer)<S>$($cert.Subject)"
`.replace(/__W__/g, WILDCARD_ID).replace(/__H__/g, HYBRID_ID),
  reads: [
    "send 'Internet' of ex01.contoso.com: CN=mx01.contoso.com [certificate imported at line 2]",
    "certificate 'certificate imported at line 2': unknown, names unknown for SMTP",
  ],
  verdict: [
    "advisory mailflow-inventory -> script",
  ],
});
CORPUS.push({
  name: "Posh-ACME hook in a function called with the order's name",
  runs: "onprem",
  script: String.raw`function Update-ExchangeTls {
  param([string]$Connector = "Internet", [string]$Name)
  Set-SendConnector -Identity $Connector -TlsCertificateName $Name
}
Update-ExchangeTls -Name __W__
`.replace(/__W__/g, WILDCARD_ID).replace(/__H__/g, HYBRID_ID),
  reads: [
    "send 'Internet' of ex01.contoso.com: CN=*.contoso.com",
  ],
  verdict: [],
});
CORPUS.push({
  name: "HCW log, on-premises half: hybrid Send connector and hybrid configuration",
  runs: "onprem",
  script: String.raw`# HybridConfigurationWizard log 2026-11-02 (on-premises)
Set-HybridConfiguration -Features OnlineArchive,FreeBusy,MailTips,MessageTracking,OwaRedirection,Photos -TlsCertificateName __H__
New-SendConnector -Name "Outbound to Office 365 - 8a1d" -AddressSpaces "smtp:contoso.mail.onmicrosoft.com;1" -CloudServicesMailEnabled $true -RequireTLS $true -TlsAuthLevel DomainValidation -TlsDomain mail.protection.outlook.com -Fqdn smtpo365.contoso.com -TlsCertificateName __H__ -DNSRoutingEnabled $true
Set-ReceiveConnector -Identity "EX01\Default Frontend EX01" -TlsCertificateName __H__ -TlsDomainCapabilities mail.protection.outlook.com:AcceptCloudServicesMail
`.replace(/__W__/g, WILDCARD_ID).replace(/__H__/g, HYBRID_ID),
  reads: [
    "send 'Outbound to Office 365 - 8a1d' of ex01.contoso.com: CN=smtpo365.contoso.com",
    "receive 'EX01\\Default Frontend EX01' of ex01.contoso.com: CN=smtpo365.contoso.com",
  ],
  verdict: [],
});
CORPUS.push({
  name: "HCW log, Exchange Online half: OnPremises inbound connector pinned to the hybrid name",
  runs: "exo",
  script: String.raw`# HybridConfigurationWizard log 2026-11-02 (Exchange Online)
Connect-ExchangeOnline -Organization contoso.onmicrosoft.com -ShowBanner:$false
New-InboundConnector -Name "Inbound from 8a1d" -ConnectorType OnPremises -SenderDomains * -RequireTls $true -TlsSenderCertificateName smtpo365.contoso.com -CloudServicesMailEnabled $true
New-OutboundConnector -Name "Outbound to 8a1d" -ConnectorType OnPremises -RecipientDomains contoso.com -SmartHosts smtpo365.contoso.com -TlsSettings DomainValidation -TlsDomain smtpo365.contoso.com -CloudServicesMailEnabled $true
`.replace(/__W__/g, WILDCARD_ID).replace(/__H__/g, HYBRID_ID),
  reads: [
    "inbound 'Inbound from 8a1d' of contoso.onmicrosoft.com: OnPremises smtpo365.contoso.com",
    "outbound 'Outbound to 8a1d' of contoso.onmicrosoft.com: OnPremises",
  ],
  verdict: [],
});
CORPUS.push({
  name: "HCW log, Exchange Online half with the shared wildcard name (blocked)",
  runs: "exo",
  script: String.raw`Connect-ExchangeOnline -Organization contoso.onmicrosoft.com
New-InboundConnector -Name "Inbound from 8a1d" -ConnectorType OnPremises -SenderDomains * -RequireTls $true -TlsSenderCertificateName *.contoso.com -CloudServicesMailEnabled $true
`.replace(/__W__/g, WILDCARD_ID).replace(/__H__/g, HYBRID_ID),
  reads: [
    "inbound 'Inbound from 8a1d' of contoso.onmicrosoft.com: OnPremises *.contoso.com",
  ],
  verdict: [
    "mandatory ambiguous-connector-grants-internal-trust -> script",
    "mandatory internet-identity-matches-onpremises-connector -> script",
    "mandatory wildcard-onpremises-certificate-name -> script",
  ],
});
CORPUS.push({
  name: "vendor onboarding: partner inbound connector by IP, typographic quotes from the vendor's PDF",
  runs: "exo",
  script: String.raw`Connect-ExchangeOnline -Organization contoso.onmicrosoft.com
$vendor = “Fabrikam Archiving”
New-InboundConnector -Name “Inbound from $vendor” -ConnectorType Partner -SenderDomains fabrikam-archive.com -SenderIPAddresses 203.0.113.10, 203.0.113.11 -RequireTls $true
`.replace(/__W__/g, WILDCARD_ID).replace(/__H__/g, HYBRID_ID),
  reads: [
    "inbound 'Inbound from Fabrikam Archiving' of contoso.onmicrosoft.com: Partner (no certificate name)",
  ],
  verdict: [
    "advisory mailflow-inventory -> script",
  ],
});
CORPUS.push({
  name: "vendor onboarding: OnPremises connector by the vendor's certificate name",
  runs: "exo",
  script: String.raw`param([string]$Tenant = "contoso.onmicrosoft.com", [string]$VendorHost = "relay.fabrikam-archive.com")
Connect-ExchangeOnline -Organization $Tenant
New-InboundConnector -Name "Fabrikam relay" -ConnectorType OnPremises -SenderDomains * -RequireTls $true -TlsSenderCertificateName $VendorHost
`.replace(/__W__/g, WILDCARD_ID).replace(/__H__/g, HYBRID_ID),
  reads: [
    "inbound 'Fabrikam relay' of contoso.onmicrosoft.com: OnPremises relay.fabrikam-archive.com",
  ],
  verdict: [
    "mandatory onpremises-certificate-name-not-accepted-domain -> script",
  ],
});
CORPUS.push({
  name: "vendor onboarding: the cmdlet name built at run time",
  runs: "exo",
  script: String.raw`Connect-ExchangeOnline -Organization contoso.onmicrosoft.com
$type = "Inbound"
& "New-$($type)Connector" -Name "Fabrikam" -ConnectorType Partner -SenderDomains fabrikam.com
`.replace(/__W__/g, WILDCARD_ID).replace(/__H__/g, HYBRID_ID),
  reads: [
    "inbound 'Fabrikam' of contoso.onmicrosoft.com: Partner (no certificate name)",
  ],
  verdict: [],
});
CORPUS.push({
  name: "bulk re-pin: foreach over every Send connector (seed incident)",
  runs: "onprem",
  script: String.raw`$connectors = Get-SendConnector
foreach ($c in $connectors) {
  Set-SendConnector $c -TlsCertificateName __W__
}
`.replace(/__W__/g, WILDCARD_ID).replace(/__H__/g, HYBRID_ID),
  reads: [
    "send 'Outbound to Office 365 - 6fc3a33e' of ex01.contoso.com: CN=*.contoso.com",
    "send 'Internet' of ex01.contoso.com: CN=*.contoso.com",
  ],
  verdict: [
    "advisory mailflow-inventory -> script",
    "mandatory shared-certificate-hybrid-and-internet -> script",
  ],
});
CORPUS.push({
  name: "bulk re-pin: everything but the hybrid connector",
  runs: "onprem",
  script: String.raw`Get-SendConnector | Where-Object Name -NotLike "Outbound to Office 365*" | Set-SendConnector -TlsCertificateName __W__
`.replace(/__W__/g, WILDCARD_ID).replace(/__H__/g, HYBRID_ID),
  reads: [
    "send 'Internet' of ex01.contoso.com: CN=*.contoso.com",
  ],
  verdict: [
    "advisory mailflow-inventory -> script",
  ],
});
CORPUS.push({
  name: "bulk re-pin: filter on a property the pack does not know",
  runs: "onprem",
  script: String.raw`Get-SendConnector | Where-Object { $_.AddressSpaces -match '\*' } | Set-SendConnector -TlsCertificateName __W__
`.replace(/__W__/g, WILDCARD_ID).replace(/__H__/g, HYBRID_ID),
  reads: [],
  verdict: [
    "advisory mailflow-inventory -> script",
  ],
});
CORPUS.push({
  name: "bulk re-pin: hybrid connector re-pinned to its dedicated certificate",
  runs: "onprem",
  script: String.raw`Get-SendConnector | Where-Object { $_.Name -like 'Outbound to Office 365*' } | Set-SendConnector -TlsCertificateName __H__ -Fqdn smtpo365.contoso.com
`.replace(/__W__/g, WILDCARD_ID).replace(/__H__/g, HYBRID_ID),
  reads: [
    "send 'Outbound to Office 365 - 6fc3a33e' of ex01.contoso.com: CN=smtpo365.contoso.com",
  ],
  verdict: [
    "advisory mailflow-inventory -> script",
  ],
});
CORPUS.push({
  name: "bulk re-pin with the server list laid out one per line, with comments (seed incident, blocked by R1)",
  runs: "onprem",
  // PowerShell continues a bare-word list after a trailing comma, across comments and lines; the grammar
  // alone stops at EX01 and swallows the certificate name and the next statement.
  script: String.raw`Set-SendConnector -Identity Internet -SourceTransportServers EX01, # the primary
    EX02, <# the DAG partner #>
    EX03 -TlsCertificateName __W__
Set-SendConnector -Identity "Outbound to Office 365 - 6fc3a33e" -TlsCertificateName __W__
`.replace(/__W__/g, WILDCARD_ID).replace(/__H__/g, HYBRID_ID),
  reads: [
    "send 'Outbound to Office 365 - 6fc3a33e' of ex01.contoso.com: CN=*.contoso.com",
    "send 'Internet' of ex01.contoso.com: CN=*.contoso.com",
  ],
  verdict: [
    "mandatory shared-certificate-hybrid-and-internet -> script",
  ],
});
CORPUS.push({
  name: "self-signed renewal: New-ExchangeCertificate, enabled by its thumbprint",
  runs: "onprem",
  script: String.raw`$new = New-ExchangeCertificate -SubjectName "CN=ex01.contoso.com" -DomainName ex01.contoso.com -PrivateKeyExportable $true
Enable-ExchangeCertificate -Thumbprint $new.Thumbprint -Services SMTP -Force
`.replace(/__W__/g, WILDCARD_ID).replace(/__H__/g, HYBRID_ID),
  reads: [
    "certificate 'ex01.contoso.com': self-signed for IMAP, POP, SMTP",
  ],
  verdict: [],
});
CORPUS.push({
  name: "renewal request: New-ExchangeCertificate -GenerateRequest, name pinned on the internet connector",
  runs: "onprem",
  script: String.raw`$req = New-ExchangeCertificate -GenerateRequest -SubjectName "CN=mx01.contoso.com" -DomainName mx01.contoso.com -RequestFile C:\certs\mx01.req
Set-SendConnector Internet -TlsCertificateName "<I>$($req.Issuer)<S>$($req.Subject)"
`.replace(/__W__/g, WILDCARD_ID).replace(/__H__/g, HYBRID_ID),
  reads: [
    "send 'Internet' of ex01.contoso.com: CN=mx01.contoso.com [mx01.contoso.com]",
    "certificate 'mx01.contoso.com': unknown",
  ],
  verdict: [
    "advisory mailflow-inventory -> script",
  ],
});
CORPUS.push({
  name: "Microsoft365DSC configuration: OnPremises inbound connector by the hybrid name",
  runs: "exo",
  script: String.raw`Configuration ContosoExo {
  param([PSCredential]$Credscredential)
  Import-DscResource -ModuleName Microsoft365DSC
  Node localhost {
    EXOInboundConnector "HybridInbound" {
      Identity                 = "Inbound from on-prem (DSC)"
      ConnectorType            = "OnPremises"
      SenderDomains            = @("*")
      RequireTls               = $true
      TlsSenderCertificateName = "smtpo365.contoso.com"
      TenantId                 = "contoso.onmicrosoft.com"
      Ensure                   = "Present"
      Credential               = $Credscredential
    }
  }
}
ContosoExo -ConfigurationData $ConfigurationData
`.replace(/__W__/g, WILDCARD_ID).replace(/__H__/g, HYBRID_ID),
  reads: [
    "inbound 'Inbound from on-prem (DSC)' of contoso.onmicrosoft.com: OnPremises smtpo365.contoso.com",
  ],
  verdict: [],
});
CORPUS.push({
  name: "Microsoft365DSC configuration: wildcard certificate name (blocked)",
  runs: "exo",
  script: String.raw`Configuration ContosoExo {
  Import-DscResource -ModuleName Microsoft365DSC
  Node localhost {
    EXOInboundConnector "HybridInbound" { Identity = "Inbound from on-prem (DSC)"; ConnectorType = "OnPremises"; SenderDomains = @("*"); TlsSenderCertificateName = "*.contoso.com"; TenantId = "contoso.onmicrosoft.com"; Ensure = "Present" }
  }
}
`.replace(/__W__/g, WILDCARD_ID).replace(/__H__/g, HYBRID_ID),
  reads: [
    "inbound 'Inbound from on-prem (DSC)' of contoso.onmicrosoft.com: OnPremises *.contoso.com",
  ],
  verdict: [
    "mandatory internet-identity-matches-onpremises-connector -> script",
    "mandatory wildcard-onpremises-certificate-name -> script",
  ],
});
CORPUS.push({
  name: "lab script: Invoke-Command on the server with a certificate from Get-ExchangeCertificate",
  runs: "onprem",
  script: String.raw`$s = New-PSSession -ConfigurationName Microsoft.Exchange -ConnectionUri http://ex01.contoso.com/PowerShell/
Invoke-Command -Session $s -ScriptBlock {
  param($thumb)
  $c = Get-ExchangeCertificate -Thumbprint $thumb
  $c | Enable-ExchangeCertificate -Services SMTP -Force
} -ArgumentList "0123456789ABCDEF0123456789ABCDEF01234567"
`.replace(/__W__/g, WILDCARD_ID).replace(/__H__/g, HYBRID_ID),
  reads: [
    "certificate 'thumbprint:0123456789ABCDEF0123456789ABCDEF01234567': unknown, names unknown for SMTP",
  ],
  verdict: [],
});

CORPUS.push({
  name: "a client's onboarding connector in a tenant that declares no accepted domains: the name cannot be checked, and that is said",
  runs: "exo",
  script: String.raw`Connect-ExchangeOnline -AppId $env:EXO_APP_ID -CertificateFilePath $env:EXO_CERT_PATH -Organization fabrikam.onmicrosoft.com -ShowBanner:$false
New-InboundConnector -Name "Inbound from Fabrikam on-prem" -ConnectorType OnPremises -SenderDomains * -RequireTls $true -TlsSenderCertificateName mail.fabrikam.com
`,
  reads: ["inbound 'Inbound from Fabrikam on-prem' of fabrikam.onmicrosoft.com: OnPremises mail.fabrikam.com"],
  // Not blocked (whether mail.fabrikam.com is accepted is not known), and not silent either.
  verdict: ["advisory mailflow-inventory -> script"],
});
