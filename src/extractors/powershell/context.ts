/**
 * The evaluator's shared state and the shapes it produces: cmdlet calls, what was not evaluated,
 * scopes, functions, and the limits that keep the walk linear and bounded.
 */
import type { TextPosition, ValueSpan } from "../../model/facts";
import type { ConnectorSelection } from "../../model/selection";
import { CMDLETS } from "./catalogue";
import type { SyntaxNode } from "./grammar";
import type { PsValue } from "./values";

export interface CmdletCall {
  /** Lower-case cmdlet name as known to the catalogue (module qualifier and session prefix removed). */
  cmdlet: string;
  written: string;
  /** 1-based line in the evaluated text. */
  line: number;
  parameters: Map<string, PsValue>;
  /** Parameters written with a prefix that matches several parameters: never guessed. */
  ambiguous: Array<{ written: string; candidates: string[] }>;
  /** The server a remote session runs this call on (`Invoke-Command`, `Enter-PSSession`, `Import-PSSession`). */
  server?: string;
  /** The tenant a wrapper names for this call alone (`New-ExoRequest -tenantid`), lower case; UNKNOWN_TENANT when only known at run time. */
  tenant?: string;
  /** `Get-SendConnector | Set-SendConnector …`: the call changes every connector the pipeline finds. */
  every?: ConnectorSelection;
  /**
   * Where each parameter's value was written, when the walk read it from one literal of this text (a
   * quoted string, a bare word, `$true`/`$false`, a number), by parameter name: a fix that changes the
   * value names the place to change, from where the grammar read it.
   */
  spans?: Map<string, ValueSpan>;
  /** Where the command's last element ends (in the evaluated text): a fix that adds a parameter writes it there. */
  end?: TextPosition;
}

export type { TextPosition, ValueSpan };

/** A mail-flow command in the script that the evaluation did not run, and why. */
export interface Unevaluated {
  line: number;
  command: string;
  reason: string;
}

/** A node the walk did not follow: from its start offset (the key it is filed under) to `end`. */
export interface SkippedRegion {
  reason: string;
  end: number;
}

/** A part of the script the grammar could not parse: one region, however many errors it holds. */
export interface SyntaxErrorRegion {
  /** 1-based first and last line. */
  line: number;
  lastLine: number;
  /** Further regions summarised in this one (past the number listed one by one). */
  more?: number;
}

export interface Evaluation {
  calls: CmdletCall[];
  /** Where the script did not parse cleanly, one entry per region (adjacent lines are one region). */
  syntaxErrors: SyntaxErrorRegion[];
  /** Mail-flow commands that were not evaluated, dynamic invocations, and limits reached. */
  unevaluated: Unevaluated[];
}

/** Limits that keep evaluation linear and bounded whatever the script does. */
export const EVALUATION_LIMITS = { steps: 200_000, loopItems: 256, callDepth: 16, nesting: 400, invokeExpressionDepth: 4 };

export interface FunctionDef {
  name: string;
  parameters: SyntaxNode[];
  body: SyntaxNode;
}

export class Scope {
  private readonly vars = new Map<string, PsValue>();
  constructor(readonly parent?: Scope) {}
  get(name: string): PsValue | undefined {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const v = s.vars.get(name);
      if (v !== undefined) return v;
    }
    return undefined;
  }
  set(name: string, v: PsValue): void {
    this.vars.set(name, v);
  }
  root(): Scope {
    let s: Scope = this;
    while (s.parent) s = s.parent;
    return s;
  }
}

export interface Argument {
  /** Lower-case parameter name as written (without `-` and `:`), if named. */
  name?: string;
  value: PsValue;
}

export function named(args: Argument[], name: string): PsValue | undefined {
  const exact = args.find((a) => a.name === name);
  if (exact) return exact.value;
  const prefixed = args.filter((a) => a.name !== undefined && a.name.length >= 2 && name.startsWith(a.name));
  return prefixed.length === 1 ? prefixed[0]!.value : undefined;
}

