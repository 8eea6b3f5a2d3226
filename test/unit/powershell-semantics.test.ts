/**
 * Issue 10: the same connector written the ways PowerShell accepts it gets the same verdict, and a
 * mail-flow command the pack did not run is never a silent pass. Each spelling is a class member:
 * the metamorphic suite (test/metamorphic) generates the rest.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { loadExtractors } from "../../src/extractors";
import { commandExtractor, MAX_SCRIPT_CHARS } from "../../src/extractors/command";
import { INVENTORY_POLICY, isInventoryPolicy, UNVERIFIABLE_POLICY } from "../../src/reporters/pulumi/policies";
import { rules } from "../../src/rules";
import type { Rule } from "../../src/rules/utils/define-rule";
import { resourceInput } from "./support/resources";
import { runStack } from "./support/rule-tester";
import { connect, gateway, tenant } from "./support/scenarios";
import { exo, onPrem } from "./support/stack";

beforeAll(loadExtractors);

const contoso = tenant("contoso.onmicrosoft.com", ["contoso.com", "smtpo365.contoso.com"]);
const internetGateway = gateway("gateway", { name: "contoso-gateway", servers: ["mx01.contoso.com"], connectors: [{ name: "Internet", addressSpaces: ["*"], dnsRouting: true, certificate: { subject: "CN=mx01.contoso.com", trust: "public" } }] });
const WILDCARD = `-Name "From on-prem" -ConnectorType OnPremises -SenderDomains * -RequireTls $true -TlsSenderCertificateName *.contoso.com`;

/** The rule verdicts (inventory advisories left out) of a stack whose connector script is `script`. */
async function verdict(script: string, extraResources = [contoso, internetGateway]): Promise<string[]> {
  const violations = await runStack(rules, [...extraResources, exo("inbound", script)]);
  return violations.filter((v) => !isInventoryPolicy(v.policy)).map((v) => `${v.policy} on ${v.resource}`).sort();
}

const facts = (script: string, type = "command:local:Command") =>
  commandExtractor.extract(
    resourceInput(type, type === "command:local:Command" ? { interpreter: ["pwsh", "-NoProfile", "-Command"], create: script } : { connection: { host: "ex01.contoso.com" }, create: script }, "r"),
  );
const advisories = (script: string) => facts(script).flatMap((f) => (f.kind === "unverifiable" ? [`${f.item.property}:${f.item.provenance.line}: ${f.item.reason}`] : []));

describe("the same connector in every spelling PowerShell accepts gets the same verdict", () => {
  let expected: string[];
  beforeAll(async () => {
    expected = await verdict(`${connect("contoso.onmicrosoft.com")}\nNew-InboundConnector ${WILDCARD}`);
  });
  it("the plain spelling is blocked (the reference verdict)", () => {
    expect(expected).toEqual(["internet-identity-matches-onpremises-connector on inbound", "wildcard-onpremises-certificate-name on inbound"]);
  });
  it.each([
    ["enum values in any case", `${connect("contoso.onmicrosoft.com")}\nNew-InboundConnector -Name "From on-prem" -ConnectorType onpremises -SenderDomains * -RequireTls $TRUE -TlsSenderCertificateName *.contoso.com`],
    ["enum values in upper case", `${connect("contoso.onmicrosoft.com")}\nNEW-INBOUNDCONNECTOR -NAME "From on-prem" -CONNECTORTYPE ONPREMISES -SENDERDOMAINS * -REQUIRETLS:$True -TLSSENDERCERTIFICATENAME *.contoso.com`],
    ["Invoke-Command -ScriptBlock", `${connect("contoso.onmicrosoft.com")}\nInvoke-Command -ScriptBlock { New-InboundConnector ${WILDCARD} }`],
    ["& { }", `${connect("contoso.onmicrosoft.com")}\n& { New-InboundConnector ${WILDCARD} }`],
    [". { }", `${connect("contoso.onmicrosoft.com")}\n. { New-InboundConnector ${WILDCARD} }`],
    ["a function called with arguments", `function Add-Inbound($Type, $Name = '*.contoso.com') { New-InboundConnector -Name "From on-prem" -ConnectorType $Type -SenderDomains * -TlsSenderCertificateName $Name }\n${connect("contoso.onmicrosoft.com")}\nAdd-Inbound -Type OnPremises`],
    ["a foreach over known values", `${connect("contoso.onmicrosoft.com")}\nforeach ($n in @('*.contoso.com')) { New-InboundConnector -Name "From on-prem" -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName $n }`],
    ["ForEach-Object over known values", `${connect("contoso.onmicrosoft.com")}\n'*.contoso.com' | ForEach-Object { New-InboundConnector -Name "From on-prem" -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName $_ }`],
    ["if on a known condition, try body", `${connect("contoso.onmicrosoft.com")}\n$mode = 'hybrid'\nif ($mode -eq 'HYBRID') { try { New-InboundConnector ${WILDCARD} } catch { throw } } else { Write-Host 'skipped' }`],
    ["Connect-ExchangeOnline -Prefix", `${connect("contoso.onmicrosoft.com")} -Prefix Cloud\nNew-CloudInboundConnector ${WILDCARD}`],
    ["a module-qualified Connect-ExchangeOnline", `ExchangeOnlineManagement\\${connect("contoso.onmicrosoft.com")}\nNew-InboundConnector ${WILDCARD}`],
    ["a quoted command name with &", `${connect("contoso.onmicrosoft.com")}\n& 'New-InboundConnector' ${WILDCARD}`],
    ["a command name held in a variable", `${connect("contoso.onmicrosoft.com")}\n$cmd = 'New-InboundConnector'\n& $cmd ${WILDCARD}`],
    ["Invoke-Expression of known text", `${connect("contoso.onmicrosoft.com")}\nInvoke-Expression 'New-InboundConnector ${WILDCARD.replace(/"/g, "")}'`],
    ["a script param() default", `param([string]$Certificate = '*.contoso.com')\n${connect("contoso.onmicrosoft.com")}\nNew-InboundConnector -Name "From on-prem" -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName $Certificate`],
    ["a POSIX wrapper: cd && pwsh -c", `cd /tmp && pwsh -NoProfile -c '${connect("contoso.onmicrosoft.com")}; New-InboundConnector ${WILDCARD}'`],
  ])("%s", async (_name, script) => {
    const resources = [contoso, internetGateway];
    const r = _name.startsWith("a POSIX wrapper")
      ? (await runStack(rules, [...resources, { type: "command:local:Command", name: "inbound", props: { create: script } }])).filter((v) => !isInventoryPolicy(v.policy)).map((v) => `${v.policy} on ${v.resource}`).sort()
      : await verdict(script);
    expect(r).toEqual(expected);
  });
});

