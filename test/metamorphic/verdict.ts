/** A stack's verdict: every (policy, resource, enforcement level) the pack reports, inventory advisories left out. */
import { analyzeInProcess } from "../../src/reporters/pulumi/in-process";
import { createPolicies, isInventoryPolicy } from "../../src/reporters/pulumi/policies";
import { rules } from "../../src/rules";
import { urnOf } from "../unit/support/stack";
import type { TestStack } from "./sources";

const levels = new Map(createPolicies(rules).map((p) => [p.name, p.enforcementLevel ?? "advisory"]));

export async function verdictOf(stack: Pick<TestStack, "resources" | "config">): Promise<string[]> {
  const violations = await analyzeInProcess(rules, stack.resources.map((r) => ({ urn: urnOf(r), name: r.name, type: r.type, props: r.props })), stack.config ?? {});
  return violations
    .filter((v) => !isInventoryPolicy(v.policy))
    .map((v) => `${v.policy} on ${v.resource} (${levels.get(v.policy)})`)
    .sort();
}
