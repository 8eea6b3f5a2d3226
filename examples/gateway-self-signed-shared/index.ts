/**
 * Seed incident 000, third part: a third-party centralized gateway (NoSpamProxy-style) with two send
 * connectors — an "Internet Connector" (address space *, MX lookup) and an "Office 365 Connector"
 * (contoso.mail.onmicrosoft.com via contoso-com.mail.protection.outlook.com) — both presenting the
 * same self-signed certificate; the Exchange Online inbound connector trusts that certificate's name.
 * Exchange Online cannot tell own-tenant mail from mail for other tenants: mail to other tenants is
 * silently discarded. Variant "fixed": a publicly trusted, dedicated certificate per connector.
 */
import * as pulumi from "@pulumi/pulumi";
import * as mailflow from "mailflow-guard/sdk";

const fixed = (new pulumi.Config().get("variant") ?? "incident") === "fixed";
const tenant = "contoso.onmicrosoft.com";
const hybridName = fixed ? "smtpo365.contoso.com" : "gw01.contoso.com";

const tenantFacts = new mailflow.Tenant("contoso-tenant", { initialDomain: tenant, acceptedDomains: ["contoso.com", hybridName] });

// Runs first on `pulumi up`: the outbound connector from Exchange Online to the gateway.
const outbound = mailflow.exchangeOnlineCommand("contoso-exo-outbound", {
  organization: tenant,
  script: mailflow.newOutboundConnector({
    name: "To gateway",
    connectorType: "OnPremises",
    recipientDomains: ["contoso.com"],
    smartHosts: ["gw01.contoso.com"],
    useMxRecord: false,
    tlsSettings: "DomainValidation",
    tlsDomain: hybridName,
  }),
}, { dependsOn: [tenantFacts] });

const certificates = fixed
  ? [
      new mailflow.Certificate("gateway-internet-certificate", { subject: "CN=mx.contoso.com", dnsNames: ["mx.contoso.com"], issuer: "CN=R11, O=Let's Encrypt, C=US", trust: "public" }, { dependsOn: [outbound] }),
      new mailflow.Certificate("gateway-office365-certificate", { subject: `CN=${hybridName}`, dnsNames: [hybridName], issuer: "CN=GeoTrust TLS RSA CA G1, O=DigiCert Inc, C=US", trust: "public" }, { dependsOn: [outbound] }),
    ]
  : [new mailflow.Certificate("gateway-certificate", { subject: "CN=gw01.contoso.com", dnsNames: ["gw01.contoso.com"], trust: "self-signed" }, { dependsOn: [outbound] })];

const gateway = new mailflow.Gateway("gateway", {
  name: "contoso-gateway",
  servers: ["gw01.contoso.com"],
  egressIps: ["203.0.113.10"],
  domains: ["contoso.com"],
  connectors: [
    { name: "Internet Connector", addressSpaces: ["*"], dnsRouting: true, certificate: fixed ? "gateway-internet-certificate" : "gateway-certificate" },
    {
      name: "Office 365 Connector",
      addressSpaces: ["contoso.mail.onmicrosoft.com", "contoso.onmicrosoft.com"],
      smartHosts: ["contoso-com.mail.protection.outlook.com"],
      certificate: fixed ? "gateway-office365-certificate" : "gateway-certificate",
    },
  ],
}, { dependsOn: certificates });

// The inbound connector secured by the gateway's certificate name.
mailflow.exchangeOnlineCommand("contoso-exo-inbound", {
  organization: tenant,
  script: mailflow.newInboundConnector({ name: "From gateway", connectorType: "OnPremises", senderDomains: ["*"], requireTls: true, tlsSenderCertificateName: hybridName }),
}, { dependsOn: [gateway] });
