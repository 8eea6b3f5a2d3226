/** Random chains of operators applied to a stack's command scripts. */
import type { TestResource } from "../unit/support/stack";
import type { Operator } from "./operators";
import type { Rng } from "./rng";
import { siteOf, withSite } from "./sites";
import type { TestStack } from "./sources";

export interface AppliedStep {
  operator: string;
  resource: string;
}

export interface Rewrite {
  stack: TestStack;
  chain: AppliedStep[];
}

/** One operator on one command resource of the stack (picked at random among those it applies to). */
export function applyOnce(stack: TestStack, operator: Operator, rng: Rng): Rewrite | undefined {
  const indexes = rng.shuffle(stack.resources.map((_, i) => i));
  for (const i of indexes) {
    const resource = stack.resources[i]!;
    const site = siteOf(resource);
    if (!site) continue;
    const rewritten = operator.apply(site, rng);
    if (!rewritten) continue;
    const resources: TestResource[] = stack.resources.map((r, j) => (j === i ? withSite(r, rewritten) : r));
    return { stack: { ...stack, resources }, chain: [{ operator: operator.name, resource: resource.name }] };
  }
  return undefined;
}

/** A chain of 1–4 operators (each step tries operators in random order until one applies). */
export function rewriteChain(stack: TestStack, operators: readonly Operator[], rng: Rng): Rewrite | undefined {
  const length = 1 + rng.int(4);
  let current: Rewrite = { stack, chain: [] };
  for (let step = 0; step < length; step++) {
    const next = rng.shuffle(operators).reduce<Rewrite | undefined>((found, op) => found ?? applyOnce(current.stack, op, rng), undefined);
    if (!next) break;
    current = { stack: next.stack, chain: [...current.chain, ...next.chain] };
  }
  return current.chain.length ? current : undefined;
}

/** The changed scripts of a rewrite, for failure reports. */
export function changedScripts(original: TestStack, rewritten: TestStack): Array<{ resource: string; interpreter?: unknown; create: unknown }> {
  return rewritten.resources.flatMap((r, i) =>
    JSON.stringify(r.props) === JSON.stringify(original.resources[i]?.props) ? [] : [{ resource: r.name, ...(r.props.interpreter ? { interpreter: r.props.interpreter } : {}), create: r.props.create }],
  );
}
