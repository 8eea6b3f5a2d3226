/**
 * The run as a JSON report, one versioned format for the pack (`pulumi preview` / `up` / `policy
 * analyze`) and the audit (`mailflow-guard audit --json`), published as a JSON Schema in
 * docs/report.schema.json: the verdict, then every finding with its rule, the policy that reported it,
 * its level, waiver and (against a baseline) whether it is new; and, when given, the mail-flow model
 * the findings were derived from (`mailFlowModel`, versioned on its own), so `mailflow-guard flows
 * --report <file>` derives the same flows from it as from the exports. An audit adds what it read
 * (`audit`). Every record is built field by field from what a report may show: a finding's resource
 * is its name, type and URN (and where it was read), never the resource's inputs.
 */
import { fixLines, renderedFixOf } from "../fix/render";
import type { MailFlowModel, Provenance } from "../../model/types";
import { safeUnverifiable } from "../text";
import { docsUrl } from "./docs-url";
import { isBlocked, type ReportedFinding, type RunSnapshot } from "./run-report";

export const JSON_REPORT_FORMAT = "mailflow-guard-report/v2";
/** Earlier report formats `flows --report` and `audit --baseline` still read. */
export const READABLE_REPORT_FORMATS = [JSON_REPORT_FORMAT, "mailflow-guard-report/v1"];
/** Where the schema of the format is published (docs/report.schema.json in this repository). */
export const JSON_REPORT_SCHEMA = "https://github.com/mailflow-guard/mailflow-guard/blob/main/docs/report.schema.json";

/** The format of the report's `mailFlowModel` field (bump when the model's shape changes incompatibly). */
export const MODEL_FORMAT = "mailflow-guard-model/v1";

type Json = Record<string, unknown>;

/** What wrote the report, and what the audit adds. */
export interface ReportContext {
  kind: "pulumi" | "audit";
  /** When the run started (ISO 8601). */
  time?: string;
  /**
   * The findings (by fingerprint) that fail the run, where the writer decides that itself (the audit:
   * `--fail-on`, a baseline); otherwise an open finding of a mandatory policy fails it.
   */
  failing?: ReadonlySet<string>;
  /** Per finding (by fingerprint): its state against the baseline the audit compared with. */
  baselineStates?: ReadonlyMap<string, "new" | "unchanged">;
  /** The audit's own section: what it read, what it could not, what went away since the baseline. */
  audit?: Json;
}

const location = (p: Provenance): Json | undefined => (p.location ? { file: p.location.file, ...(p.location.line !== undefined ? { line: p.location.line } : {}) } : undefined);

/** A provenance entry, field by field. */
export function provenanceRecord(p: Provenance): Json {
  const at = location(p);
  return {
    urn: p.urn,
    resourceName: p.resourceName,
    resourceType: p.resourceType,
    ...(p.property !== undefined ? { property: p.property } : {}),
    ...(p.line !== undefined ? { line: p.line } : {}),
    ...(at ? { location: at } : {}),
  };
}

/** The resource a finding is reported on: its name, type and URN, and where it was read; nothing else of it. */
function resourceRecord(r: ReportedFinding): Json {
  const urn = r.resource.urn;
  const own = r.finding.provenance.find((p) => p.urn === urn) ?? (urn === "" ? r.finding.provenance[0] : undefined);
  const at = own && location(own);
  return { name: r.resource.name, type: own?.resourceType ?? "", urn, ...(at ? { location: at } : {}) };
}

/**
 * A finding's fix in the files: the proven plan in full on every finding it clears (a file is read
 * entry by entry, not top to bottom), with its id; or why none is proven and the steps by hand.
 */
export function fixRecord(r: ReportedFinding): Json {
  const fix = renderedFixOf(r.fix);
  if (!fix) return { proven: false, summary: fixLines(r.finding, r.fix).join("\n").replace(/^Fix: /, ""), powershell: "", pulumi: "" };
  return {
    proven: true,
    id: fix.id,
    summary: fix.summary,
    clears: [...fix.clears],
    change: [...fix.change],
    powershell: fix.powershell,
    pulumi: fix.pulumi.lines.join("\n"),
    ...(fix.placeholders.length ? { placeholders: [...fix.placeholders] } : {}),
  };
}

function findingRecord(r: ReportedFinding, context: ReportContext | undefined): Json {
  const f = r.finding;
  const valueFix = renderedFixOf(r.fix)?.valueFix;
  const state = context?.baselineStates?.get(f.fingerprint);
  return {
    ruleId: r.rule.id,
    code: r.rule.code,
    policy: r.policy,
    severity: f.severity,
    enforcementLevel: r.enforcement,
    status: r.status,
    ...(r.waiver ? { waiver: { ...r.waiver } } : {}),
    ...(r.notes.length ? { notes: [...r.notes] } : {}),
    ...(state ? { baselineState: state } : {}),
    resource: resourceRecord(r),
    what: f.what,
    ...(f.flow ? { flow: f.flow } : {}),
    consequence: f.consequence,
    fix: fixRecord(r),
    ...(valueFix ? { valueFix: { ...valueFix } } : {}),
    provenance: f.provenance.map(provenanceRecord),
    fingerprint: f.fingerprint,
    docs: docsUrl(r.rule.id),
  };
}

export function toJsonReport(run: RunSnapshot, model?: MailFlowModel, context?: ReportContext): Json {
  const findings = run.findings;
  const open = findings.filter((r) => r.status === "open");
  const failing = context?.failing ? findings.filter((r) => context.failing!.has(r.finding.fingerprint)) : open.filter((r) => r.enforcement === "mandatory");
  return {
    $schema: JSON_REPORT_SCHEMA,
    format: JSON_REPORT_FORMAT,
    tool: { name: run.tool.name, version: run.tool.version },
    run: { kind: context?.kind ?? "pulumi", time: context?.time ?? run.startedAt },
    verdict: (context?.failing ? failing.length > 0 : isBlocked(findings)) ? "blocked" : "passed",
    summary: { findings: findings.length, open: open.length, blocking: failing.length, waived: findings.length - open.length },
    findings: findings.map((r) => findingRecord(r, context)),
    ...(context?.audit ? { audit: context.audit } : {}),
    ...(model ? { mailFlowModel: { format: MODEL_FORMAT, ...model, unverifiable: model.unverifiable.map(safeUnverifiable) } } : {}),
  };
}
