/**
 * The audit of a `pulumi stack export` gives the findings the pack gives when the engine drives it
 * (analyzeInProcess): same rules, same resources named — on the incident set-ups of the unit suite.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { auditInputs } from "../../src/audit/audit";
import { loadExtractors } from "../../src/extractors";
import { analyzeInProcess } from "../../src/reporters/pulumi/in-process";
import { isInventoryPolicy } from "../../src/reporters/pulumi/policies";
import { rules } from "../../src/rules";
import { urnOf, type TestResource } from "../unit/support/stack";
import { correctSetUp, INCIDENTS } from "../unit/support/topologies";

beforeAll(() => loadExtractors());

const stackExport = (stack: TestResource[]) =>
  JSON.stringify({ version: 3, deployment: { resources: stack.map((r) => ({ urn: urnOf(r), type: r.type, custom: true, inputs: r.props, dependencies: (r.dependencies ?? []).map((d) => urnOf({ type: stack.find((s) => s.name === d)!.type, name: d })), propertyDependencies: {} })) } });

async function packPairs(stack: TestResource[]): Promise<string[]> {
  const violations = await analyzeInProcess(rules, stack.map((r) => ({ urn: urnOf(r), name: r.name, type: r.type, props: r.props })));
  return [...new Set(violations.filter((v) => !isInventoryPolicy(v.policy)).map((v) => v.policy.replace(/-stack$/, "")))].sort();
}

function auditPairs(stack: TestResource[]): string[] {
  const r = auditInputs([{ path: "stack.json", text: stackExport(stack), scope: {} }]);
  return [...new Set(r.findings.map((f) => f.ruleId))].sort();
}

describe("audit of a stack export = the pack in the engine", () => {
  for (const incident of INCIDENTS) {
    it(`${incident.name}: same rules`, async () => {
      const stack = incident.inject(correctSetUp(7));
      const pack = await packPairs(stack);
      expect(pack).toContain(incident.rule);
      expect(auditPairs(stack)).toEqual(pack);
    });
  }

  it("a correct set-up: nothing from either", async () => {
    const stack = correctSetUp(7);
    expect(await packPairs(stack)).toEqual([]);
    expect(auditPairs(stack)).toEqual([]);
  });
});
