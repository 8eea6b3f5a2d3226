/**
 * Each distinct PowerShell text is parsed and evaluated once per process (issue 15): the same script
 * in many resources, or the same resource re-read by every policy call of a new session, costs one
 * parse. Keyed by the text and the resource's `environment` (the evaluation reads `$env:` from it).
 * The cache owns its evaluations and hands out copies, so a caller that mutates what it got cannot
 * change what another resource gets. Bounded: least recently used entries go first once the cached
 * texts pass MAX_CACHED_CHARS.
 */
import { isUnknown } from "../types";
import { ScriptEvaluator, type CmdletCall, type Evaluation, type PsValue } from "./evaluate";
import { withPowerShellTree } from "./grammar";

export const SCRIPT_CACHE_LIMITS = { chars: 32 * 1024 * 1024, entries: 20_000, skippableChars: 20_000 };

const cache = new Map<string, { evaluation: Evaluation; chars: number }>();
let cachedChars = 0;
const stats = { hits: 0, misses: 0, skippedEvaluations: 0 };

/**
 * Substrings the evaluator could act on: every catalogued cmdlet's noun, the mail-flow mention
 * patterns, dynamic invocation and script-block runners, functions (recursion limit), loops (item
 * limit) and encoded commands. Dash-free, so a Unicode dash cannot hide a name.
 */
const ACTIONABLE = ["connector", "exchangecertificate", "hybridconfiguration", "accepteddomain", "exchangeonline", "pssession", "invoke", "icm", "iex", "&", "function", "filter", "workflow", "foreach", "%", "enc", "frombase64"];
/** Dot-sourcing: `. script`, `.{ }`, `.$block`, `."name"`, `.(…)`. */
const DOT_SOURCE = /\.[\s{$"'(&\u2018\u2019\u201c\u201d]/;

/**
 * True only when a cheap scan proves the evaluator has nothing to report on this text if it parses
 * cleanly: no substring above (case-insensitive, backticks removed), and short enough that the
 * step limit cannot be reached without loops or functions. False means: evaluate it.
 */
export function cannotActOnMailFlow(text: string): boolean {
  if (text.length > SCRIPT_CACHE_LIMITS.skippableChars) return false;
  const folded = text.replace(/`/g, "").toLowerCase();
  return !ACTIONABLE.some((word) => folded.includes(word)) && !DOT_SOURCE.test(folded);
}

const stableKey = (value: unknown): unknown => {
  if (isUnknown(value)) return { unknown: value.path, reason: value.reason };
  if (Array.isArray(value)) return value.map(stableKey);
  if (value !== null && typeof value === "object") return Object.keys(value).sort().map((k) => [k, stableKey((value as Record<string, unknown>)[k])]);
  return value;
};

/** The environment as part of a cache key (kept in memory only, never printed: it can hold secrets). */
const environmentKey = (environment: Record<string, unknown>): string => JSON.stringify(stableKey(environment)) ?? "";

function copyValue(v: PsValue): PsValue {
  switch (v.kind) {
    case "array":
      return { kind: "array", items: v.items.map(copyValue) };
    case "hashtable":
      return { kind: "hashtable", entries: v.entries.map(([k, e]) => [k, copyValue(e)]) };
    case "unresolved":
      return { ...v, ...(v.certificates ? { certificates: [...v.certificates] } : {}) };
    case "connector":
      return { ...v, identity: v.identity && copyValue(v.identity) };
    default:
      return { ...v };
  }
}

const copyCall = (c: CmdletCall): CmdletCall => ({
  ...c,
  parameters: new Map([...c.parameters].map(([k, v]) => [k, copyValue(v)])),
  ...(c.spans ? { spans: new Map([...c.spans].map(([k, span]) => [k, { ...span }])) } : {}),
  ...(c.end ? { end: { ...c.end } } : {}),
  ambiguous: c.ambiguous.map((a) => ({ written: a.written, candidates: [...a.candidates] })),
});

/** A copy the caller owns. */
const copyEvaluation = (e: Evaluation): Evaluation => ({ calls: e.calls.map(copyCall), syntaxErrors: e.syntaxErrors.map((r) => ({ ...r })), unevaluated: e.unevaluated.map((u) => ({ ...u })) });

/** Parses and evaluates with no cache and no skip: what every shortcut must agree with. */
export function evaluateFully(text: string, environment: Record<string, unknown>): Evaluation {
  return new ScriptEvaluator(environment).read(text);
}

/** The evaluation of a text the scan clears: parsed (a syntax error is still reported), not walked. */
function evaluateOrSkip(text: string, environment: Record<string, unknown>): Evaluation {
  if (!cannotActOnMailFlow(text)) return evaluateFully(text, environment);
  // A text that does not parse is evaluated: its syntax errors are reported.
  if (withPowerShellTree(text, (root) => root.hasError)) return evaluateFully(text, environment);
  stats.skippedEvaluations++;
  return { calls: [], syntaxErrors: [], unevaluated: [] };
}

function remember(key: string, evaluation: Evaluation): void {
  const chars = key.length;
  if (chars > SCRIPT_CACHE_LIMITS.chars) return;
  cache.set(key, { evaluation, chars });
  cachedChars += chars;
  for (const [oldest, entry] of cache) {
    if (cachedChars <= SCRIPT_CACHE_LIMITS.chars && cache.size <= SCRIPT_CACHE_LIMITS.entries) break;
    cache.delete(oldest);
    cachedChars -= entry.chars;
  }
}

/** The evaluation of a PowerShell text in a resource's environment: from the cache when this process has read it before. */
export function evaluatePowerShell(text: string, environment: Record<string, unknown>): Evaluation {
  const key = `${environmentKey(environment)}\u0000${text}`;
  const hit = cache.get(key);
  if (hit) {
    stats.hits++;
    // Most recently used last: the LRU evicts from the front.
    cache.delete(key);
    cache.set(key, hit);
    return copyEvaluation(hit.evaluation);
  }
  stats.misses++;
  const evaluation = evaluateOrSkip(text, environment);
  remember(key, copyEvaluation(evaluation));
  return evaluation;
}

/** Empties the cache (the benchmark measures each run from a cold cache; tests start clean). */
export function clearScriptCache(): void {
  cache.clear();
  cachedChars = 0;
  Object.assign(stats, { hits: 0, misses: 0, skippedEvaluations: 0 });
}

export const scriptCacheStats = (): { entries: number; chars: number; hits: number; misses: number; skippedEvaluations: number } => ({ entries: cache.size, chars: cachedChars, ...stats });
