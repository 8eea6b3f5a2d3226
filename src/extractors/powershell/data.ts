/**
 * Literal data as PowerShell evaluates it (issue 23): scripts that create several connectors keep
 * their settings in hashtables and arrays and loop over them. Hashtables (`@{}`, `[ordered]@{}`) and
 * `[pscustomobject]@{}` objects, their members and keys (case-insensitive, about_Hash_Tables), index
 * access (`$h['Cert']`, `$a[0]`, `$a[-1]`), `.Keys`, `.Values`, `.Count`, `.GetEnumerator()` with each
 * entry's `.Key`/`.Name`/`.Value`, member enumeration over arrays (`$list.Name`), `+` on text, numbers
 * and arrays, assignment to a member or key, and `ConvertFrom-Json` of known text. A missing key or
 * property is `$null`, as PowerShell gives it; anything not known stays unresolved, with the reason.
 *   https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_hash_tables
 *   https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_member-access_enumeration
 *   https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/convertfrom-json
 */
import { argumentsOf } from "./binding";
import { named, type EvaluationContext } from "./context";
import type { SyntaxNode } from "./grammar";
import { evaluateValue, unresolved, unwrap, variableName, type PsValue } from "./values";

type Hashtable = Extract<PsValue, { kind: "hashtable" }>;
const NULL: PsValue = { kind: "null" };

/** A key's value, compared without case as PowerShell's hashtables and objects do; undefined when absent. */
export function entryOf(table: Hashtable, key: string): PsValue | undefined {
  const lower = key.toLowerCase();
  for (const [k, v] of table.entries) if (k.toLowerCase() === lower) return v;
  return undefined;
}

function setEntry(table: Hashtable, key: string, value: PsValue): void {
  const lower = key.toLowerCase();
  const at = table.entries.findIndex(([k]) => k.toLowerCase() === lower);
  if (at >= 0) table.entries[at] = [table.entries[at]![0], value];
  else table.entries.push([key, value]);
}

/** `$entry` of `.GetEnumerator()`: a DictionaryEntry, whose `Name` is its `Key` (PowerShell's type data). */
const dictionaryEntry = (key: string, value: PsValue): PsValue => ({ kind: "hashtable", object: true, entries: [["Key", { kind: "string", value: key }], ["Value", value]] });

/** A member of a known value; undefined when the value is not data the walk knows (the caller decides). */
export function memberOf(value: PsValue, member: string, node: SyntaxNode): PsValue | undefined {
  const name = member.toLowerCase();
  if (value.kind === "hashtable") {
    if (value.object) {
      if (name === "name" && entryOf(value, "Key") && entryOf(value, "Value") && value.entries.length === 2) return entryOf(value, "Key");
      return entryOf(value, member) ?? NULL;
    }
    // A key wins over the hashtable's own properties (about_Hash_Tables: `$h.Keys` is a key named Keys when there is one).
    const entry = entryOf(value, member);
    if (entry) return entry;
    if (name === "keys") return { kind: "array", items: value.entries.map(([k]) => ({ kind: "string", value: k })) };
    if (name === "values") return { kind: "array", items: value.entries.map(([, v]) => v) };
    if (name === "count") return { kind: "number", value: value.entries.length };
    return NULL;
  }
  if (value.kind === "array") {
    if (name === "count" || name === "length") return { kind: "number", value: value.items.length };
    // Member enumeration: the member of each item that has it.
    const items: PsValue[] = [];
    for (const item of value.items) {
      const v = memberOf(item, member, node);
      if (v === undefined) return unresolved(node, "a member of an item only known when the script runs");
      if (v.kind !== "null") items.push(v);
    }
    return items.length === 1 ? items[0]! : { kind: "array", items };
  }
  if (value.kind === "string" && name === "length") return { kind: "number", value: value.value.length };
  if (value.kind === "null") return NULL;
  return undefined;
}

/** `$h['Cert']`, `$a[0]`, `$a[-1]`. */
export function elementAccess(ev: EvaluationContext, n: SyntaxNode): PsValue {
  const [targetNode, indexNode] = n.namedChildren.filter((c) => c.type !== "comment");
  if (!targetNode || !indexNode) return unresolved(n, "this expression is only known when the script runs");
  const target = evaluateValue(ev, targetNode);
  const index = evaluateValue(ev, indexNode);
  if (target.kind === "hashtable" && (index.kind === "string" || index.kind === "number")) return entryOf(target, String(index.value)) ?? NULL;
  if (target.kind === "array" && index.kind === "number" && Number.isInteger(index.value)) {
    const i = index.value < 0 ? target.items.length + index.value : index.value;
    return target.items[i] ?? NULL;
  }
  if (target.kind === "unresolved") return unresolved(n, target.reason, target.certificates);
  return unresolved(n, "an element only known when the script runs");
}

