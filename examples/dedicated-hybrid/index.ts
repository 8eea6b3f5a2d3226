/**
 * A correct hybrid set-up that passes with no finding at all: a dedicated, publicly trusted hybrid
 * certificate (smtpo365.contoso.com) pinned on the hybrid Send connector, in the hybrid configuration
 * and as the exact TlsSenderCertificateName (an accepted domain); the internet connector on its own
 * certificate (mx01.contoso.com); a Partner connector that locks inbound mail to the MX path.
 */
import * as pulumi from "@pulumi/pulumi";
import * as mailflow from "mailflow-guard/sdk";

const tenant = "contoso.onmicrosoft.com";
const digicert = "CN=GeoTrust TLS RSA CA G1, O=DigiCert Inc, C=US";
const hybrid = { issuer: digicert, subject: "CN=smtpo365.contoso.com" };
const internet = { issuer: "CN=R11, O=Let's Encrypt, C=US", subject: "CN=mx01.contoso.com" };

const facts: pulumi.Resource[] = [];
facts.push(new mailflow.Tenant("contoso-tenant", { initialDomain: tenant, acceptedDomains: ["contoso.com", "smtpo365.contoso.com"] }));
facts.push(new mailflow.Organization("contoso-org", { name: "contoso", servers: ["ex01.contoso.com"], domains: ["contoso.com"], tenant, egressIps: ["198.51.100.25"] }));
facts.push(new mailflow.Certificate("hybrid-certificate", { subject: hybrid.subject, dnsNames: ["smtpo365.contoso.com"], issuer: digicert, trust: "public", organization: "contoso" }));
facts.push(new mailflow.Certificate("internet-certificate", { subject: internet.subject, dnsNames: ["mx01.contoso.com"], issuer: internet.issuer, trust: "public", organization: "contoso" }));

const onPremises = mailflow.onPremisesCommand("contoso-on-premises", {
  connection: { host: "ex01.contoso.com", user: "svc-exchange", privateKey: new pulumi.Config().getSecret("sshKey") },
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

mailflow.exchangeOnlineCommand("contoso-exo-connectors", {
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
    mailflow.newInboundConnector({
      name: "Only via MX",
      connectorType: "Partner",
      senderDomains: ["*"],
      restrictDomainsToCertificate: true,
      requireTls: true,
      tlsSenderCertificateName: "mx01.contoso.com",
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
