/**
 * Secrets in messages (issue 11): an advisory names what it could not follow instead of quoting it.
 * Each channel plants a secret where a script can carry one, runs the whole policy path and checks
 * that no message shows it — and that the advisory still names the resource and the parameter.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPowerShellGrammar, withPowerShellTree, type SyntaxNode } from "../../src/extractors/powershell/grammar";
import { describeExpression, scrubExpression } from "../../src/extractors/powershell/redact";
import type { Unverifiable } from "../../src/model/types";
import { analyzeInProcess } from "../../src/reporters/pulumi/in-process";
import { INVENTORY_POLICY } from "../../src/reporters/pulumi/policies";
import { renderUnverifiable } from "../../src/reporters/text";
import { rules } from "../../src/rules";
import { runStack } from "./support/rule-tester";
import { exo, urnOf } from "./support/stack";

beforeAll(() => loadPowerShellGrammar());

const CONNECTOR = "New-InboundConnector -Name Hybrid -ConnectorType OnPremises -TlsSenderCertificateName";
const HYBRID = "inbound connector 'Hybrid'";
const encoded = (script: string): string => Buffer.from(script, "utf16le").toString("base64");
const ENCODED_PAYLOAD = encoded("'Enc-Planted-11'");
const JWT = "eyJhbGciOiJIUzI1NiJ9.eyJ0aWQiOiJjb250b3NvIn0.Planted13Signature";
const BLOB = Buffer.from(Array.from({ length: 3072 }, (_, i) => (i * 7919) % 251)).toString("base64");

interface Channel {
  name: string;
  script: string;
  environment?: Record<string, string>;
  secrets: string[];
  /** What the advisory says it could not verify: `<parameter> of <subject>`. */
  parameter: string;
  subject: string;
  /** The safe rendering the advisory shows. */
  writtenAs: string;
}

