/**
 * Issue 15: each distinct PowerShell text is parsed and evaluated once per process, and a text the
 * scan clears is not walked. Neither shortcut may change what the pack reports.
 */
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { commandExtractor } from "../../src/extractors/command";
import type { Evaluation } from "../../src/extractors/powershell/evaluate";
import { loadPowerShellGrammar } from "../../src/extractors/powershell/grammar";
import { cannotActOnMailFlow, clearScriptCache, evaluateFully, evaluatePowerShell, SCRIPT_CACHE_LIMITS, scriptCacheStats } from "../../src/extractors/powershell/script-cache";
import { UnknownValue, type ResourceInput } from "../../src/extractors/types";

beforeAll(() => loadPowerShellGrammar());
beforeEach(() => clearScriptCache());

/** Comparable form of an evaluation: maps as entries, script blocks by kind (their nodes die with the tree). */
const comparable = (e: Evaluation): string =>
  JSON.stringify(e, (key, value: unknown) => {
    if (value instanceof Map) return [...value];
    if (key === "node") return "(node)";
    return value;
  });

const CONNECTOR = `New-InboundConnector -Name "In" -ConnectorType OnPremises -SenderDomains 'a.example','b.example' -TlsSenderCertificateName $env:CERT`;

describe("the script cache", () => {
  it("evaluates a text once and hands out copies that later mutation cannot reach", () => {
    const first = evaluatePowerShell(CONNECTOR, { CERT: "mail.contoso.com" });
    const pristine = comparable(first);
    const domains = first.calls[0]!.parameters.get("SenderDomains")!;
    if (domains.kind !== "array") throw new Error(`expected an array, got ${domains.kind}`);
    domains.items.push({ kind: "string", value: "evil.example" });
    first.calls[0]!.parameters.set("TlsSenderCertificateName", { kind: "string", value: "*.evil.example" });
    first.unevaluated.push({ line: 1, command: "x", reason: "y" });
    const second = evaluatePowerShell(CONNECTOR, { CERT: "mail.contoso.com" });
    expect(comparable(second)).toBe(pristine);
    expect(second.calls[0]!.parameters.get("TlsSenderCertificateName")).toEqual({ kind: "string", value: "mail.contoso.com" });
    expect(scriptCacheStats()).toMatchObject({ entries: 1, hits: 1, misses: 1 });
  });

  it("keys by the environment: another value, or an unknown one, is another evaluation", () => {
    const known = evaluatePowerShell(CONNECTOR, { CERT: "a.contoso.com" });
    const other = evaluatePowerShell(CONNECTOR, { CERT: "b.contoso.com" });
    const unknown = evaluatePowerShell(CONNECTOR, { CERT: new UnknownValue("environment.CERT") });
    expect(known.calls[0]!.parameters.get("TlsSenderCertificateName")).toEqual({ kind: "string", value: "a.contoso.com" });
    expect(other.calls[0]!.parameters.get("TlsSenderCertificateName")).toEqual({ kind: "string", value: "b.contoso.com" });
    expect(unknown.calls[0]!.parameters.get("TlsSenderCertificateName")?.kind).toBe("unresolved");
    expect(scriptCacheStats()).toMatchObject({ entries: 3, hits: 0, misses: 3 });
  });

  it("stays within its size bound, dropping the least recently used text first", () => {
    const saved = { ...SCRIPT_CACHE_LIMITS };
    try {
      SCRIPT_CACHE_LIMITS.chars = 3 * (CONNECTOR.length + 40);
      const texts = [0, 1, 2, 3].map((i) => `${CONNECTOR} # ${i}`);
      for (const t of texts.slice(0, 3)) evaluatePowerShell(t, {});
      evaluatePowerShell(texts[0]!, {}); // used again: now the most recent
      evaluatePowerShell(texts[3]!, {}); // evicts texts[1], the least recently used
      expect(scriptCacheStats()).toMatchObject({ entries: 3, hits: 1, misses: 4 });
      expect(scriptCacheStats().chars).toBeLessThanOrEqual(SCRIPT_CACHE_LIMITS.chars);
      evaluatePowerShell(texts[0]!, {});
      evaluatePowerShell(texts[1]!, {});
      expect(scriptCacheStats()).toMatchObject({ hits: 2, misses: 5 });
    } finally {
      Object.assign(SCRIPT_CACHE_LIMITS, saved);
    }
  });

  it("serves the command extractor: the same script in two resources is parsed once and gives the same facts", () => {
    const resource = (name: string): ResourceInput => ({
      urn: `urn:pulumi:t::p::command:local:Command::${name}`,
      name,
      type: "command:local:Command",
      props: { interpreter: ["pwsh", "-Command"], create: `Connect-ExchangeOnline -Organization contoso.onmicrosoft.com\n${CONNECTOR}`, environment: { CERT: "mail.contoso.com" } },
      dependencies: [],
      propertyDependencies: {},
    });
    const a = commandExtractor.extract(resource("a"));
    const b = commandExtractor.extract(resource("b"));
    expect(scriptCacheStats()).toMatchObject({ entries: 1, hits: 1, misses: 1 });
    expect(JSON.stringify(b).replaceAll("::b", "::a").replaceAll("'b'", "'a'").replaceAll('"b"', '"a"')).toBe(JSON.stringify(a));
    expect(a.length).toBeGreaterThan(0);
  });
});

