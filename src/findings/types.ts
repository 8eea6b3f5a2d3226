/** Findings: what a rule concluded, ready for any reporter (Pulumi policy API, CLI text). */
import type { ModelEdit } from "../model/edits";
import type { Provenance } from "../model/types";

export type Severity = "low" | "medium" | "high" | "critical";

export const SEVERITY_ORDER: readonly Severity[] = ["low", "medium", "high", "critical"];

/**
 * A fix a rule proposes: edits of the mail-flow model. It is shown only once proven (applied to the
 * stack and judged again: it clears the findings it claims and adds no mandatory one, see
 * src/runner/prove.ts); among proven plans the smallest wins.
 */
export interface FixPlan {
  /** What the plan changes and why, in one sentence. */
  summary: string;
  edits: ModelEdit[];
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  /** What is wrong: the resource(s) and values, e.g. `OnPremises inbound connector 'X' (tenant T) trusts *.contoso.com`. */
  what: string;
  /** The mail flow it breaks, in one sentence, when the rule is about a flow. */
  flow?: string;
  /** What happens to mail: journaling leak, foreign transport rules, NDR/SPF failure, silent discard. */
  consequence: string;
  /** Candidate fixes, the rule's preferred first; none proven yet. */
  plans: FixPlan[];
  /** Every resource that contributes to the finding; the pack reports on the one that completes it. */
  provenance: Provenance[];
  /** How many of `provenance` (its first entries) state the finding's subject (the connector or certificate it is about). */
  subjectStatements?: number;
  /** Stable identity of the finding across resource- and stack-level checks. */
  fingerprint: string;
}