describe("sessions name the server their commands run on", () => {
  it("Invoke-Command -Session, -ComputerName with -ArgumentList, $using:, Enter-PSSession", () => {
    const out = facts(
      [
        `$s = New-PSSession -ConfigurationName Microsoft.Exchange -ConnectionUri http://ex01.corp.contoso.com/PowerShell/`,
        `Invoke-Command -Session $s -ScriptBlock { New-SendConnector -Name "Outbound to Office 365" -AddressSpaces contoso.mail.onmicrosoft.com }`,
        `Invoke-Command -ComputerName ex02.fabrikam.local { param($n) New-SendConnector -Name $n -AddressSpaces '*' } -ArgumentList 'Internet'`,
        `$name = 'Relay'`,
        `Invoke-Command -ComputerName ex03.contoso.com -ScriptBlock { New-SendConnector -Name $using:name }`,
        `Enter-PSSession -ComputerName ex04.contoso.com`,
        `New-SendConnector -Name "After enter"`,
      ].join("\n"),
    );
    expect(out.flatMap((f) => (f.kind === "send-connector" ? [`${f.identity}@${f.org}`] : []))).toEqual([
      "Outbound to Office 365@ex01.corp.contoso.com",
      "Internet@ex02.fabrikam.local",
      "Relay@ex03.contoso.com",
      "After enter@ex04.contoso.com",
    ]);
  });
  it("a session to Exchange Online's endpoint is not an on-premises organisation", () => {
    const out = facts(`$s = New-PSSession -ConfigurationName Microsoft.Exchange -ConnectionUri https://outlook.office365.com/powershell-liveid/\nImport-PSSession $s\nNew-SendConnector -Name X`);
    expect(out.flatMap((f) => (f.kind === "send-connector" ? [f.org ?? "(none)"] : []))).toEqual(["(none)"]);
  });
  it("Get-InboundConnector 'x' | Set-InboundConnector names the connector", () => {
    const out = facts(`${connect("contoso.onmicrosoft.com")}\nGet-InboundConnector 'From on-prem' | Set-InboundConnector -TlsSenderCertificateName '*.contoso.com'`);
    expect(out.flatMap((f) => (f.kind === "inbound-connector" ? [`${f.op} ${f.identity} ${f.fields.tlsSenderCertificateName}`] : []))).toEqual(["set From on-prem *.contoso.com"]);
  });
  it("-Services POP, IMAP, SMTP binds the whole list, and the statement the grammar swallowed after it is still read", () => {
    const out = facts(`Enable-ExchangeCertificate -Thumbprint ABCD -Services POP, IMAP, SMTP, IIS\nNew-SendConnector -Name after`, "command:remote:Command");
    expect(out.flatMap((f) => (f.kind === "certificate-binding" ? [f.services.join(",")] : f.kind === "send-connector" ? [`${f.identity}:${f.provenance.line}`] : f.kind === "unverifiable" ? [`?${f.item.reason}`] : []))).toEqual(["POP,IMAP,SMTP,IIS", "after:2"]);
  });
});

