/**
 * Values as the walk knows them (`PsValue`): literals, strings with `$var`/`$env:`/`$(…)` expanded,
 * variables, arrays, hashtables, certificates and connectors a script got, and `unresolved` (with the
 * reason) for anything only known when the script runs.
 */
import { thumbprintRef } from "../../model/certificate-ref";
import type { NameFilter } from "../../model/selection";
import { isUnknown } from "../types";
import type { EvaluationContext } from "./context";
import type { SyntaxNode } from "./grammar";
import { additive, castValue, elementAccess, memberName, memberOf, methodCall, unaryOperation } from "./data";
import { describeExpression } from "./redact";

export type PsValue =
  | { kind: "string"; value: string }
  | { kind: "bool"; value: boolean }
  | { kind: "number"; value: number }
  | { kind: "null" }
  | { kind: "array"; items: PsValue[] }
  /** A hashtable (`@{}`, `[ordered]@{}`), or an object (`object`: `[pscustomobject]@{}`, ConvertFrom-Json, a DictionaryEntry). */
  | { kind: "hashtable"; entries: Array<[string, PsValue]>; object?: boolean }
  | { kind: "switch" }
  /**
   * A certificate: `Get-ExchangeCertificate -Thumbprint X` (known only on the server by thumbprint), or
   * what `New-ExchangeCertificate` / `Import-ExchangeCertificate` at line `createdAt` returned.
   */
  | { kind: "certificate"; thumbprint?: string; createdAt?: number; imported?: boolean }
  /** `{ … }`: a script block, run only where PowerShell runs it. Valid while the tree is. */
  | { kind: "scriptblock"; node: SyntaxNode }
  /** `New-PSSession`: the server the session's commands run on (UNKNOWN_ORG when only known at deploy). */
  | { kind: "session"; server: string | undefined }
  /** `Get-InboundConnector 'x'`: a connector, by the identity the script names. */
  | { kind: "connector"; noun: string; identity: PsValue | undefined; filters?: NameFilter[]; unreadableFilter?: string }
  | {
      kind: "unresolved";
      expression: string;
      reason: string;
      /** Certificates the value derives from, as references (`certificateRefOf`). */
      certificates?: string[];
      /** The value becomes known at deploy time (an unknown `environment` value); otherwise never, since the pack does not run the script. */
      atDeploy?: boolean;
    };

export type Unresolved = Extract<PsValue, { kind: "unresolved" }>;

type CertificateValue = Extract<PsValue, { kind: "certificate" }>;

/**
 * How a value names its certificate in facts: `thumbprint:<hex>`, or `line:<n>` for the certificate a
 * New-/Import-ExchangeCertificate at line n of the same script returned (exchange.ts turns that into the
 * certificate's id).
 */
export const certificateRefOf = (c: CertificateValue): string => (c.thumbprint ? thumbprintRef(c.thumbprint) : `line:${c.createdAt ?? 0}`);

/** A certificate value as a reader would name it. */
function describeCertificateValue(c: CertificateValue): string {
  if (c.thumbprint) return `certificate ${c.thumbprint}`;
  return c.imported ? `the certificate imported at line ${c.createdAt}` : `the certificate New-ExchangeCertificate makes at line ${c.createdAt}`;
}

/** Members of a connector object that identify it: `$_.Identity` stands for the connector itself. */
const CONNECTOR_IDENTITY_MEMBERS = new Set(["identity", "name", "guid", "distinguishedname", "id"]);

export const unresolved = (node: SyntaxNode, reason: string, certificates?: string[]): PsValue => ({
  kind: "unresolved",
  // Named, not quoted: the source text can hold secrets (see redact.ts).
  expression: describeExpression(node),
  reason,
  ...(certificates?.length ? { certificates } : {}),
});

/** Wrapper node types that only pass their single child through. */
const TRANSPARENT = new Set([
  "pipeline", "pipeline_chain", "logical_expression", "bitwise_expression", "comparison_expression", "additive_expression",
  "multiplicative_expression", "format_expression", "range_expression", "unary_expression",
  "left_assignment_expression", "statement_list", "key_expression", "member_name", "parenthesized_expression", "array_literal_expression",
]);

/** Descends through single-child wrapper nodes (pipeline → … → unary_expression). */
export function unwrap(node: SyntaxNode): SyntaxNode {
  let n = node;
  // Each `type` read crosses into WebAssembly: read it once per node.
  let type = n.type;
  while (TRANSPARENT.has(type) && n.namedChildCount === 1) {
    n = n.namedChild(0)!;
    type = n.type;
  }
  return n;
}

