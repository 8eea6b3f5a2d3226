/**
 * What decides what runs: script blocks and their `param()`, functions called with known arguments,
 * `foreach` / `ForEach-Object` over known values, `if` on known conditions, `try`.
 */
import { argumentsOf } from "./binding";
import { commandNameOf, EVALUATION_LIMITS, named, Scope, type Argument, type EvaluationContext, type FunctionDef } from "./context";
import { truthOf } from "./data";
import type { SyntaxNode } from "./grammar";
import { runStatement, runStatements } from "./pipelines";
import { evaluateValue, unresolved, unwrap, variableName, type PsValue, type Unresolved } from "./values";

/** Runs a script block's body with arguments bound to its `param()` block. */
export function runBlock(ev: EvaluationContext, block: SyntaxNode, args: Argument[], scope: Scope | undefined, input?: PsValue): void {
  // Every script block the walk runs is a `{ … }` expression (a literal, or a value made from one).
  const body = block.namedChildren.find((c) => c.type === "script_block");
  if (!body) return;
  const saved = ev.scope;
  if (scope) ev.scope = scope;
  try {
    // `{ param($n) … }`: the grammar puts the param block beside the block's body.
    const params = body.namedChildren.find((c) => c.type === "param_block") ?? block.namedChildren.find((c) => c.type === "param_block");
    if (params) bindParameters(ev, parametersOf(params), args, ev.scope, "the call passes no value");
    ev.scope.set("args", { kind: "array", items: args.filter((a) => !a.name).map((a) => a.value) });
    if (input) ev.scope.set("input", input);
    for (const c of body.namedChildren) if (c.type !== "param_block") runStatement(ev, c);
  } finally {
    ev.scope = saved;
  }
}

export function defineFunction(ev: EvaluationContext, node: SyntaxNode): void {
  const nameNode = node.namedChildren.find((c) => c.type === "function_name");
  const body = node.namedChildren.find((c) => c.type === "script_block");
  if (!nameNode || !body) return;
  const declared = node.namedChildren.find((c) => c.type === "function_parameter_declaration");
  const paramBlock = body.namedChildren.find((c) => c.type === "param_block");
  const parameters = declared ? parametersOf(declared) : paramBlock ? parametersOf(paramBlock) : [];
  const name = commandNameOf(nameNode.text).replace(/^(global|script|local|private):/, "");
  ev.functions.set(name, { name: nameNode.text, parameters, body });
  // Run only where it is called; what is never called is reported with this reason.
  ev.skip(body, `in function ${nameNode.text.slice(0, 60)}, which the script does not call`);
}

export function parametersOf(node: SyntaxNode): SyntaxNode[] {
  const list = node.namedChildren.find((c) => c.type === "parameter_list");
  return (list?.namedChildren ?? []).filter((c) => c.type === "script_parameter");
}

