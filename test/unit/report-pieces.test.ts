import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/findings/types";
import { PipelineReports } from "../../src/reporters/files/pipeline";
import { parseSuppressionComment } from "../../src/reporters/files/suppressions";
import { literalArguments, singleValueFix } from "../../src/reporters/files/value-fix";
import { rules } from "../../src/rules";

const URN = "urn:pulumi:test::mailflow::command:local:Command::exo";
const finding = (powershell: string, line = 2): Finding => ({
  ruleId: "wildcard-onpremises-certificate-name",
  severity: "high",
  what: "w",
  consequence: "c",
  fix: { summary: "s", powershell, pulumi: "p" },
  provenance: [{ urn: URN, resourceName: "exo", resourceType: "command:local:Command", property: "create", line }],
  fingerprint: "fp",
});
const script = "Connect-ExchangeOnline -Organization contoso.onmicrosoft.com\nNew-InboundConnector -Name 'From on-prem' -ConnectorType OnPremises -TlsSenderCertificateName *.contoso.com";
const scripts = (urn: string, property: string) => (urn === URN && property === "create" ? script : undefined);

describe("parseSuppressionComment", () => {
  it.each([
    ["# mailflow-guard:ignore r3 exp:2026-12-31 HCW re-run", { policy: "r3", expires: "2026-12-31", reason: "HCW re-run" }],
    ["Set-X -A b  #   MAILFLOW-GUARD:IGNORE r3 EXP:2026-01-01 why not", { policy: "r3", expires: "2026-01-01", reason: "why not" }],
    ["# mailflow-guard:ignore r3 no expiry", { policy: "r3", reason: "no expiry" }],
    ["# mailflow-guard:ignore", { policy: "", reason: "" }],
  ])("%s", (line, expected) => {
    expect(parseSuppressionComment(line)).toEqual(expected);
  });
  it("a line without the marker has none", () => {
    expect(parseSuppressionComment("# mailflow-guard ignore r3 exp:2026-12-31 x")).toBeUndefined();
  });
});

describe("singleValueFix", () => {
  it("replaces the one literal the fix changes on the same connector, at its columns", () => {
    const fix = singleValueFix(finding("# EXO\nSet-InboundConnector -Identity 'From on-prem' -TlsSenderCertificateName 'smtpo365.contoso.com'"), scripts);
    const line = script.split("\n")[1]!;
    expect(fix).toEqual({
      urn: URN,
      resourceName: "exo",
      property: "create",
      line: 2,
      startColumn: line.indexOf("*.contoso.com") + 1,
      endColumn: line.indexOf("*.contoso.com") + 1 + "*.contoso.com".length,
      parameter: "tlssendercertificatename",
      replacement: "'smtpo365.contoso.com'",
    });
  });
  it.each([
    ["another connector", "Set-InboundConnector -Identity 'Other' -TlsSenderCertificateName 'smtpo365.contoso.com'"],
    ["a placeholder value", "Set-InboundConnector -Identity 'From on-prem' -TlsSenderCertificateName '<name>'"],
    ["a variable value", "Set-InboundConnector -Identity 'From on-prem' -TlsSenderCertificateName $name"],
    ["two changes", "Set-InboundConnector -Identity 'From on-prem' -TlsSenderCertificateName 'a.contoso.com' -ConnectorType Partner"],
    ["no change", "Set-InboundConnector -Identity 'From on-prem' -TlsSenderCertificateName *.contoso.com"],
  ])("none for %s", (_name, powershell) => {
    expect(singleValueFix(finding(powershell), scripts)).toBeUndefined();
  });
  it("reads quoted literals as PowerShell does", () => {
    expect(literalArguments(`New-X -Name 'it''s' -Other "plain" -Bare word`).map((a) => [a.parameter, a.value])).toEqual([
      ["name", "it's"],
      ["other", "plain"],
      ["bare", "word"],
    ]);
  });
});

describe("PipelineReports", () => {
  it("keeps nothing when no report file is asked for", () => {
    const reports = new PipelineReports(rules, {});
    const rule = rules.find((r) => r.meta.id === "wildcard-onpremises-certificate-name")!;
    reports.record({}, rule.meta.id, rule, finding("x"), { name: "exo", urn: URN }, { notes: [] }, scripts);
    expect(reports.run.snapshot().findings).toEqual([]);
    reports.record({ report: { json: "/nonexistent-dir-for-test/r.json" } }, rule.meta.id, rule, finding("x"), { name: "exo", urn: URN }, { notes: [] }, scripts);
    expect(reports.run.snapshot().findings.map((f) => f.policy)).toEqual([rule.meta.id]);
  });
});
