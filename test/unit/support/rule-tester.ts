/**
 * RuleTester, after ESLint's: a table of `valid` stacks (no finding allowed) and `invalid` stacks
 * (exactly the listed violations, on exactly the listed resources). It drives the real policies that
 * `createPolicies` builds, through @pulumi/policy's own unknown-checking proxy, resource by resource
 * in registration order and then at stack level — the path the Pulumi engine takes.
 */
import { describe, expect, it } from "vitest";
import type { InventoryConfig } from "../../../src/config/schema";
import { analyzeInProcess, type Violation } from "../../../src/reporters/pulumi/in-process";
import { INVENTORY_POLICY } from "../../../src/reporters/pulumi/policies";
import type { Rule } from "../../../src/rules/types";
import { urnOf, type TestResource } from "./stack";

export type { Violation };

export interface ValidCase {
  name: string;
  resources: TestResource[];
  config?: InventoryConfig;
}

export interface InvalidCase extends ValidCase {
  /** Expected violations of the rule under test: resource name, and text the message must contain. */
  errors: Array<{ resource: string; includes?: string[]; stack?: boolean }>;
}

/** Runs a test stack through the given rules' policies; returns every violation, inventory advisories included. */
export function runStack(rules: readonly Rule[], resources: TestResource[], config: InventoryConfig = {}): Promise<Violation[]> {
  return analyzeInProcess(rules, resources.map((r) => ({ urn: urnOf(r), name: r.name, type: r.type, props: r.props })), config);
}

export class RuleTester {
  run(rule: Rule, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
    describe(`${rule.meta.id} (${rule.meta.code})`, () => {
      it("carries complete metadata", () => {
        expect(rule.meta.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
        expect(rule.meta.description.length).toBeGreaterThan(40);
        expect(rule.meta.remediationSteps.length).toBeGreaterThan(20);
        expect(rule.meta.sources.length).toBeGreaterThan(0);
        for (const s of rule.meta.sources) expect(s).toMatch(/^https:\/\//);
      });
      it.each(cases.valid.map((c) => [c.name, c] as const))("valid: %s", async (_name, c) => {
        const violations = (await runStack([rule], c.resources, c.config)).filter((v) => v.policy !== INVENTORY_POLICY);
        expect(violations).toEqual([]);
      });
      // The engine registers resources in dependency order, which a policy cannot see: a set-up that
      // must pass has to pass in every order, with no resource-level verdict a later resource reverses.
      it.each(cases.valid.map((c) => [c.name, c] as const))("valid in any registration order: %s", async (_name, c) => {
        for (const order of registrationOrders(c.resources)) {
          const violations = (await runStack([rule], order, c.config)).filter((v) => v.policy !== INVENTORY_POLICY);
          expect({ order: order.map((r) => r.name), violations: violations.map((v) => `${v.policy} on ${v.resource}`) }).toEqual({ order: order.map((r) => r.name), violations: [] });
        }
      });
      it.each(cases.invalid.map((c) => [c.name, c] as const))("invalid: %s", async (_name, c) => {
        const violations = (await runStack([rule], c.resources, c.config)).filter((v) => v.policy !== INVENTORY_POLICY);
        expect(violations.map((v) => ({ policy: v.policy, resource: v.resource }))).toEqual(
          c.errors.map((e) => ({ policy: e.stack ? `${rule.meta.id}-stack` : rule.meta.id, resource: e.resource })),
        );
        c.errors.forEach((e, i) => {
          const message = violations[i]!.message;
          expect(message.startsWith(rule.meta.description)).toBe(true);
          for (const text of e.includes ?? []) expect(message).toContain(text);
          expect(message).not.toContain("S3cret-Passw0rd!");
        });
      });
      // In any order each problem is still reported exactly once, on some resource or at stack level.
      it.each(cases.invalid.map((c) => [c.name, c] as const))("invalid in any registration order: %s", async (_name, c) => {
        for (const order of registrationOrders(c.resources)) {
          const violations = (await runStack([rule], order, c.config)).filter((v) => v.policy !== INVENTORY_POLICY);
          expect({ order: order.map((r) => r.name), count: violations.length }).toEqual({ order: order.map((r) => r.name), count: c.errors.length });
        }
      });
    });
  }
}

/**
 * Other registration orders the engine could use: the reverse and a few seeded shuffles
 * (deterministic, so a failure names its order), each keeping every resource after those it
 * `dependencies` names, as Pulumi registers a resource only after what it depends on.
 */
export function registrationOrders<T extends { name: string; dependencies?: string[] }>(items: readonly T[], shuffles = 6): T[][] {
  let seed = 0x9e3779b9 ^ items.length;
  const random = (): number => {
    // mulberry32
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const order = (pick: (ready: T[]) => T): T[] => {
    const placed = new Set<string>();
    const out: T[] = [];
    while (out.length < items.length) {
      const ready = items.filter((r) => !placed.has(r.name) && (r.dependencies ?? []).every((d) => placed.has(d)));
      if (ready.length === 0) throw new Error(`dependency cycle among ${items.filter((r) => !placed.has(r.name)).map((r) => r.name).join(", ")}`);
      const next = pick(ready);
      placed.add(next.name);
      out.push(next);
    }
    return out;
  };
  const orders = [order((ready) => ready[ready.length - 1]!)];
  for (let k = 0; k < shuffles; k++) orders.push(order((ready) => ready[Math.floor(random() * ready.length)]!));
  return orders;
}
