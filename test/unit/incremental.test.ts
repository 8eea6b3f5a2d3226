/**
 * The resource pass grows its model resource by resource and asks rules only about what each
 * resource states (docs/design/incremental-evaluation.md). On randomly composed managed-service
 * set-ups, with the seed incidents injected and with values unknown until deploy, in several
 * registration orders, every answer must equal a rebuild's (support/differential.ts).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { loadExtractors } from "../../src/extractors";
import { rules } from "../../src/rules";
import { incrementalDifferences } from "./support/differential";
import { registrationOrders } from "./support/orders";
import type { TestResource } from "./support/stack";
import { correctSetUp, INCIDENTS, withSilentTenant, withUnknowns } from "./support/topologies";

beforeAll(loadExtractors);

const sameAsRebuild = (stack: TestResource[]): void => {
  for (const order of [stack, ...registrationOrders(stack, 2)]) {
    expect({ order: order.map((r) => r.name), differences: incrementalDifferences(rules, order) }).toEqual({ order: order.map((r) => r.name), differences: [] });
  }
};

describe("the resource pass answers as a rebuild would", () => {
  it.each(Array.from({ length: 12 }, (_, k) => k + 1))("random set-up %i", (seed) => sameAsRebuild(correctSetUp(seed)));
  it.each(INCIDENTS.map((incident) => [incident.name, incident] as const))("%s", (_name, incident) => sameAsRebuild(incident.inject(correctSetUp(5))));
  it.each([3, 8])("random set-up %i with values unknown until deploy", (seed) => sameAsRebuild(withUnknowns(correctSetUp(seed), seed)));
  it("a set-up where a client's scripts name no tenant", () => sameAsRebuild(withSilentTenant(correctSetUp(702), 1)));
});
