/**
 * One program, one verdict (issue 25): a stack whose resources nothing orders gives the same findings —
 * same rule, resource, level and message — whatever order the engine registers its resources in and
 * whatever order it lists them in for the stack pass. Every example (each variant), seeded managed-service
 * set-ups with the seed incidents injected, and the fuzz families' stacks, in every order up to
 * MAILFLOW_GUARD_ORDERS_UP_TO resources and seeded samples beyond (`npm run fuzz:orders` raises both,
 * and the number of fuzz stacks).
 * The rule tables hold the same property per case (test/unit/support/rule-tester.ts).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { loadExtractors } from "../../src/extractors";
import type { InventoryConfig } from "../../src/config/schema";
import { analyzeInProcess, type StackResource } from "../../src/reporters/pulumi/in-process";
import { rules } from "../../src/rules";
import { generateInput } from "../fuzz/generators";
import { exampleStacks } from "../metamorphic/examples";
import { orders } from "./support/orders";
import { stackResources } from "./support/rule-tester";
import { correctSetUp, INCIDENTS, withUnknowns } from "./support/topologies";
import type { TestResource } from "./support/stack";

beforeAll(loadExtractors);

const lines = (vs: Awaited<ReturnType<typeof analyzeInProcess>>): string[] => vs.map((v) => `${v.level} ${v.policy} -> ${v.resource}\n${v.message}`).sort();

/** Fails with the first order whose verdict differs from the declared order's. */
async function expectOneVerdict(name: string, stack: readonly StackResource[], config: InventoryConfig = {}): Promise<string[]> {
  const verdict = lines(await analyzeInProcess(rules, stack, config));
  for (const order of orders(stack).slice(1)) {
    const again = lines(await analyzeInProcess(rules, order.registered, config, { listing: order.listed }));
    expect({ stack: name, order: order.label, verdict: again }).toEqual({ stack: name, order: order.label, verdict });
  }
  return verdict;
}

const asStack = (resources: readonly TestResource[]): StackResource[] => stackResources(resources);

describe("one verdict in every order", () => {
  it("every example, every variant", async () => {
    const stacks = await exampleStacks();
    expect(stacks.length).toBeGreaterThan(10);
    for (const s of stacks) await expectOneVerdict(s.name, asStack(s.resources), s.config);
  }, 120_000);

  it.each([11, 12, 13])("a managed-service set-up (seed %i), and each seed incident injected into it, with values unknown until deploy", async (seed) => {
    const base = correctSetUp(seed);
    expect(await expectOneVerdict(`set-up ${seed}`, asStack(base))).toEqual([]);
    await expectOneVerdict(`set-up ${seed} with unknowns`, asStack(withUnknowns(base, seed)));
    for (const incident of INCIDENTS) {
      const verdict = await expectOneVerdict(`set-up ${seed} + ${incident.name}`, asStack(incident.inject(base)));
      expect(verdict.some((v) => v.includes(` ${incident.rule} -> `))).toBe(true);
    }
  }, 60_000);

  it("the fuzz families' stacks", async () => {
    const count = Number(process.env.MAILFLOW_GUARD_FUZZ_STACKS ?? 36);
    for (let i = 0; i < count; i++) {
      const input = generateInput(20_261_207, i, { scale: 0.02 });
      await expectOneVerdict(`${input.family} #${i}: ${input.description}`, input.resources, input.config);
    }
  }, 120_000);
});
