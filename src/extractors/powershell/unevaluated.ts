/**
 * Failing closed: every mail-flow command in a tree that the walk did not run, with the reason.
 */
import { commandNameOf, EVALUATION_LIMITS, type EvaluationContext } from "./context";
import type { SyntaxNode } from "./grammar";

/**
 * Mail-flow commands that change state: catalogued ones under any session prefix, and anything that
 * creates or changes a connector. Used to find what the walk did not run.
 */
const MAIL_FLOW_COMMAND = /^(?:new|set|remove|enable|import|add|disable)-[a-z0-9_]*?(?:connector|exchangecertificate|hybridconfiguration|accepteddomain)$/;

const MAIL_FLOW_MENTION = /\b(?:new|set|remove|enable|import)-[a-z0-9_]*?(?:connector|exchangecertificate|hybridconfiguration)\s+[-@$'"a-z]/i;

/** Cmdlets that only write output: a mail-flow name in their text is a message, not a command. */
export const OUTPUT_ONLY = new Set(["write-host", "write-output", "write-verbose", "write-information", "write-warning", "write-debug", "write-error", "write-progress", "echo", "out-file", "add-content", "set-content"]);

/**
 * Every mail-flow command in a tree that the walk did not run, with the reason (fail closed). One
 * pass with a tree cursor; `atLine`: the tree is Invoke-Expression text run from that line.
 */
export function findUnevaluated(ev: EvaluationContext, root: SyntaxNode, ran: ReadonlySet<number>, reasons: ReadonlyMap<number, string>, atLine: number | undefined, shift: number): void {
  const out = ev.unevaluated;
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
            : ev.catalogued(name) || ev.functions.has(name)
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
