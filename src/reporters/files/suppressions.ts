/**
 * Inline suppressions inside the PowerShell a finding points at, the way Checkov/tfsec/Trivy users
 * write them: `# mailflow-guard:ignore <policy> exp:YYYY-MM-DD <reason>`, on the line of the statement
 * or the line before. Fail closed: a comment without a valid expiry or a reason, or one that has
 * expired, does not suppress — and the violation says so.
 */
import { isCalendarDate } from "../../config/dates";
import { cutText, quoteText } from "../../config/quote";
import { scrubSecrets } from "../../extractors/powershell/redact";
import type { Finding } from "../../findings/types";

export interface InlineSuppression {
  policy: string;
  expires?: string;
  reason: string;
  /** Where the comment is: `<resource>.<property>:<line>`. */
  where: string;
  urn: string;
  property: string;
  line: number;
}

export type SuppressionVerdict =
  | { kind: "none" }
  | { kind: "suppressed"; suppression: InlineSuppression }
  | { kind: "expired"; suppression: InlineSuppression }
  | { kind: "invalid"; suppression: InlineSuppression; problem: string };

/** The script text of a resource's property, when the pack holds it as text. */
export type ScriptLookup = (urn: string, property: string) => string | undefined;

const MARKER = /#\s*mailflow-guard:ignore\b(.*)$/i;

/** The suppression comment on one line of script, if any (its fields as written). */
export function parseSuppressionComment(line: string): { policy: string; expires?: string; reason: string } | undefined {
  const match = MARKER.exec(line);
  if (!match) return undefined;
  const words = match[1]!.trim().split(/\s+/).filter((w) => w.length > 0);
  const policy = words.shift() ?? "";
  const expiry = words[0]?.toLowerCase().startsWith("exp:") ? words.shift()!.slice(4) : undefined;
  // The reason is shown in violations and reports: a secret pasted into a comment is masked there.
  return { policy, ...(expiry !== undefined ? { expires: expiry } : {}), reason: scrubSecrets(words.join(" ")) };
}

/** Why a parsed comment cannot suppress anything, or undefined when it is well formed. */
function problemOf(s: { policy: string; expires?: string; reason: string }): string | undefined {
  if (s.policy === "") return "it names no policy";
  if (s.expires === undefined) return "it has no expiry (exp:YYYY-MM-DD)";
  if (!isCalendarDate(s.expires)) return `its expiry ${quoteText(s.expires)} is not a date YYYY-MM-DD`;
  if (s.reason === "") return "it gives no reason";
  return undefined;
}

/**
 * The lines of the script asked about last: a resource's findings come one after another, and
 * splitting its script once per finding made a script of N connectors cost N² (issue 23).
 */
let lastSplit: { script: string; lines: string[] } | undefined;
function linesOf(script: string): string[] {
  if (lastSplit?.script !== script) lastSplit = { script, lines: script.split(/\r?\n/) };
  return lastSplit.lines;
}

/** Script lines a statement at `line` (1-based) can be suppressed from: its own line, then the one before. */
function candidateLines(script: string, line: number): Array<{ text: string; line: number }> {
  const lines = linesOf(script);
  return [line, line - 1].filter((n) => n >= 1 && n <= lines.length).map((n) => ({ text: lines[n - 1]!, line: n }));
}

/**
 * The inline suppression covering a finding for one of `policies`, looked up at every PowerShell line
 * the finding names. A valid one wins; otherwise an expired or malformed one is returned so the
 * violation can say why it did not apply.
 */
export function inlineSuppressionFor(f: Finding, policies: readonly string[], scripts: ScriptLookup, today: string): SuppressionVerdict {
  let fallback: SuppressionVerdict = { kind: "none" };
  for (const p of f.provenance) {
    if (p.line === undefined || p.property === undefined) continue;
    const script = scripts(p.urn, p.property);
    if (typeof script !== "string") continue;
    for (const candidate of candidateLines(script, p.line)) {
      const parsed = parseSuppressionComment(candidate.text);
      if (!parsed || !policies.includes(parsed.policy)) continue;
      const suppression: InlineSuppression = { ...parsed, where: `${p.resourceName}.${p.property}:${candidate.line}`, urn: p.urn, property: p.property, line: candidate.line };
      const problem = problemOf(parsed);
      if (problem !== undefined) {
        if (fallback.kind === "none") fallback = { kind: "invalid", suppression, problem };
      } else if (parsed.expires! < today) {
        if (fallback.kind !== "expired") fallback = { kind: "expired", suppression };
      } else return { kind: "suppressed", suppression };
    }
  }
  return fallback;
}

/** The line a violation gains when an inline suppression was found but does not apply. */
export function suppressionNote(verdict: SuppressionVerdict): string | undefined {
  if (verdict.kind === "expired")
    return `Inline suppression expired: ${quoteText(verdict.suppression.reason)} at ${cutText(verdict.suppression.where)} ended on ${verdict.suppression.expires} and no longer applies.`;
  if (verdict.kind === "invalid")
    return `Inline suppression at ${cutText(verdict.suppression.where)} does not apply: ${verdict.problem}. Write it as # mailflow-guard:ignore <policy> exp:YYYY-MM-DD <reason>.`;
  return undefined;
}
