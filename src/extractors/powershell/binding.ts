/**
 * Binding a command's arguments the way PowerShell does: case-insensitive names and unambiguous
 * prefixes, `-P:v`, switches, splatting (`@params`), positional identity, bare-word lists (also across
 * lines after a trailing comma); and the raw arguments of commands the catalogue does not describe.
 */
import { isSecretParameter, resolveParameter, type CmdletSpec } from "./catalogue";
import type { Argument, CmdletCall, EvaluationContext, ValueSpan } from "./context";
import type { SyntaxNode } from "./grammar";
import { bareWord, evaluateValue, unresolved, unwrap, variableName, type PsValue } from "./values";

/** Switches of the runners the walk follows (they take no argument). */
const RUNNER_SWITCHES = new Set(["ashashtable", "noenumerate", "asjob", "hidecomputername", "indisconnectedsession", "nonewscope", "enablenetworkaccess", "runasadministrator", "usessl", "noprofile", "wait"]);

/** Binds a catalogued cmdlet's arguments the way PowerShell does. */
export function bindArguments(ev: EvaluationContext, call: CmdletCall, spec: CmdletSpec, node: SyntaxNode, trailing: PsValue[]): void {
  const elementsNode = node.childForFieldName("command_elements") ?? node.namedChildren.find((c) => c.type === "command_elements");
  // Each `type` read crosses into WebAssembly: read once per element.
  const elements = (elementsNode?.children ?? []).map((n) => ({ node: n, type: n.type })).filter((e) => e.type !== "comment");
  const positional: PsValue[] = [];
  let pending: { name: string | undefined; colon: boolean; isSwitch: boolean } | undefined;
  let lastBound: string | undefined;
  const bind = (name: string | undefined, v: PsValue, written?: SyntaxNode) => {
    if (!name) return;
    const secret = isSecretParameter(name);
    call.parameters.set(name, secret ? { kind: "unresolved", expression: "(secret)", reason: "secret parameters are never read" } : v);
    const span = !secret && written ? valueSpan(ev, v, written) : undefined;
    if (span) (call.spans ??= new Map()).set(name, span);
    else call.spans?.delete(name);
    lastBound = name;
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
      const raw = el.text.replace(/^[-\u2013\u2014\u2015]/, "");
      const colon = raw.endsWith(":");
      const writtenName = colon ? raw.slice(0, -1) : raw;
      const r = resolveParameter(spec, writtenName);
      let name: string | undefined;
      if (r.kind === "resolved") name = r.name;
      else if (r.kind === "ambiguous") call.ambiguous.push({ written: `-${writtenName}`, candidates: r.candidates });
      pending = { name, colon, isSwitch: name !== undefined && spec.switches.includes(name) };
      continue;
    }
    // An argument: to the pending parameter (a switch only takes `-Switch:$value`), or positional.
    const takesValue = pending !== undefined && (!pending.isSwitch || pending.colon);
    const inner = type === "generic_token" ? el : unwrap(el);
    if (!takesValue && inner.type === "variable" && inner.text.startsWith("@")) {
      flushSwitch();
      splat(ev, call, inner.text.slice(1), spec, inner);
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
      v = bareWord(text);
      // `1.2.3.4, # why` and the next element on the following line: PowerShell continues the list after a trailing comma.
      let j = i + 1;
      while (j < elements.length && elements[j]!.type === "command_argument_sep") j++;
      const next = elements[j];
      if (next && next.type !== "command_parameter" && (text.trimEnd().endsWith(",") || next.node.text.startsWith(","))) {
        const rest = listContinuation(ev, next.node);
        v = { kind: "array", items: [...(v.kind === "array" ? v.items : [v]), ...(rest.kind === "array" ? rest.items : [rest])] };
        i = j;
      }
    } else {
      v = evaluateValue(ev, inner);
    }
    if (takesValue) {
      bind(pending!.name, v, type === "generic_token" ? el : inner);
      pending = undefined;
    } else {
      flushSwitch();
      positional.push(v);
      lastBound = undefined;
    }
  }
  flushSwitch();
  const last = elements.at(-1)?.node;
  const end = last && ev.positionAfter(last);
  if (end) call.end = end;
  if (spec.positional && positional.length > 0 && !call.parameters.has(spec.positional)) {
    call.parameters.set(spec.positional, positional[0]!);
    if (positional.length === 1) lastBound = spec.positional;
  }
  if (trailing.length > 0 && lastBound) {
    const v = call.parameters.get(lastBound)!;
    call.parameters.set(lastBound, { kind: "array", items: [...(v.kind === "array" ? v.items : [v]), ...trailing] });
  }
}

