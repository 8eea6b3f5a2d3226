/**
 * Failing closed on the text, not on the parse tree (issue 23): every name of a command the pack reads
 * that the lexical scan finds in a text (occurrences.ts) and the walk did not account for is named on
 * its line, with why; each region the grammar cannot parse is said once.
 */
import type { EvaluationContext, SkippedRegion, SyntaxErrorRegion } from "./context";
import { commandNameOf } from "./context";
import type { SyntaxNode } from "./grammar";
import { unaccounted, type Occurrence, type TextScan } from "./occurrences";

/** Cmdlets that only write output: a mail-flow name in their text is a message, not a command. */
export const OUTPUT_ONLY = new Set(["write-host", "write-output", "write-verbose", "write-information", "write-warning", "write-debug", "write-error", "write-progress", "echo", "out-file", "add-content", "set-content"]);

/** Argument nodes that hold code: text inside them may run. (A list of types with "ERROR" in it finds nothing: errors are asked apart.) */
const CODE = ["sub_expression", "script_block_expression", "command"];

/**
 * The literal arguments of a command whose arguments are data (an Exchange parameter's value, what an
 * output cmdlet prints): the names written in them are accounted for. An argument holding code
 * (`"$(New-InboundConnector …)"`, `(New-InboundConnector …)`, a script block) is not.
 */
export function accountLiteralArguments(ev: EvaluationContext, node: SyntaxNode): void {
  const elements = node.childForFieldName("command_elements") ?? node.namedChildren.find((c) => c.type === "command_elements");
  // Most commands hold no name of a command in their arguments: nothing to account for, nothing read.
  if (!elements || !ev.namesWithin(elements)) return;
  for (const el of elements.namedChildren) {
    const type = el.type;
    if (type === "command_argument_sep" || type === "command_parameter" || type === "comment") continue;
    if (!el.hasError && el.descendantsOfType(CODE).length === 0) ev.account(el);
  }
}

/** Regions the grammar could not parse, listed one by one; beyond this many, the rest are said in one entry. */
const MAX_SYNTAX_REGIONS = 10;

export const IN_A_STRING = "named inside a string, which the pack does not run: if the script runs that text (a nested shell, Start-Process, a job), the pack cannot see what it does";

/**
 * The reason of the innermost region around each offset asked for in ascending order: skipped nodes
 * are tree nodes, so their regions nest or are disjoint, and a stack follows them.
 */
function reasonsInOrder(skipped: ReadonlyMap<number, SkippedRegion>): (offset: number) => string | undefined {
  const regions = [...skipped].sort((a, b) => a[0] - b[0] || b[1].end - a[1].end);
  const open: Array<{ end: number; reason: string }> = [];
  let next = 0;
  return (offset) => {
    while (next < regions.length && regions[next]![0] <= offset) {
      const [start, region] = regions[next++]!;
      while (open.length > 0 && open[open.length - 1]!.end <= start) open.pop();
      open.push(region);
    }
    while (open.length > 0 && open[open.length - 1]!.end <= offset) open.pop();
    return open[open.length - 1]?.reason;
  };
}

/** The outermost error nodes of a tree, in document order (the grammar's search runs inside WebAssembly). */
function errorNodes(root: SyntaxNode, recovered: ReadonlySet<number>): SyntaxNode[] {
  if (!root.hasError) return [];
  const out: SyntaxNode[] = [];
  let end = -1;
  for (const node of root.type === "ERROR" ? [root] : root.descendantsOfType("ERROR")) {
    if (node.startIndex < end || recovered.has(node.startIndex)) continue;
    out.push(node);
    end = node.endIndex;
  }
  return out;
}

/** 1-based lines of ascending offsets, with one cursor over the text. */
function linesOf(text: string): (offset: number) => number {
  let at = 0;
  let line = 1;
  return (offset) => {
    for (; at < offset; at++) if (text.charCodeAt(at) === 10) line++;
    return line;
  };
}

/** Adjacent or overlapping lines are one region; past MAX_SYNTAX_REGIONS the rest become one. */
export function mergeSyntaxRegions(lines: ReadonlyArray<SyntaxErrorRegion>): SyntaxErrorRegion[] {
  const sorted = [...lines].sort((a, b) => a.line - b.line);
  const merged: SyntaxErrorRegion[] = [];
  for (const r of sorted) {
    const last = merged[merged.length - 1];
    if (last && r.line <= last.lastLine + 1) {
      last.lastLine = Math.max(last.lastLine, r.lastLine);
      if (r.more) last.more = (last.more ?? 0) + r.more;
    } else if (merged.length === MAX_SYNTAX_REGIONS && last) {
      last.lastLine = Math.max(last.lastLine, r.lastLine);
      last.more = (last.more ?? 0) + 1 + (r.more ?? 0);
    } else merged.push({ ...r });
  }
  return merged;
}

/**
 * Accounts for one walked text: every occurrence the walk did not account for is named on its line
 * (or at `atLine`, for Invoke-Expression text) with the reason; every error region of the tree is
 * recorded once (not for Invoke-Expression text, whose call says it does not parse).
 */
export function accountForText(ev: EvaluationContext, text: string, scan: TextScan, root: SyntaxNode, atLine: number | undefined, shift: number): void {
  const errors = errorNodes(root, ev.recovered);
  if (atLine === undefined) {
    for (const e of errors) {
      const start = e.startPosition;
      const end = e.endPosition;
      // A region that ends with its line break ends on that line.
      const lastRow = end.column === 0 && end.row > start.row ? end.row - 1 : end.row;
      ev.syntaxErrors.push({ line: start.row + 1 + shift, lastLine: lastRow + 1 + shift });
    }
  }
  const missed = unaccounted(scan.occurrences, ev.accounted);
  if (missed.length === 0) return;
  const reasonAt = reasonsInOrder(ev.skipped);
  const lineAt = linesOf(text);
  let e = 0;
  const seen = new Set<string>();
  for (const o of missed) {
    while (e < errors.length && errors[e]!.endIndex <= o.start) e++;
    const inError = e < errors.length && errors[e]!.startIndex <= o.start;
    const line = atLine ?? lineAt(o.start) + shift;
    const reason = reasonFor(ev, o, reasonAt(o.start), inError);
    const key = `${line}\u0000${o.written}\u0000${reason}`;
    if (seen.has(key)) continue;
    seen.add(key);
    ev.unevaluated.push({ line, command: o.written, reason });
  }
}

function reasonFor(ev: EvaluationContext, o: Occurrence, skipped: string | undefined, inError: boolean): string {
  if (skipped) return `not read: ${skipped}`;
  if (inError) return "not read: in a part of the script the grammar cannot parse";
  if (o.inString) return IN_A_STRING;
  const name = commandNameOf(o.written);
  return ev.catalogued(name) || ev.functions.has(name)
    ? "not read: the pack does not follow the construct around it"
    : "not read: a mail-flow command the pack does not know (a session prefix it could not read, or a command of another module)";
}
