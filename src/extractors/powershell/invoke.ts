/**
 * Running code elsewhere: `Invoke-Command` (in a session or on a computer: the server it acts on),
 * `Invoke-Expression` of known text, and text re-read outside the walked tree (typographic quotes,
 * what the grammar's error recovery swallowed).
 */
import { UNKNOWN_ORG } from "../../model/types";
import { argumentsOf, rawArguments } from "./binding";
import { EVALUATION_LIMITS, named, Scope, type Argument, type EvaluationContext } from "./context";
import { runBlock } from "./control-flow";
import type { SyntaxNode } from "./grammar";
import { decodeEncodedCommand, parameterKind } from "./interpreters";
import { scanText, type TextScan } from "./occurrences";
import { recoverCommaList, runStatements } from "./pipelines";
import { normalizeTypographicQuotes, quoteBareLists, typographicQuoteLines } from "./quotes";
import { withRelaidTree } from "./relayout";
import { accountForText } from "./unevaluated";
import { evaluateValue, unresolved, type PsValue } from "./values";

/** Hosts of Exchange Online's own remote PowerShell: a session there acts on a tenant, not a server. */
export const EXCHANGE_ONLINE_HOST = /(^|\.)(outlook\.office365\.com|ps\.outlook\.com|outlook\.com|office365\.com|protection\.outlook\.com|ps\.compliance\.protection\.outlook\.com)$/i;

/**
 * The grammar does not know typographic quotes, which PowerShell takes as quotes: the script is read
 * again with ASCII quotes in their place (same offsets and lines), and that is said.
 */
export function runWithAsciiQuotes(ev: EvaluationContext, text: string): void {
  const lines = typographicQuoteLines(text);
  ev.unevaluated.push({
    line: lines[0] ?? 1,
    command: "typographic quotes",
    reason: `the script uses typographic quotes (‘ ’ “ ”) on line${lines.length > 1 ? "s" : ""} ${lines.slice(0, 8).join(", ")}${lines.length > 8 ? ", …" : ""}; PowerShell reads them as quotes and so did the pack, but editors and other tools may not: prefer ASCII quotes`,
  });
  runText(ev, normalizeTypographicQuotes(text), { shift: 0, depth: 0 });
}

export function sessionServer(uri: PsValue | undefined, computer: PsValue | undefined): string | undefined {
  const v = uri ?? computer;
  if (!v) return undefined;
  if (v.kind !== "string") return UNKNOWN_ORG;
  let host = v.value.trim().toLowerCase();
  if (uri) {
    try {
      host = new URL(v.value).hostname.toLowerCase();
    } catch {
      return UNKNOWN_ORG;
    }
  }
  return EXCHANGE_ONLINE_HOST.test(host) ? undefined : host;
}

/** The server of `-Session $s`, `-ComputerName x` or `-ConnectionUri u`; undefined when none is named. */
export function serverOf(ev: EvaluationContext, args: Argument[]): string | undefined {
  const session = named(args, "session") ?? args.find((a) => !a.name && a.value.kind === "session")?.value;
  if (session) return session.kind === "session" ? session.server : UNKNOWN_ORG;
  const uri = named(args, "connectionuri") ?? named(args, "uri");
  if (uri) return sessionServer(uri, undefined);
  const computer = named(args, "computername") ?? named(args, "cn");
  return computer ? sessionServer(undefined, computer) : undefined;
}

/** `Invoke-Command [-Session|-ComputerName] -ScriptBlock { … } [-ArgumentList …]`: the block runs there. */
export function invokeCommand(ev: EvaluationContext, node: SyntaxNode): PsValue {
  const args = argumentsOf(ev, node);
  const block = named(args, "scriptblock") ?? args.find((a) => !a.name && a.value.kind === "scriptblock")?.value;
  if (block?.kind !== "scriptblock") {
    const file = named(args, "filepath");
    ev.unevaluated.push({ line: ev.lineOf(node), command: "Invoke-Command", reason: file ? "runs a script file whose content is not in the resource" : "the script block it runs is only known when the script runs" });
    return unresolved(node, "the output of a command is only known when it runs");
  }
  const server = serverOf(ev, args);
  const list = named(args, "argumentlist") ?? named(args, "args");
  const positional = list ? (list.kind === "array" ? list.items : [list]) : [];
  const saved = ev.server;
  if (server !== undefined) ev.server = server;
  try {
    runBlock(ev, block.node, positional.map((value) => ({ value })), new Scope(ev.scope));
  } finally {
    ev.server = saved;
  }
  return unresolved(node, "the output of a command is only known when it runs");
}

/** `Invoke-Expression 'text'`: known text is parsed and run like the script; otherwise it is reported. */
export function invokeExpression(ev: EvaluationContext, node: SyntaxNode, line: number): PsValue {
  const args = argumentsOf(ev, node);
  const v = named(args, "command") ?? args.find((a) => !a.name)?.value;
  if (v) ev.accountValue(v);
  const depth = (ev.invokedFrom?.depth ?? 0) + 1;
  if (v?.kind !== "string" || depth > EVALUATION_LIMITS.invokeExpressionDepth) {
    ev.unevaluated.push({ line, command: "Invoke-Expression", reason: v?.kind === "string" ? "Invoke-Expression nests too deeply" : "a dynamic invocation the pack cannot follow: the text it runs is only known when the script runs" });
    return unresolved(node, "the output of a command is only known when it runs");
  }
  runText(ev, v.value, { line, shift: 0, depth }, (root) => {
    if (root.hasError) ev.unevaluated.push({ line, command: "Invoke-Expression", reason: "the text it runs does not parse; statements around the error were read as far as possible" });
  });
  return unresolved(node, "the output of a command is only known when it runs");
}