function stripQuotes(text: string): string {
  if (text.startsWith("@\"") || text.startsWith("@'")) return text.slice(2, -2).replace(/^\r?\n/, "").replace(/\r?\n$/, "");
  if ((text.startsWith('"') && text.endsWith('"')) || (text.startsWith("'") && text.endsWith("'"))) return text.slice(1, -1);
  return text;
}

/** PowerShell's backtick escapes in double-quoted strings (about_Special_Characters). */
const ESCAPES: Record<string, string> = { "0": "\0", a: "\x07", b: "\b", e: "\x1b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v" };

const decodeEscapes = (s: string): string => s.replace(/`(.)/gs, (_m, c: string) => ESCAPES[c] ?? c);

/** A bare word in argument mode: `$true`-less literals, comma lists, numbers stay strings. */
export function bareWord(text: string): PsValue {
  const parts = text.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
  if (parts.length > 1) return { kind: "array", items: parts.map((p) => ({ kind: "string", value: p })) };
  return { kind: "string", value: parts[0] ?? text };
}

/** `$Name`, `${Name}`, `$script:Name`, `$using:Name` → `name`. */
export function variableName(text: string): string {
  return text
    .replace(/^[$@]\{?/, "")
    .replace(/\}$/, "")
    .replace(/^(script|global|local|private|using):/i, "")
    .toLowerCase();
}

export function evaluateValue(ev: EvaluationContext, node: SyntaxNode): PsValue {
  const n = unwrap(node);
  switch (n.type) {
    case "string_literal":
      return stringValue(ev, n.namedChildren[0] ?? n);
    case "expandable_string_literal":
    case "expandable_here_string_literal":
    case "verbatim_string_characters":
    case "verbatim_here_string_characters":
      return stringValue(ev, n);
    case "generic_token":
      return bareWord(n.text);
    case "integer_literal":
    case "decimal_integer_literal":
    case "hexadecimal_integer_literal":
    case "real_literal":
      return { kind: "number", value: Number(n.text) };
    case "variable":
      return variableValue(ev, n);
    case "script_block_expression":
      // A value: it runs only where it is invoked (what is never invoked is reported with this reason).
      ev.skip(n, "in a script block that is never invoked");
      return { kind: "scriptblock", node: n };
    case "array_literal_expression": {
      const items = n.namedChildren.filter((c) => c.type !== "comment").map((c) => evaluateValue(ev, c));
      return items.length === 1 ? items[0]! : { kind: "array", items };
    }
    case "array_expression": {
      const inner = n.namedChildren.find((c) => c.type === "statement_list");
      if (!inner) return { kind: "array", items: [] };
      const items: PsValue[] = [];
      for (const s of inner.namedChildren) {
        if (s.type === "comment") continue;
        const v = evaluateValue(ev, s);
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
        const k = evaluateValue(ev, key);
        entries.push([k.kind === "string" ? k.value : stripQuotes(key.text), evaluateValue(ev, val)]);
      }
      return { kind: "hashtable", entries };
    }
    case "simple_name":
      return { kind: "string", value: n.text };
    case "member_access": {
      const v = evaluateValue(ev, n.namedChildren[0]!);
      const memberNode = n.namedChildren[n.namedChildCount - 1];
      const written = memberNode ? memberName(ev, memberNode) : undefined;
      const member = written?.kind === "string" ? written.value : (memberNode?.text ?? "property");
      if (v.kind === "certificate") return certificateMember(n, v, member);
      if (v.kind === "connector" && CONNECTOR_IDENTITY_MEMBERS.has(member.toLowerCase())) return v;
      const data = written?.kind === "string" ? memberOf(v, member, n) : undefined;
      if (data) return data;
      if (v.kind === "unresolved" && v.certificates) return unresolved(n, v.reason, v.certificates);
      return unresolved(n, "property values are only known when the script runs");
    }
    case "expression_with_unary_operator":
      return unaryOperation(ev, n);
    case "element_access":
      return elementAccess(ev, n);
    case "invokation_expression":
      return methodCall(ev, n);
    case "cast_expression":
      return castValue(ev, n);
    case "additive_expression":
      return additive(ev, n);
    case "sub_expression": {
      const inner = n.namedChildren.find((c) => c.type === "statement_list");
      return inner && inner.namedChildCount === 1 ? evaluateValue(ev, inner.namedChildren[0]!) : unresolved(n, "a subexpression is only known when the script runs");
    }
    case "parenthesized_expression": {
      const inner = n.namedChildren.find((c) => c.type !== "comment");
      return inner ? evaluateValue(ev, inner) : { kind: "null" };
    }
    default:
      return unresolved(n, n.type === "ERROR" ? "the script does not parse here" : "this expression is only known when the script runs");
  }
}

function variableValue(ev: EvaluationContext, n: SyntaxNode): PsValue {
  const text = n.text;
  const lowerText = text.toLowerCase();
  if (lowerText === "$true") return { kind: "bool", value: true };
  if (lowerText === "$false") return { kind: "bool", value: false };
  if (lowerText === "$null") return { kind: "null" };
  const env = /^\$(?:\{)?env:([A-Za-z_][A-Za-z0-9_]*)\}?$/i.exec(text);
  if (env) {
    const key = Object.keys(ev.environment).find((k) => k.toLowerCase() === env[1]!.toLowerCase());
    const v = key === undefined ? undefined : ev.environment[key];
    if (isUnknown(v)) return { ...(unresolved(n, "the environment value is unknown during preview") as Unresolved), atDeploy: true };
    if (typeof v === "string") return { kind: "string", value: v };
    return unresolved(n, `environment variable ${env[1]} is not set in the command's environment`);
  }
  const written = text.replace(/^[$@]\{?/, "").replace(/\}$/, "");
  return ev.scope.get(variableName(text)) ?? unresolved(n, `$${written} is not assigned earlier in the script`);
}

