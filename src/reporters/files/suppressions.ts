/**
 * Inline suppressions inside the PowerShell a finding points at, the way Checkov/tfsec/Trivy users
 * write them: `# mailflow-guard:ignore <policy>[, <policy>…] exp:YYYY-MM-DD <reason>`, in a comment on
 * the statement's own line or in the run of comment lines directly above it (each of them applies).
 * Comments are found by the lexical pass the evaluator uses for strings and comments
 * (`stringsAndComments`): the marker inside a string is not a comment. Fail closed: a comment without a
 * valid expiry or a reason, or one that has expired, does not suppress — and the violation says so;
 * one naming a policy the pack does not have, or suppressing nothing, is named at the end of the run.
 */
import { isCalendarDate } from "../../config/dates";
import { cutText, quoteText } from "../../config/quote";
import { lineAndColumn } from "../../extractors/exports/decode";
import { stringsAndComments } from "../../extractors/powershell/quotes";
import { scrubSecrets } from "../../extractors/powershell/redact";
import type { Finding } from "../../findings/types";

export interface ParsedSuppression {
  /** The policies it names (rule ids), in the order written. */
  policies: string[];
  expires?: string;
  reason: string;
}

export interface SuppressionComment extends ParsedSuppression {
  /** 1-based line of the comment. */
  line: number;
  /** Why it cannot suppress anything (no policy, no or an impossible expiry, no reason); undefined when well formed. */
  problem?: string;
}

export interface InlineSuppression extends SuppressionComment {
  /** Where the comment is: `<resource>.<property>:<line>`. */
  where: string;
  urn: string;
  property: string;
}

export type SuppressionVerdict =
  | { kind: "none" }
  | { kind: "suppressed"; suppression: InlineSuppression }
  | { kind: "expired"; suppression: InlineSuppression }
  | { kind: "invalid"; suppression: InlineSuppression; problem: string };

/** The script text of a resource's property, when the pack holds it as text. */
export type ScriptLookup = (urn: string, property: string) => string | undefined;

const MARKER = /^#\s*mailflow-guard:ignore\b(.*)$/i;
const MENTION = /mailflow-guard:ignore/i;

/** The suppression in one comment's text (starting at its `#`), if it is one: its fields as written. */
export function parseSuppressionComment(comment: string): ParsedSuppression | undefined {
  const match = MARKER.exec(comment.trim());
  if (!match) return undefined;
  const words = match[1]!.trim().split(/\s+/).filter((w) => w.length > 0);
  const policies: string[] = [];
  // A list of policies: `a,b`, `a, b` or `a , b`; it ends at the first word that a comma does not join.
  for (let joined = true; joined && words.length > 0 && !words[0]!.toLowerCase().startsWith("exp:"); ) {
    const word = words.shift()!;
    policies.push(...word.split(",").filter((p) => p.length > 0));
    joined = word.endsWith(",") || words[0]?.startsWith(",") === true;
  }
  const expiry = words[0]?.toLowerCase().startsWith("exp:") ? words.shift()!.slice(4) : undefined;
  // The reason is shown in violations and reports: a secret pasted into a comment is masked there.
  return { policies, ...(expiry !== undefined ? { expires: expiry } : {}), reason: scrubSecrets(words.join(" ")) };
}

/** Why a parsed comment cannot suppress anything, or undefined when it is well formed. */
function problemOf(s: ParsedSuppression): string | undefined {
  if (s.policies.length === 0) return "it names no policy";
  if (s.expires === undefined) return "it has no expiry (exp:YYYY-MM-DD)";
  if (!isCalendarDate(s.expires)) return `its expiry ${quoteText(s.expires)} is not a date YYYY-MM-DD`;
  if (s.reason === "") return "it gives no reason";
  return undefined;
}

interface ScriptComments {
  suppressions: SuppressionComment[];
  /** Lines holding nothing but a comment (1-based): a run of them sits above a statement. */
  commentOnly: Set<number>;
  byLine: Map<number, SuppressionComment>;
}

const NO_COMMENTS: ScriptComments = { suppressions: [], commentOnly: new Set(), byLine: new Map() };
const cache = new Map<string, ScriptComments>();

/** The suppression comments of a script, and which of its lines hold only a comment; read once per text. */
function commentsOf(script: string): ScriptComments {
  if (!MENTION.test(script)) return NO_COMMENTS;
  const known = cache.get(script);
  if (known) return known;
  // Lines as the evaluator numbers statements (tree-sitter's rows: a line feed ends a line).
  const lineStarts = [0];
  for (let i = script.indexOf("\n"); i !== -1; i = script.indexOf("\n", i + 1)) lineStarts.push(i + 1);
  const lineOf = (at: number): number => lineAndColumn(lineStarts, at).line;
  const found: ScriptComments = { suppressions: [], commentOnly: new Set(), byLine: new Map() };
  const regions = stringsAndComments(script);
  for (let i = 0; i < regions.length; i += 2) {
    const [start, end] = [regions[i]!, regions[i + 1]!];
    // Line comments only: `<# … #>` blocks and strings are not where suppressions live.
    if (script[start] !== "#") continue;
    const line = lineOf(start);
    if (script.slice(lineStarts[line - 1], start).trim() === "") found.commentOnly.add(line);
    const parsed = parseSuppressionComment(script.slice(start, end));
    if (!parsed) continue;
    const problem = problemOf(parsed);
    const comment: SuppressionComment = { ...parsed, line, ...(problem !== undefined ? { problem } : {}) };
    found.suppressions.push(comment);
    found.byLine.set(line, comment);
  }
  if (cache.size > 256) cache.clear();
  cache.set(script, found);
  return found;
}

/** Every suppression comment of a script, in order. */
export function suppressionComments(script: string): SuppressionComment[] {
  return commentsOf(script).suppressions;
}

/** The suppression comments that apply to a statement at `line`: on its own line, then each line of the run of comment lines directly above it. */
function applyingTo(script: string, line: number): SuppressionComment[] {
  const { byLine, commentOnly } = commentsOf(script);
  if (byLine.size === 0) return [];
  const out: SuppressionComment[] = [];
  const own = byLine.get(line);
  if (own) out.push(own);
  for (let above = line - 1; above >= 1 && commentOnly.has(above); above--) {
    const c = byLine.get(above);
    if (c) out.push(c);
  }
  return out;
}

/**
 * The inline suppression covering a finding of `policy`, looked up at every PowerShell line the finding
 * names. A valid one wins; otherwise an expired or malformed one is returned so the violation can say
 * why it did not apply.
 */
export function inlineSuppressionFor(f: Finding, policy: string, scripts: ScriptLookup, today: string): SuppressionVerdict {
  let fallback: SuppressionVerdict = { kind: "none" };
  for (const p of f.provenance) {
    if (p.line === undefined || p.property === undefined) continue;
    const script = scripts(p.urn, p.property);
    if (typeof script !== "string") continue;
    for (const comment of applyingTo(script, p.line)) {
      if (!comment.policies.includes(policy)) continue;
      const suppression: InlineSuppression = { ...comment, where: `${p.resourceName}.${p.property}:${comment.line}`, urn: p.urn, property: p.property };
      if (comment.problem !== undefined) {
        if (fallback.kind === "none") fallback = { kind: "invalid", suppression, problem: comment.problem };
      } else if (comment.expires! < today) {
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
    return `Inline suppression at ${cutText(verdict.suppression.where)} does not apply: ${verdict.problem}. Write it as # mailflow-guard:ignore <policy>[, <policy>…] exp:YYYY-MM-DD <reason>.`;
  return undefined;
}