/** `$h.GetEnumerator()`, `$h.ContainsKey('x')`, `$h.Clone()`; other methods are only known when they run. */
export function methodCall(ev: EvaluationContext, n: SyntaxNode): PsValue {
  const targetNode = n.namedChildren[0];
  const method = n.namedChildren.find((c) => c.type === "member_name")?.text.toLowerCase();
  const target = targetNode ? evaluateValue(ev, targetNode) : undefined;
  if (target?.kind === "hashtable" && !target.object) {
    if (method === "getenumerator") return { kind: "array", items: target.entries.map(([k, v]) => dictionaryEntry(k, v)) };
    if (method === "clone") return { kind: "hashtable", entries: [...target.entries] };
    if (method === "add" || method === "containskey") {
      const args = n.namedChildren.find((c) => c.type === "argument_list")?.descendantsOfType("argument_expression") ?? [];
      const key = args[0] ? evaluateValue(ev, args[0]) : undefined;
      if (key?.kind !== "string") return unresolved(n, "a key only known when the script runs");
      if (method === "containskey") return { kind: "bool", value: entryOf(target, key.value) !== undefined };
      setEntry(target, key.value, args[1] ? evaluateValue(ev, args[1]) : NULL);
      return NULL;
    }
  }
  return unresolved(n, "the result of a method is only known when the script runs");
}

/** `[ordered]@{…}`, `[pscustomobject]@{…}`, `[hashtable]`, `[string]`, `[array]`: the conversions of known values. */
export function castValue(ev: EvaluationContext, n: SyntaxNode): PsValue {
  const type = n.namedChildren.find((c) => c.type === "type_literal")?.text.replace(/\s+/g, "").toLowerCase() ?? "";
  const operand = n.namedChildren.find((c) => c.type !== "type_literal");
  const v = operand ? evaluateValue(ev, operand) : NULL;
  if (v.kind === "unresolved") return v;
  switch (type) {
    case "[ordered]":
    case "[hashtable]":
    case "[system.collections.hashtable]":
      return v.kind === "hashtable" ? { kind: "hashtable", entries: v.entries } : unresolved(n, "a conversion only known when the script runs");
    case "[pscustomobject]":
    case "[psobject]":
      return v.kind === "hashtable" ? { kind: "hashtable", object: true, entries: v.entries } : v;
    case "[string]":
      return v.kind === "string" ? v : v.kind === "number" || v.kind === "bool" ? { kind: "string", value: v.kind === "bool" ? (v.value ? "True" : "False") : String(v.value) } : unresolved(n, "a conversion only known when the script runs");
    case "[array]":
    case "[object[]]":
    case "[string[]]":
      return v.kind === "array" ? v : { kind: "array", items: [v] };
    default:
      return unresolved(n, "a conversion only known when the script runs");
  }
}

/**
 * `-1`, `-not $x`, `!$x`, `,$x`; a cast written before its operand (`[ordered]@{…}`) arrives here too.
 * (about_Operators: the unary minus negates, `-not`/`!` negate a value's truth, `,` makes an array of one.)
 */
export function unaryOperation(ev: EvaluationContext, n: SyntaxNode): PsValue {
  const operand = n.namedChildren.find((c) => c.type !== "comment");
  const operator = n.children.find((c) => !c.isNamed)?.text.toLowerCase();
  if (!operand) return unresolved(n, "this expression is only known when the script runs");
  const v = evaluateValue(ev, operand);
  if (operator === undefined || operator === "+") return v;
  if (v.kind === "unresolved") return v;
  if (operator === "-" || operator === "\u2013" || operator === "\u2014") return v.kind === "number" ? { kind: "number", value: -v.value } : unresolved(n, "this expression is only known when the script runs");
  if (operator === ",") return { kind: "array", items: [v] };
  if (operator === "-not" || operator === "!") {
    const truth = truthOf(v);
    return truth === undefined ? unresolved(n, "this condition is only known when the script runs") : { kind: "bool", value: !truth };
  }
  return unresolved(n, "this expression is only known when the script runs");
}

/** A known value's truth as PowerShell converts it to a Boolean (about_Booleans). */
export function truthOf(v: PsValue): boolean | undefined {
  switch (v.kind) {
    case "bool":
      return v.value;
    case "null":
      return false;
    case "string":
      return v.value.length > 0;
    case "number":
      return v.value !== 0;
    case "array":
      return v.items.length === 0 ? false : v.items.length === 1 ? truthOf(v.items[0]!) : true;
    case "hashtable":
    case "switch":
      return true;
    default:
      return undefined;
  }
}

