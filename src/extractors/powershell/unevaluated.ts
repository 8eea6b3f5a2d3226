/**
 * Failing closed: every mail-flow command in a tree that the walk did not run, with the reason.
 */
import { commandNameOf, type EvaluationContext, type SkippedRegion } from "./context";
import type { SyntaxNode } from "./grammar";

/**
 * Mail-flow commands that change state: catalogued ones under any session prefix, and anything that
 * creates or changes a connector. Used to find what the walk did not run.
 */
const MAIL_FLOW_COMMAND = /^(?:new|set|remove|enable|import|add|disable)-[a-z0-9_]*?(?:connector|exchangecertificate|hybridconfiguration|accepteddomain)$/;

const MAIL_FLOW_MENTION = /\b(?:new|set|remove|enable|import)-[a-z0-9_]*?(?:connector|exchangecertificate|hybridconfiguration)\s+[-@$'"a-z]/i;

/** Cmdlets that only write output: a mail-flow name in their text is a message, not a command. */
export const OUTPUT_ONLY = new Set(["write-host", "write-output", "write-verbose", "write-information", "write-warning", "write-debug", "write-error", "write-progress", "echo", "out-file", "add-content", "set-content"]);

/** String nodes whose text is searched for mail-flow names instead of being walked (outside Invoke-Expression text). */
const STRING_TYPES = ["expandable_string_literal", "verbatim_string_characters", "expandable_here_string_literal", "verbatim_here_string_characters"];
const SEARCHED = ["command", ...STRING_TYPES];

/**
 * The reason of the innermost skipped region around each offset asked for in ascending order:
 * skipped nodes are tree nodes, so their regions nest or are disjoint, and a stack follows them.
 */
function reasonsInOrder(skipped: ReadonlyMap<number, SkippedRegion>): (offset: number) => string | undefined {
  const regions = [...skipped].sort((a, b) => a[0] - b[0] || b[1].end - a[1].end);
  const open: Array<{ end: number; reason: string }> = [];
  let next = 0;
  return (offset) => {
    while (next < regions.length && regions[next]![0] <= offset) {
      const [start, region] = regions[next++]!;
      while (open.length > 0 && open[open.length - 1]!.end <= start) open.pop();
      open.push(region);
    }
    while (open.length > 0 && open[open.length - 1]!.end <= offset) open.pop();
    return open[open.length - 1]?.reason;
  };
}

/**
 * Every mail-flow command in a tree that the walk did not run, with the reason (fail closed). The
 * tree is searched inside WebAssembly (`descendantsOfType`, every node, in document order): node
 * objects are made only for commands and strings, not for every node. `atLine`: the tree is
 * Invoke-Expression text run from that line.
 */
export function findUnevaluated(ev: EvaluationContext, root: SyntaxNode, ran: ReadonlySet<number>, skipped: ReadonlyMap<number, SkippedRegion>, atLine: number | undefined, shift: number): void {
  const out = ev.unevaluated;
  const reasonAt = reasonsInOrder(skipped);
  // Output cmdlets and Invoke-Expression calls, and strings outside Invoke-Expression text, are not searched inside.
  let notSearchedUntil = -1;
  for (const node of root.descendantsOfType(SEARCHED)) {
    if (node.startIndex < notSearchedUntil) continue;
    if (node.type === "command") {
      const nameNode = node.namedChildren.find((c) => c.type === "command_name");
      const name = nameNode ? commandNameOf(nameNode.text) : undefined;
      if (!name) continue;
      if (MAIL_FLOW_COMMAND.test(name) && !ran.has(node.startIndex)) {
        const skippedReason = reasonAt(node.startIndex);
        const reason =
          skippedReason ??
          (ev.catalogued(name) || ev.functions.has(name)
            ? "the pack does not follow the construct around it"
            : "a mail-flow command the pack does not know (a session prefix it could not read, or a command of another module)");
        out.push({ line: atLine ?? node.startPosition.row + 1 + shift, command: nameNode!.text.slice(0, 60), reason: `not evaluated: ${reason}` });
      }
      // Output cmdlets print text; Invoke-Expression is reported (or run) where it is called.
      if (OUTPUT_ONLY.has(name) || name === "invoke-expression" || name === "iex") notSearchedUntil = node.endIndex;
    } else if (atLine === undefined) {
      const m = MAIL_FLOW_MENTION.exec(node.text);
      if (m) out.push({ line: node.startPosition.row + 1 + shift, command: m[0].split(/\s/)[0]!.slice(0, 60), reason: "named inside a string, which the pack does not run: if the script runs that text (a nested shell, Start-Process, a job), the pack cannot see what it does" });
      notSearchedUntil = node.endIndex;
    }
  }
}