/** `ExchangeOnlineManagement\New-InboundConnector` → `new-inboundconnector`; a backtick escapes the letter after it (about_Special_Characters). */
export const commandNameOf = (written: string): string => written.slice(written.lastIndexOf("\\") + 1).replace(/`/g, "").toLowerCase();

/**
 * The evaluator's state, shared by the parts of the walk (pipelines, binding, control flow, invoke,
 * values): scopes and functions, what was called and what was not run, the session (prefix, server),
 * and the limits' counters.
 */
export class EvaluationContext {
  scope = new Scope();
  readonly functions = new Map<string, FunctionDef>();
  readonly calls: CmdletCall[] = [];
  /** Where the script does not parse (merged into regions when the evaluation finishes). */
  readonly syntaxErrors: SyntaxErrorRegion[] = [];
  /** Error nodes the walk read after all (a bare-word list the grammar cut), by start offset in the tree being walked. */
  recovered = new Set<number>();
  readonly unevaluated: Unevaluated[] = [];
  /**
   * Spans of the text being walked (swapped for Invoke-Expression text) whose command names the walk
   * accounted for: it ran them, or read them as data or output. Flat [start, end) pairs.
   */
  accounted: number[] = [];
  /** Start offsets, ascending, of the names the lexical scan found in the text being walked (swapped with it). */
  names: readonly number[] = [];
  /** Where a string value was written, when it is a literal of a text being walked: running it accounts for the names in it. */
  readonly literals = new WeakMap<PsValue, { start: number; end: number; into: number[]; span?: ValueSpan }>();
  /** Subtrees the walk did not run, by start offset (same tree): why, and where each ends. */
  skipped = new Map<number, SkippedRegion>();
  prefix: string | undefined;
  server: string | undefined;
  steps = 0;
  exhaustedAt: number | undefined;
  callDepth = 0;
  nesting = 0;
  /** Inside text run by Invoke-Expression: calls take the line of that call, and offsets are not the script's. */
  invokedFrom: { line?: number; shift: number; depth: number } | undefined;

  constructor(readonly environment: Record<string, unknown>) {}

  lineOf(node: SyntaxNode): number {
    return this.invokedFrom?.line ?? node.startPosition.row + 1 + (this.invokedFrom?.shift ?? 0);
  }

  step(node: SyntaxNode): boolean {
    if (this.exhaustedAt !== undefined) return false;
    if (++this.steps > EVALUATION_LIMITS.steps) {
      this.exhaustedAt = this.lineOf(node);
      return false;
    }
    return true;
  }

  /** The names written in `node` are accounted for (the walk ran it, or read it as data). */
  account(node: SyntaxNode): void {
    this.accounted.push(node.startIndex, node.endIndex);
  }

  /** Whether the scan found a name inside `node`: accounting for what holds none is skipped. */
  namesWithin(node: SyntaxNode): boolean {
    const start = node.startIndex;
    let lo = 0;
    let hi = this.names.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.names[mid]! < start) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.names.length && this.names[lo]! < node.endIndex;
  }

  /** A string value the walk ran (a command name, Invoke-Expression text): the literal it was written as is accounted for. */
  accountValue(v: PsValue): void {
    const at = this.literals.get(v);
    if (at) at.into.push(at.start, at.end);
  }

  /**
   * Where `node` is written, as a value span of the script's own text: undefined inside text run by
   * Invoke-Expression (its positions are not the script's) and for what spans several lines. The text
   * walked can differ from the script's (bare-word lists written quoted, typographic quotes read as
   * ASCII ones): whoever edits the script checks that `written` is what the script has there.
   */
  spanOf(node: SyntaxNode): ValueSpan | undefined {
    const start = node.startPosition;
    const end = this.positionAfter(node);
    if (!end || end.line !== start.row + 1 + (this.invokedFrom?.shift ?? 0)) return undefined;
    return { line: end.line, column: start.column + 1, endColumn: end.column, written: node.text };
  }

  /** Where `node` ends in the script's own text (undefined inside Invoke-Expression text). */
  positionAfter(node: SyntaxNode): TextPosition | undefined {
    const at = this.invokedFrom;
    if (at !== undefined && (at.depth > 0 || at.line !== undefined)) return undefined;
    const end = node.endPosition;
    return { line: end.row + 1 + (at?.shift ?? 0), column: end.column + 1 };
  }

  skip(node: SyntaxNode, reason: string): void {
    if (!this.skipped.has(node.startIndex)) this.skipped.set(node.startIndex, { reason, end: node.endIndex });
  }

  /** A catalogued cmdlet under this name, the session prefix (`Connect-ExchangeOnline -Prefix`) removed. */
  catalogued(name: string): string | undefined {
    if (CMDLETS[name]) return name;
    const dash = name.indexOf("-");
    if (this.prefix && dash > 0 && name.startsWith(this.prefix, dash + 1)) {
      const plain = `${name.slice(0, dash)}-${name.slice(dash + 1 + this.prefix.length)}`;
      if (CMDLETS[plain]) return plain;
    }
    return undefined;
  }
}