/**
 * `$c.Thumbprint` is the certificate itself (it names it wherever a thumbprint is asked for); any other
 * member is what the server knows of it, carried with the certificate it comes from.
 */
function certificateMember(n: SyntaxNode, c: CertificateValue, member: string): PsValue {
  if (member.toLowerCase() === "thumbprint") return c;
  const what = describeCertificateValue(c);
  const reason = c.imported
    ? `the ${member} of ${what} is only known on the server: declare that certificate with a Certificate descriptor (subject, issuer, dnsNames, thumbprint) or under mailflow-inventory.certificates so its names can be checked`
    : c.thumbprint
      ? `the ${member} of ${what} is only known on the Exchange server`
      : `the ${member} of ${what} is only known when it runs; the connector is linked to that certificate`;
  return unresolved(n, reason, [certificateRefOf(c)]);
}

/** A string literal, with `$var`, `$env:X` and `$(…)` expanded and backtick escapes decoded in double-quoted forms. */
function stringValue(ev: EvaluationContext, n: SyntaxNode): PsValue {
  const v = stringValueOf(ev, n);
  // Where the string is written: if the walk runs it (a command name, Invoke-Expression text), the names in it are accounted for.
  if (v.kind === "string") {
    const span = ev.spanOf(n);
    ev.literals.set(v, { start: n.startIndex, end: n.endIndex, into: ev.accounted, ...(span ? { span } : {}) });
  }
  return v;
}

function stringValueOf(ev: EvaluationContext, n: SyntaxNode): PsValue {
  const text = n.text;
  const verbatim = n.type.startsWith("verbatim");
  if (verbatim) return { kind: "string", value: stripQuotes(text).replace(/''/g, "'") };
  if (n.namedChildCount === 0) return { kind: "string", value: decodeEscapes(stripQuotes(text).replace(/""/g, '"')) };
  let out = "";
  let cursor = n.startIndex;
  const certificates: string[] = [];
  let reason: string | undefined;
  let atDeploy = false;
  for (const child of n.namedChildren) {
    out += text.slice(cursor - n.startIndex, child.startIndex - n.startIndex);
    const v = child.type === "variable" ? variableValue(ev, child) : evaluateValue(ev, child);
    if (v.kind === "string") out += v.value.replace(/`/g, "``");
    else if (v.kind === "number" || v.kind === "bool") out += String(v.value);
    else {
      reason ??= v.kind === "unresolved" ? v.reason : "a value that is not text";
      if (v.kind === "unresolved" && v.atDeploy) atDeploy = true;
      if (v.kind === "unresolved" && v.certificates) certificates.push(...v.certificates);
      if (v.kind === "certificate") certificates.push(certificateRefOf(v));
    }
    cursor = child.endIndex;
  }
  out += text.slice(cursor - n.startIndex);
  if (reason) return { ...(unresolved(n, reason, [...new Set(certificates)]) as Unresolved), ...(atDeploy ? { atDeploy } : {}) };
  return { kind: "string", value: decodeEscapes(stripQuotes(out).replace(/""/g, '"')) };
}
