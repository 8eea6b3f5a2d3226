/**
 * Seed incident 003: an Exchange hybrid organisation (msxfaq.de) and its own spam filter, which sends
 * all internet mail, share one wildcard certificate (*.msxfaq.de). Mail to a recipient in another
 * Exchange Online tenant (uclabor.de) is attributed to the own tenant, relayed, and bounces.
 * Variant "fixed": a dedicated hybrid certificate with its own name; the spam filter keeps its own.
 */
import * as pulumi from "@pulumi/pulumi";
import * as mailflow from "mailflow-guard/sdk";

const fixed = (new pulumi.Config().get("variant") ?? "incident") === "fixed";
const tenant = "msxfaq.onmicrosoft.com";
const digicert = "CN=GeoTrust TLS RSA CA G1, O=DigiCert Inc, C=US";
const hybridCn = fixed ? "hybrid.msxfaq.de" : "*.msxfaq.de";

const tenantFacts = new mailflow.Tenant("msxfaq-tenant", { initialDomain: tenant, acceptedDomains: fixed ? ["msxfaq.de", "hybrid.msxfaq.de"] : ["msxfaq.de"] });
const org = new mailflow.Organization("msxfaq-org", { name: "msxfaq", domains: ["msxfaq.de"], tenant, servers: ["ex01.msxfaq.de"] });

const certificate = new mailflow.Certificate(fixed ? "hybrid-certificate" : "wildcard-certificate", {
  subject: `CN=${hybridCn}`,
  dnsNames: [hybridCn],
  issuer: digicert,
  trust: "public",
  organization: "msxfaq",
});

// On-premises Exchange: hybrid connector pinned to the certificate; internet mail via the spam filter.
const facts = [tenantFacts, org, certificate];
const onPremises = mailflow.onPremisesCommand("msxfaq-send-connectors", {
  connection: { host: "ex01.msxfaq.de", user: "svc-exchange", privateKey: new pulumi.Config().getSecret("sshKey") },
  script: [
    mailflow.newSendConnector({
      name: "Outbound to Office 365 - 2f1a0c4e",
      addressSpaces: ["msxfaq.mail.onmicrosoft.com", "msxfaq.onmicrosoft.com"],
      cloudServicesMailEnabled: true,
      requireTls: true,
      tlsAuthLevel: "DomainValidation",
      tlsDomain: "mail.protection.outlook.com",
      fqdn: fixed ? "hybrid.msxfaq.de" : "ex01.msxfaq.de",
      tlsCertificateName: { issuer: digicert, subject: `CN=${hybridCn}` },
    }),
    mailflow.newSendConnector({ name: "Internet via spam filter", internet: true, addressSpaces: ["*"], dnsRoutingEnabled: false, smartHosts: ["spamfilter.msxfaq.de"] }),
  ].join("\n"),
}, { dependsOn: facts });

// The spam filter delivers to the internet by MX, presenting the same wildcard certificate.
const spamFilter = new mailflow.Gateway("spam-filter", {
  name: "msxfaq-spamfilter",
  servers: ["spamfilter.msxfaq.de"],
  relaysFor: ["msxfaq"],
  connectors: [
    {
      name: "Internet",
      addressSpaces: ["*"],
      dnsRouting: true,
      certificate: fixed
        ? { subject: "CN=mail.msxfaq.de", dnsNames: ["mail.msxfaq.de"], issuer: "CN=R11, O=Let's Encrypt, C=US", trust: "public" }
        : "wildcard-certificate",
    },
  ],
}, { dependsOn: [onPremises] });

mailflow.exchangeOnlineCommand("msxfaq-exo-inbound", {
  organization: tenant,
  script: mailflow.newInboundConnector({
    name: "Inbound from 2f1a0c4e",
    connectorType: "OnPremises",
    connectorSource: "HybridWizard",
    senderDomains: ["smtp:*;1"],
    requireTls: true,
    cloudServicesMailEnabled: true,
    tlsSenderCertificateName: fixed ? "hybrid.msxfaq.de" : "*.msxfaq.de",
  }),
}, { dependsOn: [spamFilter] });
