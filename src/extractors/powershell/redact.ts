/**
 * Safe renderings of PowerShell the pack could not follow, for advisories ("written as …"). An
 * expression is named, not quoted: "a call to Invoke-RestMethod", "$cert.Thumbprint", "a hashtable".
 * Only names are shown (variables, `$env:` names, members, commands, types); string literals inside
 * the expression, command arguments, hashtables and anything that did not parse never are, because
 * that is where scripts carry passwords, tokens and keys — and a parse that went wrong can run on
 * into the following lines.
 */
import type { SyntaxNode } from "./grammar";

/** The longest rendering an advisory shows. */
const MAX_EXPRESSION_LENGTH = 80;
/** The longest name shown; anything longer is more likely data than a name. */
const MAX_NAME_LENGTH = 64;
/** Deeper than this, an expression is only "an expression": readable renderings are shallow. */
const MAX_DEPTH = 6;
const FALLBACK = "an expression";
const REDACTED = "…";

/** Words in parameter and key names whose values are credentials, whatever the command. */
const SECRET_WORDS = "password|secret|token|key|credential|pfx|filedata|apikey|auth";
/** `Password=…`, `'X-Api-Key': '…'`, `token: …` — the value is masked, the key kept. */
const SECRET_ASSIGNMENT = new RegExp(`(["'‘’“”]?[\\w-]*(?:${SECRET_WORDS})[\\w-]*["'‘’“”]?\\s*[=:]\\s*)("[^"]*"?|'[^']*'?|[^\\s;,)}]+)`, "gi");

