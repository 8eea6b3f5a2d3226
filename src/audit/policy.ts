/**
 * The pack's configuration applied to the audit, as the engine and the pack apply it to a preview:
 * rule levels (`{"all": "mandatory", "<rule>": "advisory" | "disabled" | {"enforcementLevel": …}}`
 * beside `mailflow-inventory`, the same JSON as `--policy-pack-config`), configured exemptions with
 * their expiry (src/config/exemptions.ts), and, for a nightly job, a severity threshold (`--fail-on`)
 * and a baseline (the previous run's JSON report: only findings whose fingerprint is new count).
 */
import { closestName } from "../config/closest";
import { exemptionFor, expiredExemptionNote } from "../config/exemptions";
import type { ExemptionConfig } from "../config/schema";
import type { ExportProblem } from "../extractors/exports";
import { SEVERITY_ORDER, type Finding, type Severity } from "../findings/types";
import { defaultEnforcement, type Rule } from "../rules/utils/define-rule";

export type Level = "mandatory" | "advisory" | "disabled";
export type BaselineState = "new" | "unchanged";

/** The pack's other policies: accepted in the configuration, with no rule of the audit's to set. */
const PACK_POLICIES = ["mailflow-inventory", "mailflow-config", "mailflow-unverifiable"];
const LEVELS = ["advisory", "mandatory", "disabled", "remediate"];

export interface PolicyConfigInput {
  file: string;
  value: Record<string, unknown>;
}

/** Each rule's level: its default (critical and high mandatory), then `all`, then its own key, file after file. */
export function ruleLevels(configs: readonly PolicyConfigInput[], rules: readonly Rule[]): { levels: Map<string, Level>; problems: ExportProblem[] } {
  const levels = new Map<string, Level>(rules.map((r) => [r.meta.id, defaultEnforcement(r.meta.severity)]));
  const problems: ExportProblem[] = [];
  const ids = rules.map((r) => r.meta.id);
  // `<rule>-stack` names the rule's whole-stack policy in the pack: one rule, one level here.
  const known = [...ids, ...ids.map((id) => `${id}-stack`), ...PACK_POLICIES, "all"];
  for (const { file, value } of configs) {
    const read = (key: string): Level | undefined => {
      const raw = value[key];
      const level = typeof raw === "string" ? raw : raw !== null && typeof raw === "object" && !Array.isArray(raw) ? (raw as Record<string, unknown>)["enforcementLevel"] : undefined;
      if (level === undefined && raw !== null && typeof raw === "object") return undefined;
      if (typeof level !== "string" || !LEVELS.includes(level)) {
        problems.push({ file, place: key, problem: `the level must be one of ${LEVELS.join(", ")}` });
        return undefined;
      }
      // The pack's rules have nothing to remediate: a rule set to remediate still stops the run.
      return level === "remediate" ? "mandatory" : (level as Level);
    };
    const all = "all" in value ? read("all") : undefined;
    if (all) for (const id of ids) levels.set(id, all);
    for (const key of Object.keys(value)) {
      if (key === "all" || PACK_POLICIES.includes(key)) continue;
      const id = key.replace(/-stack$/, "");
      if (!ids.includes(id)) {
        const near = closestName(key, known);
        problems.push({ file, place: key, problem: `is not a policy of this pack${near ? ` (did you mean ${near}?)` : ""}: it sets nothing` });
        continue;
      }
      const level = read(key);
      if (level) levels.set(id, level);
    }
  }
  return { levels, problems };
}

export interface Judged {
  finding: Finding;
  level: Exclude<Level, "disabled">;
  status: "open" | "waived";
  waiver?: { source: "config"; reason: string; resource: string; expires?: string };
  notes: string[];
  baselineState?: BaselineState;
  /** Whether this finding fails the audit (open, new against the baseline, at the threshold). */
  fails: boolean;
}

export interface JudgeOptions {
  levels: ReadonlyMap<string, Level>;
  exemptions: readonly ExemptionConfig[];
  /** `YYYY-MM-DD` (UTC). */
  today: string;
  /** Fingerprints of the baseline's findings, when a baseline was given. */
  baseline?: ReadonlySet<string>;
  /** Fail on open findings of this severity or higher; `none`: never on findings. Default: on the rule's level (mandatory). */
  failOn?: Severity | "none";
}

const atLeast = (s: Severity, threshold: Severity): boolean => SEVERITY_ORDER.indexOf(s) >= SEVERITY_ORDER.indexOf(threshold);

/** What the audit makes of each finding; and which configured exemptions matched none. */
export function judge(findings: readonly Finding[], options: JudgeOptions): { judged: Judged[]; unusedExemptions: ExemptionConfig[] } {
  const used = new Set<ExemptionConfig>();
  const judged = findings.map((finding): Judged => {
    const level = (options.levels.get(finding.ruleId) ?? defaultEnforcement(finding.severity)) as Exclude<Level, "disabled">;
    const involved = finding.provenance.flatMap((p) => [{ name: p.resourceName, urn: p.urn }, ...(p.location ? [{ name: p.location.file, urn: `${p.location.file}:${p.location.line ?? ""}` }] : [])]);
    const verdict = exemptionFor(options.exemptions, [finding.ruleId, `${finding.ruleId}-stack`], involved, options.today);
    if (verdict.kind !== "none") used.add(verdict.exemption);
    const waiver = verdict.kind === "exempt" ? { source: "config" as const, reason: verdict.exemption.reason, resource: verdict.exemption.resource, ...(verdict.exemption.expires ? { expires: verdict.exemption.expires } : {}) } : undefined;
    const baselineState: BaselineState | undefined = options.baseline ? (options.baseline.has(finding.fingerprint) ? "unchanged" : "new") : undefined;
    const threshold = options.failOn;
    const failing = threshold === undefined ? level === "mandatory" : threshold !== "none" && atLeast(finding.severity, threshold);
    return {
      finding,
      level,
      status: waiver ? "waived" : "open",
      ...(waiver ? { waiver } : {}),
      notes: verdict.kind === "expired" ? [expiredExemptionNote(verdict.exemption)] : [],
      ...(baselineState ? { baselineState } : {}),
      fails: !waiver && baselineState !== "unchanged" && failing,
    };
  });
  return { judged, unusedExemptions: options.exemptions.filter((e) => !used.has(e)) };
}

export interface BaselineFinding {
  fingerprint: string;
  ruleId: string;
  what: string;
}

export interface Baseline {
  file: string;
  fingerprints: ReadonlySet<string>;
  findings: BaselineFinding[];
}

/** The findings of a previous run's JSON report (this format, or the pack's v1 report), or why it cannot be read. */
export function baselineOf(file: string, text: string): Baseline | string {
  let report: unknown;
  try {
    report = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch {
    return `${file} is not JSON: give the JSON report (--json) of a previous audit or preview`;
  }
  const findings = report !== null && typeof report === "object" ? (report as { findings?: unknown }).findings : undefined;
  const format = report !== null && typeof report === "object" ? (report as { format?: unknown }).format : undefined;
  if (!Array.isArray(findings) || typeof format !== "string" || !format.startsWith("mailflow-guard-report/")) return `${file} is not a mailflow-guard JSON report (no format and findings)`;
  const read = findings.flatMap((f) => {
    const r = f as Record<string, unknown>;
    return typeof r?.["fingerprint"] === "string" ? [{ fingerprint: r["fingerprint"], ruleId: String(r["ruleId"] ?? ""), what: String(r["what"] ?? "") }] : [];
  });
  return { file, fingerprints: new Set(read.map((f) => f.fingerprint)), findings: read };
}
