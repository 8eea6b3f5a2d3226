/**
 * Issue 23: the fail-closed guarantee rests on the text, not on the parse tree. Every name of a command
 * the pack reads is accounted for (read, or named on its line), whatever the grammar made of the script;
 * layouts the grammar misreads are read as their re-laid-out twins; one region that does not parse is
 * one advisory; a script PowerShell refuses is said to be refused and none of it is read.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { loadExtractors } from "../../src/extractors";
import { commandExtractor } from "../../src/extractors/command";
import { lexPowerShell } from "../../src/extractors/powershell/lexical";
import { scanText } from "../../src/extractors/powershell/occurrences";
import { UnknownValue } from "../../src/extractors/types";
import type { Fact } from "../../src/model/facts";
import { resourceInput } from "./support/resources";
import { exo, onPrem } from "./support/stack";
import { unaccountedNames } from "./support/textual-guarantee";
import { CORPUS } from "../corpus/corpus";
import { exampleStacks } from "../metamorphic/examples";
import { ruleTableStacks } from "../metamorphic/sources";
import { correctSetUp } from "./support/topologies";

beforeAll(loadExtractors);

const extract = (r: { type: string; name: string; props: Record<string, unknown> }): Fact[] => commandExtractor.extract(resourceInput(r.type, r.props, r.name));
/** Connector facts as `op kind identity field=value…` and advisories as `line: property: reason`, for exact comparison. */
function summary(facts: Fact[]): string[] {
  return facts.map((f) => {
    if (f.kind === "unverifiable") return `${f.item.provenance.line}: ${f.item.property}: ${f.item.reason}`;
    if ("identity" in f && "fields" in f) return `${f.op} ${f.kind} ${f.identity} ${JSON.stringify(f.fields)}`;
    return f.kind;
  });
}
const read = (script: string): string[] => summary(extract(exo("r", script)));

const CONNECTOR = `New-InboundConnector -Name 'Inbound from hcw' -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName`;

describe("layouts the grammar misreads are read as PowerShell reads them", () => {
  // about_Functions_Advanced_Parameters: param() is the first statement of a function or script block;
  // what follows it on the same line is its body, as on the next line or after `;`.
  // https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_functions_advanced_parameters
  it.each([
    ["param() and the body on one line", `function New-HybridInbound { param($Unused) ${CONNECTOR} '*.contoso.com' }\nNew-HybridInbound -Unused 1`],
    ["with [CmdletBinding()]", `function New-HybridInbound { [CmdletBinding()] param($Unused) ${CONNECTOR} '*.contoso.com' }\nNew-HybridInbound -Unused 1`],
    ["a filter", `filter New-HybridInbound { param($Unused) ${CONNECTOR} '*.contoso.com' }\nNew-HybridInbound -Unused 1`],
  ])("%s: the same connector as the twin with `;` after param()", (_name, script) => {
    const twin = script.replace(/param\(\$Unused\) /, "param($Unused); ");
    expect(read(script)).toEqual(read(twin));
    expect(read(script)).toEqual([`new inbound-connector Inbound from hcw {"connectorType":"OnPremises","tlsSenderCertificateName":"*.contoso.com","senderDomains":["*"]}`]);
  });

  // about_Script_Blocks: arguments after `& { param($c) … }` bind to its parameters.
  // https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_script_blocks
  it("& { param($c) … } 'value' binds the value to $c", () => {
    const script = `& { param($c) ${CONNECTOR} $c } '*.contoso.com'`;
    expect(read(script)).toEqual(read(`& {\n  param($c)\n  ${CONNECTOR} $c\n} '*.contoso.com'`));
    expect(read(script)[0]).toContain(`"tlsSenderCertificateName":"*.contoso.com"`);
  });
});