const VARIABLE_NAME = /^[$@](?:[A-Za-z_][\w]*:)?[\w?^]+$|^[$@]\{(?:[A-Za-z_][\w]*:)?[\w ]+\}$/;
const MEMBER_NAME = /^[A-Za-z_][\w]*$/;
const COMMAND_NAME = /^[A-Za-z_][\w.-]*(?:\\[A-Za-z_][\w.-]*)*$/;
const TYPE_NAME = /^\[[A-Za-z_][\w.`[\], ]*\]$/;
const NUMBER = /^[-+]?(?:0x[0-9a-f]+|\d[\d.]*(?:e[-+]?\d+)?)[a-z]*$/i;

/** Node types that only pass their single child through. */
const WRAPPERS = new Set([
  "pipeline", "pipeline_chain", "logical_expression", "bitwise_expression", "comparison_expression", "additive_expression",
  "multiplicative_expression", "format_expression", "range_expression", "unary_expression", "array_literal_expression",
  "expression_with_unary_operator", "left_assignment_expression", "statement_list", "key_expression", "parenthesized_expression", "member_name", "string_literal",
  "argument_expression", "logical_argument_expression", "bitwise_argument_expression", "comparison_argument_expression",
  "additive_argument_expression", "multiplicative_argument_expression", "format_argument_expression", "range_argument_expression",
]);

/** `a.b` and `a.b(…)`. */
const MEMBER_TYPES = new Set(["member_access", "invokation_expression"]);

const STRING_TYPES = new Set(["expandable_string_literal", "expandable_here_string_literal", "verbatim_string_characters", "verbatim_here_string_characters"]);

/**
 * A rendering of `node` that is safe to show: at most 80 characters on one line, with no text longer
 * than a name. `node` is the whole value being described (so a plain string may be shown as itself
 * when it is short, on one line, and does not look like a secret). Never throws.
 */
export function describeExpression(node: SyntaxNode): string {
  try {
    // A parse that went wrong is described without the cache: its shape depends on what surrounds it.
    if (node.hasError || node.isMissing) return fitted(describe(node, true, 0));
    const type = node.type;
    // A command is described by its name alone: no need to read (or cache by) its whole text.
    if (type === "command") return fitted(describeCommand(node));
    const text = node.text;
    if (text.length > MAX_CACHED_TEXT) return fitted(describe(node, true, 0));
    const key = `${type}\u0000${text}`;
    let described = descriptions.get(key);
    if (described === undefined) {
      described = fitted(describe(node, true, 0));
      if (descriptions.size >= MAX_CACHED_DESCRIPTIONS) descriptions.clear();
      descriptions.set(key, described);
    }
    return described;
  } catch {
    return FALLBACK;
  }
}

/**
 * Descriptions of short, well-parsed expressions by node type and text: the same `$env:NAME` or
 * `$cert.Thumbprint` in every resource of a stack is described once (each description walks the
 * syntax tree, a WebAssembly crossing per read). What is cached is the rendering, already safe to show.
 */
const descriptions = new Map<string, string>();
const MAX_CACHED_TEXT = 256;
const MAX_CACHED_DESCRIPTIONS = 10_000;

function fitted(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  if (line.length === 0) return FALLBACK;
  return line.length > MAX_EXPRESSION_LENGTH ? `${line.slice(0, MAX_EXPRESSION_LENGTH - 1)}${REDACTED}` : line;
}

function unwrap(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (WRAPPERS.has(n.type) && n.namedChildCount === 1) n = n.namedChild(0)!;
  return n;
}

/** A name is shown when it is short, well formed, and not data glued onto a name (`"$prefix<token>"`). */
const nameOr = (text: string, pattern: RegExp, otherwise: string): string =>
  text.length <= MAX_NAME_LENGTH && pattern.test(text) && scrubSecrets(text) === text ? text : otherwise;

function describe(node: SyntaxNode, whole: boolean, depth: number): string {
  if (depth > MAX_DEPTH) return FALLBACK;
  // A parse that went wrong can have swallowed the following lines: say so, show none of it.
  if (node.hasError || node.isMissing) return "PowerShell that does not parse";
  const n = unwrap(node);
  switch (n.type) {
    case "variable":
    case "braced_variable":
      return nameOr(n.text, VARIABLE_NAME, "a variable");
    case "member_access":
    case "invokation_expression":
      return describeMemberAccess(n, depth);
    case "element_access":
      return `an element of ${describe(n.namedChild(0)!, false, depth + 1)}`;
    case "command":
      return describeCommand(n);
    case "pipeline":
    case "pipeline_chain": {
      const commands = n.namedChildren.filter((c) => c.type === "command");
      const last = commands[commands.length - 1];
      return last ? `a pipeline ending in ${describeCommand(last)}` : FALLBACK;
    }
    case "sub_expression":
      return "a subexpression";
    case "array_expression":
      return "an array subexpression";
    case "script_block":
    case "script_block_expression":
      return "a script block";
    case "hash_literal_expression":
      return "a hashtable";
    case "array_literal_expression":
      return `a list of ${n.namedChildCount} values`;
    case "type_literal":
      return nameOr(n.text, TYPE_NAME, "a type");
    case "cast_expression":
      return describeConversion(n, depth);
    case "integer_literal":
    case "decimal_integer_literal":
    case "hexadecimal_integer_literal":
    case "real_literal":
      return nameOr(n.text, NUMBER, "a number");
    case "generic_token":
      return whole ? describeWholeString(n) : REDACTED;
    default:
      if (STRING_TYPES.has(n.type)) return whole ? describeWholeString(n) : `'${REDACTED}'`;
      return FALLBACK;
  }
}

/** `$cert.Thumbprint`, `[Env]::Name`, else "the property .data.name of a call to Invoke-RestMethod". */
function describeMemberAccess(node: SyntaxNode, depth: number): string {
  const path: string[] = [];
  let target = node;
  let isCall = false;
  while (MEMBER_TYPES.has(target.type)) {
    const member = target.namedChildren.find((c) => c.type === "member_name");
    const operator = target.children.find((c) => !c.isNamed && (c.type === "." || c.type === "::"))?.type ?? ".";
    const called = target.type === "invokation_expression";
    // Only the outermost member decides whether the value is a method's result.
    if (path.length === 0) isCall = called;
    path.unshift(`${operator}${member ? nameOr(unwrap(member).text, MEMBER_NAME, "(a member)") : "(a member)"}${called ? "()" : ""}`);
    target = unwrap(target.namedChild(0)!);
  }
  const members = path.join("");
  const base = describe(target, false, depth + 1);
  const baseIsName = ["variable", "braced_variable", "type_literal"].includes(target.type) && base !== "a variable" && base !== "a type";
  if (baseIsName) return `${base}${members}`;
  return `${isCall ? "a call to the method" : "the property"} ${members} of ${base}`;
}

/** "a call to Get-TenantName": arguments are never shown, whatever their parameter. */
function describeCommand(node: SyntaxNode): string {
  const name = node.namedChildren.find((c) => c.type === "command_name");
  if (!name) return "an invoked command";
  return `a call to ${nameOr(name.text, COMMAND_NAME, "a command")}`;
}

/** `[int]$x`: the type is a name, the value is described. */
function describeConversion(node: SyntaxNode, depth: number): string {
  const type = node.namedChildren.find((c) => c.type === "type_literal");
  const value = node.namedChildren.find((c) => c.type !== "type_literal");
  if (!type || !value) return FALLBACK;
  return `${describe(value, false, depth + 1)} converted to ${nameOr(type.text, TYPE_NAME, "a type")}`;
}

/**
 * The whole value is a string: shown as written when it is one short line that does not look like a
 * secret (variables inside by name, subexpressions as `$(…)`), otherwise named with the variables it uses.
 */
function describeWholeString(node: SyntaxNode): string {
  const text = node.text;
  const hereString = node.type.includes("here");
  const lines = text.split(/\r?\n/).length;
  if (lines === 1 && !hereString) {
    const shown = withSubexpressionsElided(node);
    if (shown.length <= MAX_NAME_LENGTH && scrubSecrets(shown) === shown) return shown;
  }
  const variables = [...new Set(node.descendantsOfType("variable").map((v) => nameOr(v.text, VARIABLE_NAME, "")).filter((v) => v !== ""))];
  const kind = hereString ? "a here-string" : "a string";
  const span = lines > 1 ? ` over ${lines} lines` : "";
  const using = variables.length ? ` using ${variables.join(", ")}` : "";
  return fitted(`${kind}${span}${using}`);
}

/** The text of a string with each `$(…)` subexpression written as `$(…)`. */
function withSubexpressionsElided(node: SyntaxNode): string {
  let out = "";
  let cursor = node.startIndex;
  for (const sub of node.descendantsOfType("sub_expression")) {
    if (sub.startIndex < cursor) continue;
    out += node.text.slice(cursor - node.startIndex, sub.startIndex - node.startIndex) + `$(${REDACTED})`;
    cursor = sub.endIndex;
  }
  return out + node.text.slice(cursor - node.startIndex);
}

/**
 * Masks what looks like a secret in text meant for a message: the value of a `key=value` or
 * `key: value` whose key names a credential, URL user info, bearer/basic credentials, JWTs, and any
 * quoted or unbroken run longer than a name.
 */
export function scrubSecrets(text: string): string {
  return text
    .replace(SECRET_ASSIGNMENT, `$1${REDACTED}`)
    .replace(/(\/\/)[^\s/@]+@/g, `$1${REDACTED}@`)
    .replace(/\b(bearer|basic)\s+\S+/gi, `$1 ${REDACTED}`)
    .replace(/\beyJ[\w-]+\.[\w-]+(?:\.[\w-]*)?/g, REDACTED)
    .replace(/(["'‘’“”])[^"'‘’“”]{65,}\1/g, `'${REDACTED}'`)
    .replace(/\S{65,}/g, REDACTED)
    .replace(/[A-Za-z0-9+/=_]{16,}/g, (word) => (looksLikeData(word) ? REDACTED : word));
}

/**
 * Random-looking text (base64, tokens): letters and digits switch class about every other
 * character, where names switch at word boundaries. Hex is left alone: certificate thumbprints are
 * hex and are what an advisory is about.
 */
function looksLikeData(word: string): boolean {
  if (/^[0-9a-f]+$/i.test(word)) return false;
  const classOf = (ch: string) => (/[A-Z]/.test(ch) ? "upper" : /[a-z]/.test(ch) ? "lower" : /[0-9]/.test(ch) ? "digit" : "other");
  let switches = 0;
  for (let i = 1; i < word.length; i++) if (classOf(word[i]!) !== classOf(word[i - 1]!)) switches++;
  return switches * 3 >= word.length;
}

/** An expression for a message: one line, secrets masked, at most 80 characters. */
export function scrubExpression(text: string): string {
  // A quote left open (a parse that ran on) hides its content as well.
  return fitted(scrubSecrets(text.replace(/\s+/g, " ")).replace(/(["'‘’“”])[^"'‘’“”]{65,}$/, `'${REDACTED}`));
}