const channels: Channel[] = [
  {
    name: "a vault token in a hashtable of headers, behind a property",
    script: `${CONNECTOR} (Invoke-RestMethod https://vault/v1/x -Headers @{'X-Vault-Token'='s.AbC123'}).data.name`,
    secrets: ["s.AbC123"],
    parameter: "TlsSenderCertificateName",
    subject: HYBRID,
    writtenAs: "the property .data.name of a call to Invoke-RestMethod",
  },
  {
    name: "-ClientSecret of an unknown command naming the organisation",
    script: `Connect-ExchangeOnline -Organization (Get-TenantName -ClientSecret 'Zx9!secret')`,
    secrets: ["Zx9!secret"],
    parameter: "Organization",
    subject: "Connect-ExchangeOnline",
    writtenAs: "a call to Get-TenantName",
  },
  {
    name: "a missing double quote that swallows the next line's ConvertTo-SecureString",
    script: `${CONNECTOR} "mail.contoso.com\n$pw = ConvertTo-SecureString 'Swallowed-Dq-P@ss1' -AsPlainText -Force\nWrite-Output "done"`,
    secrets: ["Swallowed-Dq-P@ss1"],
    parameter: "TlsSenderCertificateName",
    subject: HYBRID,
    writtenAs: "a string over 3 lines using $pw",
  },
  {
    name: "a missing single quote that swallows the next line's ConvertTo-SecureString",
    script: `${CONNECTOR} 'mail.contoso.com\n$pw = ConvertTo-SecureString 'Swallowed-Sq-P@ss2' -AsPlainText -Force\nSet-InboundConnector -Identity Hybrid -Enabled $true`,
    secrets: ["Swallowed-Sq-P@ss2", "P@ss2"],
    parameter: "TlsSenderCertificateName",
    subject: HYBRID,
    writtenAs: "PowerShell that does not parse",
  },
  {
    name: "-Password of an unknown command",
    script: `${CONNECTOR} (Get-CertName -Password 'Unknown-Cmd-Pw-3')`,
    secrets: ["Unknown-Cmd-Pw-3"],
    parameter: "TlsSenderCertificateName",
    subject: HYBRID,
    writtenAs: "a call to Get-CertName",
  },
  {
    name: "-ApiKey of an unknown command",
    script: `Connect-ExchangeOnline -Organization (Resolve-Tenant -ApiKey "ak_live_Planted4")`,
    secrets: ["ak_live_Planted4"],
    parameter: "Organization",
    subject: "Connect-ExchangeOnline",
    writtenAs: "a call to Resolve-Tenant",
  },
  {
    name: "-Token of an unknown command, as a bare word",
    script: `${CONNECTOR} (Get-VaultSecret -Token hvs.PlantedToken5 -Path certs/hybrid)`,
    secrets: ["hvs.PlantedToken5"],
    parameter: "TlsSenderCertificateName",
    subject: HYBRID,
    writtenAs: "a call to Get-VaultSecret",
  },
  {
    name: "an Authorization header in a hashtable",
    script: `${CONNECTOR} (Invoke-WebRequest -Uri https://certs.contoso.com/name -Headers @{ Authorization = "Bearer Planted-Bearer-6" }).Content`,
    secrets: ["Planted-Bearer-6"],
    parameter: "TlsSenderCertificateName",
    subject: HYBRID,
    writtenAs: "the property .Content of a call to Invoke-WebRequest",
  },
  {
    name: "a here-string holding a call with a password",
    script: `${CONNECTOR} @"\n$(Get-CertName -Password 'HereString-Pw-7').contoso.com\n"@`,
    secrets: ["HereString-Pw-7"],
    parameter: "TlsSenderCertificateName",
    subject: HYBRID,
    writtenAs: "a here-string over 3 lines",
  },
  {
    name: "backtick-continued lines",
    script: `New-InboundConnector -Name Hybrid -ConnectorType OnPremises \`\n  -TlsSenderCertificateName (Get-CertName \`\n    -Password 'Backtick-Pw-8')`,
    secrets: ["Backtick-Pw-8"],
    parameter: "TlsSenderCertificateName",
    subject: HYBRID,
    writtenAs: "a call to Get-CertName",
  },
  {
    name: "splatted hashtables with a Password key",
    script: [
      "$vault = @{ Password = 'Splat-Pw-9'; Vault = 'certs' }",
      "$params = @{ Name = 'Hybrid'; ConnectorType = 'OnPremises'; TlsSenderCertificateName = (Get-CertName @vault -Password 'Splat-Pw-9b') }",
      "New-InboundConnector @params",
    ].join("\n"),
    secrets: ["Splat-Pw-9"],
    parameter: "TlsSenderCertificateName",
    subject: HYBRID,
    writtenAs: "a call to Get-CertName",
  },
  {
    name: "$env: values from the resource's environment",
    script: `Connect-ExchangeOnline -Organization "$env:EXO_ORG$(Get-Suffix -Key $env:VAULT_KEY)"`,
    environment: { EXO_ORG: "contoso-env-org", VAULT_KEY: "Env-Planted-Key-10" },
    secrets: ["Env-Planted-Key-10", "contoso-env-org"],
    parameter: "Organization",
    subject: "Connect-ExchangeOnline",
    writtenAs: '"$env:EXO_ORG$(…)"',
  },
  {
    name: "an -EncodedCommand payload",
    script: `${CONNECTOR} (pwsh -NoProfile -EncodedCommand ${ENCODED_PAYLOAD})`,
    secrets: [ENCODED_PAYLOAD, "Enc-Planted-11"],
    parameter: "TlsSenderCertificateName",
    subject: HYBRID,
    writtenAs: "a call to pwsh",
  },
  {
    name: "a URL with user:pass@host as an argument",
    script: `${CONNECTOR} (Invoke-RestMethod https://svc-certs:UrlPass-Planted-12@vault.contoso.com/v1/hybrid).name`,
    secrets: ["UrlPass-Planted-12"],
    parameter: "TlsSenderCertificateName",
    subject: HYBRID,
    writtenAs: "the property .name of a call to Invoke-RestMethod",
  },
  {
    name: "a URL with user:pass@host in the value itself",
    script: `${CONNECTOR} "https://svc:UrlPass-Planted-12b@vault/$certName"`,
    secrets: ["UrlPass-Planted-12b"],
    parameter: "TlsSenderCertificateName",
    subject: HYBRID,
    writtenAs: "a string using $certName",
  },
  {
    name: "a JWT-looking token",
    script: `Connect-ExchangeOnline -Organization (Get-TenantFromJwt -Jwt ${JWT})`,
    secrets: [JWT, "Planted13Signature"],
    parameter: "Organization",
    subject: "Connect-ExchangeOnline",
    writtenAs: "a call to Get-TenantFromJwt",
  },
  {
    name: "a 4 KB base64 blob in the value itself",
    script: `${CONNECTOR} "$certPrefix${BLOB}"`,
    secrets: [BLOB.slice(0, 24), BLOB.slice(-24)],
    parameter: "TlsSenderCertificateName",
    subject: HYBRID,
    // The blob's first characters would continue the variable's name: that name is not shown either.
    writtenAs: "a string",
  },
  {
    name: "typographic quotes around a secret",
    script: `${CONNECTOR} (Get-CertName -Secret ‘Typo-Planted-14’)`,
    secrets: ["Typo-Planted-14"],
    parameter: "TlsSenderCertificateName",
    subject: HYBRID,
    writtenAs: "a call to Get-CertName",
  },
  {
    name: "a PSCredential built from ConvertTo-SecureString",
    script: `Connect-ExchangeOnline -Organization (New-Object System.Management.Automation.PSCredential('admin', (ConvertTo-SecureString 'PsCred-Planted-16' -AsPlainText -Force))).UserName`,
    secrets: ["PsCred-Planted-16"],
    parameter: "Organization",
    subject: "Connect-ExchangeOnline",
    writtenAs: "the property .UserName of a call to New-Object",
  },
];

