/**
 * Walks a PowerShell syntax tree (tree-sitter) the way PowerShell runs it and evaluates what can be
 * known statically: command invocations with their arguments bound to parameters the way PowerShell
 * binds them (case-insensitive names and unambiguous prefixes, `-P:v`, splatting, positional
 * identity), literal values, variables, `$env:` variables from the resource's `environment`, arrays
 * and hashtables; and the constructs that decide what runs: script blocks (`& { }`, `. { }`,
 * `Invoke-Command -ScriptBlock`), functions called with known arguments, `param()` defaults, `if` on
 * known conditions, `foreach`/`ForEach-Object` over known values, `try`, `Invoke-Expression` of known
 * text, module-qualified and prefixed (`Connect-ExchangeOnline -Prefix`) cmdlet names, and the server a
 * remote session runs on. Anything else is an explicit `unresolved` value with the reason; a
 * mail-flow cmdlet the walk did not run is reported in `unevaluated`. Nothing is guessed.
 */
import { thumbprintRef } from "../../model/certificate-ref";
import { UNKNOWN_ORG } from "../../model/types";
import { isUnknown } from "../types";
import { CMDLETS, isSecretParameter, resolveParameter, type CmdletSpec } from "./catalogue";
import { withPowerShellTree, type SyntaxNode } from "./grammar";
import { describeExpression } from "./redact";
import type { ConnectorSelection, NameFilter } from "../../model/selection";
import { nameOperator } from "./selection";
import { quoteBareLists, normalizeTypographicQuotes, TYPOGRAPHIC_QUOTES, typographicQuoteLines } from "./quotes";

export type PsValue =
  | { kind: "string"; value: string }
  | { kind: "bool"; value: boolean }
  | { kind: "number"; value: number }
  | { kind: "null" }
  | { kind: "array"; items: PsValue[] }
  | { kind: "hashtable"; entries: Array<[string, PsValue]> }
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

type Unresolved = Extract<PsValue, { kind: "unresolved" }>;
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
  /** `Get-SendConnector | Set-SendConnector …`: the call changes every connector the pipeline finds. */
  every?: ConnectorSelection;
}

/** A mail-flow command in the script that the evaluation did not run, and why. */
export interface Unevaluated {
  line: number;
  command: string;
  reason: string;
}

