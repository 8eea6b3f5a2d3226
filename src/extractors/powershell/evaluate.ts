/**
 * Walks a PowerShell syntax tree (tree-sitter) in statement order and evaluates what can be known
 * statically: command invocations with their arguments bound to parameters the way PowerShell
 * binds them, literal values, variables assigned earlier in the script, `$env:` variables from the
 * resource's `environment`, arrays, hashtables and splatting. Anything else is an explicit
 * `unresolved` value with the expression and the reason; nothing is guessed.
 */
import { isUnknown } from "../types";
import { CMDLETS, isSecretParameter, resolveParameter } from "./catalogue";
import type { SyntaxNode } from "./grammar";
import { describeExpression } from "./redact";

export type PsValue =
  | { kind: "string"; value: string }
  | { kind: "bool"; value: boolean }
  | { kind: "number"; value: number }
  | { kind: "null" }
  | { kind: "array"; items: PsValue[] }
  | { kind: "hashtable"; entries: Array<[string, PsValue]> }
  | { kind: "switch" }
  /** `Get-ExchangeCertificate -Thumbprint X`: a certificate known only on the server. */
  | { kind: "certificate"; thumbprint: string }
  | { kind: "unresolved"; expression: string; reason: string; certificates?: string[] };

export interface CmdletCall {
  /** Lower-case cmdlet name as known to the catalogue. */
  cmdlet: string;
  written: string;
  /** 1-based line in the evaluated text. */
  line: number;
  parameters: Map<string, PsValue>;
  /** Parameters written with a prefix that matches several parameters: never guessed. */
  ambiguous: Array<{ written: string; candidates: string[] }>;
}

export interface Evaluation {
  calls: CmdletCall[];
  /** The script did not parse cleanly here (1-based lines). */
  syntaxErrors: number[];
}

const unresolved = (node: SyntaxNode, reason: string, certificates?: string[]): PsValue => ({
  kind: "unresolved",
  // Named, not quoted: the source text can hold secrets (see redact.ts).
  expression: describeExpression(node),
  reason,
  ...(certificates?.length ? { certificates } : {}),
});

/** Wrapper node types that only pass their single child through. */
const TRANSPARENT = new Set([
  "pipeline", "pipeline_chain", "logical_expression", "bitwise_expression", "comparison_expression", "additive_expression",
  "multiplicative_expression", "format_expression", "range_expression", "unary_expression", "expression_with_unary_operator",
  "left_assignment_expression", "statement_list", "key_expression", "member_name", "parenthesized_expression", "array_literal_expression",
]);

/** Descends through single-child wrapper nodes (pipeline → … → unary_expression). */
function unwrap(node: SyntaxNode): SyntaxNode {
  let n = node;
  // Each `type` read crosses into WebAssembly: read it once per node.
  let type = n.type;
  while (TRANSPARENT.has(type) && n.namedChildCount === 1) {
    n = n.namedChild(0)!;
    type = n.type;
  }
  if (type === "parenthesized_expression" && n.namedChildCount === 1) return unwrap(n.namedChild(0)!);
  return n;
}

function stripQuotes(text: string): string {
  if (text.startsWith("@\"") || text.startsWith("@'")) return text.slice(2, -2).replace(/^\r?\n/, "").replace(/\r?\n$/, "");
  if ((text.startsWith('"') && text.endsWith('"')) || (text.startsWith("'") && text.endsWith("'"))) return text.slice(1, -1);
  return text;
}

export class ScriptEvaluator {
  private readonly variables = new Map<string, PsValue>();
  private readonly calls: CmdletCall[] = [];
  private readonly syntaxErrors: number[] = [];

  constructor(private readonly environment: Record<string, unknown>) {}

  run(root: SyntaxNode): Evaluation {
    this.statements(root);
    return { calls: this.calls, syntaxErrors: this.syntaxErrors };
  }

  private statements(node: SyntaxNode): void {
    for (const child of node.namedChildren) {
      if (child.type === "ERROR" || child.isMissing) this.syntaxErrors.push(child.startPosition.row + 1);
      if (child.type === "comment") continue;
      const target = unwrap(child);
      if (target.type === "assignment_expression") {
        this.assignment(target);
      } else if (target.type === "command") {
        this.command(target);
      } else if (target.type === "pipeline" || target.type === "pipeline_chain") {
        for (const c of target.namedChildren) if (unwrap(c).type === "command") this.command(unwrap(c));
      } else {
        // if/foreach/try/script blocks/functions: their bodies run in order as far as we can tell.
        this.statements(target);
      }
    }
  }

  private assignment(node: SyntaxNode): void {
    const left = unwrap(node.namedChildren[0]!);
    const value = node.childForFieldName("value") ?? node.namedChildren[node.namedChildCount - 1]!;
    const valueNode = unwrap(value);
    if (left.type !== "variable") return;
    const name = left.text.replace(/^\$/, "").toLowerCase();
    let v: PsValue;
    if (valueNode.type === "command") {
      const call = this.command(valueNode);
      const thumbprint = call?.cmdlet === "get-exchangecertificate" ? call.parameters.get("Thumbprint") : undefined;
      v = thumbprint?.kind === "string" ? { kind: "certificate", thumbprint: thumbprint.value.toUpperCase() } : unresolved(valueNode, "the output of a command is only known when it runs");
    } else {
      v = this.value(valueNode);
    }
    this.variables.set(name, v);
  }