describe("a secret planted in a script never reaches a message", () => {
  it.each(channels.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const resource = exo("exo-secrets", c.script, c.environment ? { environment: c.environment } : {});
    const violations = await runStack(rules, [resource]);
    for (const v of violations) for (const secret of c.secrets) expect({ policy: v.policy, leaks: v.message.includes(secret) }).toEqual({ policy: v.policy, leaks: false });
    const advisories = violations.filter((v) => v.policy === INVENTORY_POLICY && v.resource === "exo-secrets" && v.message.includes(`Could not verify ${c.parameter} of ${c.subject} `));
    expect(advisories.map((v) => /\(written as (.*?)\) in exo-secrets\.create/.exec(v.message)?.[1])).toEqual([c.writtenAs]);
  });
});

describe("a secret planted in a script never reaches a report file", () => {
  const scratch = mkdtempSync(join(tmpdir(), "mailflow-guard-redaction-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  it.each(channels.map((c, i) => [c.name, c, i] as const))("%s", async (_name, c, i) => {
    const resource = exo("exo-secrets", c.script, c.environment ? { environment: c.environment } : {});
    const report = { json: join(scratch, `${i}.json`), sarif: join(scratch, `${i}.sarif`), markdown: join(scratch, `${i}.md`) };
    await analyzeInProcess(rules, [{ urn: urnOf(resource), name: resource.name, type: resource.type, props: resource.props }], { report });
    for (const [kind, path] of Object.entries(report)) {
      const text = readFileSync(path, "utf8");
      // The JSON report carries the model: the advisory's subject is in it, the secret is not.
      if (kind === "json") expect(text).toContain("exo-secrets");
      for (const secret of c.secrets) expect({ kind, leaks: text.includes(secret) }).toEqual({ kind, leaks: false });
    }
  });
});

/** The value assigned in `$v = <expression>`, as the evaluator would see it. */
const describeAssigned = (expression: string): string =>
  withPowerShellTree(`$v = ${expression}`, (root) => {
    const assignment = root.descendantsOfType("assignment_expression")[0]!;
    return describeExpression(assignment.namedChild(assignment.namedChildCount - 1)!);
  });

