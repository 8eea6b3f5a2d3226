/** The run as a JSON report: the verdict, then every finding with its flow, provenance, fix and waiver. */
import { docsUrl } from "./docs-url";
import { isBlocked, type RunSnapshot } from "./run-report";

export const JSON_REPORT_FORMAT = "mailflow-guard-report/v1";

export function toJsonReport(run: RunSnapshot): Record<string, unknown> {
  return {
    format: JSON_REPORT_FORMAT,
    tool: run.tool,
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
  };
}
