/**
 * Statements, assignments and pipelines, and the command each element invokes: a catalogued cmdlet
 * (recorded as a call), a function, a script block, a DSC resource, or a runner the walk follows.
 */
import { UNKNOWN_ORG } from "../../model/types";
import { argumentsOf, bindArguments, rawArguments } from "./binding";
import { CMDLETS } from "./catalogue";
import { commandNameOf, EVALUATION_LIMITS, named, Scope, type CmdletCall, type EvaluationContext } from "./context";
import { bindParameters, callFunction, defineFunction, forEachObject, foreachStatement, ifStatement, parametersOf, runBlock, tryStatement } from "./control-flow";
import { DSC_RESOURCES, dscBlockAfter, dscResource, runDscStatement } from "./dsc";
import type { SyntaxNode } from "./grammar";
import { isPowerShellExecutable } from "./interpreters";
import { invokeCommand, invokeExpression, nestedPowerShell, runText, serverOf, sessionServer } from "./invoke";
import { accountLiteralArguments, OUTPUT_ONLY } from "./unevaluated";
import { assignMember, combine, convertFromJson } from "./data";
import { evaluateValue, unresolved, unwrap, variableName, type PsValue } from "./values";
import { filterConnectors } from "./where-object";
import { runWrapper, WRAPPERS } from "./wrappers";

export function runStatements(ev: EvaluationContext, node: SyntaxNode): void {
  const children = node.namedChildren.filter((c) => c.type !== "comment");
  for (let i = 0; i < children.length; i++) {
    const child = children[i]!;
    if (!ev.step(child)) return;
    const type = child.type;
    const dsc = dscBlockAfter(child, children[i + 1]);
    if (dsc) {
      i++;
      runDscStatement(ev, dsc);
      continue;
    }
    if (type === "ERROR" && recoverCommaList(ev, child)) continue;
    // Error nodes are found in the whole tree when the text is accounted for (unevaluated.ts); a missing token is said here.
    if (child.isMissing && ev.invokedFrom?.line === undefined) {
      const line = child.startPosition.row + 1 + (ev.invokedFrom?.shift ?? 0);
      ev.syntaxErrors.push({ line, lastLine: line });
    }
    runStatement(ev, child);
  }
}

export function runStatement(ev: EvaluationContext, node: SyntaxNode): void {
  if (ev.nesting >= EVALUATION_LIMITS.nesting) {
    ev.skip(node, `nested deeper than ${EVALUATION_LIMITS.nesting} levels`);
    return;
  }
  ev.nesting++;
  try {
    const target = unwrap(node);
    switch (target.type) {
      case "assignment_expression":
        return runAssignment(ev, target);
      case "command":
        runCommand(ev, target);
        return;
      case "pipeline":
      case "pipeline_chain":
        runPipeline(ev, target);
        return;
      case "function_statement":
        return defineFunction(ev, target);
      case "param_block":
        return bindParameters(ev, parametersOf(target), [], ev.scope, "the command passes no arguments to the script");
      case "if_statement":
        return ifStatement(ev, target);
      case "foreach_statement":
        return foreachStatement(ev, target);
      case "try_statement":
        return tryStatement(ev, target);
      case "trap_statement":
        return ev.skip(target, "in a trap block, which runs only when a statement fails");
      case "script_block_expression":
        return ev.skip(target, "in a script block that is never invoked");
      case "class_statement":
        return ev.skip(target, "in a class, whose methods the pack does not run");
      default:
        return runStatements(ev, target);
    }
  } finally {
    ev.nesting--;
  }
}

/**
 * `Cmd -Services POP, IMAP, SMTP`: the grammar stops the command at `POP` and leaves `, IMAP, SMTP`
 * in an error node. PowerShell binds the whole comma list to the parameter: so do we.
 */
