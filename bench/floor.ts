/**
 * The yardstick (issue 15): what the pack cannot go below on a given stack, measured in the same
 * process as the series it judges — parsing every PowerShell text the pack must read with the
 * tree-sitter grammar (and nothing else), and the copy of the props the engine makes for every policy
 * call. Absolute times move 2× from run to run on a shared machine; ratios to this floor do not.
 */
import { copyForPolicyCall } from "./proxy-copy";
import { withPowerShellTree } from "../src/extractors/powershell/grammar";
import { powerShellOfLocal, powerShellOfRemote } from "../src/extractors/powershell/interpreters";
import { LOCAL_COMMAND, REMOTE_COMMAND } from "../src/extractors/command";
import { analyzeWithPolicies, type StackResource } from "../src/reporters/pulumi/in-process";
import type { SyntaxNode } from "../src/extractors/powershell/grammar";

/** The PowerShell texts the pack must read in a stack: each distinct text once (the pack parses a text once per process). */
export function scriptsToParse(resources: readonly StackResource[]): string[] {
  const texts = new Set<string>();
  for (const r of resources) {
    if (r.type !== LOCAL_COMMAND && r.type !== REMOTE_COMMAND) continue;
    for (const property of ["create", "update"] as const) {
      const script = r.props[property];
      if (typeof script !== "string") continue;
      const interpreter = Array.isArray(r.props.interpreter) ? (r.props.interpreter as string[]) : undefined;
      const reading = r.type === REMOTE_COMMAND ? powerShellOfRemote(script) : powerShellOfLocal(interpreter, script);
      for (const t of reading.texts) texts.add(t.text);
    }
  }
  return [...texts];
}

/** Parses each text with the grammar and frees the tree: nothing else. */
export function parseFloorMs(texts: readonly string[]): number {
  const start = performance.now();
  let nodes = 0;
  for (const text of texts) nodes += withPowerShellTree(text, (root) => root.childCount);
  if (nodes < 0) throw new Error("unreachable: keeps the parse from being optimised away");
  return performance.now() - start;
}

/** The engine's per-call copy: `copiesPerResource` copies of each resource's props (see copiesPerResource). */
export function copyFloorMs(resources: readonly StackResource[], copiesPerResource: number): number {
  const start = performance.now();
  let keys = 0;
  for (const r of resources) for (let i = 0; i < copiesPerResource; i++) keys += Object.keys(copyForPolicyCall(r.props)).length;
  if (keys < 0) throw new Error("unreachable");
  return performance.now() - start;
}

/** How many copies of a resource the engine makes: one per resource-policy validation, one per stack policy. */
export function copiesPerResource(policies: readonly object[]): number {
  let copies = 0;
  for (const p of policies as Array<{ validateResource?: unknown; validateStack?: unknown }>) {
    if (p.validateResource) copies += Array.isArray(p.validateResource) ? p.validateResource.length : 1;
    if (p.validateStack) copies += 1;
  }
  return copies;
}

/** Reads every named node of a tree once through node objects (`namedChildren`, `type`): the number read. */
function readEveryNamedNode(root: SyntaxNode): number {
  const stack = [root];
  let read = 0;
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type.length >= 0) read++;
    for (const c of n.namedChildren) if (c) stack.push(c);
  }
  return read;
}

/**
 * What reading the trees costs on top of parsing them: every named node of every text read once, the
 * cheaper way measured (node objects: see treeWalkMs). A reader that must look at every command's
 * arguments cannot go below parse + this, whatever it does with what it reads. Parse time excluded.
 */
export function readFloorMs(texts: readonly string[]): number {
  let ms = 0;
  let nodes = 0;
  for (const text of texts) {
    withPowerShellTree(text, (root) => {
      const start = performance.now();
      nodes += readEveryNamedNode(root);
      ms += performance.now() - start;
    });
  }
  if (nodes < 0) throw new Error("unreachable");
  return ms;
}

/**
 * The policy calls of a pack that does nothing, with as many resource and stack policies as `like`,
 * through the same harness on the same resources: what any pack of that shape costs in calls alone.
 */
export async function emptyPackMs(resources: readonly StackResource[], like: readonly object[]): Promise<number> {
  // A policy may have a resource part, a stack part or both (one policy per rule): the empty one has the same.
  const empty = (like as Array<{ name: string; validateResource?: unknown; validateStack?: unknown }>).map((p) => {
    const base = { name: p.name, description: p.name, enforcementLevel: "advisory" as const };
    const validations = Array.isArray(p.validateResource) ? p.validateResource.length : 1;
    return {
      ...base,
      ...(p.validateStack ? { validateStack: async () => {} } : {}),
      ...(p.validateResource ? { validateResource: validations === 1 ? async () => {} : Array.from({ length: validations }, () => async () => {}) } : {}),
    };
  });
  const clock = { packMs: 0 };
  await analyzeWithPolicies(empty as never, resources, {}, { clock });
  return clock.packMs;
}

/**
 * Reading every node of every tree two ways — node objects (`namedChildren`, `type`: a WebAssembly
 * crossing and a JS object per read) and a TreeCursor (`gotoFirstChild`/`nodeType`): whether a
 * cursor walk would pay in the evaluator. Parse time excluded.
 */
export function treeWalkMs(texts: readonly string[]): { nodeObjects: number; cursor: number; nodes: number } {
  let nodeObjects = 0;
  let cursorMs = 0;
  let nodes = 0;
  for (const text of texts) {
    withPowerShellTree(text, (root) => {
      let start = performance.now();
      const viaObjects = readEveryNamedNode(root);
      nodeObjects += performance.now() - start;
      start = performance.now();
      const cursor = root.walk();
      let viaCursor = 0;
      for (;;) {
        if (cursor.nodeIsNamed && cursor.nodeType.length >= 0) viaCursor++;
        if (cursor.gotoFirstChild()) continue;
        while (!cursor.gotoNextSibling()) if (!cursor.gotoParent()) break;
        if (cursor.currentDepth === 0) break;
      }
      cursor.delete();
      cursorMs += performance.now() - start;
      nodes += Math.min(viaObjects, viaCursor);
    });
  }
  return { nodeObjects, cursor: cursorMs, nodes };
}