describe("every name of a command the pack reads is accounted for", () => {
  it.each([
    ["a prefix from Import-PSSession", `$s = New-PSSession -ConfigurationName Microsoft.Exchange -ConnectionUri https://outlook.office365.com/powershell-liveid/\nImport-PSSession $s -Prefix Cloud\nnew-cloudINBOUNDconnector -Name x -ConnectorType Partner`],
    ["module-qualified", `ExchangeOnlineManagement\\New-InboundConnector -Name x -ConnectorType Partner`],
    ["through & and .", `& New-InboundConnector -Name x\n. 'Set-InboundConnector' -Identity x -Enabled $true`],
    ["a name held in a variable", `$cmd = 'New-InboundConnector'\n& $cmd -Name x`],
    ["Invoke-Expression of a here-string", `Invoke-Expression @'\nNew-InboundConnector -Name x\nSet-InboundConnector -Identity x -Enabled $true\n'@`],
    ["a backtick inside the name", "New-Inbound`Connector -Name x"],
    ["a name the grammar cannot parse around", `New-InboundConnector -Name x -SenderDomains ${Array.from({ length: 50 }, (_, i) => `'d${i}'`).join(",–")}\nSet-InboundConnector -Identity x`],
    ["an unknown prefix", `Connect-ExchangeOnline -Prefix $env:PFX\nNew-CloudInboundConnector -Name x`],
  ])("%s", (_name, script) => {
    expect(unaccountedNames(exo("r", script))).toEqual([]);
    expect(unaccountedNames(onPrem("r", "ex01.contoso.com", script))).toEqual([]);
  });

  it("a name in a string that nothing runs is named; one an Exchange parameter stores or Write-Host prints is data", () => {
    const out = read(`Start-Process pwsh -ArgumentList "-c New-InboundConnector -Name x"\nNew-InboundConnector -Name y -Comment 'made by New-InboundConnector'\nWrite-Host "next: Set-InboundConnector"`);
    expect(out.filter((s) => /^\d+:/.test(s))).toEqual([
      "1: New-InboundConnector: named inside a string, which the pack does not run: if the script runs that text (a nested shell, Start-Process, a job), the pack cannot see what it does",
    ]);
  });
});

describe("say it once", () => {
  it("one line that does not parse in two thousand places is one advisory, and the command in it is named", () => {
    const list = Array.from({ length: 2000 }, (_, i) => `'d${i}.contoso.com'`).join(",–");
    expect(read(`Set-InboundConnector -Identity 'Inbound' -SenderDomains ${list}\n`)).toEqual([
      "1: Set-InboundConnector: not read: in a part of the script the grammar cannot parse",
      "1: create: the PowerShell does not parse here; statements around it were read as far as possible, and every mail-flow command in it that was not read is named",
    ]);
  });
  it("many regions that do not parse: ten are said one by one, the rest in the tenth", () => {
    const out = read(Array.from({ length: 40 }, () => `$a = 1 +* 2\nWrite-Host ok\n`).join(""));
    expect(out).toHaveLength(10);
    expect(out[9]).toBe("19: create: the PowerShell does not parse here, and in 30 more places up to line 79; statements around it were read as far as possible, and every mail-flow command in it that was not read is named");
  });
});

describe("a script PowerShell refuses is reported as refused, and not read", () => {
  // about_Operators / about_Redirection: `<` is reserved ("The '<' operator is reserved for future use.").
  // https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_redirection
  it("a <THUMBPRINT> placeholder copied from the documentation", () => {
    const out = summary(extract(onPrem("r", "ex01.contoso.com", `Enable-ExchangeCertificate -Thumbprint <THUMBPRINT> -Services SMTP\nNew-SendConnector -Name "<Office 365>" -AddressSpaces '*'`)));
    expect(out).toEqual([
      "1: (script): PowerShell refuses to run this script: `<` on line 1 is an operator it reserves (a placeholder such as <THUMBPRINT> copied from documentation?), so nothing in the script runs and the pack read none of its values",
      "1: Enable-ExchangeCertificate: not read: PowerShell refuses the script (`<` on line 1)",
      "2: New-SendConnector: not read: PowerShell refuses the script (`<` on line 1)",
    ]);
  });
  it("`<` in a string, a comment or a here-string is text", () => {
    expect(scanText(`Write-Host '<THUMBPRINT>' # <x>\n$h = @"\n<I>CN=a<S>CN=b\n"@ <# <y> #>`).reservedLessThan).toEqual([]);
    // about_Parsing: after --% the rest of the line is passed to the program as it is.
    expect(scanText(`icacls C:\\data --% /grant <user>:F`).reservedLessThan).toEqual([]);
  });
});

describe("the lexer follows PowerShell's tokenizing rules", () => {
  const regions = (text: string): string[] => {
    const r = lexPowerShell(text).regions;
    const out: string[] = [];
    for (let i = 0; i < r.length; i += 3) out.push(`${r[i + 2] === 0 ? "comment" : "string"} ${text.slice(r[i], r[i + 1])}`);
    return out;
  };
  // about_Comments, about_Quoting_Rules: https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_quoting_rules
  it.each([
    ["# inside a word is part of it", "Write-Host a#b # c", ["comment # c"]],
    ["$(…) in a string is code, with strings of its own", `"a $(Get-X "b") c" # d`, [`string "a $(`, `string "b"`, `string ) c"`, "comment # d"]],
    ["a here-string opener may end in blanks", "@'  \n# not a comment\n'@", ["string @'  \n# not a comment\n'@"]],
    ["typographic quotes are quotes", "Write-Host ‘# a’ # b", ["string ‘# a’", "comment # b"]],
    ["a braced variable name holds anything", "${a#b} # c", ["comment # c"]],
  ])("%s", (_name, text, expected) => {
    expect(regions(text)).toEqual(expected);
  });
});