/** Value kinds a fix can write as one literal in place of the one the script has (and lists written in place). */
const SCALAR_KINDS = new Set<PsValue["kind"]>(["string", "bool", "number"]);

/**
 * Where a bound value is written as one literal: the string literal it was read from (wherever in the
 * script a variable got it), or the argument itself when it is a literal (`$true`, `25`, a bare word).
 */
function valueSpan(ev: EvaluationContext, v: PsValue, argument: SyntaxNode): ValueSpan | undefined {
  // A list written in place (`'a','b'`, `@('a')`) is one value to replace; a list from a variable or bare words is not.
  if (v.kind === "array") return argument.type !== "variable" && argument.type !== "generic_token" ? ev.spanOf(argument) : undefined;
  if (!SCALAR_KINDS.has(v.kind)) return undefined;
  const literal = ev.literals.get(v);
  if (literal) return literal.span;
  const type = argument.type;
  if (type === "generic_token" || type.endsWith("integer_literal") || type === "real_literal") return ev.spanOf(argument);
  if (type === "variable" && v.kind === "bool") return ev.spanOf(argument);
  return undefined;
}

/** The rest of a bare-word list after a trailing comma: its comments are not values, its words are text. */
function listContinuation(ev: EvaluationContext, node: SyntaxNode): PsValue {
  const words = node.text.replace(/<#[\s\S]*?#>/g, " ").replace(/#[^\n]*/g, " ").trim().replace(/^,/, "").trim();
  if (/^[A-Za-z0-9_.:/*;-]+(\s*,\s*[A-Za-z0-9_.:/*;-]+)*$/.test(words)) return bareWord(words.replace(/\s+/g, ""));
  return evaluateValue(ev, node);
}

/** `@params`: binds the entries of a hashtable variable as named parameters. */
export function splat(ev: EvaluationContext, call: CmdletCall, variable: string, spec: CmdletSpec, node: SyntaxNode): void {
  const v = ev.scope.get(variableName(`$${variable}`));
  if (!v || v.kind !== "hashtable") {
    call.parameters.set("(splatted)", unresolved(node, `@${variable} is not a hashtable assigned earlier in the script`));
    return;
  }
  bindTable(call, spec, v);
}

/** A table's entries as named parameters, as splatting binds them (about_Splatting). */
export function bindTable(call: CmdletCall, spec: CmdletSpec, table: Extract<PsValue, { kind: "hashtable" }>): void {
  for (const [key, value] of table.entries) {
    const r = resolveParameter(spec, key);
    if (r.kind === "resolved") call.parameters.set(r.name, isSecretParameter(r.name) ? { kind: "unresolved", expression: "(secret)", reason: "secret parameters are never read" } : value);
    else if (r.kind === "ambiguous") call.ambiguous.push({ written: key, candidates: r.candidates });
  }
}

/** The arguments of a command the catalogue does not describe: `-name value`, `-switch`, positional. */
export function rawArguments(node: SyntaxNode): Array<{ name?: string; node: SyntaxNode }> {
  const elementsNode = node.childForFieldName("command_elements") ?? node.namedChildren.find((c) => c.type === "command_elements");
  const elements = (elementsNode?.namedChildren ?? []).filter((e) => e.type !== "comment" && e.type !== "command_argument_sep");
  const out: Array<{ name?: string; node: SyntaxNode }> = [];
  for (let i = 0; i < elements.length; i++) {
    const el = elements[i]!;
    if (el.type === "command_parameter") {
      const raw = el.text.replace(/^-/, "");
      const name = raw.replace(/:$/, "").toLowerCase();
      const next = elements[i + 1];
      if (next && next.type !== "command_parameter" && (raw.endsWith(":") || !RUNNER_SWITCHES.has(name))) {
        out.push({ name, node: next });
        i++;
      } else out.push({ name, node: el });
      continue;
    }
    out.push({ node: el });
  }
  return out;
}

export function argumentsOf(ev: EvaluationContext, node: SyntaxNode): Argument[] {
  return rawArguments(node).map((a) => ({ ...(a.name ? { name: a.name } : {}), value: a.node.type === "command_parameter" ? { kind: "switch" } : a.node.type === "generic_token" ? bareWord(a.node.text) : evaluateValue(ev, a.node) }));
}
