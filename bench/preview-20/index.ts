/**
 * A clean 20-resource program for the preview benchmark (scripts/bench-preview.ts): one tenant
 * descriptor and 19 Exchange Online commands, each creating a Partner outbound connector.
 */
import * as mailflow from "../../src/sdk";

const tenant = "contoso.onmicrosoft.com";
const facts = [new mailflow.Tenant("contoso-tenant", { initialDomain: tenant, acceptedDomains: ["contoso.com"] })];

for (let i = 1; i <= 19; i++) {
  mailflow.exchangeOnlineCommand(`partner-${i}-outbound`, {
    organization: tenant,
    script: mailflow.newOutboundConnector({
      name: `To partner ${i}`,
      connectorType: "Partner",
      recipientDomains: [`partner${i}.example`],
      useMxRecord: true,
      tlsSettings: "DomainValidation",
      tlsDomain: `mail.partner${i}.example`,
    }),
  }, { dependsOn: facts });
}
