import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/findings/types";
import { PipelineReports } from "../../src/reporters/files/pipeline";
import { parseSuppressionComment, suppressionComments } from "../../src/reporters/files/suppressions";
import type { FixText } from "../../src/reporters/fix/render";
import { rules } from "../../src/rules";

const URN = "urn:pulumi:test::mailflow::command:local:Command::exo";
const finding = (_what: string, line = 2): Finding => ({
  ruleId: "wildcard-onpremises-certificate-name",
  severity: "high",
  what: "w",
  consequence: "c",
  plans: [],
  provenance: [{ urn: URN, resourceName: "exo", resourceType: "command:local:Command", property: "create", line }],
  fingerprint: "fp",
});
/** A proven one-value fix as the reporter renders it (what the files take it from). */
const oneValueFix: FixText = {
  carries: {
    id: "#1",
    summary: "s",
    clears: ["wildcard-onpremises-certificate-name"],
    clearedFindings: 1,
    change: [],
    changes: { scripts: [], inputs: [], additions: [] },
    powershell: "",
    pulumi: { lines: [], edits: [], values: [] },
    placeholders: [],
    valueFix: { urn: URN, resourceName: "exo", property: "create", line: 2, startColumn: 5, endColumn: 10, parameter: "TlsSenderCertificateName", replacement: "'x.contoso.com'" },
  },
};
const valueFixOf = (f: { fix?: FixText }) => (f.fix && "carries" in f.fix ? f.fix.carries.valueFix : undefined);

describe("parseSuppressionComment", () => {
  it.each([
    ["# mailflow-guard:ignore r3 exp:2026-12-31 HCW re-run", { policies: ["r3"], expires: "2026-12-31", reason: "HCW re-run" }],
    ["#   MAILFLOW-GUARD:IGNORE r3 EXP:2026-01-01 why not", { policies: ["r3"], expires: "2026-01-01", reason: "why not" }],
    ["# mailflow-guard:ignore r3 no expiry", { policies: ["r3"], reason: "no expiry" }],
    ["# mailflow-guard:ignore", { policies: [], reason: "" }],
    ["# mailflow-guard:ignore r2, r3 ,r11 exp:2026-12-31 one wildcard, three findings", { policies: ["r2", "r3", "r11"], expires: "2026-12-31", reason: "one wildcard, three findings" }],
    ["# mailflow-guard:ignore r2,r3 exp:2026-12-31 why", { policies: ["r2", "r3"], expires: "2026-12-31", reason: "why" }],
  ])("%s", (line, expected) => {
    expect(parseSuppressionComment(line)).toEqual(expected);
  });
  it("a comment without the marker has none", () => {
    expect(parseSuppressionComment("# mailflow-guard ignore r3 exp:2026-12-31 x")).toBeUndefined();
  });
  it("finds comments by PowerShell's lexical rules: a trailing one, a run above, none inside a string", () => {
    const text = [
      "Set-X -A b  #   MAILFLOW-GUARD:IGNORE r3 EXP:2026-01-01 why not",
      "# mailflow-guard:ignore r2 exp:2026-01-01 first of a run",
      "# a plain comment in the run",
      "New-X -Name '# mailflow-guard:ignore r9 exp:2026-01-01 in a string, not a comment'",
      "@'",
      "# mailflow-guard:ignore r8 exp:2026-01-01 in a here-string",
      "'@",
    ].join("\n");
    expect(suppressionComments(text).map((c) => [c.line, c.policies])).toEqual([
      [1, ["r3"]],
      [2, ["r2"]],
    ]);
  });
});

describe("PipelineReports", () => {
  it("records every finding for the run's summary, and keeps its fix (and one-value fix) only when a report file is asked for", () => {
    const reports = new PipelineReports(rules, {});
    const rule = rules.find((r) => r.meta.id === "wildcard-onpremises-certificate-name")!;
    const oneValue = finding("Set-InboundConnector -Identity 'From on-prem' -TlsSenderCertificateName 'smtpo365.contoso.com'");
    reports.record({}, rule.meta.id, rule, oneValue, { name: "exo", urn: URN }, { notes: [] }, oneValueFix);
    expect(reports.run.snapshot().findings.map((f) => [f.policy, valueFixOf(f) !== undefined])).toEqual([[rule.meta.id, false]]);
    reports.record({ report: { json: "/nonexistent-dir-for-test/r.json" } }, rule.meta.id, rule, oneValue, { name: "exo", urn: URN }, { notes: [] }, oneValueFix);
    expect(reports.run.snapshot().findings.map((f) => [f.policy, valueFixOf(f) !== undefined])).toEqual([[rule.meta.id, true]]);
  });
  it("writes the level the engine applies to each policy, where its configuration says", () => {
    const reports = new PipelineReports(rules, {}, (policy, byDefault) => (policy === "wildcard-onpremises-certificate-name" ? "advisory" : byDefault));
    const rule = rules.find((r) => r.meta.id === "wildcard-onpremises-certificate-name")!;
    reports.record({}, rule.meta.id, rule, finding("x"), { name: "exo", urn: URN }, { notes: [] });
    const snapshot = reports.run.snapshot();
    expect([snapshot.findings[0]!.enforcement, snapshot.policies.find((p) => p.name === rule.meta.id)!.enforcement]).toEqual(["advisory", "advisory"]);
  });
});