describe("what a command gives its interpreter is read or named", () => {
  // about_Pwsh: "If the value of Command is -, the command text is read from standard input"; -File - likewise.
  // https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_pwsh
  it.each([
    ["-Command -", ["pwsh", "-NoProfile", "-Command", "-"]],
    ["-File -", ["pwsh", "-NoProfile", "-File", "-"]],
  ])("pwsh %s reads the script from stdin", (_name, interpreter) => {
    const facts = extract({ type: "command:local:Command", name: "r", props: { interpreter, create: "", stdin: `${CONNECTOR} '*.contoso.com'` } });
    expect(facts.flatMap((f) => (f.kind === "inbound-connector" ? [`${f.identity} ${f.fields.tlsSenderCertificateName} ${f.provenance.property}:${f.provenance.line}`] : []))).toEqual(["Inbound from hcw *.contoso.com stdin:1"]);
  });
  it("a POSIX script whose pwsh reads the command's stdin", () => {
    const facts = extract({ type: "command:local:Command", name: "r", props: { create: "cd /tmp && pwsh -NoProfile -Command -", stdin: `${CONNECTOR} '*.contoso.com'` } });
    expect(facts.some((f) => f.kind === "inbound-connector" && f.fields.tlsSenderCertificateName === "*.contoso.com")).toBe(true);
  });
  it("stdin unknown during preview is named", () => {
    const facts = extract({ type: "command:local:Command", name: "r", props: { interpreter: ["pwsh", "-Command", "-"], create: "", stdin: new UnknownValue("stdin") } });
    expect(summary(facts).join("\n")).toContain("reads its script from the command's stdin, which is unknown during preview");
  });
});

describe("the guarantee over every script the tests hold", () => {
  it("every rule-table case, example program and corpus script: 0 command names in code neither read nor named", async () => {
    const stacks = [...ruleTableStacks(), ...(await exampleStacks())];
    const resources = [...stacks.flatMap((st) => st.resources), ...Array.from({ length: 40 }, (_, seed) => correctSetUp(seed)).flat(), ...CORPUS.map((c) => (c.runs === "onprem" ? onPrem(c.name, "ex01.contoso.com", c.script) : exo(c.name, c.script)))];
    expect(resources.filter((r) => r.type.startsWith("command:")).length).toBeGreaterThan(150);
    expect(resources.flatMap(unaccountedNames)).toEqual([]);
  }, 120_000);
});

describe("text the script runs in another PowerShell is read or named", () => {
  // about_Pwsh: -Command runs the text (or script block), -EncodedCommand the base64 of its UTF-16LE, -File a file.
  it.each([
    ["pwsh -Command '…'", `pwsh -NoProfile -Command '${CONNECTOR.replace(/'/g, "''")} *.contoso.com'`],
    ["powershell.exe with the command as its first argument", `powershell.exe -NoProfile "${CONNECTOR} '*.contoso.com'"`],
    ["pwsh -EncodedCommand", `pwsh -NoProfile -EncodedCommand ${Buffer.from(`${CONNECTOR} '*.contoso.com'`, "utf16le").toString("base64")}`],
    ["pwsh -Command { … }", `pwsh -NoProfile -Command { ${CONNECTOR} '*.contoso.com' }`],
  ])("%s", (_name, script) => {
    expect(read(script)).toEqual([`new inbound-connector Inbound from hcw {"connectorType":"OnPremises","tlsSenderCertificateName":"*.contoso.com","senderDomains":["*"]}`]);
    expect(unaccountedNames(exo("r", script))).toEqual([]);
  });
  it("a variable of the caller is not the new process's", () => {
    expect(read(`$cert = '*.contoso.com'\npwsh -Command '${CONNECTOR.replace(/'/g, "''")} $cert'`).filter((s) => /^\d+:/.test(s)).join("\n")).toContain("TlsSenderCertificateName");
  });
  it("pwsh -File is named", () => {
    expect(read(`pwsh -NoProfile -File ./connectors.ps1`)).toEqual(["1: pwsh: runs a PowerShell script file whose content is not in the resource"]);
  });
});
