/**
 * The SDK's command helpers, as a Pulumi program declares them (the engine mocked): both take the same
 * names — `script`, `update`, `delete`, `environment` — and put what they need before each script
 * (Exchange Online's connection and stop-on-error), so a fix can say how a deployed connector changes
 * (`update`: a New-* run again would fail on a connector that exists) and how it goes (`delete`).
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { exchangeOnlineCommand, onPremisesCommand, removeInboundConnector, setInboundConnector } from "../../src/sdk/scripts";

const declared: Array<{ type: string; name: string; inputs: Record<string, unknown> }> = [];

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        declared.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: () => ({}),
    },
    "mailflow",
    "test",
    true,
  );
});

const inputsOf = async (name: string): Promise<Record<string, unknown>> => {
  for (let i = 0; i < 50 && !declared.some((d) => d.name === name); i++) await new Promise((r) => setTimeout(r, 10));
  return declared.find((d) => d.name === name)!.inputs;
};

describe("command helpers", () => {
  it("Exchange Online: script, update and delete each run after the connection, stopping at the first error", async () => {
    exchangeOnlineCommand("inbound", {
      organization: "contoso.onmicrosoft.com",
      script: "New-InboundConnector -Name 'In' -ConnectorType OnPremises -SenderDomains *",
      update: setInboundConnector({ identity: "In", tlsSenderCertificateName: "smtpo365.contoso.com" }),
      delete: removeInboundConnector({ identity: "In" }),
      environment: { EXO_APP_ID: "app" },
    });
    const inputs = await inputsOf("inbound");
    const preamble = "$ErrorActionPreference = 'Stop'\nConnect-ExchangeOnline -AppId $env:EXO_APP_ID -CertificateFilePath $env:EXO_CERT_PATH -Organization 'contoso.onmicrosoft.com' -ShowBanner:$false\n";
    expect({ create: inputs.create, update: inputs.update, delete: inputs.delete, environment: inputs.environment }).toEqual({
      create: `${preamble}New-InboundConnector -Name 'In' -ConnectorType OnPremises -SenderDomains *`,
      update: `${preamble}Set-InboundConnector -Identity 'In' -TlsSenderCertificateName 'smtpo365.contoso.com'`,
      delete: `${preamble}Remove-InboundConnector -Identity 'In' -Confirm:$false`,
      environment: { EXO_APP_ID: "app" },
    });
  });

  it("on premises: the same names; a script may be an Output", async () => {
    onPremisesCommand("hybrid", { connection: { host: "ex01.contoso.com", user: "svc" }, script: pulumi.output("Set-SendConnector -Identity 'Hybrid' -Fqdn 'smtp.contoso.com'"), delete: "Remove-SendConnector -Identity 'Hybrid' -Confirm:$false" });
    const inputs = await inputsOf("hybrid");
    expect({ create: inputs.create, delete: inputs.delete, update: inputs.update }).toEqual({ create: "Set-SendConnector -Identity 'Hybrid' -Fqdn 'smtp.contoso.com'", delete: "Remove-SendConnector -Identity 'Hybrid' -Confirm:$false", update: undefined });
  });
});
