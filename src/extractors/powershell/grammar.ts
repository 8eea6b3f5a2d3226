/** The tree-sitter PowerShell grammar (pure WebAssembly), loaded once per process. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const TreeSitter = require("web-tree-sitter") as typeof import("web-tree-sitter");

export type SyntaxNode = import("web-tree-sitter").Node;

let parser: import("web-tree-sitter").Parser | undefined;
let loading: Promise<void> | undefined;

export function loadPowerShellGrammar(): Promise<void> {
  loading ??= (async () => {
    await TreeSitter.Parser.init();
    const language = await TreeSitter.Language.load(require.resolve("tree-sitter-powershell/tree-sitter-powershell.wasm"));
    const p = new TreeSitter.Parser();
    p.setLanguage(language);
    parser = p;
  })();
  return loading;
}

/** Parses PowerShell; calls `use` with the root node and frees the tree afterwards (WebAssembly memory). */
export function withPowerShellTree<T>(text: string, use: (root: SyntaxNode) => T): T {
  if (!parser) throw new Error("the PowerShell grammar is not loaded: await loadPowerShellGrammar() first");
  const tree = parser.parse(text);
  if (!tree) throw new Error("the PowerShell parser returned no tree");
  try {
    return use(tree.rootNode);
  } finally {
    tree.delete();
  }
}
