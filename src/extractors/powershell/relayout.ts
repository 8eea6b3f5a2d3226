/**
 * Layouts the grammar misreads although PowerShell reads them like any other (issue 23). A function
 * whose `param(…)` is followed by its first statement on the same line — `function F { param($x)
 * New-X … }`, `filter`, with `[CmdletBinding()]` — comes back from tree-sitter-powershell as an error
 * region holding the whole body. PowerShell reads `param($x) New-X` and `param($x); New-X` alike (a
 * statement separator may follow the param block, about_Functions_Advanced_Parameters), and the grammar
 * reads the second: the blank after such a `)` is written `;` and the text parsed again. One character
 * for one character, so every offset and line stays where it was.
 */
import { withPowerShellTree, type SyntaxNode } from "./grammar";

/** Offsets of the blank right after a param block the grammar could not place, in order. */
function misreadParamBlocks(root: SyntaxNode, text: string): number[] {
  if (!root.hasError) return [];
  const out: number[] = [];
  for (const error of root.descendantsOfType("ERROR")) {
    const first = error.namedChildren[0];
    // Right after the function's name: inside its statement, or (when the recovery failed further out) in an error around both.
    if (first?.type !== "param_block" || (error.parent?.type !== "function_statement" && error.previousNamedSibling?.type !== "function_name")) continue;
    const after = first.endIndex;
    if (text[after] === " " || text[after] === "\t") out.push(after);
  }
  return out;
}

/**
 * Parses `text` and calls `use` with its tree; when a param block the grammar misread is found, the
 * text with `;` after each such block is parsed and used instead (the caller's offsets stay valid).
 */
export function withRelaidTree<T>(text: string, use: (root: SyntaxNode, parsed: string) => T): T {
  // Parsed once when the grammar reads the text as PowerShell does (almost always).
  const first = withPowerShellTree(text, (root): { used: T } | { blanks: number[] } => {
    const blanks = misreadParamBlocks(root, text);
    return blanks.length === 0 ? { used: use(root, text) } : { blanks };
  });
  if ("used" in first) return first.used;
  let relaid = "";
  let copied = 0;
  for (const at of first.blanks) {
    relaid += `${text.slice(copied, at)};`;
    copied = at + 1;
  }
  relaid += text.slice(copied);
  return withPowerShellTree(relaid, (root) => use(root, relaid));
}

/** The text the grammar is given for `text` (the same text unless a layout it misreads was re-laid). */
export const relaidText = (text: string): string => withRelaidTree(text, (_root, parsed) => parsed);