/**
 * Reads one PowerShell text: the script itself, Invoke-Expression text, or what the grammar swallowed
 * into an error node. Its bare-word lists are written quoted as PowerShell binds them, it is scanned for
 * the names of commands the pack reads, parsed (re-laid where the grammar misreads a layout), walked,
 * and every name the walk did not account for is named (`where.line`: the Invoke-Expression call's line;
 * `where.shift`: lines before the text). A text PowerShell refuses to parse is reported, not walked.
 */
export function runText(ev: EvaluationContext, text: string, where: { line?: number; shift: number; depth: number }, before?: (root: SyntaxNode) => void): void {
  const saved = { invokedFrom: ev.invokedFrom, accounted: ev.accounted, skipped: ev.skipped, recovered: ev.recovered, names: ev.names };
  ev.invokedFrom = where;
  ev.accounted = [];
  ev.skipped = new Map();
  ev.recovered = new Set();
  try {
    const listsQuoted = quoteBareLists(text);
    const scan = scanText(listsQuoted);
    if (scan.reservedLessThan.length > 0) return refuse(ev, listsQuoted, scan, where);
    ev.names = scan.occurrences.map((o) => o.start);
    withRelaidTree(listsQuoted, (root, parsed) => {
      before?.(root);
      if (!(root.type === "ERROR" && recoverCommaList(ev, root))) runStatements(ev, root);
      accountForText(ev, parsed, scan, root, where.line, where.shift);
    });
  } finally {
    Object.assign(ev, saved);
  }
}

/**
 * `New-ExchangeCertificate -Thumbprint <THUMBPRINT>`, a placeholder copied from documentation: `<` is
 * an operator PowerShell reserves, so it refuses the whole text ("The '<' operator is reserved for future
 * use.", about_Operators) and nothing in it runs. Said on its line; no value in it is read, and every
 * command name in it is named.
 */
function refuse(ev: EvaluationContext, text: string, scan: TextScan, where: { line?: number; shift: number }): void {
  const lineOf = (offset: number): number => where.line ?? (text.slice(0, offset).match(/\n/g)?.length ?? 0) + 1 + where.shift;
  const lines = [...new Set(scan.reservedLessThan.slice(0, 8).map(lineOf))];
  const refusal = `PowerShell refuses to run this script: \`<\` on line${lines.length > 1 ? "s" : ""} ${lines.join(", ")} is an operator it reserves (a placeholder such as <THUMBPRINT> copied from documentation?), so nothing in the script runs and the pack read none of its values`;
  ev.unevaluated.push({ line: lines[0]!, command: "(script)", reason: refusal });
  const named = new Set<string>();
  for (const o of scan.occurrences) {
    const line = lineOf(o.start);
    if (named.has(`${line} ${o.written}`)) continue;
    named.add(`${line} ${o.written}`);
    ev.unevaluated.push({ line, command: o.written, reason: `not read: PowerShell refuses the script (\`<\` on line ${lines[0]})` });
  }
}

/**
 * `pwsh -Command '…'`, `powershell -EncodedCommand …` or `pwsh -Command { … }` run from the script
 * (about_Pwsh): a new process runs that text, with none of the script's variables or session. Known
 * text is read as such, at the call's line; a script file, or text only known at run time, is named.
 */
export function nestedPowerShell(ev: EvaluationContext, node: SyntaxNode, line: number, exe: string): PsValue {
  const opaque = unresolved(node, "the output of a command is only known when it runs");
  const windows = /powershell(\.exe)?$/i.test(exe);
  const name = exe.replace(/^.*[\\/]/, "").slice(0, 40);
  for (const a of rawArguments(node)) {
    const kind = a.name ? parameterKind(a.name, windows) : windows ? "command" : "file";
    if (kind === "value" || kind === "switch") continue;
    const value = a.node.type === "command_parameter" ? undefined : evaluateValue(ev, a.node);
    if (kind === "file") {
      ev.unevaluated.push({ line, command: name, reason: "runs a PowerShell script file whose content is not in the resource" });
      return opaque;
    }
    const text = kind === "encoded" ? (value?.kind === "string" ? decodeEncodedCommand(value.value) : undefined) : value?.kind === "string" ? value.value : undefined;
    const depth = (ev.invokedFrom?.depth ?? 0) + 1;
    if (value?.kind === "scriptblock" || (text !== undefined && depth <= EVALUATION_LIMITS.invokeExpressionDepth)) {
      if (value) ev.accountValue(value);
      // A new process: none of this script's variables, session or prefix.
      const saved = { scope: ev.scope, prefix: ev.prefix, server: ev.server };
      Object.assign(ev, { scope: new Scope(), prefix: undefined, server: undefined });
      try {
        if (value?.kind === "scriptblock") runBlock(ev, value.node, [], undefined);
        else runText(ev, text!, { line, shift: 0, depth });
      } finally {
        Object.assign(ev, saved);
      }
      return opaque;
    }
    ev.unevaluated.push({ line, command: name, reason: `not read: the PowerShell it runs is only known when the script runs${value?.kind === "unresolved" ? ` (${value.reason})` : ""}` });
    return opaque;
  }
  return opaque;
}
