/**
 * Microsoft365DSC configurations (the exported `.ps1`): each `EXOInboundConnector`,
 * `EXOOutboundConnector` and `EXOAcceptedDomain` block, parsed with the PowerShell grammar the pack
 * uses, becomes the object its cmdlet would export (same property names), read by the same readers.
 * A value that is not a literal (a variable, an expression) is left out and named.
 */
import { withPowerShellTree, type SyntaxNode } from "../powershell/grammar";
import type { Fact } from "../../model/facts";
import { acceptedDomainFacts, inboundConnectorFacts, outboundConnectorFacts, type ExportScope } from "./exchange-online";
import { exportProvenance, type ExportObject, type ExportOrigin } from "./fields";

type ObjectReader = (o: ExportObject, origin: ExportOrigin, scope: ExportScope) => Fact[];

const RESOURCES: Record<string, { read: ObjectReader; nameField: string }> = {
  exoinboundconnector: { read: inboundConnectorFacts, nameField: "Identity" },
  exooutboundconnector: { read: outboundConnectorFacts, nameField: "Identity" },
  exoaccepteddomain: { read: acceptedDomainFacts, nameField: "Identity" },
};

/** Properties of a DSC block that are credentials: never read. */
const SECRET_PROPERTIES = new Set(["credential", "applicationsecret", "certificatepassword", "certificatepath", "certificatethumbprint", "managedidentity", "accesstokens"]);

const NOT_LITERAL = Symbol("not a literal");

function literalOf(node: SyntaxNode): unknown {
  const strings = node.descendantsOfType(["string_literal"]);
  if (node.descendantsOfType("array_expression").length > 0) return strings.map((s) => unquote(s!.text));
  if (strings.length === 1 && node.descendantsOfType("sub_expression").length === 0 && !/\$/.test(strings[0]!.text.replace(/^'.*'$/s, ""))) return unquote(strings[0]!.text);
  const text = node.text.trim().toLowerCase();
  if (text === "$true") return true;
  if (text === "$false") return false;
  if (text === "$null") return null;
  if (/^\d+$/.test(text)) return Number(text);
  return NOT_LITERAL;
}

const unquote = (s: string): string => s.replace(/^(['"])([\s\S]*)\1$/, "$2");

/** `Name = value` statements of a block body, as PowerShell's grammar reads a DSC block (a command `Name`, `=`, an argument). */
function blockProperties(body: SyntaxNode, origin: ExportOrigin, problems: Fact[]): ExportObject {
  const object: ExportObject = {};
  for (const command of body.descendantsOfType("command")) {
    if (command!.parent?.parent?.parent?.parent?.id !== body.id) continue;
    const name = command!.childForFieldName("command_name")?.text;
    const elements = command!.childForFieldName("command_elements");
    const parts = elements?.namedChildren.filter((c) => c!.type !== "command_argument_sep") ?? [];
    if (!name || parts.length < 2 || parts[0]!.text !== "=") continue;
    if (SECRET_PROPERTIES.has(name.toLowerCase())) continue;
    const value = literalOf(parts[parts.length - 1]!);
    if (value === NOT_LITERAL) {
      problems.push({ kind: "unverifiable", item: { subject: `M365DSC block at ${origin.place}`, property: name, reason: "not a literal value in the configuration", known: "never", provenance: exportProvenance(origin, name) } });
      continue;
    }
    object[name] = value;
  }
  return object;
}

export function m365dscFacts(file: string, text: string, scope: ExportScope, problems: Array<{ file: string; place: string; problem: string }>): Fact[] {
  return withPowerShellTree(text, (root) => {
    const facts: Fact[] = [];
    for (const command of root.descendantsOfType("command")) {
      const name = command!.childForFieldName("command_name")?.text.toLowerCase() ?? "";
      const resource = RESOURCES[name];
      if (!resource) continue;
      const line = command!.startPosition.row + 1;
      // The block opens on the next line in an export (a statement of its own), or on the resource's own
      // line when written by hand inside `Configuration X { Node localhost { … } }` (an argument).
      const inline = command!.childForFieldName("command_elements")?.namedChildren.find((c) => c!.descendantsOfType("script_block_expression").length > 0);
      const pipeline = command!.parent?.parent;
      const blockPipeline = inline ?? pipeline?.nextNamedSibling;
      const body = blockPipeline?.descendantsOfType("script_block_body")[0];
      const origin: ExportOrigin = { file, place: `line ${line}`, source: `M365DSC ${command!.childForFieldName("command_name")!.text}`, line };
      if (!body) {
        problems.push({ file, place: `line ${line}`, problem: `${origin.source} has no { … } block` });
        continue;
      }
      const object = blockProperties(body, origin, facts);
      if (typeof object["Ensure"] === "string" && object["Ensure"].toLowerCase() === "absent") continue;
      facts.push(...resource.read(object, origin, scope));
    }
    if (root.hasError) problems.push({ file, place: "the whole file", problem: "the PowerShell does not parse in full: blocks after the error may be missing" });
    return facts;
  });
}