  private command(node: SyntaxNode): CmdletCall | undefined {
    const nameNode = node.childForFieldName("command_name") ?? node.namedChildren.find((c) => c.type === "command_name");
    if (!nameNode) return undefined;
    const written = nameNode.text;
    const cmdlet = written.toLowerCase();
    const spec = CMDLETS[cmdlet];
    const elementsNode = node.childForFieldName("command_elements") ?? node.namedChildren.find((c) => c.type === "command_elements");
    const call: CmdletCall = { cmdlet, written, line: node.startPosition.row + 1, parameters: new Map(), ambiguous: [] };
    if (!spec) {
      // Unknown commands can still contain nested statements (script blocks); nothing to bind.
      return undefined;
    }
    // Each `type` read crosses into WebAssembly: read once per element.
    const elements = (elementsNode?.children ?? []).map((node) => ({ node, type: node.type })).filter((e) => e.type !== "comment");
    const positional: PsValue[] = [];
    let pending: { name: string | undefined; written: string; colon: boolean; isSwitch: boolean } | undefined;
    const bind = (name: string | undefined, v: PsValue) => {
      if (name) call.parameters.set(name, isSecretParameter(name) ? { kind: "unresolved", expression: "(secret)", reason: "secret parameters are never read" } : v);
    };
    const flushSwitch = () => {
      if (pending) bind(pending.name, { kind: "switch" });
      pending = undefined;
    };
    for (let i = 0; i < elements.length; i++) {
      const { node: el, type } = elements[i]!;
      if (type === "command_argument_sep") {
        if (pending && el.text.trim() === ":") pending.colon = true;
        continue;
      }
      if (type === "command_parameter") {
        flushSwitch();
        const raw = el.text.replace(/^-/, "");
        const colon = raw.endsWith(":");
        const writtenName = colon ? raw.slice(0, -1) : raw;
        const r = resolveParameter(spec, writtenName);
        let name: string | undefined;
        if (r.kind === "resolved") name = r.name;
        else if (r.kind === "ambiguous") call.ambiguous.push({ written: `-${writtenName}`, candidates: r.candidates });
        const isSwitch = name !== undefined && spec.switches.includes(name);
        pending = { name, written: writtenName, colon, isSwitch };
        continue;
      }
      // An argument: to the pending parameter (a switch only takes `-Switch:$value`), or positional.
      const takesValue = pending !== undefined && (!pending.isSwitch || pending.colon);
      const inner = type === "generic_token" ? el : unwrap(el);
      if (!takesValue && inner.type === "variable" && inner.text.startsWith("@")) {
        flushSwitch();
        this.splat(call, inner.text.slice(1), spec, inner);
        continue;
      }
      let v: PsValue;
      if (type === "generic_token") {
        // Unquoted lists such as 198.51.100.0/24,203.0.113.7 come back as consecutive generic tokens
        // (the grammar's error recovery): reassemble them into the array PowerShell would bind.
        let text = el.text;
        while (i + 2 < elements.length && elements[i + 1]!.type === "command_argument_sep" && elements[i + 1]!.node.text === "" && elements[i + 2]!.type === "generic_token") {
          text += elements[i + 2]!.node.text;
          i += 2;
        }
        v = this.bareWord(text);
      } else {
        v = this.value(inner);
      }
      if (takesValue) {
        bind(pending!.name, v);
        pending = undefined;
      } else {
        flushSwitch();
        positional.push(v);
      }
    }
    flushSwitch();
    if (spec.positional && positional.length > 0 && !call.parameters.has(spec.positional)) call.parameters.set(spec.positional, positional[0]!);
    this.calls.push(call);
    return call;
  }

  /** `@params`: binds the entries of a hashtable variable as named parameters. */
  private splat(call: CmdletCall, variable: string, spec: (typeof CMDLETS)[string], node: SyntaxNode): void {
    const v = this.variables.get(variable.toLowerCase());
    if (!v || v.kind !== "hashtable") {
      call.parameters.set("(splatted)", unresolved(node, `@${variable} is not a hashtable assigned earlier in the script`));
      return;
    }
    for (const [key, value] of v.entries) {
      const r = resolveParameter(spec, key);
      if (r.kind === "resolved") call.parameters.set(r.name, isSecretParameter(r.name) ? { kind: "unresolved", expression: "(secret)", reason: "secret parameters are never read" } : value);
      else if (r.kind === "ambiguous") call.ambiguous.push({ written: key, candidates: r.candidates });
    }
  }

  /** A bare word in argument mode: `$true`-less literals, comma lists, numbers stay strings. */
  private bareWord(text: string): PsValue {
    const parts = text.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
    if (parts.length > 1) return { kind: "array", items: parts.map((p) => ({ kind: "string", value: p })) };
    return { kind: "string", value: parts[0] ?? text };
  }

