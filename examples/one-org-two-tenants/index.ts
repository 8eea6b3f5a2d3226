/**
 * MC1226222: one on-premises Exchange organisation serving two Exchange Online tenants. With one
 * certificate and the same TlsSenderCertificateName in both tenants, Exchange Online's choice of
 * tenant depends on tie-breaking and MAIL FROM fallbacks. Variant "fixed": a unique client
 * certificate and a separate Send connector per tenant, each name an accepted domain of its tenant.
 */
import * as pulumi from "@pulumi/pulumi";
import * as mailflow from "mailflow-guard/sdk";

const fixed = (new pulumi.Config().get("variant") ?? "incident") === "fixed";
const digicert = "CN=GeoTrust TLS RSA CA G1, O=DigiCert Inc, C=US";
const tenants = [
  { key: "contoso", initialDomain: "contoso.onmicrosoft.com", domain: "contoso.com" },
  { key: "fabrikam", initialDomain: "fabrikam.onmicrosoft.com", domain: "fabrikam.com" },
];
const hybridName = (t: (typeof tenants)[number]) => (fixed ? `hybrid.${t.domain}` : "hybrid.corp.example");

const facts: pulumi.Resource[] = [];
facts.push(new mailflow.Organization("corp-org", { name: "corp", servers: ["ex01.corp.example"], domains: ["contoso.com", "fabrikam.com"] }));

for (const t of tenants) {
  facts.push(new mailflow.Tenant(`${t.key}-tenant`, {
    initialDomain: t.initialDomain,
    // The shared name can be verified in one tenant only.
    acceptedDomains: [t.domain, ...(fixed || t.key === "contoso" ? [hybridName(t)] : [])],
    // Every accepted domain is listed: "not an accepted domain" is then known on the connector itself.
    acceptedDomainsComplete: true,
  }));
  if (fixed || t.key === "contoso") {
    facts.push(new mailflow.Certificate(`${t.key}-hybrid-certificate`, { subject: `CN=${hybridName(t)}`, dnsNames: [hybridName(t)], issuer: digicert, trust: "public", organization: "corp" }));
  }
}

const onPremises = mailflow.onPremisesCommand("corp-send-connectors", {
  connection: { host: "ex01.corp.example", user: "svc-exchange", privateKey: new pulumi.Config().getSecret("sshKey") },
  script: tenants
    .map((t) =>
      mailflow.newSendConnector({
        name: `Hybrid to ${t.key}`,
        addressSpaces: [t.initialDomain.replace(".onmicrosoft.com", ".mail.onmicrosoft.com"), t.initialDomain],
        cloudServicesMailEnabled: true,
        requireTls: true,
        tlsAuthLevel: "DomainValidation",
        tlsDomain: "mail.protection.outlook.com",
        fqdn: hybridName(t),
        tlsCertificateName: { issuer: digicert, subject: `CN=${hybridName(t)}` },
      }),
    )
    .join("\n"),
}, { dependsOn: facts });

let previous: pulumi.Resource = onPremises;
for (const t of tenants) {
  previous = mailflow.exchangeOnlineCommand(`${t.key}-exo-inbound`, {
    organization: t.initialDomain,
    script: mailflow.newInboundConnector({
      name: "Inbound from corp",
      connectorType: "OnPremises",
      connectorSource: "HybridWizard",
      senderDomains: ["smtp:*;1"],
      requireTls: true,
      cloudServicesMailEnabled: true,
      tlsSenderCertificateName: hybridName(t),
    }),
  }, { dependsOn: [previous] });
}
