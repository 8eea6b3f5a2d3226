/**
 * Certificate rotation, the way shared hybrid/internet certificates really arrive (issue 16): the
 * stack of examples/dedicated-hybrid (a dedicated hybrid certificate smtpo365.contoso.com on the hybrid
 * Send connector, mx01.contoso.com on the internet one), plus the renewal hook a platform team wraps in
 * a command. `pulumi config set variant incident` (default): the hook enables the renewed wildcard
 * certificate and re-pins it on every Send connector (`Get-SendConnector | Set-SendConnector`) — the
 * hybrid and the internet connector now present one certificate (R1, blocked before it runs).
 * `variant fixed`: the hook renews the dedicated hybrid certificate and re-pins only the hybrid
 * connector.
 */
import * as pulumi from "@pulumi/pulumi";
import * as mailflow from "mailflow-guard/sdk";

const fixed = (new pulumi.Config().get("variant") ?? "incident") === "fixed";
const tenant = "contoso.onmicrosoft.com";
const digicert = "CN=GeoTrust TLS RSA CA G1, O=DigiCert Inc, C=US";
const hybrid = { issuer: digicert, subject: "CN=smtpo365.contoso.com" };
const internet = { issuer: "CN=R11, O=Let's Encrypt, C=US", subject: "CN=mx01.contoso.com" };
const sshKey = new pulumi.Config().getSecret("sshKey");

const facts: pulumi.Resource[] = [];
facts.push(new mailflow.Tenant("contoso-tenant", { initialDomain: tenant, acceptedDomains: ["contoso.com", "smtpo365.contoso.com"] }));
facts.push(new mailflow.Organization("contoso-org", { name: "contoso", servers: ["ex01.contoso.com"], domains: ["contoso.com"], tenant, egressIps: ["198.51.100.25"] }));
facts.push(new mailflow.Certificate("hybrid-certificate", { subject: hybrid.subject, dnsNames: ["smtpo365.contoso.com"], issuer: digicert, trust: "public", organization: "contoso", thumbprint: "1111111111111111111111111111111111111111" }));
facts.push(new mailflow.Certificate("internet-certificate", { subject: internet.subject, dnsNames: ["mx01.contoso.com"], issuer: internet.issuer, trust: "public", organization: "contoso" }));
// The renewed certificates the ACME client delivers: a wildcard, and the dedicated hybrid one.
facts.push(new mailflow.Certificate("renewed-wildcard", { subject: "CN=*.contoso.com", dnsNames: ["*.contoso.com", "contoso.com"], issuer: digicert, trust: "public", organization: "contoso", thumbprint: "2222222222222222222222222222222222222222" }));

const onPremises = mailflow.onPremisesCommand("contoso-on-premises", {
  connection: { host: "ex01.contoso.com", user: "svc-exchange", privateKey: sshKey },
  script: [
    mailflow.newSendConnector({
      name: "Outbound to Office 365 - 6fc3a33e-3ca2-4528-8e3c-75e5d4e9db76",
      addressSpaces: ["contoso.mail.onmicrosoft.com", "contoso.onmicrosoft.com"],
      cloudServicesMailEnabled: true,
      requireTls: true,
      tlsAuthLevel: "DomainValidation",
      tlsDomain: "mail.protection.outlook.com",
      fqdn: "smtpo365.contoso.com",
      tlsCertificateName: hybrid,
      sourceTransportServers: ["EX01"],
    }),
    mailflow.newSendConnector({ name: "Internet", internet: true, addressSpaces: ["*"], dnsRoutingEnabled: true, fqdn: "mx01.contoso.com", tlsCertificateName: internet }),
    mailflow.setHybridConfiguration({ tlsCertificateName: hybrid }),
  ].join("\n"),
}, { dependsOn: facts });

const exoConnectors = mailflow.exchangeOnlineCommand("contoso-exo-connectors", {
  organization: tenant,
  script: [
    mailflow.newInboundConnector({
      name: "Inbound from 6fc3a33e-3ca2-4528-8e3c-75e5d4e9db76",
      connectorType: "OnPremises",
      connectorSource: "HybridWizard",
      senderDomains: ["smtp:*;1"],
      requireTls: true,
      cloudServicesMailEnabled: true,
      tlsSenderCertificateName: "smtpo365.contoso.com",
    }),
    mailflow.newOutboundConnector({
      name: "Outbound to 6fc3a33e-3ca2-4528-8e3c-75e5d4e9db76",
      connectorType: "OnPremises",
      recipientDomains: ["contoso.com"],
      smartHosts: ["smtpo365.contoso.com"],
      useMxRecord: false,
      tlsSettings: "DomainValidation",
      tlsDomain: "smtpo365.contoso.com",
      cloudServicesMailEnabled: true,
    }),
  ].join("\n"),
}, { dependsOn: [onPremises] });

// The renewal hook (win-acme / Posh-ACME style), as written by hand.
const incidentHook = `param([string]$NewCertThumbprint = "2222222222222222222222222222222222222222")
$cert = Get-ExchangeCertificate -Thumbprint $NewCertThumbprint
$cert | Enable-ExchangeCertificate -Services SMTP, IIS -Force
Get-SendConnector | Set-SendConnector -TlsCertificateName "<I>${digicert}<S>CN=*.contoso.com"
`;
const fixedHook = `param([string]$NewCertThumbprint = "1111111111111111111111111111111111111111")
$cert = Get-ExchangeCertificate -Thumbprint $NewCertThumbprint
$cert | Enable-ExchangeCertificate -Services SMTP -Force
Get-SendConnector | Where-Object { $_.Name -like 'Outbound to Office 365*' } | Set-SendConnector -TlsCertificateName "<I>${digicert}<S>CN=smtpo365.contoso.com"
`;
mailflow.onPremisesCommand("certificate-rotation", {
  connection: { host: "ex01.contoso.com", user: "svc-exchange", privateKey: sshKey },
  script: fixed ? fixedHook : incidentHook,
  // The hook runs on the connectors the stack made: last, so the engine's order is fixed.
}, { dependsOn: [onPremises, exoConnectors] });
