/**
 * The audit's SARIF and Markdown files: its findings recorded into the pack's own RunReport and written
 * by the pack's own renderers (src/reporters/files), so a dashboard reads an audit like a preview.
 */
import type { Finding } from "../findings/types";
import { PipelineReports } from "../reporters/files/pipeline";
import type { RunReport } from "../reporters/files/run-report";
import { toMarkdown } from "../reporters/files/markdown";
import { toSarif } from "../reporters/files/sarif";
import { writeAtomically } from "../reporters/files/write";
import { rules as allRules } from "../rules";
import { defaultEnforcement, type Rule } from "../rules/utils/define-rule";
import type { AuditResult } from "./audit";

export type AuditFileFormat = "sarif" | "markdown";
export type AuditFileTargets = Partial<Record<AuditFileFormat, string>>;

/**
 * The policy the pack reports a finding under: the rule's own, named by its id (a unit test checks
 * that every policy the audit reports is one the pack registers).
 */
export function auditPolicyOf(rule: Rule): string {
  return rule.meta.id;
}

/** The resource a finding is reported on: the first one it names (the stack when it names none). */
function reportedResource(f: Finding): { name: string; urn: string } {
  const first = f.provenance[0];
  return first ? { name: first.resourceName, urn: first.urn } : { name: "(stack)", urn: "" };
}

/** The audit's findings as the pack records them for its report files (all open: the audit waives nothing). */
export function auditRunReport(result: AuditResult, rules: readonly Rule[] = allRules): RunReport {
  const run = new PipelineReports(rules).run;
  for (const f of result.findings) {
    const rule = rules.find((r) => r.meta.id === f.ruleId);
    if (!rule) continue;
    run.record({ policy: auditPolicyOf(rule), rule: rule.meta, enforcement: defaultEnforcement(rule.meta.severity), finding: f, resource: reportedResource(f), status: "open", notes: [] });
  }
  return run;
}

const RENDERERS: Record<AuditFileFormat, (run: RunReport, result: AuditResult) => string> = {
  sarif: (run) => JSON.stringify(toSarif(run.snapshot()), null, 2),
  // The summary draws the audited model, as the pack's draws the stack's.
  markdown: (run, result) => toMarkdown(run.snapshot(), result.model),
};

/** The text of each asked-for file. */
export function renderAuditFiles(result: AuditResult, targets: AuditFileTargets): Array<{ format: AuditFileFormat; path: string; text: string }> {
  const run = auditRunReport(result);
  return (Object.entries(targets) as Array<[AuditFileFormat, string]>).map(([format, path]) => ({ format, path, text: RENDERERS[format](run, result) }));
}

/** Writes each asked-for file atomically; returns one message per file that could not be written (never throws). */
export function writeAuditFiles(result: AuditResult, targets: AuditFileTargets): string[] {
  return renderAuditFiles(result, targets).flatMap(({ format, path, text }) => {
    const error = writeAtomically(path, text);
    return error === undefined ? [] : [`cannot write the ${format} report to ${path}: ${error}`];
  });
}
