/**
 * Values that are unknown until deploy. The first command interpolates another resource's output into
 * its script, so the whole script is unknown in preview: the pack cannot verify it and says so, naming
 * the resource and the value (an advisory; it is checked again at `pulumi up`). The second passes the
 * unknown value through `environment`, so the script stays analysable and only that value is reported.
 */
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import * as mailflow from "mailflow-guard/sdk";

// Stands in for any output known only after deployment (a certificate's name from a CA, a VM's host).
const issued = new command.local.Command("issued-name", { create: "echo smtpo365.contoso.com" });

new command.local.Command("interpolated-script", {
  interpreter: mailflow.POWERSHELL,
  create: pulumi.interpolate`Set-InboundConnector -Identity 'Inbound from 6fc3' -TlsSenderCertificateName ${issued.stdout}`,
});

new command.local.Command("environment-script", {
  interpreter: mailflow.POWERSHELL,
  create: mailflow.exchangeOnlineScript([
    mailflow.connectExchangeOnline({ organization: "contoso.onmicrosoft.com" }),
    mailflow.newInboundConnector({ name: "Inbound from 6fc3", connectorType: "OnPremises", senderDomains: ["*"], requireTls: true, tlsSenderCertificateName: "smtpo365.contoso.com" }),
    `New-InboundConnector -Name 'Partner relay' -ConnectorType Partner -SenderDomains fabrikam.com -RequireTls $true -TlsSenderCertificateName $env:ISSUED_NAME`,
  ]),
  environment: { ISSUED_NAME: issued.stdout },
});
