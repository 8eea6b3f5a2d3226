/**
 * The run as a JSON report: the verdict, then every finding with its flow, provenance, fix and waiver;
 * and, when given, the mail-flow model the findings were derived from (`mailFlowModel`, versioned on its
 * own), so `mailflow-guard flows --report <file>` derives the same flows from it as from the exports.
 */
import type { MailFlowModel } from "../../model/types";
import { safeUnverifiable } from "../text";
import { docsUrl } from "./docs-url";
import { isBlocked, type RunSnapshot } from "./run-report";

export const JSON_REPORT_FORMAT = "mailflow-guard-report/v1";

/** The format of the report's `mailFlowModel` field (bump when the model's shape changes incompatibly). */
export const MODEL_FORMAT = "mailflow-guard-model/v1";

export function toJsonReport(run: RunSnapshot, model?: MailFlowModel): Record<string, unknown> {
  return {
    format: JSON_REPORT_FORMAT,
    tool: run.tool,
    startedAt: run.startedAt,
    verdict: isBlocked(run.findings) ? "blocked" : "passed",
    findings: run.findings.map((r) => ({
      policy: r.policy,
      ruleId: r.rule.id,
      severity: r.finding.severity,
      enforcementLevel: r.enforcement,
      status: r.status,
      ...(r.waiver ? { waiver: r.waiver } : {}),
      ...(r.notes.length ? { notes: r.notes } : {}),
      resource: r.resource,
      what: r.finding.what,
      ...(r.finding.flow ? { flow: r.finding.flow } : {}),
      consequence: r.finding.consequence,
      fix: r.finding.fix,
      ...(r.valueFix ? { valueFix: r.valueFix } : {}),
      provenance: r.finding.provenance,
      fingerprint: r.finding.fingerprint,
      docs: docsUrl(r.rule.id),
    })),
    ...(model ? { mailFlowModel: { format: MODEL_FORMAT, ...model, unverifiable: model.unverifiable.map(safeUnverifiable) } } : {}),
  };
}
