/**
 * A fix written into the user's own Pulumi program (issue 22): the resource's declaration is found by
 * its name (the call or `new` whose first argument is that string), read with the TypeScript parser,
 * and the edit is the smallest one there — the one string literal that holds the old value, the one
 * list literal that reads as the old list — else the input property's whole value. Each edit is whole
 * lines, old and new, so it reads (and applies) as a diff hunk. A declaration that is not found gives
 * no edit; the fix then says the value to give instead.
 */
import type * as TS from "typescript";
import type { ProgramSources } from "../files/program-location";

/** Whole lines of one file: `old` (from line `line`) becomes `lines`; on one line, also the text replaced, when it occurs there once. */
export interface ProgramEdit {
  uri: string;
  /** The file, relative to the program's directory (where `pulumi` runs). */
  file: string;
  line: number;
  old: string[];
  lines: string[];
  fragment?: { from: string; to: string };
}

interface Declaration {
  uri: string;
  file: string;
  text: string;
  source: TS.SourceFile;
  node: TS.CallExpression | TS.NewExpression;
}

let ts: typeof TS | undefined;
/** The compiler is loaded only when a fix is rendered for a program (it is large). */
const typescript = (): typeof TS => (ts ??= require("typescript") as typeof TS);

const isNameLiteral = (n: TS.Node | undefined, name: string): boolean => !!n && (typescript().isStringLiteral(n) || typescript().isNoSubstitutionTemplateLiteral(n)) && n.text === name;

/**
 * The declaration of resource `name`: the one call or `new` in the program whose first argument is that
 * name. Undefined when none is, or several are (branches of a program declare it differently: which one
 * ran is not known here).
 */
export function declarationOf(program: ProgramSources, name: string): Declaration | undefined {
  const t = typescript();
  const found: Declaration[] = [];
  for (const { uri, text, path, file } of program.files()) {
    if (!text.includes(name)) continue;
    const source = t.createSourceFile(path, text, t.ScriptTarget.Latest, true);
    const visit = (n: TS.Node): void => {
      if ((t.isCallExpression(n) || t.isNewExpression(n)) && isNameLiteral(n.arguments?.[0], name)) found.push({ uri, file, text, source, node: n });
      t.forEachChild(n, visit);
    };
    visit(source);
  }
  return found.length === 1 ? found[0] : undefined;
}

/** The args object of the declaration (its second argument), when written as an object literal. */
function argsOf(d: Declaration): TS.ObjectLiteralExpression | undefined {
  const args = d.node.arguments?.[1];
  return args && typescript().isObjectLiteralExpression(args) ? args : undefined;
}

/** The initializer of property `names[i]` (the first found) of the args object. */
export function propertyOf(d: Declaration, names: readonly string[]): { name: string; node: TS.Node; whole: TS.Node } | undefined {
  const t = typescript();
  for (const p of argsOf(d)?.properties ?? []) {
    const key = p.name && (t.isIdentifier(p.name) || t.isStringLiteral(p.name)) ? p.name.text : undefined;
    if (!key || !names.includes(key)) continue;
    if (t.isPropertyAssignment(p)) return { name: key, node: p.initializer, whole: p };
    if (t.isShorthandPropertyAssignment(p)) return { name: key, node: p, whole: p };
  }
  return undefined;
}

/** Replaces `[start, end)` of the declaration's file, as an edit of whole lines. */
function edit(d: Declaration, start: number, end: number, replacement: string): ProgramEdit {
  const first = d.source.getLineAndCharacterOfPosition(start).line;
  const last = d.source.getLineAndCharacterOfPosition(end).line;
  const old = d.text.split(/\r?\n/).slice(first, last + 1);
  const lineStart = d.source.getLineStarts()[first]!;
  const lineEnd = d.source.getLineEndOfPosition(end);
  const edited = `${d.text.slice(lineStart, start)}${replacement}${d.text.slice(end, lineEnd)}`;
  const from = d.text.slice(start, end);
  const once = first === last && !replacement.includes("\n") && old[0]!.indexOf(from) === old[0]!.lastIndexOf(from) && from.length > 0;
  return { uri: d.uri, file: d.file, line: first + 1, old, lines: edited.split(/\r?\n/), ...(once ? { fragment: { from, to: replacement } } : {}) };
}

/** Text literals under `node` (strings, templates' text) whose value holds `value`. */
function literalsHolding(node: TS.Node, value: string): TS.Node[] {
  const t = typescript();
  const out: TS.Node[] = [];
  const visit = (n: TS.Node): void => {
    if ((t.isStringLiteral(n) || t.isNoSubstitutionTemplateLiteral(n) || t.isTemplateHead(n) || t.isTemplateMiddle(n) || t.isTemplateTail(n)) && n.text.includes(value)) out.push(n);
    t.forEachChild(n, visit);
  };
  visit(node);
  return out;
}

/**
 * The one text literal of the declaration that holds `from` once, with `to` in its place; undefined
 * when none or several do, or when the literal writes the value with escapes.
 */