export function recoverCommaList(ev: EvaluationContext, error: SyntaxNode): boolean {
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
    extra.push(item.type === "simple_name" || item.type === "generic_token" ? { kind: "string", value: item.text.trim() } : evaluateValue(ev, item));
  }
  if (extra.length === 0) return false;
  ev.recovered.add(error.startIndex);
  if (head.type === "command") runCommand(ev, head, undefined, extra);
  else runPipeline(ev, head, extra);
  // The grammar's recovery also swallows the statements after the list: read them on their own.
  const rest = children[i];
  if (rest) {
    const depth = (ev.invokedFrom?.depth ?? 0) + 1;
    if (depth <= EVALUATION_LIMITS.invokeExpressionDepth) {
      const text = error.text.slice(rest.startIndex - error.startIndex);
      runText(ev, text, { ...(ev.invokedFrom?.line !== undefined ? { line: ev.invokedFrom.line } : {}), shift: rest.startPosition.row + (ev.invokedFrom?.shift ?? 0), depth });
    } else if (ev.invokedFrom?.line === undefined) {
      const line = rest.startPosition.row + 1 + (ev.invokedFrom?.shift ?? 0);
      ev.syntaxErrors.push({ line, lastLine: line });
    }
  }
  return true;
}

function runAssignment(ev: EvaluationContext, node: SyntaxNode): void {
  const left = unwrap(node.namedChildren[0]!);
  const value = node.childForFieldName("value") ?? node.namedChildren[node.namedChildCount - 1]!;
  const valueNode = unwrap(value);
  let v: PsValue;
  if (valueNode.type === "command") v = runCommand(ev, valueNode);
  else if (valueNode.type === "pipeline_chain" || valueNode.type === "pipeline") v = runPipeline(ev, valueNode);
  else if (valueNode.type === "assignment_expression") {
    runAssignment(ev, valueNode);
    v = evaluateValue(ev, unwrap(valueNode.namedChildren[0]!));
  } else v = evaluateValue(ev, valueNode);
  if (left.type === "member_access" || left.type === "element_access") return assignMember(ev, left, v);
  // `[string]$name = …`: the variable is what is assigned.
  const variable = left.type === "cast_expression" ? left.namedChildren.map(unwrap).find((c) => c.type === "variable") : left;
  if (variable?.type !== "variable") return;
  const name = variableName(variable.text);
  const target = /^(script|global):/i.test(variable.text.replace(/^[$@]\{?/, "")) ? ev.scope.root() : ev.scope;
  // `$list += @{ … }` appends (about_Assignment_Operators); other compound operators are only known when they run.
  const operator = node.children.find((c) => c.type === "assignement_operator")?.text.trim() ?? "=";
  if (operator === "+=") v = combine(ev.scope.get(name) ?? { kind: "null" }, "+", v, node);
  else if (operator !== "=") v = unresolved(node, "a compound assignment only known when the script runs");
  target.set(name, v);
}

/** A pipeline: each command receives what the one before it produced. */
function runPipeline(ev: EvaluationContext, node: SyntaxNode, trailingOfLast: PsValue[] = []): PsValue {
  let input: PsValue | undefined;
  let last: PsValue = { kind: "null" };
  const elements = node.namedChildren.filter((c) => c.type !== "comment");
  for (const c of elements) {
    const el = unwrap(c);
    if (el.type === "command") last = runCommand(ev, el, input, c === elements.at(-1) ? trailingOfLast : []);
    else if (el.type === "pipeline_chain" || el.type === "pipeline") last = runPipeline(ev, el);
    else if (el.type === "assignment_expression") {
      runAssignment(ev, el);
      last = { kind: "null" };
    } else {
      runStatement(ev, el);
      last = evaluateValue(ev, el);
    }
    input = last;
  }
  return last;
}

/** What a command invokes: a command by name, a script block, or something the pack cannot follow (and why). */
type Invoked =
  /** `at`: where the name is written (a word, or a string the name came from), accounted for when the walk runs it. */
  | { kind: "named"; written: string; name: string; dotSourced: boolean; at?: SyntaxNode | PsValue }
  | { kind: "block"; written: string; block: SyntaxNode; dotSourced: boolean }
  | { kind: "dynamic"; written: string; reason: string };

/** A written name; one that names nothing (`& ''`, `& 'C:\dir\'`) cannot be followed. */
function byName(written: string, dotSourced: boolean, at?: SyntaxNode | PsValue): Invoked {
  const name = commandNameOf(written);
  return name ? { kind: "named", written, name, dotSourced, ...(at ? { at } : {}) } : { kind: "dynamic", written, reason: "no command name" };
}

/** The walk runs what a name names: where the name is written is accounted for. */
function accountName(ev: EvaluationContext, invoked: Extract<Invoked, { kind: "named" }>): void {
  const at = invoked.at;
  if (!at) return;
  if ("kind" in at) ev.accountValue(at);
  else ev.account(at);
}

/** The name a command invokes: a word, a quoted or computed name, or a script block. */
function invokedName(ev: EvaluationContext, node: SyntaxNode): Invoked {
  const dotSourced = node.namedChildren.some((c) => c.type === "command_invokation_operator" && c.text.trim() === ".");
  // The grammar's `command_name` field holds either a plain name or a `command_name_expr`.
  const nameNode = node.namedChildren.find((c) => c.type === "command_name");
  if (nameNode) return byName(nameNode.text, dotSourced, nameNode);
  const expr = node.namedChildren.find((c) => c.type === "command_name_expr");
  let inner = expr?.namedChildren[0];
  // `& $cmd` and `& C:\x.ps1` arrive as a path command name: a variable holds the name, a path is one.
  if (inner?.type === "path_command_name") {
    const variable = inner.namedChildCount === 1 ? inner.namedChildren[0] : undefined;
    if (variable?.type === "variable") inner = variable;
    else return byName(inner.text, dotSourced, inner);
  }
  // Named, not quoted: the text where a name should be may be anything, a secret included.
  if (!expr || !inner) return { kind: "dynamic", written: "a command without a readable name", reason: "the command name is not written out" };
  const innerType = unwrap(inner).type;
  if (innerType === "script_block_expression") return { kind: "block", written: "{ … }", block: unwrap(inner), dotSourced };
  const v = evaluateValue(ev, inner);
  if (v.kind === "string") return byName(v.value, dotSourced, v);
  if (v.kind === "scriptblock") return { kind: "block", written: "{ … }", block: v.node, dotSourced };
  return { kind: "dynamic", written: "a computed command name", reason: v.kind === "unresolved" ? v.reason : "the command name is not text" };
}

function runCommand(ev: EvaluationContext, node: SyntaxNode, input?: PsValue, trailing: PsValue[] = []): PsValue {
  const line = ev.lineOf(node);
  // Made only on the paths that return it: describing the command reads its syntax tree.
  const opaque = (): PsValue => unresolved(node, "the output of a command is only known when it runs");
  const invoked = invokedName(ev, node);
  if (invoked.kind === "block") {
    // `& { param($c) … } 'value'`: the arguments bind to the block's param() as to a function's.
    runBlock(ev, invoked.block, argumentsOf(ev, node), invoked.dotSourced ? undefined : new Scope(ev.scope), input);
    return opaque();
  }
  if (invoked.kind === "dynamic") {
    ev.unevaluated.push({ line, command: invoked.written.slice(0, 60), reason: `a dynamic invocation the pack cannot follow: ${invoked.reason}` });
    runScriptBlockArguments(ev, node, invoked.written);
    return opaque();
  }
  const name = invoked.name;
  const fn = ev.functions.get(name);
  const cmdlet = fn ? undefined : ev.catalogued(name);
  // Only what the walk understands is accounted for: an unknown mail-flow command is reported.
  if (fn || cmdlet) accountName(ev, invoked);
  if (fn) return callFunction(ev, fn, node, input, line);
  if (cmdlet) {
    // Text bound to an Exchange parameter is data Exchange stores, not a command.
    accountLiteralArguments(ev, node);
    return runCmdlet(ev, cmdlet, invoked.written, node, line, input, trailing);
  }
  const dsc = DSC_RESOURCES[name];
  if (dsc) {
    accountName(ev, invoked);
    dscResource(ev, dsc, invoked.written, node, line);
    return opaque();
  }
  if (WRAPPERS.has(name)) return runWrapper(ev, name, invoked.written, node, line);
  switch (name) {
    case "invoke-command":
    case "icm":
      return invokeCommand(ev, node);
    case "enter-pssession":
    case "import-pssession": {
      const args = argumentsOf(ev, node);
      const server = serverOf(ev, args);
      if (server !== undefined || name === "enter-pssession") ev.server = server ?? UNKNOWN_ORG;
      const prefix = named(args, "prefix");
      if (name === "import-pssession" && prefix?.kind === "string") ev.prefix = prefix.value.toLowerCase();
      return opaque();
    }
    case "exit-pssession":
    case "remove-pssession":
      ev.server = undefined;
      return opaque();
    case "foreach-object":
    case "%":
      return forEachObject(ev, node, input);
    case "where-object":
    case "?":
      return input?.kind === "connector" ? filterConnectors(ev, input, node) : opaque();
    case "invoke-expression":
    case "iex":
      return invokeExpression(ev, node, line);
    case "convertfrom-json":
      return convertFromJson(ev, node, input);
    default:
      if (isPowerShellExecutable(name)) return nestedPowerShell(ev, node, line, invoked.written);
      // What an output cmdlet prints is text, not a command.
      if (OUTPUT_ONLY.has(name)) accountLiteralArguments(ev, node);
      runScriptBlockArguments(ev, node, invoked.written);
      return opaque();
  }
}

function runCmdlet(ev: EvaluationContext, cmdlet: string, written: string, node: SyntaxNode, line: number, input: PsValue | undefined, trailing: PsValue[]): PsValue {
  const spec = CMDLETS[cmdlet]!;
  const call: CmdletCall = { cmdlet, written, line, parameters: new Map(), ambiguous: [], ...(ev.server !== undefined ? { server: ev.server } : {}) };
  bindArguments(ev, call, spec, node, trailing);
  // `Get-InboundConnector 'x' | Set-InboundConnector …`: the pipeline names the identity.
  if (input && spec.positional === "Identity" && !call.parameters.has("Identity")) {
    if (input.kind === "connector") call.parameters.set("Identity", input);
    else if (input.kind === "string") call.parameters.set("Identity", input);
  }
  // `$cert | Enable-ExchangeCertificate -Services SMTP`: the certificate comes down the pipeline.
  if (input?.kind === "certificate" && cmdlet.endsWith("-exchangecertificate") && !call.parameters.has("Thumbprint") && !call.parameters.has("Identity")) call.parameters.set("Thumbprint", input);
  connectorIdentity(call, cmdlet, node);
  if (cmdlet.startsWith("get-")) {
    if (/connector$/.test(cmdlet)) return { kind: "connector", noun: cmdlet.slice(4), identity: call.parameters.get("Identity") };
    if (cmdlet === "get-exchangecertificate") {
      const thumbprint = call.parameters.get("Thumbprint");
      if (thumbprint?.kind === "certificate") return thumbprint;
      return thumbprint?.kind === "string" ? { kind: "certificate", thumbprint: thumbprint.value.toUpperCase() } : unresolved(node, "the certificate the server returns is only known when the script runs");
    }
    return unresolved(node, "the output of a command is only known when it runs");
  }
  ev.calls.push(call);
  if (cmdlet === "new-exchangecertificate" || cmdlet === "import-exchangecertificate") return { kind: "certificate", createdAt: line, ...(cmdlet === "import-exchangecertificate" ? { imported: true } : {}) };
  if (cmdlet === "connect-exchangeonline") {
    const prefix = call.parameters.get("Prefix");
    ev.prefix = prefix?.kind === "string" ? prefix.value.toLowerCase() : undefined;
    ev.server = undefined;
  }
  if (cmdlet === "new-pssession") return { kind: "session", server: sessionServer(call.parameters.get("ConnectionUri"), call.parameters.get("ComputerName")) };
  return unresolved(node, "the output of a command is only known when it runs");
}

/**
 * A connector object as the identity (`Get-SendConnector 'x' | Set-…`, `-Identity $_.Identity`): its
 * name when the script names it; otherwise the call changes every connector the Get- finds.
 */
function connectorIdentity(call: CmdletCall, cmdlet: string, node: SyntaxNode): void {
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

/** Script blocks passed to a command the pack does not know are run where they appear (presence). */
function runScriptBlockArguments(ev: EvaluationContext, node: SyntaxNode, written: string): void {
  const lower = written.toLowerCase();
  for (const arg of rawArguments(node)) {
    const n = unwrap(arg.node);
    if (n.type !== "script_block_expression") continue;
    if (OUTPUT_ONLY.has(lower)) continue;
    runBlock(ev, n, [], new Scope(ev.scope));
  }
}