/** Binds arguments to declared parameters: by name (case-insensitive, unambiguous prefix), then by position, else the default. */
export function bindParameters(ev: EvaluationContext, parameters: SyntaxNode[], args: Argument[], scope: Scope, missing: string): void {
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
    if (v === undefined && d.def) v = evaluateValue(ev, d.def.namedChildren[d.def.namedChildCount - 1] ?? d.def);
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

export function callFunction(ev: EvaluationContext, fn: FunctionDef, node: SyntaxNode, input: PsValue | undefined, line: number): PsValue {
  if (ev.callDepth >= EVALUATION_LIMITS.callDepth) {
    ev.unevaluated.push({ line, command: fn.name.slice(0, 60), reason: `calls nest deeper than ${EVALUATION_LIMITS.callDepth} levels (recursion is not followed)` });
    return unresolved(node, "the output of a function is only known when it runs");
  }
  ev.callDepth++;
  const saved = ev.scope;
  // PowerShell scopes are dynamic: a function sees the variables of its caller.
  ev.scope = new Scope(ev.scope);
  try {
    const args = argumentsOf(ev, node);
    bindParameters(ev, fn.parameters, args, ev.scope, "the call passes no value");
    ev.scope.set("args", { kind: "array", items: args.filter((a) => !a.name).map((a) => a.value) });
    if (input) ev.scope.set("input", input);
    for (const c of fn.body.namedChildren) if (c.type !== "param_block") runStatement(ev, c);
  } finally {
    ev.scope = saved;
    ev.callDepth--;
  }
  return unresolved(node, "the output of a function is only known when it runs");
}

export function forEachObject(ev: EvaluationContext, node: SyntaxNode, input: PsValue | undefined): PsValue {
  const args = argumentsOf(ev, node);
  const block = named(args, "process") ?? args.find((a) => !a.name && a.value.kind === "scriptblock")?.value;
  if (block?.kind !== "scriptblock") return unresolved(node, "the output of a command is only known when it runs");
  const items = input === undefined ? [] : input.kind === "array" ? input.items : [input];
  const known = input !== undefined && input.kind !== "unresolved";
  runLoop(ev, block.node, known ? items : undefined, ["_", "psitem"], node, input);
  return unresolved(node, "the output of a command is only known when it runs");
}

export function foreachStatement(ev: EvaluationContext, node: SyntaxNode): void {
  const variable = node.namedChildren.find((c) => c.type === "variable");
  const body = node.namedChildren.find((c) => c.type === "statement_block");
  const collection = node.namedChildren.find((c) => c !== variable && c !== body && c.type !== "comment");
  if (!variable || !body) return runStatements(ev, node);
  const v = collection ? evaluateValue(ev, collection) : undefined;
  const known = v !== undefined && v.kind !== "unresolved";
  const items = !v ? [] : v.kind === "array" ? v.items : [v];
  runLoop(ev, body, known ? items : undefined, [variableName(variable.text)], node, v);
}

/** Runs a loop body once per known item; over values only known at run time, once with the variable unresolved. */
function runLoop(ev: EvaluationContext, body: SyntaxNode, items: PsValue[] | undefined, names: string[], node: SyntaxNode, collection?: PsValue): void {
  const run = (item: PsValue) => {
    for (const n of names) ev.scope.set(n, item);
    if (body.type === "script_block_expression") runBlock(ev, body, [], undefined);
    else runStatements(ev, body);
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
    ev.unevaluated.push({ line: ev.lineOf(node), command: "foreach", reason: `the loop has ${items.length} items; only the first ${EVALUATION_LIMITS.loopItems} were followed` });
  }
}

export function ifStatement(ev: EvaluationContext, node: SyntaxNode): void {
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
    const truth = b.condition ? conditionTruth(ev, b.condition) : true;
    if (truth === false && !undecided) {
      ev.skip(b.body, "in a branch whose condition is false");
      continue;
    }
    if (truth === false) continue;
    // A condition only known at run time: every branch may run, each is checked (presence).
    runStatements(ev, b.body);
    if (truth === true && !undecided) {
      for (const rest of branches.slice(branches.indexOf(b) + 1)) ev.skip(rest.body, "in a branch that does not run (an earlier condition is true)");
      return;
    }
    undecided = true;
  }
}

/** A condition's value where the script decides it: literals, known variables, -eq/-ne/-not. */
function conditionTruth(ev: EvaluationContext, condition: SyntaxNode): boolean | undefined {
  const n = unwrap(condition);
  if (n.type === "comparison_expression" && n.namedChildCount === 3) {
    const op = n.namedChildren[1]!.text.toLowerCase();
    const a = evaluateValue(ev, n.namedChildren[0]!);
    const b = evaluateValue(ev, n.namedChildren[2]!);
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
    const t = inner ? conditionTruth(ev, inner) : undefined;
    return t === undefined ? undefined : !t;
  }
  return truthOf(evaluateValue(ev, n));
}

export function tryStatement(ev: EvaluationContext, node: SyntaxNode): void {
  for (const c of node.namedChildren) {
    if (c.type === "statement_block") runStatements(ev, c);
    else if (c.type === "catch_clauses") for (const clause of c.namedChildren) ev.skip(clause, "in a catch block, which runs only if the try block fails");
    else if (c.type === "finally_clause") for (const b of c.namedChildren) if (b.type === "statement_block") runStatements(ev, b);
  }
}
