/**
 * Everything the pack reported in one run (one analyzer process, or one in-process run), kept for the
 * files a pipeline reads: SARIF, JSON, Markdown. Findings that were exempted or suppressed are kept
 * too, marked so: a report never drops one silently.
 */
import type { Finding } from "../../findings/types";
import type { RuleMeta } from "../../rules/utils/define-rule";
import type { FixText } from "../fix/render";

export type Enforcement = "mandatory" | "advisory";

/** Why a finding did not become a violation. */
export type Waiver =
  | { source: "config"; reason: string; resource: string; expires?: string }
  | { source: "inline"; reason: string; where: string; expires?: string };

export interface ReportedFinding {
  /** The policy that reported it: the rule id (one policy per rule). */
  policy: string;
  rule: RuleMeta;
  /** The level the engine applies to the policy: its configured level where the pack saw it, else its default. */
  enforcement: Enforcement;
  finding: Finding;
  /** The resource it is reported on; urn "" for the stack. */
  resource: { name: string; urn: string };
  status: "open" | "waived";
  waiver?: Waiver;
  /** Lines added to the violation: an expired exemption or suppression. */
  notes: string[];
  /** Its proven fix, as its message shows it (printed on it, or by reference to the finding that prints it), or why there is none. */
  fix?: FixText;
}

/** A policy that can report findings: the rule's resource policy, or its stack policy. */
export interface ReportPolicy {
  name: string;
  rule: RuleMeta;
  enforcement: Enforcement;
}

export interface RunSnapshot {
  tool: { name: string; version: string };
  /** When the run started (ISO 8601, UTC): a file left by an earlier run says so. */
  startedAt: string;
  policies: readonly ReportPolicy[];
  findings: readonly ReportedFinding[];
}

/** Blocked when an open finding's policy is mandatory. */
export const isBlocked = (findings: readonly ReportedFinding[]): boolean => findings.some((f) => f.status === "open" && f.enforcement === "mandatory");

export class RunReport {
  private readonly byKey = new Map<string, ReportedFinding>();
  private version = 0;
  readonly startedAt = new Date().toISOString();

  /** `levelOf`: the level the engine applies to a policy (its configuration), given the policy's default. */
  constructor(
    readonly policies: readonly ReportPolicy[],
    private readonly tool = { name: "mailflow-guard", version: "0.0.0" },
    private readonly levelOf: (policy: string, byDefault: Enforcement) => Enforcement = (_policy, byDefault) => byDefault,
  ) {}

  /** Records a finding (once per policy and fingerprint; a later call replaces it). */
  record(entry: ReportedFinding): void {
    const key = `${entry.policy}|${entry.finding.fingerprint}`;
    const before = this.byKey.get(key);
    if (before && JSON.stringify(before) === JSON.stringify(entry)) return;
    this.byKey.set(key, entry);
    this.version++;
  }

  /** Changes with every recorded change: writers compare it to what they wrote last. */
  get revision(): number {
    return this.version;
  }

  /** In a stable order (policy, resource, fingerprint), so the files do not depend on the registration order; at the levels the engine applies. */
  snapshot(): RunSnapshot {
    const findings = [...this.byKey.values()]
      .sort((a, b) => a.policy.localeCompare(b.policy) || a.resource.urn.localeCompare(b.resource.urn) || a.finding.fingerprint.localeCompare(b.finding.fingerprint))
      .map((f) => ({ ...f, enforcement: this.levelOf(f.policy, f.enforcement) }));
    const policies = this.policies.map((p) => ({ ...p, enforcement: this.levelOf(p.name, p.enforcement) }));
    return { tool: this.tool, startedAt: this.startedAt, policies, findings };
  }
}
