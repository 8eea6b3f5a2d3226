/**
 * Wrappers that run an Exchange Online cmdlet named as text (issue 23). The wrappers read — the list
 * README "What it checks" gives — are CIPP's (github.com/KelvinTegelaar/CIPP-API, Modules/CIPPCore):
 *   New-ExoRequest -tenantid <tenant> -cmdlet 'New-InboundConnector' -cmdParams @{ … }
 *   New-ExoBulkRequest -tenantid <tenant> -cmdletArray @(@{ CmdletInput = @{ CmdletName = '…'; Parameters = @{ … } } })
 * With a literal cmdlet name and a known parameter table, each request is that cmdlet, bound as a
 * splatted table is, on that tenant; otherwise it is named on its line. A function of the same name
 * that the script defines is run as a function instead.
 */
import { UNKNOWN_TENANT } from "../../model/types";
import { argumentsOf, bindTable } from "./binding";
import { CMDLETS } from "./catalogue";
import { named, type CmdletCall, type EvaluationContext } from "./context";
import { entryOf } from "./data";
import type { SyntaxNode } from "./grammar";
import { accountLiteralArguments } from "./unevaluated";
import { unresolved, type PsValue } from "./values";

export const WRAPPERS = new Set(["new-exorequest", "new-exobulkrequest"]);

/** Cmdlets a wrapper may run that change what the pack reads (a Get- only reads). */
const changes = (cmdlet: string): boolean => CMDLETS[cmdlet] !== undefined && !cmdlet.startsWith("get-");

export function runWrapper(ev: EvaluationContext, wrapper: string, written: string, node: SyntaxNode, line: number): PsValue {
  const args = argumentsOf(ev, node);
  // The table's texts are data for Exchange; the cmdlet name is accounted for when it is run.
  accountLiteralArguments(ev, node);
  const tenantValue = named(args, "tenantid");
  const tenant = tenantValue?.kind === "string" ? tenantValue.value.toLowerCase() : tenantValue ? UNKNOWN_TENANT : undefined;
  if (tenantValue && tenantValue.kind !== "string") ev.unevaluated.push({ line, command: written.slice(0, 60), reason: `its -tenantid is only known when the script runs: the tenant it changes cannot be named (${tenantValue.kind === "unresolved" ? tenantValue.reason : "not text"})` });
  const request = (cmdlet: PsValue | undefined, parameters: PsValue | undefined): void => {
    if (cmdlet?.kind !== "string") {
      ev.unevaluated.push({ line, command: written.slice(0, 60), reason: `not read: the cmdlet it runs is only known when the script runs${cmdlet?.kind === "unresolved" ? ` (${cmdlet.reason})` : ""}` });
      return;
    }
    const name = cmdlet.value.trim().toLowerCase();
    if (!changes(name)) return;
    ev.accountValue(cmdlet);
    const call: CmdletCall = { cmdlet: name, written: cmdlet.value.trim().slice(0, 60), line, parameters: new Map(), ambiguous: [], ...(tenant ? { tenant } : {}) };
    if (parameters === undefined || parameters.kind === "null") {
      // No parameters: the cmdlet runs with none.
    } else if (parameters.kind === "hashtable") bindTable(call, CMDLETS[name]!, parameters);
    else {
      ev.unevaluated.push({ line, command: call.written, reason: `not read: the parameters ${written.slice(0, 60)} passes are only known when the script runs` });
      call.parameters.set("(splatted)", parameters.kind === "unresolved" ? parameters : unresolved(node, "parameters that are not a table"));
    }
    ev.calls.push(call);
  };
  if (wrapper === "new-exorequest") request(named(args, "cmdlet"), named(args, "cmdparams"));
  else {
    const list = named(args, "cmdletarray");
    const items = list?.kind === "array" ? list.items : list ? [list] : [];
    if (list?.kind === "unresolved") ev.unevaluated.push({ line, command: written.slice(0, 60), reason: `not read: the requests it runs are only known when the script runs (${list.reason})` });
    for (const item of items) {
      const input = item.kind === "hashtable" ? entryOf(item, "CmdletInput") : undefined;
      if (input?.kind !== "hashtable") {
        if (item.kind !== "unresolved" || list?.kind !== "unresolved") request(undefined, undefined);
        continue;
      }
      request(entryOf(input, "CmdletName"), entryOf(input, "Parameters"));
    }
  }
  return unresolved(node, "the output of a command is only known when it runs");
}