describe("fail closed: a mail-flow command the pack did not run is named, with why", () => {
  it.each([
    ["a function never called", `function Never { New-InboundConnector -Name x }`, "New-InboundConnector:1: not read: in function Never, which the script does not call"],
    ["a catch block", `try { Get-Date } catch { New-InboundConnector -Name x }`, "New-InboundConnector:1: not read: in a catch block, which runs only if the try block fails"],
    ["a branch that cannot run", `if ($false) { Set-InboundConnector -Identity x -Enabled $true }`, "Set-InboundConnector:1: not read: in a branch whose condition is false"],
    ["a script block never invoked", `$b = { New-SendConnector -Name x }`, "New-SendConnector:1: not read: in a script block that is never invoked"],
    ["a prefix the pack could not read", `Connect-ExchangeOnline -Prefix $env:PFX\nNew-CloudInboundConnector -Name x`, "New-CloudInboundConnector:2: not read: a mail-flow command the pack does not know (a session prefix it could not read, or a command of another module)"],
    ["a dynamic invocation", `& $cmd -Name x`, "a computed command name:1: a dynamic invocation the pack cannot follow: $cmd is not assigned earlier in the script"],
    ["a computed cmdlet name", `$type = Get-Type\n& "New-$($type)Connector" -Name x`, "a computed command name:2: a dynamic invocation the pack cannot follow: the output of a command is only known when it runs"],
    ["Invoke-Expression of unknown text", `Invoke-Expression (Get-Content ./connectors.ps1 -Raw)`, "Invoke-Expression:1: a dynamic invocation the pack cannot follow: the text it runs is only known when the script runs"],
    ["a cmdlet named in a string run by another process", `Start-Process pwsh -ArgumentList "-c New-InboundConnector -Name x"`, "New-InboundConnector:1: named inside a string, which the pack does not run: if the script runs that text (a nested shell, Start-Process, a job), the pack cannot see what it does"],
  ])("%s", (_name, script, expected) => {
    expect(advisories(script)).toContain(expected);
  });
  it("a loop over values only known when the script runs says it will not be known at pulumi up either", async () => {
    const violations = await runStack(rules, [contoso, exo("loop", `${connect("contoso.onmicrosoft.com")}\nforeach ($c in (Get-Content certs.txt)) { New-InboundConnector -Name x -ConnectorType OnPremises -TlsSenderCertificateName $c }`)]);
    const inventory = violations.filter((v) => v.policy === INVENTORY_POLICY).map((v) => v.message);
    expect(inventory.some((m) => m.includes("the loop runs over values only known when the script runs") && m.includes("It will not be known at pulumi up either"))).toBe(true);
  });
  it("each command takes the reason of the innermost construct it sits in, and none once that construct has ended", () => {
    const script = [
      `function Never {`,
      `  if ($false) { New-InboundConnector -Name inner }`,
      `  New-InboundConnector -Name outer`,
      `}`,
      `try { Get-Date } catch { Set-InboundConnector -Identity x -Enabled $true }`,
      `Connect-ExchangeOnline -Prefix $env:PFX`,
      `New-CloudInboundConnector -Name after`,
    ].join("\n");
    expect(advisories(script)).toEqual([
      "New-InboundConnector:2: not read: in function Never, which the script does not call",
      "New-InboundConnector:3: not read: in function Never, which the script does not call",
      "Set-InboundConnector:5: not read: in a catch block, which runs only if the try block fails",
      "New-CloudInboundConnector:7: not read: a mail-flow command the pack does not know (a session prefix it could not read, or a command of another module)",
    ]);
  });
  // PowerShell runs a parenthesised argument and a string's `$(…)` before the command that gets their value
  // (about_Operators, "Grouping operator ( )" and "Subexpression operator $( )"): a name in them is a command.
  // https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_operators
  it("a command in Write-Host's parenthesised argument runs: it is named; a string statement's $(…) is read; the next statement is searched", () => {
    const script = `Write-Host (New-InboundConnector -Name x)\n"$(New-SendConnector -Name y)"\nif ($false) { New-SendConnector -Name z }`;
    expect(advisories(script)).toEqual(["New-InboundConnector:1: not read: the pack does not follow the construct around it", "New-SendConnector:3: not read: in a branch whose condition is false"]);
    expect(facts(script).flatMap((f) => (f.kind === "send-connector" ? [`${f.identity}:${f.provenance.line}`] : []))).toEqual(["y:2"]);
  });
  it("text in comments and in Write-Host is not a command", () => {
    expect(advisories(`# New-InboundConnector -Name x\nWrite-Host "New-InboundConnector -Name x"`)).toEqual([]);
  });
});

