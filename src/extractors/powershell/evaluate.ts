/**
 * Walks a PowerShell syntax tree (tree-sitter) the way PowerShell runs it and evaluates what can be
 * known statically: command invocations with their arguments bound to parameters the way PowerShell
 * binds them (case-insensitive names and unambiguous prefixes, `-P:v`, splatting, positional
 * identity), literal values, variables, `$env:` variables from the resource's `environment`, arrays
 * and hashtables; and the constructs that decide what runs: script blocks (`& { }`, `. { }`,
 * `Invoke-Command -ScriptBlock`), functions called with known arguments, `param()` defaults, `if` on
 * known conditions, `foreach`/`ForEach-Object` over known values, `try`, `Invoke-Expression` of known
 * text, module-qualified and prefixed (`Connect-ExchangeOnline -Prefix`) cmdlet names, literal data
 * (hashtables, objects, JSON), wrappers that name a cmdlet as text, and the server a remote session runs
 * on. Anything else is an explicit `unresolved` value with the reason; every name of a mail-flow cmdlet
 * in the text that the walk did not account for is reported in `unevaluated`. Nothing is guessed.
 */
import { EvaluationContext, EVALUATION_LIMITS, type Evaluation } from "./context";
import { runText, runWithAsciiQuotes } from "./invoke";
import { TYPOGRAPHIC_QUOTES } from "./quotes";
import { mergeSyntaxRegions } from "./unevaluated";

// The evaluator's API; its parts: context.ts (state), values.ts, data.ts, binding.ts, pipelines.ts,
// where-object.ts, dsc.ts, wrappers.ts, control-flow.ts, invoke.ts, relayout.ts; what it accounted
// for is checked against the lexical scan (lexical.ts, occurrences.ts) in unevaluated.ts.
export { type CmdletCall, type Evaluation, type TextPosition, type ValueSpan } from "./context";
export { EXCHANGE_ONLINE_HOST } from "./invoke";
export { certificateRefOf, type PsValue } from "./values";

/** Evaluates one script; `environment` is the command resource's `environment` (unknown leaves kept). */
export class ScriptEvaluator extends EvaluationContext {
  /**
   * Reads a script's text, parsed once: the text PowerShell reads is decided before parsing —
   * typographic quotes read as ASCII ones, spaced bare-word lists (which the grammar's error
   * recovery would cut) written quoted, as PowerShell binds them — and only that text is parsed.
   */
  read(text: string): Evaluation {
    if (TYPOGRAPHIC_QUOTES.test(text)) runWithAsciiQuotes(this, text);
    else runText(this, text, { shift: 0, depth: 0 });
    return this.finish();
  }

  private finish(): Evaluation {
    if (this.exhaustedAt !== undefined) {
      this.unevaluated.push({ line: this.exhaustedAt, command: "(script)", reason: `the script is too large to follow completely (over ${EVALUATION_LIMITS.steps} steps); what follows this line was not read` });
    }
    return { calls: this.calls, syntaxErrors: mergeSyntaxRegions(this.syntaxErrors), unevaluated: this.unevaluated };
  }
}
