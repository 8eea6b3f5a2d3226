/**
 * `Get-*Connector | Where-Object …`: a filter on the connector's name narrows the connectors the
 * pipeline changes; any other filter is unreadable, and said so.
 */
import type { NameFilter } from "../../model/selection";
import { rawArguments } from "./binding";
import type { EvaluationContext } from "./context";
import type { SyntaxNode } from "./grammar";
import { nameOperator } from "./selection";
import { bareWord, evaluateValue, unwrap, type PsValue } from "./values";

/**
 * `Where-Object` after `Get-*Connector`: a filter on the connector's name narrows the connectors the
 * pipeline changes (`-eq` names one); any other filter leaves which connectors pass unknown.
 */
export function filterConnectors(ev: EvaluationContext, input: Extract<PsValue, { kind: "connector" }>, node: SyntaxNode): PsValue {
  if (input.identity) return input;
  const filter = nameFilterOf(ev, node);
  if ("unreadable" in filter) return { ...input, unreadableFilter: input.unreadableFilter ?? filter.unreadable };
  if (filter.operator === "eq" && !input.filters?.length) return { ...input, identity: { kind: "string", value: filter.value } };
  return { ...input, filters: [...(input.filters ?? []), filter] };
}

/** The name filter a `Where-Object` states: `{ $_.Name -like 'x*' }`, `-FilterScript { … }`, `Name -eq 'x'`, `-Property Name -EQ -Value x`. */
function nameFilterOf(ev: EvaluationContext, node: SyntaxNode): NameFilter | { unreadable: string } {
  const args = rawArguments(node);
  const block = args.find((a) => (!a.name || "filterscript".startsWith(a.name)) && unwrap(a.node).type === "script_block_expression");
  if (block) return nameFilterOfBlock(ev, unwrap(block.node));
  const property = args.find((a) => a.name !== undefined && a.name.length >= 2 && "property".startsWith(a.name)) ?? args.find((a) => !a.name);
  const comparison = args.find((a) => a.name !== undefined && nameOperator(a.name) !== undefined);
  const valueArg = comparison && comparison.node.type === "command_parameter" ? args.find((a) => a.name === "value" || a.name === "v" || (a.name === undefined && a !== property)) : comparison;
  if (!property || !comparison || !valueArg) return { unreadable: "the Where-Object filter is not one the pack reads (a name compared with -eq, -ne, -like, -notlike, -match or -notmatch)" };
  const propertyValue = property.node.type === "generic_token" ? bareWord(property.node.text) : evaluateValue(ev, property.node);
  const value = valueArg.node.type === "generic_token" ? bareWord(valueArg.node.text) : evaluateValue(ev, valueArg.node);
  return nameFilter(propertyValue.kind === "string" ? propertyValue.value : undefined, comparison.name!, value);
}

function nameFilterOfBlock(ev: EvaluationContext, block: SyntaxNode): NameFilter | { unreadable: string } {
  const body = block.namedChildren.find((c) => c.type === "script_block");
  const statements = (body?.namedChildren ?? []).flatMap((c) => (c.type === "script_block_body" ? c.namedChildren : [c])).flatMap((c) => (c.type === "statement_list" ? c.namedChildren : [c])).filter((c) => c.type !== "comment");
  const comparison = statements.length === 1 ? unwrap(statements[0]!) : undefined;
  if (comparison?.type !== "comparison_expression" || comparison.namedChildCount !== 3) return { unreadable: "the Where-Object script block is not a single comparison of the connector's name" };
  const left = unwrap(comparison.namedChildren[0]!);
  const subject = left.type === "member_access" ? unwrap(left.namedChildren[0]!) : undefined;
  const isItem = subject?.type === "variable" && /^\$(_|psitem)$/i.test(subject.text);
  const member = isItem ? left.namedChildren[left.namedChildCount - 1]!.text : undefined;
  return nameFilter(member, comparison.namedChildren[1]!.text, evaluateValue(ev, comparison.namedChildren[2]!));
}

function nameFilter(property: string | undefined, operatorWritten: string, value: PsValue): NameFilter | { unreadable: string } {
  const operator = nameOperator(operatorWritten);
  if (!property || !/^(name|identity)$/i.test(property.trim())) return { unreadable: `the Where-Object filter tests ${property ? `the connector's ${property.slice(0, 40)}` : "something other than the connector's name"}, which the pack does not know for connectors made outside the stack` };
  if (!operator) return { unreadable: `the Where-Object filter compares the name with ${operatorWritten.slice(0, 20)}, which the pack does not read` };
  if (value.kind !== "string") return { unreadable: "the name the Where-Object filter compares with is only known when the script runs" };
  return { operator, value: value.value };
}
