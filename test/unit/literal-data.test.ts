/**
 * Issue 23: values scripts keep in literal data are evaluated as PowerShell evaluates them. Each
 * spelling below keeps the same wildcard OnPremises connector in data and must read exactly as the
 * plain call does; what is not known stays unknown and is named.
 *   about_Hash_Tables: https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_hash_tables
 *   about_Foreach: https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_foreach
 *   about_Splatting: https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_splatting
 *   about_Member-Access_Enumeration: https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_member-access_enumeration
 *   ConvertFrom-Json: https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/convertfrom-json
 */
import { beforeAll, describe, expect, it } from "vitest";
import { loadExtractors } from "../../src/extractors";
import { commandExtractor } from "../../src/extractors/command";
import { resourceInput } from "./support/resources";
import { exo } from "./support/stack";
import { unaccountedNames } from "./support/textual-guarantee";

beforeAll(loadExtractors);

/** Inbound connectors as `name type certificate`, and the advisories' reasons. */
function read(script: string): { connectors: string[]; advisories: string[] } {
  const r = exo("r", script);
  const facts = commandExtractor.extract(resourceInput(r.type, r.props, r.name));
  return {
    connectors: facts.flatMap((f) => (f.kind === "inbound-connector" ? [`${f.identity} ${String(f.fields.connectorType)} ${String(f.fields.tlsSenderCertificateName)}`] : [])),
    advisories: facts.flatMap((f) => (f.kind === "unverifiable" ? [`${f.item.property}: ${f.item.reason}`] : [])),
  };
}

const PLAIN = "New-InboundConnector -Name 'Inbound from hcw' -ConnectorType OnPremises -TlsSenderCertificateName '*.contoso.com'";
const EXPECTED = { connectors: ["Inbound from hcw OnPremises *.contoso.com"], advisories: [] };

describe("literal data is evaluated as PowerShell evaluates it", () => {
  it("the plain call (the reference)", () => {
    expect(read(PLAIN)).toEqual(EXPECTED);
  });
  it.each([
    ["a hashtable of tables, foreach over .GetEnumerator() with .Key and .Value", `$connectors = @{ 'Inbound from hcw' = @{ Type = 'OnPremises'; Cert = '*.contoso.com' } }\nforeach ($c in $connectors.GetEnumerator()) { New-InboundConnector -Name $c.Key -ConnectorType $c.Value.Type -TlsSenderCertificateName $c.Value.Cert }`],
    ["an ordered table, .Keys and index access", `$connectors = [ordered]@{ 'Inbound from hcw' = @{ type = 'OnPremises'; cert = '*.contoso.com' } }\nforeach ($name in $connectors.Keys) { $c = $connectors[$name]; New-InboundConnector -Name $name -ConnectorType $c['Type'] -TlsSenderCertificateName $c.CERT }`],
    ["member access on a table", `$h = @{ Name = 'Inbound from hcw'; Type = 'OnPremises'; Cert = '*.contoso.com' }\nNew-InboundConnector -Name $h.Name -ConnectorType $h.Type -TlsSenderCertificateName $h.Cert`],
    ["an array of tables through ForEach-Object and $_", `@(@{ Name = 'Inbound from hcw'; Cert = '*.contoso.com' }) | ForEach-Object { New-InboundConnector -Name $_.Name -ConnectorType OnPremises -TlsSenderCertificateName $_.Cert }`],
    ["[pscustomobject] items in a list built with +=", `$list = @()\n$list += [pscustomobject]@{ Name = 'Inbound from hcw'; Cert = '*.contoso.com' }\nforeach ($i in $list) { New-InboundConnector -Name $i.Name -ConnectorType OnPremises -TlsSenderCertificateName $i.Cert }`],
    [".Values and splatting each table", `$all = @{ hcw = @{ Name = 'Inbound from hcw'; ConnectorType = 'OnPremises'; TlsSenderCertificateName = '*.contoso.com' } }\nforeach ($p in $all.Values) { New-InboundConnector @p }`],
    ["splatting a nested table picked by key", `$all = @{ hcw = @{ Name = 'Inbound from hcw'; ConnectorType = 'OnPremises'; TlsSenderCertificateName = '*.contoso.com' } }\n$p = $all['hcw']\nNew-InboundConnector @p`],
    ["a key set after the table was made", `$p = @{ Name = 'Inbound from hcw'; ConnectorType = 'OnPremises' }\n$p.TlsSenderCertificateName = '*.contoso.com'\nNew-InboundConnector @p`],
    // about_Logical_Operators: -not and ! negate; the branch runs as PowerShell runs it.
    ["a branch under -not of a known flag", `$skip = $false\nif (-not $skip) { ${PLAIN} } else { Write-Host skipped }`],
    ["a branch under ! of a known flag", `if (!$true) { Write-Host skipped } else { ${PLAIN} }`],
    ["text joined with +", `$domain = 'contoso.com'\nNew-InboundConnector -Name 'Inbound from hcw' -ConnectorType OnPremises -TlsSenderCertificateName ('*.' + $domain)`],
    ["ConvertFrom-Json of a literal here-string", `$config = @'\n{ "connectors": [ { "name": "Inbound from hcw", "type": "OnPremises", "cert": "*.contoso.com" } ] }\n'@ | ConvertFrom-Json\nforeach ($c in $config.connectors) { New-InboundConnector -Name $c.name -ConnectorType $c.type -TlsSenderCertificateName $c.cert }`],
    ["ConvertFrom-Json -AsHashtable and member enumeration", `$config = ConvertFrom-Json -AsHashtable '[{"Name":"Inbound from hcw","Cert":"*.contoso.com"}]'\nNew-InboundConnector -Name $config.Name -ConnectorType OnPremises -TlsSenderCertificateName $config[-1].Cert`],
  ])("%s", (_name, script) => {
    expect(read(script)).toEqual(EXPECTED);
    expect(unaccountedNames(exo("r", script))).toEqual([]);
  });
});

describe("unknown stays unknown, and is named", () => {
  it("a table built from a value only known at run time", () => {
    const out = read(`$h = @{ Cert = (Get-Content cert.txt) }\nNew-InboundConnector -Name x -ConnectorType OnPremises -TlsSenderCertificateName $h.Cert`);
    expect(out.connectors).toEqual(["x OnPremises undefined"]);
    expect(out.advisories.join("\n")).toContain("TlsSenderCertificateName");
  });
  it("a key only known at run time", () => {
    const out = read(`$h = @{ a = '*.contoso.com' }\nNew-InboundConnector -Name x -ConnectorType OnPremises -TlsSenderCertificateName $h[$env:KEY]`);
    expect(out.advisories.some((a) => a.startsWith("TlsSenderCertificateName:"))).toBe(true);
  });
  it("JSON that does not parse", () => {
    const out = read(`$c = '{ not json' | ConvertFrom-Json\nNew-InboundConnector -Name x -ConnectorType OnPremises -TlsSenderCertificateName $c.cert`);
    expect(out.advisories.some((a) => a.startsWith("TlsSenderCertificateName:"))).toBe(true);
  });
  it("a key the table does not have is $null, as in PowerShell", () => {
    expect(read(`$h = @{ Cert = '*.contoso.com' }\nNew-InboundConnector -Name x -ConnectorType OnPremises -TlsSenderCertificateName $h.Typo`).connectors).toEqual(["x OnPremises null"]);
  });
});