describe("input limits are named, not silent", () => {
  it("a script over the size limit is read in part, and the advisory says so", () => {
    const line = `Set-InboundConnector -Identity x -Enabled $true`;
    const script = `New-InboundConnector -Name first -ConnectorType OnPremises\n${`${line}\n`.repeat(Math.ceil(MAX_SCRIPT_CHARS / line.length) + 10)}New-InboundConnector -Name beyond`;
    const out = facts(script);
    expect(out.flatMap((f) => (f.kind === "inbound-connector" && f.op === "new" ? [f.identity] : []))).toEqual(["first"]);
    expect(out.flatMap((f) => (f.kind === "unverifiable" && f.item.property === "create" ? [f.item.reason] : []))).toContain(
      "the script is longer than 131,072 characters: only its first part was read; split it into several commands",
    );
  });
});

describe("what only the whole stack shows is advised at stack level", () => {
  const hcw = exo("inbound", `${connect("contoso.onmicrosoft.com")}\nNew-InboundConnector -Name "Inbound from 6fc3" -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName mail.contoso.com`);
  it("a tenant that declares no accepted domains: the connector's name cannot be checked, and the advisory says so", async () => {
    const advised = (await runStack(rules, [hcw])).filter((v) => v.policy === "mailflow-inventory");
    expect(advised.map((v) => `${v.resource} ${v.level}`)).toEqual(["inbound advisory"]);
    expect(advised[0]!.message).toContain("tenant contoso.onmicrosoft.com declares no accepted domains, so whether mail.contoso.com is one cannot be checked");
  });
  it("declared accepted domains: no such advisory", async () => {
    expect((await runStack(rules, [contoso, hcw])).filter((v) => v.policy === "mailflow-inventory")).toEqual([]);
  });
});

describe("strict mode and rule failures block", () => {
  const unreadable = exo("dynamic", `${connect("contoso.onmicrosoft.com")}\n& $cmd -Name x`);
  it("strict mode: what could not be verified is a mandatory mailflow-unverifiable violation", async () => {
    const strict = (await runStack(rules, [contoso, unreadable], { unverifiable: "mandatory" })).filter((v) => v.policy === UNVERIFIABLE_POLICY);
    expect(strict.map((v) => v.resource)).toEqual(["dynamic"]);
    expect(strict[0]!.message).toContain("a dynamic invocation the pack cannot follow");
  });
  it("without strict mode the same is only advised", async () => {
    const violations = await runStack(rules, [contoso, unreadable]);
    expect(violations.filter((v) => v.policy === UNVERIFIABLE_POLICY)).toEqual([]);
    expect(violations.filter((v) => v.policy === INVENTORY_POLICY).map((v) => v.resource)).toEqual(["dynamic"]);
  });
  it("a rule that throws is reported as a violation of that rule: once for the stack in a preview, on each resource in an update", async () => {
    const broken: Rule = { meta: { ...rules[0]!.meta, id: "broken-rule" }, check: () => { throw new TypeError("boom at the model"); } };
    const stack = [contoso, exo("inbound", `${connect("contoso.onmicrosoft.com")}\nNew-InboundConnector ${WILDCARD}`)];
    const preview = (await runStack([broken], stack)).filter((v) => v.policy === "broken-rule");
    expect(preview.map((v) => `${v.level} ${v.resource}`)).toEqual(["mandatory (stack)"]);
    expect(preview[0]!.message).toContain("mailflow-guard could not run broken-rule on (stack): TypeError: boom at the model");
    const update = (await runStack([broken], stack, {}, { mode: "update" })).filter((v) => v.policy === "broken-rule");
    expect(update.map((v) => v.resource)).toEqual(["tenant-contoso", "inbound", "(stack)"]);
    expect(update[1]!.message).toContain("mailflow-guard could not run broken-rule on inbound: TypeError: boom at the model");
  });
});

describe("remote commands keep their host as organisation", () => {
  it("a remote command's connector belongs to its host", () => {
    expect(facts(`New-SendConnector -Name X`, "command:remote:Command").flatMap((f) => (f.kind === "send-connector" ? [f.org] : []))).toEqual(["ex01.contoso.com"]);
  });
  it("an on-premises script reached over SSH is read", async () => {
    const violations = await runStack(rules, [onPrem("send", "ex01.contoso.com", `New-SendConnector -Name X -AddressSpaces '*'`)]);
    expect(violations.filter((v) => !isInventoryPolicy(v.policy))).toEqual([]);
  });
});
