/**
 * Seed incident 000, part one: a managed service provider (Varunagroup, varunagroup.de) runs its own
 * hybrid Exchange organisation with centralized mail flow, and a two-node mail gateway (mx01/mx02)
 * that relays internet mail for its own organisation and for hosted clients (Setebos AG). The Hybrid
 * Configuration Wizard wrote TlsSenderCertificateName *.varunagroup.de on the Exchange Online inbound
 * connector; the gateway presents mx01.varunagroup.de. Variant "fixed": dedicated hybrid name.
 */
import * as pulumi from "@pulumi/pulumi";
import * as mailflow from "mailflow-guard/sdk";

const variant = new pulumi.Config().get("variant") ?? "incident";
const fixed = variant === "fixed";
const tenant = "varunagroup.onmicrosoft.com";
const hybridName = "smtpo365.varunagroup.de";
const digicert = "CN=GeoTrust TLS RSA CA G1, O=DigiCert Inc, C=US";

const tenantFacts = new mailflow.Tenant("varunagroup-tenant", {
  initialDomain: tenant,
  // The fix adds the exact hybrid host name as an accepted domain (FAQ #6(b) step 2).
  acceptedDomains: fixed ? ["varunagroup.de", hybridName] : ["varunagroup.de"],
});
const varunaOrg = new mailflow.Organization("varunagroup-org", { name: "varunagroup", domains: ["varunagroup.de"], tenant, servers: ["ex01.varunagroup.de"] });
const setebosOrg = new mailflow.Organization("setebos-org", { name: "setebos-ag", domains: ["setebos-ag.com"], servers: ["ex01.setebos-ag.com"] });

// The Edge hybrid certificate: public CA, only the hybrid name.
const edgeCertificate = new mailflow.Certificate("edge-hybrid-certificate", {
  subject: `CN=${hybridName}`,
  dnsNames: [hybridName],
  issuer: digicert,
  trust: "public",
  servers: ["edge01.varunagroup.de"],
  organization: "ex01.varunagroup.de",
});

// Facts first: connectors are declared after what they depend on, so the pack sees the whole picture
// when it checks each connector (and a conflict is reported on the connector that completes it).
const facts = [tenantFacts, varunaOrg, setebosOrg, edgeCertificate];

// On-premises Exchange (Exchange Management Shell over SSH): hybrid connector pinned to the Edge
// certificate, internet mail smart-hosted to the gateway.
const connection = { host: "ex01.varunagroup.de", user: "svc-exchange", privateKey: new pulumi.Config().getSecret("sshKey") };
const varunaSend = mailflow.onPremisesCommand("varunagroup-send-connectors", {
  connection,
  script: [
    mailflow.newSendConnector({
      name: "Outbound to Office 365 - 6fc3a33e-3ca2-4528-8e3c-75e5d4e9db76",
      addressSpaces: ["varunagroup.mail.onmicrosoft.com", "varunagroup.onmicrosoft.com"],
      cloudServicesMailEnabled: true,
      requireTls: true,
      tlsAuthLevel: "DomainValidation",
      tlsDomain: "mail.protection.outlook.com",
      fqdn: hybridName,
      tlsCertificateName: { issuer: digicert, subject: `CN=${hybridName}` },
    }),
    mailflow.newSendConnector({ name: "Internet via gateway", internet: true, addressSpaces: ["*"], dnsRoutingEnabled: false, smartHosts: ["mx01.varunagroup.de", "mx02.varunagroup.de"] }),
  ].join("\n"),
}, { dependsOn: facts });

// A hosted client's own Exchange organisation also sends internet mail through the provider's gateway.
const setebosSend = mailflow.onPremisesCommand("setebos-send-connector", {
  connection: { host: "ex01.setebos-ag.com", user: "svc-exchange", privateKey: new pulumi.Config().getSecret("sshKey") },
  script: mailflow.newSendConnector({ name: "Internet via provider gateway", internet: true, addressSpaces: ["*"], dnsRoutingEnabled: false, smartHosts: ["mx01.varunagroup.de", "mx02.varunagroup.de"] }),
}, { dependsOn: facts });

// The gateway: NoSpamProxy-style, two nodes, one certificate for its internet connector.
const gateway = new mailflow.Gateway("mail-gateway", {
  name: "varuna-gateway",
  servers: ["mx01.varunagroup.de", "mx02.varunagroup.de"],
  egressIps: ["81.173.212.44"],
  relaysFor: ["varunagroup", "setebos-ag"],
  connectors: [
    {
      name: "Internet (mx01/mx02)",
      addressSpaces: ["*"],
      dnsRouting: true,
      certificate: { subject: "CN=mx01.varunagroup.de", dnsNames: ["mx01.varunagroup.de", "mx02.varunagroup.de"], issuer: "CN=R11, O=Let's Encrypt, C=US", trust: "public" },
    },
  ],
});

// Exchange Online: the HCW-style inbound connector, created last in the program.
mailflow.exchangeOnlineCommand("varunagroup-exo-inbound", {
  organization: tenant,
  script: mailflow.newInboundConnector({
    name: "Inbound from 6fc3a33e-3ca2-4528-8e3c-75e5d4e9db76",
    connectorType: "OnPremises",
    connectorSource: "HybridWizard",
    senderDomains: ["smtp:*;1"],
    requireTls: true,
    cloudServicesMailEnabled: true,
    tlsSenderCertificateName: fixed ? hybridName : "*.varunagroup.de",
  }),
}, { dependsOn: [...facts, gateway, varunaSend, setebosSend] });