  value(node: SyntaxNode): PsValue {
    const n = unwrap(node);
    switch (n.type) {
      case "string_literal":
        return this.string(n.namedChildren[0] ?? n);
      case "expandable_string_literal":
      case "expandable_here_string_literal":
      case "verbatim_string_characters":
      case "verbatim_here_string_characters":
        return this.string(n);
      case "generic_token":
        return this.bareWord(n.text);
      case "integer_literal":
      case "decimal_integer_literal":
      case "real_literal":
        return { kind: "number", value: Number(n.text) };
      case "variable":
        return this.variable(n);
      case "array_literal_expression": {
        const items = n.namedChildren.map((c) => this.value(c));
        return items.length === 1 ? items[0]! : { kind: "array", items };
      }
      case "array_expression": {
        const inner = n.namedChildren.find((c) => c.type === "statement_list");
        if (!inner) return { kind: "array", items: [] };
        const items: PsValue[] = [];
        for (const s of inner.namedChildren) {
          const v = this.value(s);
          if (v.kind === "array") items.push(...v.items);
          else items.push(v);
        }
        return { kind: "array", items };
      }
      case "hash_literal_expression": {
        const body = n.namedChildren.find((c) => c.type === "hash_literal_body");
        const entries: Array<[string, PsValue]> = [];
        for (const entry of body?.namedChildren ?? []) {
          if (entry.type !== "hash_entry") continue;
          const key = entry.namedChildren[0];
          const val = entry.namedChildren[entry.namedChildCount - 1];
          if (!key || !val || key === val) continue;
          const k = this.value(key);
          entries.push([k.kind === "string" ? k.value : stripQuotes(key.text), this.value(val)]);
        }
        return { kind: "hashtable", entries };
      }
      case "simple_name":
        return { kind: "string", value: n.text };
      case "member_access": {
        const target = unwrap(n.namedChildren[0]!);
        const v = target.type === "variable" ? this.variable(target) : undefined;
        if (v?.kind === "certificate") return unresolved(n, `the ${n.namedChildren[n.namedChildCount - 1]?.text ?? "property"} of certificate ${v.thumbprint} is only known on the Exchange server`, [v.thumbprint]);
        return unresolved(n, "property values are only known when the script runs");
      }
      case "sub_expression": {
        const inner = n.namedChildren.find((c) => c.type === "statement_list");
        return inner && inner.namedChildCount === 1 ? this.value(inner.namedChildren[0]!) : unresolved(n, "a subexpression is only known when the script runs");
      }
      default:
        return unresolved(n, n.type === "ERROR" ? "the script does not parse here" : "this expression is only known when the script runs");
    }
  }

  private variable(n: SyntaxNode): PsValue {
    const text = n.text;
    const lowerText = text.toLowerCase();
    if (lowerText === "$true") return { kind: "bool", value: true };
    if (lowerText === "$false") return { kind: "bool", value: false };
    if (lowerText === "$null") return { kind: "null" };
    const env = /^\$(?:\{)?env:([A-Za-z_][A-Za-z0-9_]*)\}?$/i.exec(text);
    if (env) {
      const key = Object.keys(this.environment).find((k) => k.toLowerCase() === env[1]!.toLowerCase());
      const v = key === undefined ? undefined : this.environment[key];
      if (isUnknown(v)) return unresolved(n, "the environment value is unknown during preview");
      if (typeof v === "string") return { kind: "string", value: v };
      return unresolved(n, `environment variable ${env[1]} is not set in the command's environment`);
    }
    const written = text.replace(/^[$@]\{?/, "").replace(/\}$/, "");
    return this.variables.get(written.toLowerCase()) ?? unresolved(n, `$${written} is not assigned earlier in the script`);
  }

  /** A string literal, with `$var`, `$env:X` and `$(…)` expanded in double-quoted forms. */
  private string(n: SyntaxNode): PsValue {
    const text = n.text;
    const verbatim = n.type.startsWith("verbatim");
    if (verbatim || n.namedChildCount === 0) {
      const body = stripQuotes(text);
      return { kind: "string", value: verbatim ? body.replace(/''/g, "'") : body.replace(/`(.)/g, "$1") };
    }
    let out = "";
    let cursor = n.startIndex;
    const certificates: string[] = [];
    let reason: string | undefined;
    for (const child of n.namedChildren) {
      out += text.slice(cursor - n.startIndex, child.startIndex - n.startIndex);
      const v = child.type === "variable" ? this.variable(child) : this.value(child);
      if (v.kind === "string") out += v.value;
      else if (v.kind === "number" || v.kind === "bool") out += String(v.value);
      else {
        reason ??= v.kind === "unresolved" ? v.reason : "a value that is not text";
        if (v.kind === "unresolved" && v.certificates) certificates.push(...v.certificates);
        if (v.kind === "certificate") certificates.push(v.thumbprint);
      }
      cursor = child.endIndex;
    }
    out += text.slice(cursor - n.startIndex);
    if (reason) return unresolved(n, reason, [...new Set(certificates)]);
    return { kind: "string", value: stripQuotes(out).replace(/`(.)/g, "$1") };
  }
}
