/**
 * What the rewrite operators need to know of a PowerShell script, read from the tree-sitter parse
 * once and kept as plain offsets and text (the tree is freed right after).
 */
import { CMDLETS, resolveParameter } from "../../src/extractors/powershell/catalogue";
import { withPowerShellTree, type SyntaxNode } from "../../src/extractors/powershell/grammar";

export interface Span {
  start: number;
  end: number;
  text: string;
}

/** A value as written in argument mode; `kind` says how it reads in expression mode too. */
export interface ArgValue extends Span {
  kind: "verbatim-string" | "expandable-string" | "here-string" | "token" | "token-list" | "variable" | "splat" | "array" | "other";
}

export interface Argument {
  /** `-Name` as written, without the dash and the colon. */
  parameter?: Span & { written: string; colon: boolean; canonical?: string; isSwitch: boolean };
  value?: ArgValue;
  /** Separator between parameter and value, when both are present. */
  separator?: Span;
}

export interface CommandInfo extends Span {
  name: Span;
  /** Lower-case name without a module qualifier (`ExchangeOnlineManagement\…`). */
  cmdlet: string;
  moduleQualified: boolean;
  known: boolean;
  arguments: Argument[];
  /** Plain one-space separators between elements (where a line continuation may go). */
  spaces: Span[];
  /** Where the statement this command starts begins, when the command is a statement of its own (else undefined). */
  statementStart?: number;
  /** The command is a whole top-level statement of the script. */
  topLevel: boolean;
}

export interface StringInfo extends Span {
  kind: "verbatim-string" | "expandable-string" | "here-string";
  /** Inside a hashtable key, a subexpression or another string: not a value position. */
  valuePosition: boolean;
}

export interface ScriptInfo {
  text: string;
  /** Top-level statements (comments excluded), in order. */
  statements: Array<Span & { command?: CommandInfo; isAssignment: boolean }>;
  commands: CommandInfo[];
  strings: StringInfo[];
  /** `$true`, `$false`, `$null`. */
  constants: Span[];
  hasSyntaxErrors: boolean;
}

const WRAPPERS = new Set(["array_literal_expression", "unary_expression", "pipeline", "pipeline_chain", "logical_expression", "bitwise_expression", "comparison_expression", "additive_expression", "multiplicative_expression", "format_expression", "range_expression"]);

function unwrapped(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (WRAPPERS.has(n.type) && n.namedChildCount === 1) n = n.namedChild(0)!;
  return n;
}

const span = (n: SyntaxNode): Span => ({ start: n.startIndex, end: n.endIndex, text: n.text });

function valueKind(node: SyntaxNode): ArgValue["kind"] {
  const n = unwrapped(node);
  if (n.type === "generic_token") return "token";
  if (n.type === "variable") return n.text.startsWith("@") ? "splat" : "variable";
  if (n.type === "array_literal_expression") return "array";
  if (n.type === "string_literal") {
    const inner = n.namedChild(0)!.type;
    if (inner.includes("here_string")) return "here-string";
    return inner.startsWith("verbatim") ? "verbatim-string" : "expandable-string";
  }
  return "other";
}

function commandInfo(node: SyntaxNode, topLevel: boolean): CommandInfo | undefined {
  const nameNode = node.namedChildren.find((c) => c.type === "command_name");
  if (!nameNode) return undefined;
  const written = nameNode.text;
  const moduleQualified = written.includes("\\");
  const cmdlet = written.toLowerCase().split("\\").pop()!;
  const spec = CMDLETS[cmdlet];
  const elementsNode = node.namedChildren.find((c) => c.type === "command_elements");
  const elements = (elementsNode?.children ?? []).filter((c) => c.type !== "comment");
  const args: Argument[] = [];
  const spaces: Span[] = [];
  let pending: Argument | undefined;
  for (let i = 0; i < elements.length; i++) {
    const el = elements[i]!;
    if (el.type === "command_argument_sep") {
      if (el.text === " ") spaces.push(span(el));
      if (pending?.parameter && !pending.value) pending.separator = span(el);
      continue;
    }
    if (el.type === "command_parameter") {
      const raw = el.text.slice(1);
      const colon = raw.endsWith(":");
      const writtenName = colon ? raw.slice(0, -1) : raw;
      const r = spec ? resolveParameter(spec, writtenName) : { kind: "unknown" as const };
      const canonical = r.kind === "resolved" ? r.name : undefined;
      pending = { parameter: { ...span(el), written: writtenName, colon, ...(canonical ? { canonical } : {}), isSwitch: !!canonical && !!spec?.switches.includes(canonical) } };
      args.push(pending);
      continue;
    }
    // Unquoted lists come back as consecutive generic tokens with empty separators.
    let end = el;
    let kind = valueKind(el);
    while (kind === "token" || kind === "token-list") {
      const sep = elements[i + 1];
      const next = elements[i + 2];
      if (!sep || !next || sep.type !== "command_argument_sep" || sep.text !== "" || next.type !== "generic_token") break;
      end = next;
      kind = "token-list";
      i += 2;
    }
    const value: ArgValue = { start: el.startIndex, end: end.endIndex, text: "", kind };
    const takes = pending?.parameter && !pending.value && (!pending.parameter.isSwitch || pending.parameter.colon || pending.separator?.text === ":");
    if (takes && kind !== "splat") pending!.value = value;
    else args.push({ value });
    pending = undefined;
  }
  return {
    ...span(node),
    name: span(nameNode),
    cmdlet,
    moduleQualified,
    known: spec !== undefined || cmdlet === "connect-exchangeonline",
    arguments: args,
    spaces,
    topLevel,
  };
}