export interface Evaluation {
  calls: CmdletCall[];
  /** The script did not parse cleanly here (1-based lines). */
  syntaxErrors: number[];
  /** Mail-flow commands that were not evaluated, dynamic invocations, and limits reached. */
  unevaluated: Unevaluated[];
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

/** `ExchangeOnlineManagement\New-InboundConnector` → `new-inboundconnector`. */
const commandNameOf = (written: string): string => written.slice(written.lastIndexOf("\\") + 1).toLowerCase();

/**
 * Mail-flow commands that change state: catalogued ones under any session prefix, and anything that
 * creates or changes a connector. Used to find what the walk did not run.
 */
const MAIL_FLOW_COMMAND = /^(?:new|set|remove|enable|import|add|disable)-[a-z0-9_]*?(?:connector|exchangecertificate|hybridconfiguration|accepteddomain)$/;
const MAIL_FLOW_MENTION = /\b(?:new|set|remove|enable|import)-[a-z0-9_]*?(?:connector|exchangecertificate|hybridconfiguration)\s+[-@$'"a-z]/i;

/** Cmdlets that only write output: a mail-flow name in their text is a message, not a command. */
const OUTPUT_ONLY = new Set(["write-host", "write-output", "write-verbose", "write-information", "write-warning", "write-debug", "write-error", "write-progress", "echo", "out-file", "add-content", "set-content"]);

/** Switches of the runners the walk follows (they take no argument). */
const RUNNER_SWITCHES = new Set(["asjob", "hidecomputername", "indisconnectedsession", "nonewscope", "enablenetworkaccess", "runasadministrator", "usessl", "noprofile", "wait"]);

/** Hosts of Exchange Online's own remote PowerShell: a session there acts on a tenant, not a server. */
export const EXCHANGE_ONLINE_HOST = /(^|\.)(outlook\.office365\.com|ps\.outlook\.com|outlook\.com|office365\.com|protection\.outlook\.com|ps\.compliance\.protection\.outlook\.com)$/i;

/**
 * Microsoft365DSC resources (`EXOInboundConnector "x" { Identity = "…"; … Ensure = "Present" }` in a
 * `Configuration { Node … }`): the cmdlet each declares, by its `Ensure`. Their properties carry the
 * cmdlet's parameter names; `Identity` is the connector's name.
 */
const DSC_RESOURCES: Record<string, { present: string; absent?: string; nameParameter: string }> = {
  exoinboundconnector: { present: "new-inboundconnector", absent: "remove-inboundconnector", nameParameter: "Name" },
  exooutboundconnector: { present: "new-outboundconnector", absent: "remove-outboundconnector", nameParameter: "Name" },
  exoaccepteddomain: { present: "set-accepteddomain", nameParameter: "Identity" },
};
type DscResource = (typeof DSC_RESOURCES)[string];

/** Limits that keep evaluation linear and bounded whatever the script does. */
export const EVALUATION_LIMITS = { steps: 200_000, loopItems: 256, callDepth: 16, nesting: 400, invokeExpressionDepth: 4 };

interface FunctionDef {
  name: string;
  parameters: SyntaxNode[];
  body: SyntaxNode;
}

class Scope {
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

interface Argument {
  /** Lower-case parameter name as written (without `-` and `:`), if named. */
  name?: string;
  value: PsValue;
}

export class ScriptEvaluator {
  private scope = new Scope();
  private readonly functions = new Map<string, FunctionDef>();
  private readonly calls: CmdletCall[] = [];
  private readonly syntaxErrors: number[] = [];
  private readonly unevaluated: Unevaluated[] = [];
  /** Start offsets of command nodes the walk ran, in the tree being walked (swapped for Invoke-Expression text). */
  private ran = new Set<number>();
  /** Start offsets of subtrees the walk did not run, with why (same tree). */
  private skipped = new Map<number, string>();
  private prefix: string | undefined;
  private server: string | undefined;
  private steps = 0;
  private exhaustedAt: number | undefined;
  private callDepth = 0;
  private nesting = 0;
  /** Inside text run by Invoke-Expression: calls take the line of that call, and offsets are not the script's. */
  private invokedFrom: { line?: number; shift: number; depth: number } | undefined;

  constructor(private readonly environment: Record<string, unknown>) {}

  run(root: SyntaxNode): Evaluation {
    const text = root.text;
    const listsQuoted = root.hasError ? quoteBareLists(text) : text;
    if (TYPOGRAPHIC_QUOTES.test(text)) this.runWithAsciiQuotes(quoteBareLists(text));
    // A spaced bare-word list the grammar cannot parse: read the script with the list written as PowerShell binds it.
    else if (listsQuoted !== text) this.runText(listsQuoted, { shift: 0, depth: 0 });
    else {
      // When the error recovery reaches the top, the root itself is the error node.
      if (!(root.type === "ERROR" && this.recoverCommaList(root))) this.statements(root);
      this.findUnevaluated(root, this.ran, this.skipped, undefined, 0);
    }
    if (this.exhaustedAt !== undefined) {
      this.unevaluated.push({ line: this.exhaustedAt, command: "(script)", reason: `the script is too large to follow completely (over ${EVALUATION_LIMITS.steps} steps); what follows this line was not read` });
    }
    return { calls: this.calls, syntaxErrors: this.syntaxErrors, unevaluated: this.unevaluated };
  }

  /**
   * The grammar does not know typographic quotes, which PowerShell takes as quotes: the script is read
   * again with ASCII quotes in their place (same offsets and lines), and that is said.
   */
  private runWithAsciiQuotes(text: string): void {
    const lines = typographicQuoteLines(text);
    this.unevaluated.push({
      line: lines[0] ?? 1,
      command: "typographic quotes",
      reason: `the script uses typographic quotes (‘ ’ “ ”) on line${lines.length > 1 ? "s" : ""} ${lines.slice(0, 8).join(", ")}${lines.length > 8 ? ", …" : ""}; PowerShell reads them as quotes and so did the pack, but editors and other tools may not: prefer ASCII quotes`,
    });
    this.runText(normalizeTypographicQuotes(text), { shift: 0, depth: 0 });
  }

  private lineOf(node: SyntaxNode): number {
    return this.invokedFrom?.line ?? node.startPosition.row + 1 + (this.invokedFrom?.shift ?? 0);
  }

  private step(node: SyntaxNode): boolean {
    if (this.exhaustedAt !== undefined) return false;
    if (++this.steps > EVALUATION_LIMITS.steps) {
      this.exhaustedAt = this.lineOf(node);
      return false;
    }
    return true;
  }

  private skip(node: SyntaxNode, reason: string): void {
    if (!this.skipped.has(node.startIndex)) this.skipped.set(node.startIndex, reason);
  }

  private statements(node: SyntaxNode): void {
    for (const child of node.namedChildren) {
      if (!this.step(child)) return;
      const type = child.type;
      if (type === "comment") continue;
      if (type === "ERROR" || child.isMissing) {
        if (type === "ERROR" && this.recoverCommaList(child)) continue;
        if (this.invokedFrom?.line === undefined) this.syntaxErrors.push(child.startPosition.row + 1 + (this.invokedFrom?.shift ?? 0));
      }
      this.statement(child);
    }
  }

  private statement(node: SyntaxNode): void {
    if (this.nesting >= EVALUATION_LIMITS.nesting) {
      this.skip(node, `nested deeper than ${EVALUATION_LIMITS.nesting} levels`);
      return;
    }
    this.nesting++;
    try {
      const target = unwrap(node);
      switch (target.type) {
        case "assignment_expression":
          return this.assignment(target);
        case "command":
          this.command(target);
          return;
        case "pipeline":
        case "pipeline_chain":
          this.pipeline(target);
          return;
        case "function_statement":
          return this.defineFunction(target);
        case "param_block":
          return this.bindParameters(this.parametersOf(target), [], this.scope, "the command passes no arguments to the script");
        case "if_statement":
          return this.ifStatement(target);
        case "foreach_statement":
          return this.foreachStatement(target);
        case "try_statement":
          return this.tryStatement(target);
        case "trap_statement":
          return this.skip(target, "in a trap block, which runs only when a statement fails");
        case "script_block_expression":
          return this.skip(target, "in a script block that is never invoked");
        case "class_statement":
          return this.skip(target, "in a class, whose methods the pack does not run");
        default:
          return this.statements(target);
      }
    } finally {
      this.nesting--;
    }
  }

  /**
   * `Cmd -Services POP, IMAP, SMTP`: the grammar stops the command at `POP` and leaves `, IMAP, SMTP`
   * in an error node. PowerShell binds the whole comma list to the parameter: so do we.
   */
  private recoverCommaList(error: SyntaxNode): boolean {
    // Comments between the elements are not elements (`ex01, # why` newline `ex02`).
    const children = error.children.filter((c) => c.type !== "comment");
    const first = children[0];
    const head = first ? unwrap(first) : undefined;
    // `$cert | Enable-ExchangeCertificate -Services POP, IMAP`: the list belongs to the pipeline's last command.
    const lastOfPipeline = head && (head.type === "pipeline" || head.type === "pipeline_chain") ? head.namedChildren.filter((c) => c.type !== "comment").at(-1) : undefined;
    if (!head || (head.type !== "command" && (!lastOfPipeline || unwrap(lastOfPipeline).type !== "command"))) return false;
    const extra: PsValue[] = [];
    let i = 1;
    for (; i + 1 < children.length; i += 2) {
      const comma = children[i]!;
      const item = children[i + 1]!;
      if (comma.type !== "," || !["simple_name", "generic_token", "string_literal", "integer_literal"].includes(item.type) || /\n/.test(item.text)) break;
      extra.push(item.type === "simple_name" || item.type === "generic_token" ? { kind: "string", value: item.text.trim() } : this.value(item));
    }
    if (extra.length === 0) return false;
    if (head.type === "command") this.command(head, undefined, extra);
    else this.pipeline(head, extra);
    // The grammar's recovery also swallows the statements after the list: read them on their own.
    const rest = children[i];
    if (rest) {
      const depth = (this.invokedFrom?.depth ?? 0) + 1;
      if (depth <= EVALUATION_LIMITS.invokeExpressionDepth) {
        const text = error.text.slice(rest.startIndex - error.startIndex);
        this.runText(text, { ...(this.invokedFrom?.line !== undefined ? { line: this.invokedFrom.line } : {}), shift: rest.startPosition.row + (this.invokedFrom?.shift ?? 0), depth });
      } else if (this.invokedFrom?.line === undefined) this.syntaxErrors.push(rest.startPosition.row + 1 + (this.invokedFrom?.shift ?? 0));
    }
    return true;
  }

  private assignment(node: SyntaxNode): void {
    const left = unwrap(node.namedChildren[0]!);
    const value = node.childForFieldName("value") ?? node.namedChildren[node.namedChildCount - 1]!;
    const valueNode = unwrap(value);
    let v: PsValue;
    if (valueNode.type === "command") v = this.command(valueNode);
    else if (valueNode.type === "pipeline_chain" || valueNode.type === "pipeline") v = this.pipeline(valueNode);
    else if (valueNode.type === "assignment_expression") {
      this.assignment(valueNode);
      v = this.value(unwrap(valueNode.namedChildren[0]!));
    } else v = this.value(valueNode);
    if (left.type !== "variable") return;
    const name = variableName(left.text);
    const target = /^(script|global):/i.test(left.text.replace(/^[$@]\{?/, "")) ? this.scope.root() : this.scope;
    target.set(name, v);
  }

  /** A pipeline: each command receives what the one before it produced. */
  private pipeline(node: SyntaxNode, trailingOfLast: PsValue[] = []): PsValue {
    let input: PsValue | undefined;
    let last: PsValue = { kind: "null" };
    const elements = node.namedChildren.filter((c) => c.type !== "comment");
    for (const c of elements) {
      const el = unwrap(c);
      if (el.type === "command") last = this.command(el, input, c === elements.at(-1) ? trailingOfLast : []);
      else if (el.type === "pipeline_chain" || el.type === "pipeline") last = this.pipeline(el);
      else if (el.type === "assignment_expression") {
        this.assignment(el);
        last = { kind: "null" };
      } else {
        this.statement(el);
        last = this.value(el);
      }
      input = last;
    }
    return last;
  }

  /** The name a command invokes: a word, a quoted or computed name, or a script block. */
  private invoked(node: SyntaxNode): { written: string; name?: string; block?: SyntaxNode; dotSourced: boolean; dynamic?: string } {
    const dotSourced = node.namedChildren.some((c) => c.type === "command_invokation_operator" && c.text.trim() === ".");
    // The grammar's `command_name` field holds either a plain name or a `command_name_expr`.
    const nameNode = node.namedChildren.find((c) => c.type === "command_name");
    if (nameNode) return { written: nameNode.text, name: commandNameOf(nameNode.text), dotSourced };
    const expr = node.namedChildren.find((c) => c.type === "command_name_expr");
    let inner = expr?.namedChildren[0];
    // `& $cmd` and `& C:\x.ps1` arrive as a path command name: a variable holds the name, a path is one.
    if (inner?.type === "path_command_name") {
      const variable = inner.namedChildCount === 1 ? inner.namedChildren[0] : undefined;
      if (variable?.type === "variable") inner = variable;
      else return { written: inner.text, name: commandNameOf(inner.text), dotSourced };
    }
    // Named, not quoted: the text where a name should be may be anything, a secret included.
    if (!expr || !inner) return { written: "a command without a readable name", dotSourced, dynamic: "the command name is not written out" };
    const innerType = unwrap(inner).type;
    if (innerType === "script_block_expression") return { written: "{ … }", block: unwrap(inner), dotSourced };
    const v = this.value(inner);
    if (v.kind === "string") return { written: v.value, name: commandNameOf(v.value), dotSourced };
    if (v.kind === "scriptblock") return { written: "{ … }", block: v.node, dotSourced };
    return { written: "a computed command name", dotSourced, dynamic: v.kind === "unresolved" ? v.reason : "the command name is not text" };
  }

  /** A catalogued cmdlet under this name, the session prefix (`Connect-ExchangeOnline -Prefix`) removed. */
  private catalogued(name: string): string | undefined {
    if (CMDLETS[name]) return name;
    const dash = name.indexOf("-");
    if (this.prefix && dash > 0 && name.startsWith(this.prefix, dash + 1)) {
      const plain = `${name.slice(0, dash)}-${name.slice(dash + 1 + this.prefix.length)}`;
      if (CMDLETS[plain]) return plain;
    }
    return undefined;
  }

  private command(node: SyntaxNode, input?: PsValue, trailing: PsValue[] = []): PsValue {
    const line = this.lineOf(node);
    const opaque: PsValue = unresolved(node, "the output of a command is only known when it runs");
    const invoked = this.invoked(node);
    if (invoked.block) {
      this.ran.add(node.startIndex);
      this.runBlock(invoked.block, [], invoked.dotSourced ? undefined : new Scope(this.scope), input);
      return opaque;
    }
    if (invoked.dynamic || !invoked.name) {
      this.unevaluated.push({ line, command: invoked.written.slice(0, 60), reason: `a dynamic invocation the pack cannot follow: ${invoked.dynamic ?? "no command name"}` });
      this.runScriptBlockArguments(node, invoked.written);
      return opaque;
    }
    const name = invoked.name;
    const fn = this.functions.get(name);
    const cmdlet = fn ? undefined : this.catalogued(name);
    // Only what the walk understands counts as run: an unknown mail-flow command is reported.
    if (fn || cmdlet) this.ran.add(node.startIndex);
    if (fn) return this.callFunction(fn, node, input, line);
    if (cmdlet) return this.cmdlet(cmdlet, invoked.written, node, line, input, trailing);
    const dsc = DSC_RESOURCES[name];
    if (dsc) {
      this.ran.add(node.startIndex);
      this.dscResource(dsc, invoked.written, node, line);
      return opaque;
    }
    switch (name) {
      case "invoke-command":
      case "icm":
        return this.invokeCommand(node);
      case "enter-pssession":
      case "import-pssession": {
        const args = this.arguments(node);
        const server = this.serverOf(args);
        if (server !== undefined || name === "enter-pssession") this.server = server ?? UNKNOWN_ORG;
        const prefix = named(args, "prefix");
        if (name === "import-pssession" && prefix?.kind === "string") this.prefix = prefix.value.toLowerCase();
        return opaque;
      }
      case "exit-pssession":
      case "remove-pssession":
        this.server = undefined;
        return opaque;
      case "foreach-object":
      case "%":
        return this.forEachObject(node, input);
      case "where-object":
      case "?":
        return input?.kind === "connector" ? this.filterConnectors(input, node) : opaque;
      case "invoke-expression":
      case "iex":
        return this.invokeExpression(node, line);
      default:
        this.runScriptBlockArguments(node, invoked.written);
        return opaque;
    }
  }

  /**
   * `Where-Object` after `Get-*Connector`: a filter on the connector's name narrows the connectors the
   * pipeline changes (`-eq` names one); any other filter leaves which connectors pass unknown.
   */
  private filterConnectors(input: Extract<PsValue, { kind: "connector" }>, node: SyntaxNode): PsValue {
    if (input.identity) return input;
    const filter = this.nameFilterOf(node);
    if ("unreadable" in filter) return { ...input, unreadableFilter: input.unreadableFilter ?? filter.unreadable };
    if (filter.operator === "eq" && !input.filters?.length) return { ...input, identity: { kind: "string", value: filter.value } };
    return { ...input, filters: [...(input.filters ?? []), filter] };
  }

  /** The name filter a `Where-Object` states: `{ $_.Name -like 'x*' }`, `-FilterScript { … }`, `Name -eq 'x'`, `-Property Name -EQ -Value x`. */
  private nameFilterOf(node: SyntaxNode): NameFilter | { unreadable: string } {
    const args = this.rawArguments(node);
    const block = args.find((a) => (!a.name || "filterscript".startsWith(a.name)) && unwrap(a.node).type === "script_block_expression");
    if (block) return this.nameFilterOfBlock(unwrap(block.node));
    const property = args.find((a) => a.name !== undefined && a.name.length >= 2 && "property".startsWith(a.name)) ?? args.find((a) => !a.name);
    const comparison = args.find((a) => a.name !== undefined && nameOperator(a.name) !== undefined);
    const valueArg = comparison && comparison.node.type === "command_parameter" ? args.find((a) => a.name === "value" || a.name === "v" || (a.name === undefined && a !== property)) : comparison;
    if (!property || !comparison || !valueArg) return { unreadable: "the Where-Object filter is not one the pack reads (a name compared with -eq, -ne, -like, -notlike, -match or -notmatch)" };
    const propertyValue = property.node.type === "generic_token" ? bareWord(property.node.text) : this.value(property.node);
    const value = valueArg.node.type === "generic_token" ? bareWord(valueArg.node.text) : this.value(valueArg.node);
    return this.nameFilter(propertyValue.kind === "string" ? propertyValue.value : undefined, comparison.name!, value);
  }

  private nameFilterOfBlock(block: SyntaxNode): NameFilter | { unreadable: string } {
    const body = block.namedChildren.find((c) => c.type === "script_block");
    const statements = (body?.namedChildren ?? []).flatMap((c) => (c.type === "script_block_body" ? c.namedChildren : [c])).flatMap((c) => (c.type === "statement_list" ? c.namedChildren : [c])).filter((c) => c.type !== "comment");
    const comparison = statements.length === 1 ? unwrap(statements[0]!) : undefined;
    if (comparison?.type !== "comparison_expression" || comparison.namedChildCount !== 3) return { unreadable: "the Where-Object script block is not a single comparison of the connector's name" };
    const left = unwrap(comparison.namedChildren[0]!);
    const subject = left.type === "member_access" ? unwrap(left.namedChildren[0]!) : undefined;
    const isItem = subject?.type === "variable" && /^\$(_|psitem)$/i.test(subject.text);
    const member = isItem ? left.namedChildren[left.namedChildCount - 1]!.text : undefined;
    return this.nameFilter(member, comparison.namedChildren[1]!.text, this.value(comparison.namedChildren[2]!));
  }

  private nameFilter(property: string | undefined, operatorWritten: string, value: PsValue): NameFilter | { unreadable: string } {
    const operator = nameOperator(operatorWritten);
    if (!property || !/^(name|identity)$/i.test(property.trim())) return { unreadable: `the Where-Object filter tests ${property ? `the connector's ${property.slice(0, 40)}` : "something other than the connector's name"}, which the pack does not know for connectors made outside the stack` };
    if (!operator) return { unreadable: `the Where-Object filter compares the name with ${operatorWritten.slice(0, 20)}, which the pack does not read` };
    if (value.kind !== "string") return { unreadable: "the name the Where-Object filter compares with is only known when the script runs" };
    return { operator, value: value.value };
  }

  /**
   * A DSC resource block: its `Key = value` lines are the parameters of the cmdlet it declares; a
   * `TenantId` names the tenant it acts on (as Connect-ExchangeOnline -Organization would).
   */
  private dscResource(dsc: DscResource, written: string, node: SyntaxNode, line: number): void {
    const args = this.rawArguments(node);
    const block = args.map((a) => unwrap(a.node)).find((n) => n.type === "script_block_expression");
    const body = block?.namedChildren.find((c) => c.type === "script_block");
    const properties = new Map<string, PsValue>();
    const statements = (body?.namedChildren ?? []).flatMap((c) => (c.type === "script_block_body" ? c.namedChildren : [c])).flatMap((c) => (c.type === "statement_list" ? c.namedChildren : [c]));
    for (const statement of statements) {
      const entry = unwrap(statement);
      if (entry.type === "comment" || entry.type === "empty_statement") continue;
      const key = entry.type === "command" ? entry.namedChildren.find((c) => c.type === "command_name")?.text : undefined;
      const elements = entry.type === "command" ? this.rawArguments(entry) : [];
      if (!key || elements.length !== 2 || elements[0]!.node.text.trim() !== "=") {
        this.unevaluated.push({ line: this.lineOf(entry), command: written.slice(0, 60), reason: "a line of the DSC resource block that is not `Property = value`: not read" });
        continue;
      }
      const valueNode = elements[1]!.node;
      properties.set(key.toLowerCase(), isSecretParameter(key) ? { kind: "unresolved", expression: "(secret)", reason: "secret parameters are never read" } : valueNode.type === "generic_token" ? bareWord(valueNode.text) : this.value(valueNode));
    }
    const tenant = properties.get("tenantid") ?? properties.get("organization");
    if (tenant) this.calls.push({ cmdlet: "connect-exchangeonline", written: `${written} TenantId`, line, parameters: new Map([["Organization", tenant]]), ambiguous: [] });
    const ensure = properties.get("ensure");
    const absent = ensure?.kind === "string" && /^absent$/i.test(ensure.value.trim());
    const cmdlet = absent ? dsc.absent : dsc.present;
    if (!cmdlet) return;
    if (ensure && ensure.kind !== "string") this.unevaluated.push({ line, command: written.slice(0, 60), reason: "its Ensure is only known when the configuration is compiled: read as Present" });
    const spec = CMDLETS[cmdlet]!;
    const call: CmdletCall = { cmdlet, written, line, parameters: new Map(), ambiguous: [], ...(this.server !== undefined ? { server: this.server } : {}) };
    for (const [key, value] of properties) {
      const parameter = key === "identity" ? (absent ? "Identity" : dsc.nameParameter) : undefined;
      const r = parameter ? { kind: "resolved" as const, name: parameter } : resolveParameter(spec, key);
      if (r.kind === "resolved" && r.name.toLowerCase() === key) call.parameters.set(r.name, value);
      else if (r.kind === "resolved" && parameter) call.parameters.set(r.name, value);
    }
    this.calls.push(call);
  }

  /** Script blocks passed to a command the pack does not know are run where they appear (presence). */
  private runScriptBlockArguments(node: SyntaxNode, written: string): void {
    const lower = written.toLowerCase();
    for (const arg of this.rawArguments(node)) {
      const n = unwrap(arg.node);
      if (n.type !== "script_block_expression") continue;
      if (OUTPUT_ONLY.has(lower)) continue;
      this.runBlock(n, [], new Scope(this.scope));
    }
  }

  private cmdlet(cmdlet: string, written: string, node: SyntaxNode, line: number, input: PsValue | undefined, trailing: PsValue[]): PsValue {
    const spec = CMDLETS[cmdlet]!;
    const call: CmdletCall = { cmdlet, written, line, parameters: new Map(), ambiguous: [], ...(this.server !== undefined ? { server: this.server } : {}) };
    this.bind(call, spec, node, trailing);
    // `Get-InboundConnector 'x' | Set-InboundConnector …`: the pipeline names the identity.
    if (input && spec.positional === "Identity" && !call.parameters.has("Identity")) {
      if (input.kind === "connector") call.parameters.set("Identity", input);
      else if (input.kind === "string") call.parameters.set("Identity", input);
    }
    // `$cert | Enable-ExchangeCertificate -Services SMTP`: the certificate comes down the pipeline.
    if (input?.kind === "certificate" && cmdlet.endsWith("-exchangecertificate") && !call.parameters.has("Thumbprint") && !call.parameters.has("Identity")) call.parameters.set("Thumbprint", input);
    this.connectorIdentity(call, cmdlet, node);
    if (cmdlet.startsWith("get-")) {
      if (/connector$/.test(cmdlet)) return { kind: "connector", noun: cmdlet.slice(4), identity: call.parameters.get("Identity") };
      if (cmdlet === "get-exchangecertificate") {
        const thumbprint = call.parameters.get("Thumbprint");
        if (thumbprint?.kind === "certificate") return thumbprint;
        return thumbprint?.kind === "string" ? { kind: "certificate", thumbprint: thumbprint.value.toUpperCase() } : unresolved(node, "the certificate the server returns is only known when the script runs");
      }
      return unresolved(node, "the output of a command is only known when it runs");
    }
    this.calls.push(call);
    if (cmdlet === "new-exchangecertificate" || cmdlet === "import-exchangecertificate") return { kind: "certificate", createdAt: line, ...(cmdlet === "import-exchangecertificate" ? { imported: true } : {}) };
    if (cmdlet === "connect-exchangeonline") {
      const prefix = call.parameters.get("Prefix");
      this.prefix = prefix?.kind === "string" ? prefix.value.toLowerCase() : undefined;
      this.server = undefined;
    }
    if (cmdlet === "new-pssession") return { kind: "session", server: this.sessionServer(call.parameters.get("ConnectionUri"), call.parameters.get("ComputerName")) };
    return unresolved(node, "the output of a command is only known when it runs");
  }

  /**
   * A connector object as the identity (`Get-SendConnector 'x' | Set-…`, `-Identity $_.Identity`): its
   * name when the script names it; otherwise the call changes every connector the Get- finds.
   */
  private connectorIdentity(call: CmdletCall, cmdlet: string, node: SyntaxNode): void {
    const identity = call.parameters.get("Identity");
    if (identity?.kind !== "connector") return;
    if (identity.identity) {
      call.parameters.set("Identity", identity.identity);
      return;
    }
    if (cmdlet.startsWith("get-")) {
      call.parameters.delete("Identity");
      return;
    }
    const noun = cmdlet.slice(cmdlet.indexOf("-") + 1);
    if (noun !== identity.noun) {
      call.parameters.set("Identity", unresolved(node, `every ${identity.noun} the pipeline finds, which is not a ${noun}`));
      return;
    }
    call.parameters.delete("Identity");
    call.every = { noun, filters: identity.filters ?? [], ...(identity.unreadableFilter ? { unreadableFilter: identity.unreadableFilter } : {}) };
  }

  /** Binds a catalogued cmdlet's arguments the way PowerShell does. */
  private bind(call: CmdletCall, spec: CmdletSpec, node: SyntaxNode, trailing: PsValue[]): void {
    const elementsNode = node.childForFieldName("command_elements") ?? node.namedChildren.find((c) => c.type === "command_elements");
    // Each `type` read crosses into WebAssembly: read once per element.
    const elements = (elementsNode?.children ?? []).map((n) => ({ node: n, type: n.type })).filter((e) => e.type !== "comment");
    const positional: PsValue[] = [];
    let pending: { name: string | undefined; colon: boolean; isSwitch: boolean } | undefined;
    let lastBound: string | undefined;
    const bind = (name: string | undefined, v: PsValue) => {
      if (!name) return;
      call.parameters.set(name, isSecretParameter(name) ? { kind: "unresolved", expression: "(secret)", reason: "secret parameters are never read" } : v);
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
        v = bareWord(text);
        // `1.2.3.4, # why` and the next element on the following line: PowerShell continues the list after a trailing comma.
        let j = i + 1;
        while (j < elements.length && elements[j]!.type === "command_argument_sep") j++;
        const next = elements[j];
        if (next && next.type !== "command_parameter" && (text.trimEnd().endsWith(",") || next.node.text.startsWith(","))) {
          {
            const rest = this.listContinuation(next.node);
            v = { kind: "array", items: [...(v.kind === "array" ? v.items : [v]), ...(rest.kind === "array" ? rest.items : [rest])] };
            i = j;
          }
        }
      } else {
        v = this.value(inner);
      }
      if (takesValue) {
        bind(pending!.name, v);
        pending = undefined;
      } else {
        flushSwitch();
        positional.push(v);
        lastBound = undefined;
      }
    }
    flushSwitch();
    if (spec.positional && positional.length > 0 && !call.parameters.has(spec.positional)) {
      call.parameters.set(spec.positional, positional[0]!);
      if (positional.length === 1) lastBound = spec.positional;
    }
    if (trailing.length > 0 && lastBound) {
      const v = call.parameters.get(lastBound)!;
      call.parameters.set(lastBound, { kind: "array", items: [...(v.kind === "array" ? v.items : [v]), ...trailing] });
    }
  }

  /** The rest of a bare-word list after a trailing comma: its comments are not values, its words are text. */
  private listContinuation(node: SyntaxNode): PsValue {
    const words = node.text.replace(/<#[\s\S]*?#>/g, " ").replace(/#[^\n]*/g, " ").trim().replace(/^,/, "").trim();
    if (/^[A-Za-z0-9_.:/*;-]+(\s*,\s*[A-Za-z0-9_.:/*;-]+)*$/.test(words)) return bareWord(words.replace(/\s+/g, ""));
    return this.value(node);
  }

  /** `@params`: binds the entries of a hashtable variable as named parameters. */
  private splat(call: CmdletCall, variable: string, spec: CmdletSpec, node: SyntaxNode): void {
    const v = this.scope.get(variableName(`$${variable}`));
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

  /** The arguments of a command the catalogue does not describe: `-name value`, `-switch`, positional. */
  private rawArguments(node: SyntaxNode): Array<{ name?: string; node: SyntaxNode }> {
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

  private arguments(node: SyntaxNode): Argument[] {
    return this.rawArguments(node).map((a) => ({ ...(a.name ? { name: a.name } : {}), value: a.node.type === "command_parameter" ? { kind: "switch" } : a.node.type === "generic_token" ? bareWord(a.node.text) : this.value(a.node) }));
  }

  private sessionServer(uri: PsValue | undefined, computer: PsValue | undefined): string | undefined {
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
  private serverOf(args: Argument[]): string | undefined {
    const session = named(args, "session") ?? args.find((a) => !a.name && a.value.kind === "session")?.value;
    if (session) return session.kind === "session" ? session.server : UNKNOWN_ORG;
    const uri = named(args, "connectionuri") ?? named(args, "uri");
    if (uri) return this.sessionServer(uri, undefined);
    const computer = named(args, "computername") ?? named(args, "cn");
    return computer ? this.sessionServer(undefined, computer) : undefined;
  }

  /** `Invoke-Command [-Session|-ComputerName] -ScriptBlock { … } [-ArgumentList …]`: the block runs there. */
  private invokeCommand(node: SyntaxNode): PsValue {
    const args = this.arguments(node);
    const block = named(args, "scriptblock") ?? args.find((a) => !a.name && a.value.kind === "scriptblock")?.value;
    if (block?.kind !== "scriptblock") {
      const file = named(args, "filepath");
      this.unevaluated.push({ line: this.lineOf(node), command: "Invoke-Command", reason: file ? "runs a script file whose content is not in the resource" : "the script block it runs is only known when the script runs" });
      return unresolved(node, "the output of a command is only known when it runs");
    }
    const server = this.serverOf(args);
    const list = named(args, "argumentlist") ?? named(args, "args");
    const positional = list ? (list.kind === "array" ? list.items : [list]) : [];
    const saved = this.server;
    if (server !== undefined) this.server = server;
    try {
      this.runBlock(block.node, positional.map((value) => ({ value })), new Scope(this.scope));
    } finally {
      this.server = saved;
    }
    return unresolved(node, "the output of a command is only known when it runs");
  }

  /** Runs a script block's body with arguments bound to its `param()` block. */
  private runBlock(block: SyntaxNode, args: Argument[], scope: Scope | undefined, input?: PsValue): void {
    const body = block.type === "script_block_expression" ? block.namedChildren.find((c) => c.type === "script_block") : block;
    if (!body) return;
    const saved = this.scope;
    if (scope) this.scope = scope;
    try {
      // `{ param($n) … }`: the grammar puts the param block beside the block's body.
      const params = body.namedChildren.find((c) => c.type === "param_block") ?? (block.type === "script_block_expression" ? block.namedChildren.find((c) => c.type === "param_block") : undefined);
      if (params) this.bindParameters(this.parametersOf(params), args, this.scope, "the call passes no value");
      this.scope.set("args", { kind: "array", items: args.filter((a) => !a.name).map((a) => a.value) });
      if (input) this.scope.set("input", input);
      for (const c of body.namedChildren) if (c.type !== "param_block") this.statement(c);
    } finally {
      this.scope = saved;
    }
  }

  private defineFunction(node: SyntaxNode): void {
    const nameNode = node.namedChildren.find((c) => c.type === "function_name");
    const body = node.namedChildren.find((c) => c.type === "script_block");
    if (!nameNode || !body) return;
    const declared = node.namedChildren.find((c) => c.type === "function_parameter_declaration");
    const paramBlock = body.namedChildren.find((c) => c.type === "param_block");
    const parameters = declared ? this.parametersOf(declared) : paramBlock ? this.parametersOf(paramBlock) : [];
    const name = commandNameOf(nameNode.text).replace(/^(global|script|local|private):/, "");
    this.functions.set(name, { name: nameNode.text, parameters, body });
    // Run only where it is called; what is never called is reported with this reason.
    this.skip(body, `in function ${nameNode.text.slice(0, 60)}, which the script does not call`);
  }

  private parametersOf(node: SyntaxNode): SyntaxNode[] {
    const list = node.namedChildren.find((c) => c.type === "parameter_list");
    return (list?.namedChildren ?? []).filter((c) => c.type === "script_parameter");
  }

  /** Binds arguments to declared parameters: by name (case-insensitive, unambiguous prefix), then by position, else the default. */
  private bindParameters(parameters: SyntaxNode[], args: Argument[], scope: Scope, missing: string): void {
    const declared = parameters.map((p) => {
      const v = p.namedChildren.find((c) => c.type === "variable");
      const def = p.namedChildren.find((c) => c.type === "script_parameter_default");
      const mandatory = /\bMandatory\b(?!\s*=\s*\$false)/i.test(p.namedChildren.find((c) => c.type === "attribute_list")?.text ?? "");
      const isSwitch = /\[switch\]/i.test(p.text);
      return { name: v ? variableName(v.text) : "", node: p, def, mandatory, isSwitch, written: v?.text ?? "" };
    });
    const bound = new Map<string, PsValue>();
    const positional: PsValue[] = [];
    for (const a of args) {
      if (!a.name) {
        positional.push(a.value);
        continue;
      }
      const exact = declared.find((d) => d.name === a.name);
      const candidates = exact ? [exact] : declared.filter((d) => d.name.startsWith(a.name!));
      if (candidates.length === 1) bound.set(candidates[0]!.name, a.value);
    }
    for (const d of declared) {
      if (!d.name) continue;
      let v = bound.get(d.name);
      if (v === undefined && !d.isSwitch && positional.length > 0) v = positional.shift();
      if (v === undefined && d.def) v = this.value(d.def.namedChildren[d.def.namedChildCount - 1] ?? d.def);
      if (v === undefined) {
        v = d.isSwitch
          ? { kind: "bool", value: false }
          : d.mandatory
            ? unresolved(d.node, `mandatory parameter ${d.written} has no value: ${missing}`)
            : { kind: "null" };
      }
      if (v.kind === "switch") v = { kind: "bool", value: true };
      scope.set(d.name, v);
    }
  }

  private callFunction(fn: FunctionDef, node: SyntaxNode, input: PsValue | undefined, line: number): PsValue {
    if (this.callDepth >= EVALUATION_LIMITS.callDepth) {
      this.unevaluated.push({ line, command: fn.name.slice(0, 60), reason: `calls nest deeper than ${EVALUATION_LIMITS.callDepth} levels (recursion is not followed)` });
      return unresolved(node, "the output of a function is only known when it runs");
    }
    this.callDepth++;
    const saved = this.scope;
    // PowerShell scopes are dynamic: a function sees the variables of its caller.
    this.scope = new Scope(this.scope);
    try {
      const args = this.arguments(node);
      this.bindParameters(fn.parameters, args, this.scope, "the call passes no value");
      this.scope.set("args", { kind: "array", items: args.filter((a) => !a.name).map((a) => a.value) });
      if (input) this.scope.set("input", input);
      for (const c of fn.body.namedChildren) if (c.type !== "param_block") this.statement(c);
    } finally {
      this.scope = saved;
      this.callDepth--;
    }
    return unresolved(node, "the output of a function is only known when it runs");
  }

  private forEachObject(node: SyntaxNode, input: PsValue | undefined): PsValue {
    const args = this.arguments(node);
    const block = named(args, "process") ?? args.find((a) => !a.name && a.value.kind === "scriptblock")?.value;
    if (block?.kind !== "scriptblock") return unresolved(node, "the output of a command is only known when it runs");
    const items = input === undefined ? [] : input.kind === "array" ? input.items : [input];
    const known = input !== undefined && input.kind !== "unresolved";
    this.loop(block.node, known ? items : undefined, ["_", "psitem"], node, input);
    return unresolved(node, "the output of a command is only known when it runs");
  }

  private foreachStatement(node: SyntaxNode): void {
    const variable = node.namedChildren.find((c) => c.type === "variable");
    const body = node.namedChildren.find((c) => c.type === "statement_block");
    const collection = node.namedChildren.find((c) => c !== variable && c !== body && c.type !== "comment");
    if (!variable || !body) return this.statements(node);
    const v = collection ? this.value(collection) : undefined;
    const known = v !== undefined && v.kind !== "unresolved";
    const items = !v ? [] : v.kind === "array" ? v.items : [v];
    this.loop(body, known ? items : undefined, [variableName(variable.text)], node, v);
  }

  /** Runs a loop body once per known item; over values only known at run time, once with the variable unresolved. */
  private loop(body: SyntaxNode, items: PsValue[] | undefined, names: string[], node: SyntaxNode, collection?: PsValue): void {
    const run = (item: PsValue) => {
      for (const n of names) this.scope.set(n, item);
      if (body.type === "script_block_expression") this.runBlock(body, [], undefined);
      else this.statements(body);
    };
    if (items === undefined) {
      const reason =
        collection?.kind === "unresolved" && collection.atDeploy
          ? "the loop runs over a value that is unknown during preview"
          : "the loop runs over values only known when the script runs";
      run({ ...(unresolved(node, reason) as Unresolved), ...(collection?.kind === "unresolved" && collection.atDeploy ? { atDeploy: true } : {}) });
      return;
    }
    for (const item of items.slice(0, EVALUATION_LIMITS.loopItems)) run(item);
    if (items.length > EVALUATION_LIMITS.loopItems) {
      this.unevaluated.push({ line: this.lineOf(node), command: "foreach", reason: `the loop has ${items.length} items; only the first ${EVALUATION_LIMITS.loopItems} were followed` });
    }
  }

  private ifStatement(node: SyntaxNode): void {
    const branches: Array<{ condition?: SyntaxNode; body: SyntaxNode }> = [];
    const first = node.namedChildren.find((c) => c.type === "pipeline");
    const firstBody = node.namedChildren.find((c) => c.type === "statement_block");
    if (firstBody) branches.push({ ...(first ? { condition: first } : {}), body: firstBody });
    for (const clause of node.namedChildren.find((c) => c.type === "elseif_clauses")?.namedChildren ?? []) {
      const body = clause.namedChildren.find((c) => c.type === "statement_block");
      if (body) branches.push({ condition: clause.namedChildren.find((c) => c.type === "pipeline")!, body });
    }
    const elseBody = node.namedChildren.find((c) => c.type === "else_clause")?.namedChildren.find((c) => c.type === "statement_block");
    if (elseBody) branches.push({ body: elseBody });
    let undecided = false;
    for (const b of branches) {
      const truth = b.condition ? this.truth(b.condition) : true;
      if (truth === false && !undecided) {
        this.skip(b.body, "in a branch whose condition is false");
        continue;
      }
      if (truth === false) continue;
      // A condition only known at run time: every branch may run, each is checked (presence).
      this.statements(b.body);
      if (truth === true && !undecided) {
        for (const rest of branches.slice(branches.indexOf(b) + 1)) this.skip(rest.body, "in a branch that does not run (an earlier condition is true)");
        return;
      }
      undecided = true;
    }
  }

  /** A condition's value where the script decides it: literals, known variables, -eq/-ne/-not. */
  private truth(condition: SyntaxNode): boolean | undefined {
    const n = unwrap(condition);
    if (n.type === "comparison_expression" && n.namedChildCount === 3) {
      const op = n.namedChildren[1]!.text.toLowerCase();
      const a = this.value(n.namedChildren[0]!);
      const b = this.value(n.namedChildren[2]!);
      const text = (v: PsValue) => (v.kind === "string" ? v.value.toLowerCase() : v.kind === "number" || v.kind === "bool" ? String(v.value).toLowerCase() : undefined);
      const x = text(a);
      const y = text(b);
      if (x === undefined || y === undefined) return undefined;
      if (op === "-eq" || op === "-ieq") return x === y;
      if (op === "-ne" || op === "-ine") return x !== y;
      return undefined;
    }
    if (n.type === "expression_with_unary_operator" && /^(-not|!)/i.test(n.text)) {
      const inner = n.namedChildren[n.namedChildCount - 1];
      const t = inner ? this.truth(inner) : undefined;
      return t === undefined ? undefined : !t;
    }
    const v = this.value(n);
    if (v.kind === "bool") return v.value;
    if (v.kind === "null") return false;
    if (v.kind === "string") return v.value.length > 0;
    if (v.kind === "number") return v.value !== 0;
    return undefined;
  }

  private tryStatement(node: SyntaxNode): void {
    for (const c of node.namedChildren) {
      if (c.type === "statement_block") this.statements(c);
      else if (c.type === "catch_clauses") for (const clause of c.namedChildren) this.skip(clause, "in a catch block, which runs only if the try block fails");
      else if (c.type === "finally_clause") for (const b of c.namedChildren) if (b.type === "statement_block") this.statements(b);
    }
  }

  /** `Invoke-Expression 'text'`: known text is parsed and run like the script; otherwise it is reported. */
  private invokeExpression(node: SyntaxNode, line: number): PsValue {
    const args = this.arguments(node);
    const v = named(args, "command") ?? args.find((a) => !a.name)?.value;
    const depth = (this.invokedFrom?.depth ?? 0) + 1;
    if (v?.kind !== "string" || depth > EVALUATION_LIMITS.invokeExpressionDepth) {
      this.unevaluated.push({ line, command: "Invoke-Expression", reason: v?.kind === "string" ? "Invoke-Expression nests too deeply" : "a dynamic invocation the pack cannot follow: the text it runs is only known when the script runs" });
      return unresolved(node, "the output of a command is only known when it runs");
    }
    this.runText(v.value, { line, shift: 0, depth }, (root) => {
      if (root.hasError) this.unevaluated.push({ line, command: "Invoke-Expression", reason: "the text it runs does not parse; statements around the error were read as far as possible" });
    });
    return unresolved(node, "the output of a command is only known when it runs");
  }

  /**
   * Parses and runs text that is not part of the tree being walked (Invoke-Expression text, or what
   * the grammar swallowed into an error node); mail-flow commands in it that were not run are
   * reported with `where`'s lines.
   */
  private runText(text: string, where: { line?: number; shift: number; depth: number }, before?: (root: SyntaxNode) => void): void {
    const saved = { invokedFrom: this.invokedFrom, ran: this.ran, skipped: this.skipped };
    this.invokedFrom = where;
    this.ran = new Set();
    this.skipped = new Map();
    try {
      withPowerShellTree(text, (root) => {
        before?.(root);
        if (!(root.type === "ERROR" && this.recoverCommaList(root))) this.statements(root);
        this.findUnevaluated(root, this.ran, this.skipped, where.line, where.shift);
      });
    } finally {
      Object.assign(this, saved);
    }
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
        return bareWord(n.text);
      case "integer_literal":
      case "decimal_integer_literal":
      case "hexadecimal_integer_literal":
      case "real_literal":
        return { kind: "number", value: Number(n.text) };
      case "variable":
        return this.variable(n);
      case "script_block_expression":
        // A value: it runs only where it is invoked (what is never invoked is reported with this reason).
        this.skip(n, "in a script block that is never invoked");
        return { kind: "scriptblock", node: n };
      case "array_literal_expression": {
        const items = n.namedChildren.filter((c) => c.type !== "comment").map((c) => this.value(c));
        return items.length === 1 ? items[0]! : { kind: "array", items };
      }
      case "array_expression": {
        const inner = n.namedChildren.find((c) => c.type === "statement_list");
        if (!inner) return { kind: "array", items: [] };
        const items: PsValue[] = [];
        for (const s of inner.namedChildren) {
          if (s.type === "comment") continue;
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
        const member = n.namedChildren[n.namedChildCount - 1]?.text ?? "property";
        if (v?.kind === "certificate") return this.certificateMember(n, v, member);
        if (v?.kind === "connector" && CONNECTOR_IDENTITY_MEMBERS.has(member.toLowerCase())) return v;
        if (v?.kind === "unresolved" && v.certificates) return unresolved(n, v.reason, v.certificates);
        return unresolved(n, "property values are only known when the script runs");
      }
      case "sub_expression": {
        const inner = n.namedChildren.find((c) => c.type === "statement_list");
        return inner && inner.namedChildCount === 1 ? this.value(inner.namedChildren[0]!) : unresolved(n, "a subexpression is only known when the script runs");
      }
      case "parenthesized_expression": {
        const inner = n.namedChildren.find((c) => c.type !== "comment");
        return inner ? this.value(inner) : { kind: "null" };
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
      if (isUnknown(v)) return { ...(unresolved(n, "the environment value is unknown during preview") as Unresolved), atDeploy: true };
      if (typeof v === "string") return { kind: "string", value: v };
      return unresolved(n, `environment variable ${env[1]} is not set in the command's environment`);
    }
    const written = text.replace(/^[$@]\{?/, "").replace(/\}$/, "");
    return this.scope.get(variableName(text)) ?? unresolved(n, `$${written} is not assigned earlier in the script`);
  }

  /**
   * `$c.Thumbprint` is the certificate itself (it names it wherever a thumbprint is asked for); any other
   * member is what the server knows of it, carried with the certificate it comes from.
   */
  private certificateMember(n: SyntaxNode, c: CertificateValue, member: string): PsValue {
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
  private string(n: SyntaxNode): PsValue {
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
      const v = child.type === "variable" ? this.variable(child) : this.value(child);
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

  /**
   * Every mail-flow command in a tree that the walk did not run, with the reason (fail closed). One
   * pass with a tree cursor; `atLine`: the tree is Invoke-Expression text run from that line.
   */
  private findUnevaluated(root: SyntaxNode, ran: ReadonlySet<number>, reasons: ReadonlyMap<number, string>, atLine: number | undefined, shift: number): void {
    const out = this.unevaluated;
    const cursor = root.walk();
    const reasonStack: Array<{ end: number; reason: string }> = [];
    let visited = 0;
    for (;;) {
      if (++visited > EVALUATION_LIMITS.steps * 4) {
        cursor.delete();
        return;
      }
      // The cursor's own fields: a node object is made only for the few nodes that matter.
      const start = cursor.startIndex;
      while (reasonStack.length > 0 && start >= reasonStack[reasonStack.length - 1]!.end) reasonStack.pop();
      const skippedReason = reasons.get(start);
      if (skippedReason !== undefined) reasonStack.push({ end: cursor.endIndex, reason: skippedReason });
      const type = cursor.nodeType;
      let descend = type !== "comment";
      if (type === "command") {
        const node = cursor.currentNode;
        const nameNode = node.namedChildren.find((c) => c.type === "command_name");
        const name = nameNode ? commandNameOf(nameNode.text) : undefined;
        if (name && MAIL_FLOW_COMMAND.test(name) && !ran.has(node.startIndex)) {
          const reason =
            reasonStack.length > 0
              ? reasonStack[reasonStack.length - 1]!.reason
              : this.catalogued(name) || this.functions.has(name)
                ? "the pack does not follow the construct around it"
                : "a mail-flow command the pack does not know (a session prefix it could not read, or a command of another module)";
          out.push({ line: atLine ?? node.startPosition.row + 1 + shift, command: nameNode!.text.slice(0, 60), reason: `not evaluated: ${reason}` });
        }
        // Output cmdlets print text; Invoke-Expression is reported (or run) where it is called.
        if (name && (OUTPUT_ONLY.has(name) || name === "invoke-expression" || name === "iex")) descend = false;
      } else if ((type === "expandable_string_literal" || type === "verbatim_string_characters" || type === "expandable_here_string_literal" || type === "verbatim_here_string_characters") && atLine === undefined) {
        const node = cursor.currentNode;
        const m = MAIL_FLOW_MENTION.exec(node.text);
        if (m) out.push({ line: node.startPosition.row + 1 + shift, command: m[0].split(/\s/)[0]!.slice(0, 60), reason: "named inside a string, which the pack does not run: if the script runs that text (a nested shell, Start-Process, a job), the pack cannot see what it does" });
        descend = false;
      }
      if (descend && cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) {
          cursor.delete();
          return;
        }
      }
    }
  }
}

/** A bare word in argument mode: `$true`-less literals, comma lists, numbers stay strings. */
function bareWord(text: string): PsValue {
  const parts = text.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
  if (parts.length > 1) return { kind: "array", items: parts.map((p) => ({ kind: "string", value: p })) };
  return { kind: "string", value: parts[0] ?? text };
}

/** `$Name`, `${Name}`, `$script:Name`, `$using:Name` → `name`. */
function variableName(text: string): string {
  return text
    .replace(/^[$@]\{?/, "")
    .replace(/\}$/, "")
    .replace(/^(script|global|local|private|using):/i, "")
    .toLowerCase();
}

function named(args: Argument[], name: string): PsValue | undefined {
  const exact = args.find((a) => a.name === name);
  if (exact) return exact.value;
  const prefixed = args.filter((a) => a.name !== undefined && a.name.length >= 2 && name.startsWith(a.name));
  return prefixed.length === 1 ? prefixed[0]!.value : undefined;
}
