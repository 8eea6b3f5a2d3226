/**
 * Issue 23: a cmdlet run through a wrapper that names it as text, and Microsoft365DSC resources inside
 * `Configuration X { Node localhost { … } }`, are read as the cmdlet they run; what cannot be read is
 * named on its line.
 *   CIPP's wrappers: github.com/KelvinTegelaar/CIPP-API, Modules/CIPPCore/Public/GraphHelper/New-ExoRequest.ps1
 *   Microsoft365DSC EXOInboundConnector: https://microsoft365dsc.com/resources/exchange/EXOInboundConnector/
 *   DSC configurations: https://learn.microsoft.com/powershell/dsc/configurations/configurations
 */
import { beforeAll, describe, expect, it } from "vitest";
import { loadExtractors } from "../../src/extractors";
import { commandExtractor } from "../../src/extractors/command";
import { m365dscFacts } from "../../src/extractors/exports/m365dsc";
import type { Fact } from "../../src/model/facts";
import { resourceInput } from "./support/resources";
import { exo } from "./support/stack";
import { unaccountedNames } from "./support/textual-guarantee";

beforeAll(loadExtractors);

const facts = (script: string): Fact[] => {
  const r = exo("r", script);
  return commandExtractor.extract(resourceInput(r.type, r.props, r.name));
};
const connectors = (fs: Fact[]) => fs.flatMap((f) => (f.kind === "inbound-connector" ? [`${f.identity}@${f.tenant} ${String(f.fields.connectorType)} ${String(f.fields.tlsSenderCertificateName)}`] : []));
const advisories = (fs: Fact[]) => fs.flatMap((f) => (f.kind === "unverifiable" ? [`${f.item.provenance.line}: ${f.item.property}: ${f.item.reason}`] : []));

describe("wrappers that name the cmdlet as text", () => {
  it("New-ExoRequest with a literal cmdlet and table is that cmdlet, on its -tenantid", () => {
    const script = `New-ExoRequest -tenantid 'fabrikam.onmicrosoft.com' -cmdlet 'New-InboundConnector' -cmdParams @{ Name = 'Inbound from hcw'; ConnectorType = 'OnPremises'; TlsSenderCertificateName = '*.fabrikam.com' }`;
    expect(connectors(facts(script))).toEqual(["Inbound from hcw@fabrikam.onmicrosoft.com OnPremises *.fabrikam.com"]);
    expect(advisories(facts(script))).toEqual([]);
    expect(unaccountedNames(exo("r", script))).toEqual([]);
  });
  it("New-ExoBulkRequest's requests, each its cmdlet", () => {
    const script = `$requests = @(@{ CmdletInput = @{ CmdletName = 'New-InboundConnector'; Parameters = @{ Name = 'a'; ConnectorType = 'OnPremises'; TlsSenderCertificateName = '*.fabrikam.com' } } }, @{ CmdletInput = @{ CmdletName = 'Get-Mailbox'; Parameters = @{} } })\nNew-ExoBulkRequest -tenantid fabrikam.onmicrosoft.com -cmdletArray $requests`;
    expect(connectors(facts(script))).toEqual(["a@fabrikam.onmicrosoft.com OnPremises *.fabrikam.com"]);
  });
  it("a cmdlet name built at run time is named on its line", () => {
    const fs = facts(`$type = $Request.Body.Type\nNew-ExoRequest -tenantid $t -cmdlet "New-$($type)Connector" -cmdParams $RequestParams`);
    expect(advisories(fs).filter((a) => a.startsWith("2: New-ExoRequest: not read: the cmdlet it runs is only known when the script runs"))).toHaveLength(1);
  });
  it("a cmdlet named as text to any other command is named", () => {
    expect(advisories(facts(`Invoke-TenantCommand -Name 'Set-InboundConnector' -Arguments @{ Identity = 'x' }`))).toEqual([
      "1: Set-InboundConnector: named inside a string, which the pack does not run: if the script runs that text (a nested shell, Start-Process, a job), the pack cannot see what it does",
    ]);
  });
});

const DSC_EXPORT = `Configuration M365TenantConfig
{
    param ([System.Management.Automation.PSCredential] $Credential)
    Import-DscResource -ModuleName 'Microsoft365DSC'
    Node localhost
    {
        EXOInboundConnector "EXOInboundConnector-Inbound from hcw"
        {
            ConnectorType            = "OnPremises";
            Credential               = $Credential;
            Ensure                   = "Present";
            Identity                 = "Inbound from hcw";
            TlsSenderCertificateName = "*.contoso.com";
        }
    }
}`;
const DSC_BY_HAND = `Configuration Hybrid {
  Import-DscResource -ModuleName Microsoft365DSC
  Node localhost {
    EXOInboundConnector Inbound {
      Identity = 'Inbound from hcw'
      ConnectorType = 'OnPremises'
      TlsSenderCertificateName = '*.contoso.com'
      Ensure = 'Present'
    }
  }
}`;

describe("Microsoft365DSC resources inside Configuration and Node", () => {
  it.each([
    ["as an export writes them (each { on its own line)", DSC_EXPORT],
    ["as written by hand (each { on the keyword's line)", DSC_BY_HAND],
  ])("%s: read from a command resource and from an export file", (_name, text) => {
    expect(connectors(facts(text)).map((c) => c.replace(/@.*? /, " "))).toEqual(["Inbound from hcw OnPremises *.contoso.com"]);
    expect(unaccountedNames(exo("r", text))).toEqual([]);
    const problems: Array<{ file: string; place: string; problem: string }> = [];
    const exported = m365dscFacts("M365TenantConfig.ps1", text, { tenant: "contoso.onmicrosoft.com" }, problems);
    expect(problems).toEqual([]);
    expect(exported.flatMap((f) => (f.kind === "inbound-connector" ? [`${f.identity} ${String(f.fields.tlsSenderCertificateName)}`] : []))).toEqual(["Inbound from hcw *.contoso.com"]);
  });
});
