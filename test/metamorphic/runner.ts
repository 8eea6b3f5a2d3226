/** Runs seeded rewrites of the test stacks and compares each verdict with the original's. */
import { OPERATORS, type Operator } from "./operators";
import { seededRng } from "./rng";
import { changedScripts, rewriteChain, type AppliedStep } from "./rewrite";
import type { TestStack } from "./sources";
import { unaccountedNames } from "../unit/support/textual-guarantee";
import { verdictOf } from "./verdict";

export interface Failure {
  chain: AppliedStep[];
  stack: string;
  expected: string[];
  got: string[];
  scripts: ReturnType<typeof changedScripts>;
}

export interface MetamorphicReport {
  tried: number;
  /** How often each operator was applied (an operator can appear several times in one chain). */
  operatorCounts: Record<string, number>;
  failures: Failure[];
  /** The textual guarantee over every rewritten script: command names in code neither read nor named (issue 23). */
  unaccounted: string[];
  /** Scripts the guarantee was checked on. */
  scriptsChecked: number;
}

export interface RunOptions {
  stacks: readonly TestStack[];
  rewrites: number;
  seed: number;
  operators?: readonly Operator[];
}

export async function runMetamorphic({ stacks, rewrites, seed, operators = OPERATORS }: RunOptions): Promise<MetamorphicReport> {
  const rng = seededRng(seed);
  const expected = new Map<TestStack, string[]>();
  for (const s of stacks) expected.set(s, await verdictOf(s));
  const report: MetamorphicReport = { tried: 0, operatorCounts: Object.fromEntries(operators.map((o) => [o.name, 0])), failures: [], unaccounted: [], scriptsChecked: 0 };
  for (let i = 0; i < rewrites; i++) {
    const original = stacks[i % stacks.length]!;
    const rewrite = rewriteChain(original, operators, rng);
    if (!rewrite) continue;
    report.tried++;
    for (const step of rewrite.chain) report.operatorCounts[step.operator]!++;
    for (const r of rewrite.stack.resources) {
      if (!rewrite.chain.some((step) => step.resource === r.name)) continue;
      report.scriptsChecked++;
      report.unaccounted.push(...unaccountedNames(r).map((m) => `${rewrite.chain.map((step) => step.operator).join(" > ")} on "${original.name}": ${m}`));
    }
    const got = await verdictOf(rewrite.stack);
    const want = expected.get(original)!;
    if (JSON.stringify(got) !== JSON.stringify(want)) report.failures.push({ chain: rewrite.chain, stack: original.name, expected: want, got, scripts: changedScripts(original, rewrite.stack) });
  }
  return report;
}

export const invariancePercent = (r: MetamorphicReport): number => (r.tried === 0 ? 100 : (100 * (r.tried - r.failures.length)) / r.tried);
