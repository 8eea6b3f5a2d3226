/**
 * RuleTester, after ESLint's: a table of `valid` stacks (no finding allowed) and `invalid` stacks
 * (exactly the listed violations, on exactly the listed resources). It drives the real policies that
 * `createPolicies` builds, through @pulumi/policy's own unknown-checking proxy, resource by resource
 * in registration order and then at stack level — the path the Pulumi engine takes.
 */
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import type { InventoryConfig } from "../../../src/config/schema";
import { createPolicies, INVENTORY_POLICY } from "../../../src/reporters/pulumi/policies";
import type { Rule } from "../../../src/rules/types";
import { urnOf, type TestResource } from "./stack";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { unknownCheckingProxy } = require("@pulumi/policy/proxy") as { unknownCheckingProxy<T>(v: T): T };

export interface Violation {
  policy: string;
  resource: string;
  message: string;
}

export interface ValidCase {
  name: string;
  resources: TestResource[];
  config?: InventoryConfig;
}

export interface InvalidCase extends ValidCase {
  /** Expected violations of the rule under test: resource name, and text the message must contain. */
  errors: Array<{ resource: string; includes?: string[]; stack?: boolean }>;
}

/** As @pulumi/policy's server shows a violation: the policy description, then the message. */
const asServerMessage = (description: string, message: unknown): string => (message ? `${description}\n${String(message)}` : description);

function notApplicable(reason?: string): never {
  throw new Error(`notApplicable: ${reason}`);
}

/** Runs a stack through the given rules' policies; returns every violation, inventory advisories included. */
export async function runStack(rules: readonly Rule[], resources: TestResource[], config: InventoryConfig = {}): Promise<Violation[]> {
  const policies = createPolicies(rules);
  const violations: Violation[] = [];
  const byUrn = new Map(resources.map((r) => [urnOf(r), r.name]));
  const getConfig = <T,>(name: string) => (() => (name === INVENTORY_POLICY ? config : {}) as T) as <U>() => U;
  for (const r of resources) {
    for (const p of policies) {
      if (!("validateResource" in p) || !p.validateResource) continue;
      const args = {
        type: r.type,
        props: unknownCheckingProxy(structuredClone(r.props)),
        urn: urnOf(r),
        name: r.name,
        opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
        stackTags: new Map<string, string>(),
        isType: () => false,
        asType: () => undefined,
        getConfig: getConfig(p.name),
        notApplicable,
      };
      const validations = Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource];
      for (const v of validations) {
        await v(args as never, (message) => void violations.push({ policy: p.name, resource: r.name, message: asServerMessage(p.description, message) }));
      }
    }
  }
  const stackResources: PolicyResource[] = resources.map((r) => ({
    type: r.type,
    props: unknownCheckingProxy(structuredClone(r.props)),
    urn: urnOf(r),
    name: r.name,
    opts: {} as PolicyResource["opts"],
    dependencies: [],
    propertyDependencies: {},
    isType: () => false,
    asType: () => undefined,
  })) as unknown as PolicyResource[];
  for (const p of policies as Array<ResourceValidationPolicy | StackValidationPolicy>) {
    if (!("validateStack" in p) || !p.validateStack) continue;
    await p.validateStack(
      { resources: stackResources, getConfig: getConfig(p.name), stackTags: new Map(), notApplicable } as never,
      (message, urn) => void violations.push({ policy: p.name, resource: (urn && byUrn.get(urn)) || "(stack)", message: asServerMessage(p.description, message) }),
    );
  }
  return violations;
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
    });
  }
}
