/**
 * Microsoft365DSC resources (`EXOInboundConnector "x" { Identity = "…"; … Ensure = "Present" }` in a
 * `Configuration { Node … }`): read as the cmdlet each declares.
 */
import { rawArguments } from "./binding";
import { CMDLETS, isSecretParameter, resolveParameter } from "./catalogue";
import { Scope, type CmdletCall, type EvaluationContext } from "./context";
import { runBlock } from "./control-flow";
import type { SyntaxNode } from "./grammar";
import { bareWord, evaluateValue, unwrap, type PsValue } from "./values";

/**
 * Microsoft365DSC resources (`EXOInboundConnector "x" { Identity = "…"; … Ensure = "Present" }` in a
 * `Configuration { Node … }`): the cmdlet each declares, by its `Ensure`. Their properties carry the
 * cmdlet's parameter names; `Identity` is the connector's name.
 */
export const DSC_RESOURCES: Record<string, { present: string; absent?: string; nameParameter: string }> = {
  exoinboundconnector: { present: "new-inboundconnector", absent: "remove-inboundconnector", nameParameter: "Name" },
  exooutboundconnector: { present: "new-outboundconnector", absent: "remove-outboundconnector", nameParameter: "Name" },
  exoaccepteddomain: { present: "set-accepteddomain", nameParameter: "Identity" },
};

type DscResource = (typeof DSC_RESOURCES)[string];

/**
 * A DSC resource block: its `Key = value` lines are the parameters of the cmdlet it declares; a
 * `TenantId` names the tenant it acts on (as Connect-ExchangeOnline -Organization would).
 */
export function dscResource(ev: EvaluationContext, dsc: DscResource, written: string, node: SyntaxNode, line: number, after?: SyntaxNode): void {
  const args = rawArguments(node);
  const block = after ?? args.map((a) => unwrap(a.node)).find((n) => n.type === "script_block_expression");
  const body = block?.namedChildren.find((c) => c.type === "script_block");
  const properties = new Map<string, PsValue>();
  const statements = (body?.namedChildren ?? []).flatMap((c) => (c.type === "script_block_body" ? c.namedChildren : [c])).flatMap((c) => (c.type === "statement_list" ? c.namedChildren : [c]));
  for (const statement of statements) {
    const entry = unwrap(statement);
    if (entry.type === "comment" || entry.type === "empty_statement") continue;
    const key = entry.type === "command" ? entry.namedChildren.find((c) => c.type === "command_name")?.text : undefined;
    const elements = entry.type === "command" ? rawArguments(entry) : [];
    if (!key || elements.length !== 2 || elements[0]!.node.text.trim() !== "=") {
      ev.unevaluated.push({ line: ev.lineOf(entry), command: written.slice(0, 60), reason: "a line of the DSC resource block that is not `Property = value`: not read" });
      continue;
    }
    const valueNode = elements[1]!.node;
    properties.set(key.toLowerCase(), isSecretParameter(key) ? { kind: "unresolved", expression: "(secret)", reason: "secret parameters are never read" } : valueNode.type === "generic_token" ? bareWord(valueNode.text) : evaluateValue(ev, valueNode));
  }
  const tenant = properties.get("tenantid") ?? properties.get("organization");
  if (tenant) ev.calls.push({ cmdlet: "connect-exchangeonline", written: `${written} TenantId`, line, parameters: new Map([["Organization", tenant]]), ambiguous: [] });
  const ensure = properties.get("ensure");
  const absent = ensure?.kind === "string" && /^absent$/i.test(ensure.value.trim());
  const cmdlet = absent ? dsc.absent : dsc.present;
  if (!cmdlet) return;
  if (ensure && ensure.kind !== "string") ev.unevaluated.push({ line, command: written.slice(0, 60), reason: "its Ensure is only known when the configuration is compiled: read as Present" });
  const spec = CMDLETS[cmdlet]!;
  const call: CmdletCall = { cmdlet, written, line, parameters: new Map(), ambiguous: [], ...(ev.server !== undefined ? { server: ev.server } : {}) };
  for (const [key, value] of properties) {
    const parameter = key === "identity" ? (absent ? "Identity" : dsc.nameParameter) : undefined;
    const r = parameter ? { kind: "resolved" as const, name: parameter } : resolveParameter(spec, key);
    if (r.kind === "resolved" && r.name.toLowerCase() === key) call.parameters.set(r.name, value);
    else if (r.kind === "resolved" && parameter) call.parameters.set(r.name, value);
  }
  ev.calls.push(call);
}

/** DSC keywords whose block may open on the next line (`Configuration X` ⏎ `{`, `Node localhost` ⏎ `{`, a resource ⏎ `{`). */
const BLOCK_KEYWORDS = new Set(["configuration", "node"]);

/**
 * The block a DSC keyword or resource statement owns when its `{` opens on the next line, as
 * Microsoft365DSC writes its exports: the grammar reads the block as a statement of its own.
 * `statement` is a statement of a statement list and `next` the one after it (comments skipped).
 */
export function dscBlockAfter(statement: SyntaxNode, next: SyntaxNode | undefined): { command: SyntaxNode; name: string; block: SyntaxNode } | undefined {
  if (!next) return undefined;
  const block = unwrap(next);
  if (block.type !== "script_block_expression") return undefined;
  const command = unwrap(statement);
  if (command.type !== "command") return undefined;
  const name = command.namedChildren.find((c) => c.type === "command_name")?.text.toLowerCase();
  if (!name || !(BLOCK_KEYWORDS.has(name) || DSC_RESOURCES[name])) return undefined;
  if (rawArguments(command).some((a) => unwrap(a.node).type === "script_block_expression")) return undefined;
  return { command, name, block };
}

/** `Configuration X` / `Node n` / a DSC resource with its `{ … }` on the next line: the block is theirs. */
export function runDscStatement(ev: EvaluationContext, dsc: NonNullable<ReturnType<typeof dscBlockAfter>>): void {
  const resource = DSC_RESOURCES[dsc.name];
  if (!resource) return runBlock(ev, dsc.block, [], new Scope(ev.scope));
  const nameNode = dsc.command.namedChildren.find((c) => c.type === "command_name")!;
  ev.account(nameNode);
  dscResource(ev, resource, nameNode.text, dsc.command, ev.lineOf(dsc.command), dsc.block);
}