/** The statement a command starts, if it is one of its own (not the right side of an assignment). */
function statementStartOf(node: SyntaxNode): number | undefined {
  let n: SyntaxNode = node;
  while (n.parent && (n.parent.type === "pipeline" || n.parent.type === "pipeline_chain") && n.parent.startIndex === node.startIndex) n = n.parent;
  return n.parent?.type === "statement_list" ? n.startIndex : undefined;
}

function isInside(node: SyntaxNode, types: string[]): boolean {
  for (let p = node.parent; p; p = p.parent) if (types.includes(p.type)) return true;
  return false;
}

export function analyseScript(text: string): ScriptInfo {
  return withPowerShellTree(text, (root) => {
    const info: ScriptInfo = { text, statements: [], commands: [], strings: [], constants: [], hasSyntaxErrors: root.hasError };
    const topList = root.namedChildren.find((c) => c.type === "statement_list");
    const topStatements = (topList?.namedChildren ?? []).filter((c) => c.type !== "comment");
    const topCommandStarts = new Set<number>();
    for (const s of topStatements) {
      const u = unwrapped(s);
      if (u.type === "command") topCommandStarts.add(u.startIndex);
    }
    const visit = (n: SyntaxNode): void => {
      if (n.type === "command") {
        const c = commandInfo(n, topCommandStarts.has(n.startIndex));
        if (c) {
          const start = statementStartOf(n);
          if (start !== undefined) c.statementStart = start;
          info.commands.push(c);
        }
      } else if (n.type === "string_literal") {
        const kind = valueKind(n);
        if (kind === "verbatim-string" || kind === "expandable-string" || kind === "here-string") {
          info.strings.push({ ...span(n), kind, valuePosition: !isInside(n, ["key_expression", "sub_expression", "string_literal", "expandable_string_literal", "expandable_here_string_literal", "command_name"]) });
        }
      } else if (n.type === "variable" && /^\$(true|false|null)$/i.test(n.text)) {
        info.constants.push(span(n));
      }
      for (const c of n.namedChildren) visit(c);
    };
    visit(root);
    for (const s of topStatements) {
      const u = unwrapped(s);
      const command = u.type === "command" ? info.commands.find((c) => c.start === u.startIndex && c.end === u.endIndex) : undefined;
      info.statements.push({ ...span(s), ...(command ? { command } : {}), isAssignment: u.type === "assignment_expression" });
    }
    // Values' text is cut from the script (a value may span several tokens).
    for (const c of info.commands) for (const a of c.arguments) if (a.value) a.value.text = text.slice(a.value.start, a.value.end);
    return info;
  });
}

/** Applies non-overlapping edits (offsets into the original text). */
export function applyEdits(text: string, edits: Array<{ start: number; end: number; text: string }>): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** Offsets from the parser match JavaScript string offsets only for ASCII text; the operators skip other scripts. */
export const isAscii = (text: string): boolean => /^[\x00-\x7f]*$/.test(text);

export const SIMPLE_TOKEN = /^[A-Za-z0-9*._/:@+=-]+$/;
const NUMBER = /^\d+$/;
/** What PowerShell reads as a number in argument mode (1.5, 0x10, 1kb, 10d, …): never quoted or retyped. */
export const NUMBER_LIKE = /^[+-]?(?:0x[0-9a-f]+|\d*\.?\d+(?:e[+-]?\d+)?)[a-z]*$/i;

/** The expression-mode text of an argument-mode value, when there is one with the same value. */
export function asExpression(v: ArgValue): string | undefined {
  if (v.kind === "token" || v.kind === "token-list") {
    const items = v.text.split(",");
    if (items.some((i) => !SIMPLE_TOKEN.test(i) || i.startsWith("@") || (NUMBER_LIKE.test(i) && !NUMBER.test(i)))) return undefined;
    return items.map((i) => (NUMBER.test(i) ? i : `'${i}'`)).join(",");
  }
  if (v.kind === "other" || v.kind === "splat") return undefined;
  return v.text;
}