describe("describeExpression", () => {
  it.each([
    ["$cert.Thumbprint", "$cert.Thumbprint"],
    ["$env:EXO_ORG", "$env:EXO_ORG"],
    ["${env:EXO_ORG}", "${env:EXO_ORG}"],
    ["$(Get-Name)", "a subexpression"],
    ["@(Get-Name)", "an array subexpression"],
    ["{ Get-Name -Password 'x1' }", "a script block"],
    ["@{ Password = 'x2' }", "a hashtable"],
    ["'a', 'b'", "a list of 2 values"],
    ["$names[0]", "an element of $names"],
    ["[string]$x", "$x converted to [string]"],
    ["[Convert]::ToBase64String($bytes)", "[Convert]::ToBase64String()"],
    ["$client.GetSecret('x3').Value", "$client.GetSecret().Value"],
    ["(Get-Vault 'x4').Read('x5')", "a call to the method .Read() of a call to Get-Vault"],
    ["Get-Secret -Name 'x6' | Select-Object -ExpandProperty Name", "a pipeline ending in a call to Select-Object"],
    ["& $command -Token 'x7'", "an invoked command"],
    ['"$env:PREFIX.mail.contoso.com"', '"$env:PREFIX.mail.contoso.com"'],
    ['"password=hunter2-x8 $x"', "a string using $x"],
  ])("%s → %s", (expression, expected) => {
    expect(describeAssigned(expression)).toBe(expected);
  });

  it("shows no name longer than a name, and at most 80 characters on one line", () => {
    const longName = `$${"a".repeat(70)}`;
    expect(describeAssigned(`${longName}.Value`)).toBe("the property .Value of a variable");
    const deep = describeAssigned(`$cert${".Member".repeat(20)}`);
    expect({ length: deep.length, ending: deep.slice(-1) }).toEqual({ length: 80, ending: "…" });
  });

  it("never throws: a node it cannot read is an expression", () => {
    const broken = new Proxy({} as SyntaxNode, {
      get() {
        throw new Error("freed tree");
      },
    });
    expect(describeExpression(broken)).toBe("an expression");
  });
});

describe("scrubExpression", () => {
  it.each([
    ["line one\n  line two", "line one line two"],
    ["-Password=hunter2-y1", "-Password=…"],
    ["apiKey: 'abc-y2'", "apiKey: …"],
    ["https://svc:pw-y3@vault/v1", "https://…@vault/v1"],
    ["Bearer tok-y4", "Bearer …"],
    [`x ${JWT}`, "x …"],
    [`'${"A".repeat(70)}'`, "'…'"],
    [`-Name 'an unterminated quote ${"that ran on ".repeat(6)}`, "-Name '…"],
    ["$certPrefixAIoZozK8S9Vk7n0MliWvPshX4XD6iRiiMbtK1GPtfAuVJK49x1bgb", "$…"],
    ["thumbprint 0123456789ABCDEF0123456789ABCDEF01234567", "thumbprint 0123456789ABCDEF0123456789ABCDEF01234567"],
    ["TlsSenderCertificateName", "TlsSenderCertificateName"],
    ["B".repeat(100), "…"],
    ["a call to Get-CertName", "a call to Get-CertName"],
  ])("%j → %j", (text, expected) => {
    expect(scrubExpression(text)).toBe(expected);
  });

  it("cuts at 80 characters", () => {
    expect(scrubExpression("word ".repeat(40))).toBe(`${"word ".repeat(16).slice(0, 79)}…`);
  });
});

describe("renderUnverifiable", () => {
  it("scrubs an expression an extractor did not make safe: one line, no secret", () => {
    const u: Unverifiable = {
      subject: HYBRID,
      property: "TlsSenderCertificateName",
      reason: "this expression is only known when the script runs",
      expression: "(Get-Name -Password=Hunter2-z1\n$pw = 'also')",
      provenance: { urn: "urn:pulumi:test::mailflow::command:local:Command::exo", resourceName: "exo", resourceType: "command:local:Command", property: "create", line: 3 },
    };
    expect(renderUnverifiable(u)).toBe(
      "Could not verify TlsSenderCertificateName of inbound connector 'Hybrid' (written as (Get-Name -Password=… $pw = 'also')) in exo.create line 3: " +
        "this expression is only known when the script runs. It is checked again when the value is known (pulumi up).",
    );
  });
});