export function literalEdit(d: Declaration, from: string, to: string): ProgramEdit | undefined {
  const found = literalsHolding(d.node, from);
  if (found.length !== 1) return undefined;
  const n = found[0]!;
  const raw = d.text.slice(n.getStart(d.source), n.getEnd());
  const at = raw.indexOf(from);
  if (at < 0 || raw.indexOf(from, at + 1) >= 0 || /["'`\\$]/.test(to)) return undefined;
  const start = n.getStart(d.source) + at;
  return edit(d, start, start + from.length, to);
}

/** A list literal of the property that reads exactly as `before` (strings only), rewritten as `after`. */
export function listEdit(d: Declaration, property: string, before: readonly string[], after: readonly string[]): ProgramEdit | undefined {
  const t = typescript();
  const p = propertyOf(d, [property]);
  if (!p) return undefined;
  const lists: TS.ArrayLiteralExpression[] = [];
  const visit = (n: TS.Node): void => {
    if (t.isArrayLiteralExpression(n) && n.elements.length === before.length && n.elements.every((e, i) => t.isStringLiteral(e) && e.text.toLowerCase() === before[i]!.toLowerCase())) lists.push(n);
    t.forEachChild(n, visit);
  };
  visit(p.node);
  if (lists.length !== 1) return undefined;
  return edit(d, lists[0]!.getStart(d.source), lists[0]!.getEnd(), `[${after.map((s) => JSON.stringify(s)).join(", ")}]`);
}

/** Property `key` of element `index` of the list literal the declaration gives as `property`, its value replaced by `code`. */
export function elementPropertyEdit(d: Declaration, property: string, index: number, key: string, code: string): ProgramEdit | undefined {
  const t = typescript();
  const list = propertyOf(d, [property])?.node;
  const element = list && t.isArrayLiteralExpression(list) ? list.elements[index] : undefined;
  if (!element || !t.isObjectLiteralExpression(element)) return undefined;
  const p = element.properties.find((x) => x.name && t.isIdentifier(x.name) && x.name.text === key);
  return p && t.isPropertyAssignment(p) ? edit(d, p.initializer.getStart(d.source), p.initializer.getEnd(), code) : undefined;
}

/** The property's whole value replaced by `code` (a shorthand `{ script }` becomes `script: code`). */
export function propertyEdit(d: Declaration, names: readonly string[], code: string): ProgramEdit | undefined {
  const p = propertyOf(d, names);
  if (!p) return undefined;
  const shorthand = typescript().isShorthandPropertyAssignment(p.whole);
  const node = shorthand ? p.whole : p.node;
  return edit(d, node.getStart(d.source), node.getEnd(), shorthand ? `${p.name}: ${code}` : code);
}

/** The SDK's cmdlet renderers a declaration's script may be built with: their arguments are the cmdlet's parameters. */
const CMDLET_HELPERS = new Set(["newInboundConnector", "setInboundConnector", "newSendConnector", "setSendConnector", "newOutboundConnector", "newReceiveConnector", "setHybridConfiguration"]);

/**
 * The argument `key` of the SDK renderer call inside the declaration that names connector `identity`
 * (`mailflow.newSendConnector({ name: "Hybrid", … })`) given `code` instead — or added, when the call
 * does not pass it. Undefined when no such call is written with that name as a literal.
 */
export function helperArgumentEdit(d: Declaration, identity: string, key: string, code: string): ProgramEdit | undefined {
  const t = typescript();
  const calls: TS.ObjectLiteralExpression[] = [];
  const visit = (n: TS.Node): void => {
    if (t.isCallExpression(n)) {
      const e = n.expression;
      const name = t.isPropertyAccessExpression(e) ? e.name.text : t.isIdentifier(e) ? e.text : "";
      const args = n.arguments[0];
      if (CMDLET_HELPERS.has(name) && args && t.isObjectLiteralExpression(args)) {
        const named = args.properties.find((p) => t.isPropertyAssignment(p) && p.name && t.isIdentifier(p.name) && (p.name.text === "name" || p.name.text === "identity"));
        const value = named && t.isPropertyAssignment(named) ? named.initializer : undefined;
        if (identity === "" ? name === "setHybridConfiguration" : value && (t.isStringLiteral(value) || t.isNoSubstitutionTemplateLiteral(value)) && value.text.toLowerCase() === identity.toLowerCase()) calls.push(args);
      }
    }
    t.forEachChild(n, visit);
  };
  visit(d.node);
  if (calls.length !== 1) return undefined;
  const args = calls[0]!;
  const p = args.properties.find((x) => x.name && t.isIdentifier(x.name) && x.name.text === key);
  if (p && t.isPropertyAssignment(p)) return edit(d, p.initializer.getStart(d.source), p.initializer.getEnd(), code);
  if (p) return undefined;
  const last = args.properties.at(-1);
  if (!last) return undefined;
  return edit(d, last.getEnd(), last.getEnd(), `, ${key}: ${code}`);
}

/** What the callee of a declaration is called (`exchangeOnlineCommand`, `Command`, `Tenant`). */
export function calleeName(d: Declaration): string {
  const e = d.node.expression;
  const t = typescript();
  return t.isPropertyAccessExpression(e) ? e.name.text : t.isIdentifier(e) ? e.text : "";
}

/**
 * An edit as the user reads it: on one line, `file:line: old → new` (the old text occurs there once);
 * otherwise as a diff hunk — where, then the old lines (-) and the new ones (+).
 */
export function hunk(e: ProgramEdit): string[] {
  if (e.fragment) return [`${e.file}:${e.line}: ${e.fragment.from} → ${e.fragment.to}`];
  return [`${e.file}:${e.line}`, ...e.old.map((l) => `- ${l}`), ...e.lines.map((l) => `+ ${l}`)];
}
