/** Findings: what a rule concluded, ready for any reporter (Pulumi policy API, CLI text). */
import type { Provenance } from "../model/types";

export type Severity = "low" | "medium" | "high" | "critical";

export const SEVERITY_ORDER: readonly Severity[] = ["low", "medium", "high", "critical"];

/** The dedicated-certificate fix, concrete. */
export interface Remediation {
  /** One sentence: what to change. */
  summary: string;
  /** Ready-to-run PowerShell (Exchange Online and/or Exchange Management Shell). */
  powershell: string;
  /** The Pulumi TypeScript change, using this package's helpers. */
  pulumi: string;
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
  fix: Remediation;
  /** Every resource that contributes to the finding; the pack reports on the one that completes it. */
  provenance: Provenance[];
  /** How many of `provenance` (its first entries) state the finding's subject (the connector or certificate it is about). */
  subjectStatements?: number;
  /** Stable identity of the finding across resource- and stack-level checks. */
  fingerprint: string;
}