describe("the scan that lets a text skip evaluation", () => {
  it.each([
    ["Write-Host 'hello'\n$x = 1", true],
    ["aws s3 ls", true],
    ["New-InboundConnector -Name x", false],
    ["New-Inbound`Connector -Name x", false],
    ["Connect–ExchangeOnline", false],
    ["Import-PSSession $s -Prefix Op", false],
    ["& $cmd", false],
    [". ./other.ps1", false],
    [".{ Write-Host }", false],
    ["function f { }", false],
    ["filter f { }", false],
    ["1..300 | % { $_ }", false],
    ["foreach ($a in 1..9) { }", false],
    ["ICM -ScriptBlock { }", false],
    ["IEX $text", false],
    ["pwsh -Enc SQBFAFgA", false],
    ["[Convert]::FromBase64String($s)", false],
    [`Write-Host '${"a".repeat(20_001)}'`, false],
  ])("case %#: may skip %s", (text, skippable) => {
    expect(cannotActOnMailFlow(text)).toBe(skippable);
  });

  it("still reports a syntax error in a text it would skip", () => {
    const text = "Write-Host 'a'\n$x = (1 +\nWrite-Host 'b'";
    expect(cannotActOnMailFlow(text)).toBe(true);
    const full = evaluateFully(text, {});
    expect(full.syntaxErrors.length).toBeGreaterThan(0);
    expect(comparable(evaluatePowerShell(text, {}))).toBe(comparable(full));
    expect(scriptCacheStats().skippedEvaluations).toBe(0);
  });

  /** Random scripts over a vocabulary rich in near-misses: the fast path always gives what the full evaluation gives. */
  it("never hides a call, an advisory or a syntax error the full evaluation gives (random scripts)", () => {
    const WORDS = [
      "Write-Host", "Write-Output", "Get-Item", "Set-Content", "New-Item", "Get-InboundConnector", "New-InboundConnector", "Set-OutboundConnector", "New-SendConnector",
      "Connect-ExchangeOnline", "New-PSSession", "Invoke-Command", "Invoke-Expression", "iex", "icm", "Set-HybridConfiguration", "New-AcceptedDomain", "Import-ExchangeCertificate",
      "-Name", "-Identity", "-ScriptBlock", "-Organization", "-SenderDomains", "-TlsSenderCertificateName", "-ConnectorType", "OnPremises", "-Prefix", "-ConnectionUri",
      "$x", "$env:CERT", "$args", "=", "'a.example'", "'*.contoso.com'", '"text $x"', '"New-InboundConnector -Name x"', "@'\nNew-SendConnector -Name y\n'@", "1", "1..300",
      "(", ")", "{", "}", "[", "]", ";", "\n", "|", ",", "if", "else", "foreach", "in", "function", "f", "filter", "try", "catch", "&", ".", "%", "`", "#c", "<#", "#>", "@{a=1}", "@(", "–",
      "connector", "Connector", "Exchangeonline", "$true", "-Enc", "x.y", "..", "param(", "return",
    ];
    let seed = 15;
    const random = (): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    // A third of the scripts draw only from words the scan clears, a third from whole statements it clears
    // (they mostly parse, so the skip itself is exercised), a third from everything.
    const quiet = WORDS.filter((w) => cannotActOnMailFlow(w));
    const STATEMENTS = ["Write-Host 'a'", "$x = 1", "$y = \"v $x\"", "Get-Item x | Select-Object y", "if ($x) { Write-Host b } else { $z = 2 }", "# comment", "try { Get-Item z } catch { }", "$h = @{ a = 'b' }", "[string]$s = 'x'", "Get-Item -Path ($x)", "<# block #>"];
    // Statements with no mail-flow name that the evaluator still reports: the scan must not clear them.
    const TRAPS = ["function f { f }\nf", "filter g { g }\ng", "foreach ($a in 1..300) { $b = 1 }", "1..300 | % { $b = 1 }", "1..300 | ForEach-Object { $b = 1 }", "& $x", ". $x", "&('a' + 'b')", "iex $t", "Invoke-Command -FilePath x.ps1", "icm -ScriptBlock $sb"];
    let skippable = 0;
    for (let i = 0; i < 1600; i++) {
      const [pool, joiner] = [[quiet, random() < 0.5 ? " " : ""], [STATEMENTS, "\n"], [WORDS, random() < 0.5 ? " " : ""], [[...STATEMENTS, ...TRAPS], "\n"]][i % 4] as [string[], string];
      // Few statements around a trap, so that no other word gives it away.
      const length = 1 + Math.floor(random() * (i % 4 === 3 ? 3 : 24));
      const text = Array.from({ length }, () => pool[Math.floor(random() * pool.length)]!).join(joiner);
      if (cannotActOnMailFlow(text)) skippable++;
      const environment = { CERT: "mail.contoso.com" };
      expect(comparable(evaluatePowerShell(text, environment)), text).toBe(comparable(evaluateFully(text, environment)));
    }
    expect(skippable).toBeGreaterThan(700);
    expect(scriptCacheStats().skippedEvaluations).toBeGreaterThan(400);
  });
});
