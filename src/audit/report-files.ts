/**
 * The audit's report files: its findings recorded into the pack's own RunReport and written by the
 * pack's own renderers (src/reporters/files), so a dashboard reads an audit like a preview: SARIF
 * 2.1.0 (every result anchored at the export file and the line of the object), Markdown, and the one
 * versioned JSON format (docs/report.schema.json). Each finding is recorded under its rule id, at the
 * level the configuration gives the rule, waived where a configured exemption covers it.
 */
import { PACK_NAME, packVersion } from "../reporters/pulumi/pack-metadata";
import { provenanceRecord, toJsonReport, type ReportContext } from "../reporters/files/json";
import { toMarkdown } from "../reporters/files/markdown";
import { RunReport } from "../reporters/files/run-report";
import { toSarif } from "../reporters/files/sarif";
import { writeAtomically } from "../reporters/files/write";
import { AUDIT_WORDING, renderUnverifiable, safeUnverifiable } from "../reporters/text";
import { rules as allRules } from "../rules";
import { defaultEnforcement, type Rule } from "../rules/utils/define-rule";
import type { AuditResult } from "./audit";

export type AuditFileFormat = "sarif" | "markdown" | "json";
export type AuditFileTargets = Partial<Record<AuditFileFormat, string>>;

/** The policy an audit finding is reported under: the rule's own (one rule, one id, in every output). */
export const auditPolicyOf = (rule: Rule): string => rule.meta.id;

/** The resource a finding is reported on: the first one it names (the stack when it names none). */
function reportedResource(result: AuditResult, index: number): { name: string; urn: string } {
  const first = result.judged[index]?.finding.provenance[0];
  return first ? { name: first.resourceName, urn: first.urn } : { name: "(stack)", urn: "" };
}

/** The audit's findings as the pack records them for its report files. */
export function auditRunReport(result: AuditResult, rules: readonly Rule[] = allRules): RunReport {
  const levelOf = (rule: Rule) => result.judged.find((j) => j.finding.ruleId === rule.meta.id)?.level ?? defaultEnforcement(rule.meta.severity);
  const run = new RunReport(
    rules.map((rule) => ({ name: auditPolicyOf(rule), rule: rule.meta, enforcement: levelOf(rule) })),
    { name: PACK_NAME, version: packVersion() },
  );
  result.judged.forEach((j, i) => {
    const rule = rules.find((r) => r.meta.id === j.finding.ruleId);
    if (!rule) return;
    run.record({
      policy: auditPolicyOf(rule),
      rule: rule.meta,
      enforcement: j.level,
      finding: j.finding,
      resource: reportedResource(result, i),
      status: j.status,
      ...(j.waiver ? { waiver: j.waiver } : {}),
      notes: j.notes,
      ...(result.fixes.has(j.finding.fingerprint) ? { fix: result.fixes.get(j.finding.fingerprint)! } : {}),
    });
  });
  return run;
}

const baselineStates = (result: AuditResult) => new Map(result.judged.flatMap((j) => (j.baselineState ? [[j.finding.fingerprint, j.baselineState] as const] : [])));

/** The audit's own section of the JSON report: what it read, could not read, and compared with. */
export function auditSection(result: AuditResult): Record<string, unknown> {
  return {
    inputs: result.inputs.map((i) => ({
      file: i.file,
      status: i.status,
      ...(i.why !== undefined ? { why: i.why } : {}),
      ...(i.encoding !== undefined ? { encoding: i.encoding } : {}),
      ...(i.format !== undefined ? { format: i.format } : {}),
      ...(i.objects !== undefined ? { objects: i.objects } : {}),
    })),
    coverage: result.coverage,
    problems: result.problems.map((p) => ({ file: p.file, place: p.place, problem: p.problem })),
    unverifiable: result.unverifiable.map((unverifiable) => {
      const u = safeUnverifiable(unverifiable);
      return {
        subject: u.subject,
        property: u.property,
        reason: u.reason,
        ...(u.expression !== undefined ? { expression: u.expression } : {}),
        ...(u.known !== undefined ? { known: u.known } : {}),
        provenance: provenanceRecord(u.provenance),
        message: renderUnverifiable(unverifiable, AUDIT_WORDING),
      };
    }),
    unusedExemptions: result.unusedExemptions.map((e) => ({ ...e })),
    ...(result.baseline ? { baseline: { file: result.baseline.file, resolved: result.baseline.resolved } } : {}),
    ...(result.failOn ? { failOn: result.failOn } : {}),
  };
}

/** The audit as the one JSON report format (`--json`, `--report-json`). */
export function auditJsonReport(result: AuditResult, time = new Date().toISOString()): Record<string, unknown> {
  const context: ReportContext = {
    kind: "audit",
    time,
    failing: new Set(result.judged.filter((j) => j.fails).map((j) => j.finding.fingerprint)),
    baselineStates: baselineStates(result),
    audit: auditSection(result),
  };
  return toJsonReport(auditRunReport(result).snapshot(), result.model, context);
}

const RENDERERS: Record<AuditFileFormat, (run: RunReport, result: AuditResult) => string> = {
  sarif: (run, result) => JSON.stringify(toSarif(run.snapshot(), { wording: AUDIT_WORDING, baselineStates: baselineStates(result) }), null, 2),
  // The summary draws the audited model, as the pack's draws the stack's.
  markdown: (run, result) => toMarkdown(run.snapshot(), result.model),
  json: (_run, result) => JSON.stringify(auditJsonReport(result), null, 2),
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