/** `a + b` on known text, numbers and arrays (about_Arithmetic_Operators); `-` on numbers. */
export function additive(ev: EvaluationContext, n: SyntaxNode): PsValue {
  const [leftNode, rightNode] = n.namedChildren.filter((c) => c.type !== "comment");
  const operator = n.children.find((c) => !c.isNamed)?.type;
  if (!leftNode || !rightNode) return unresolved(n, "this expression is only known when the script runs");
  return combine(evaluateValue(ev, leftNode), operator === "-" ? "-" : "+", evaluateValue(ev, rightNode), n);
}

export function combine(a: PsValue, operator: "+" | "-", b: PsValue, n: SyntaxNode): PsValue {
  if (a.kind === "unresolved") return a;
  if (b.kind === "unresolved") return b;
  if (operator === "-") return a.kind === "number" && b.kind === "number" ? { kind: "number", value: a.value - b.value } : unresolved(n, "this expression is only known when the script runs");
  if (a.kind === "array") return { kind: "array", items: [...a.items, ...(b.kind === "array" ? b.items : [b])] };
  if (a.kind === "null") return b;
  if (a.kind === "string" && (b.kind === "string" || b.kind === "number")) return { kind: "string", value: a.value + String(b.value) };
  if (a.kind === "number" && b.kind === "number") return { kind: "number", value: a.value + b.value };
  if (a.kind === "hashtable" && b.kind === "hashtable" && !a.object) return { kind: "hashtable", entries: [...a.entries, ...b.entries] };
  return unresolved(n, "this expression is only known when the script runs");
}

/** `$h.Cert = v`, `$h['Cert'] = v`: the known hashtable changes (hashtables are shared by reference). */
export function assignMember(ev: EvaluationContext, left: SyntaxNode, value: PsValue): void {
  const [targetNode, keyNode] = left.namedChildren.filter((c) => c.type !== "comment");
  if (!targetNode || !keyNode) return;
  const target = evaluateValue(ev, targetNode);
  const key = left.type === "member_access" ? memberName(ev, keyNode) : evaluateValue(ev, keyNode);
  if (target.kind === "hashtable" && key?.kind === "string") setEntry(target, key.value, value);
  else if (target.kind === "hashtable" && unwrap(targetNode).type === "variable") {
    // A key only known at run time: what the table holds is no longer known.
    ev.scope.set(variableName(unwrap(targetNode).text), unresolved(left, "a hashtable changed with a key only known when the script runs"));
  }
}

/** A member's name: a word, a quoted name, or a variable holding one (`$h.$key`). */
export function memberName(ev: EvaluationContext, node: SyntaxNode): PsValue | undefined {
  const inner = unwrap(node.type === "member_name" ? (node.namedChildren[0] ?? node) : node);
  if (inner.type === "simple_name") return { kind: "string", value: inner.text };
  return evaluateValue(ev, inner);
}

/** `ConvertFrom-Json`: known JSON text becomes the objects and arrays PowerShell makes of it. */
export function fromJson(text: string, node: SyntaxNode): PsValue {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return unresolved(node, "ConvertFrom-Json of text that is not JSON");
  }
  const convert = (v: unknown, depth: number): PsValue => {
    if (depth > 64) return unresolved(node, "JSON nested too deeply to follow");
    if (typeof v === "string") return { kind: "string", value: v };
    if (typeof v === "number") return { kind: "number", value: v };
    if (typeof v === "boolean") return { kind: "bool", value: v };
    if (Array.isArray(v)) return { kind: "array", items: v.map((x) => convert(x, depth + 1)) };
    if (v !== null && typeof v === "object") return { kind: "hashtable", object: true, entries: Object.entries(v).map(([k, x]) => [k, convert(x, depth + 1)]) };
    return NULL;
  };
  return convert(parsed, 0);
}

/** `ConvertFrom-Json` of known text (piped, `-InputObject` or positional); `-AsHashtable` makes hashtables. */
export function convertFromJson(ev: EvaluationContext, node: SyntaxNode, input: PsValue | undefined): PsValue {
  const args = argumentsOf(ev, node);
  const text = named(args, "inputobject") ?? args.find((a) => !a.name)?.value ?? input;
  const joined = text?.kind === "array" && text.items.every((i) => i.kind === "string") ? text.items.map((i) => (i as { value: string }).value).join("\n") : text?.kind === "string" ? text.value : undefined;
  if (joined === undefined) return unresolved(node, text?.kind === "unresolved" ? text.reason : "the JSON text is only known when the script runs");
  const v = fromJson(joined, node);
  const asHashtable = named(args, "ashashtable") !== undefined;
  const plain = (x: PsValue): PsValue => (x.kind === "hashtable" ? { kind: "hashtable", entries: x.entries.map(([k, e]) => [k, plain(e)]) } : x.kind === "array" ? { kind: "array", items: x.items.map(plain) } : x);
  return asHashtable ? plain(v) : v;
}
