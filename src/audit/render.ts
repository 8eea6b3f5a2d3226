/** The audit's output: text (as the pack writes each finding) or JSON; and the exit code. */
import { renderFinding, renderUnverifiable, safeUnverifiable } from "../reporters/text";
import { rules } from "../rules";
import { defaultEnforcement } from "../rules/utils/define-rule";
import type { AuditResult } from "./audit";

/** 0 clean or advisory only; 1 a blocking (critical/high) finding; 3 an input could not be read (and nothing blocks). */
export function exitCodeOf(result: AuditResult): number {
  if (result.blocking) return 1;
  return result.problems.length > 0 ? 3 : 0;
}

const codeOf = (ruleId: string): string => rules.find((r) => r.meta.id === ruleId)?.meta.code ?? "";

export function renderText(result: AuditResult): string {
  const out: string[] = [];
  for (const p of result.problems) out.push(`Input problem: ${p.file} (${p.place}): ${p.problem}`);
  for (const f of result.findings) {
    const verdict = defaultEnforcement(f.severity) === "mandatory" ? "BLOCKED" : "advisory";
    out.push("", `[${verdict}] ${f.ruleId} (${codeOf(f.ruleId)}, ${f.severity})`, renderFinding(f));
  }
  if (result.unverifiable.length) out.push("", "Not verified:", ...result.unverifiable.map((u) => `  - ${renderUnverifiable(u)}`));
  const blocking = result.findings.filter((f) => defaultEnforcement(f.severity) === "mandatory").length;
  out.push(
    "",
    `${result.files} file(s) audited: ${result.findings.length} finding(s), ${blocking} blocking, ${result.unverifiable.length} value(s) not verified, ${result.problems.length} input problem(s).`,
  );
  return out.join("\n").replace(/^\n/, "");
}

export function renderJson(result: AuditResult): string {
  return JSON.stringify(
    {
      blocking: result.blocking,
      files: result.files,
      findings: result.findings.map((f) => ({ ...f, enforcement: defaultEnforcement(f.severity), code: codeOf(f.ruleId) })),
      unverifiable: result.unverifiable.map((u) => ({ ...safeUnverifiable(u), message: renderUnverifiable(u) })),
      problems: result.problems,
    },
    null,
    2,
  );
}
