/**
 * RuleTester, after ESLint's: a table of `valid` stacks (no finding allowed) and `invalid` stacks
 * (exactly the listed violations, on exactly the listed resources). It drives the real policies that
 * `createPolicies` builds, through @pulumi/policy's own unknown-checking proxy, resource by resource
 * in registration order and then at stack level — the path the Pulumi engine takes.
 */
import { describe, expect, it } from "vitest";
import { configFacts } from "../../../src/extractors/config-facts";
import type { InventoryConfig } from "../../../src/config/schema";
import { extractResource } from "../../../src/extractors";
import type { Finding, Severity } from "../../../src/findings/types";
import { buildModel } from "../../../src/model/build";
import { analyzeInProcess, type Violation } from "../../../src/reporters/pulumi/in-process";
import { isInventoryPolicy } from "../../../src/reporters/pulumi/policies";
import { checkRule, defaultEnforcement, type Rule } from "../../../src/rules/utils/define-rule";
import { incrementalDifferences, policyInput } from "./differential";
import { registrationOrders } from "./orders";
import { urnOf, type TestResource } from "./stack";

export type { Violation };

export interface ValidCase {
  name: string;
  resources: TestResource[];
  config?: InventoryConfig;
}

export interface InvalidCase extends ValidCase {
  /** Expected violations of the rule under test: resource name, and text the message must contain. */
  errors: Array<{ resource: string; includes?: string[]; excludes?: string[]; stack?: boolean }>;
}

/**
 * Each rule's research code and severity (docs/rules/<id>.md), written out here rather than read from
 * the rule: a rule whose identity drifts (another code, another severity) fails its table.
 */
export const EXPECTED_IDENTITY: Readonly<Record<string, { code: string; severity: Severity }>> = {
  "shared-certificate-hybrid-and-internet": { code: "R1", severity: "critical" },
  "internet-identity-matches-onpremises-connector": { code: "R2", severity: "critical" },
  "wildcard-onpremises-certificate-name": { code: "R3", severity: "high" },
  "onpremises-certificate-name-not-accepted-domain": { code: "R4", severity: "high" },
  "ambiguous-tenant-across-connectors": { code: "R5", severity: "critical" },
  "ip-based-onpremises-connector-shared-ip": { code: "R6", severity: "high" },
  "ip-based-onpremises-connector-internet-egress": { code: "R6d", severity: "medium" },
  "untrusted-certificate-on-hybrid-path": { code: "R7", severity: "high" },
  "hybrid-send-connector-not-pinned": { code: "R8", severity: "medium" },
  "multi-forest-certificates-not-distinct": { code: "R9", severity: "high" },
  "tenant-domain-missing-from-hybrid-path": { code: "R10", severity: "medium" },
  "ambiguous-connector-grants-internal-trust": { code: "R11", severity: "critical" },
  "hybrid-wizard-will-revert-certificate": { code: "R12", severity: "low" },
};

/** The rule's findings on the whole stack (the stack pass's model), straight from its check. */
export function stackFindings(rule: Rule, resources: readonly TestResource[], config: InventoryConfig = {}): Finding[] {
  const facts = [...configFacts(config), ...resources.map(policyInput).flatMap(extractResource)];
  const model = buildModel(facts, { defaultTenant: config.defaultTenant, defaultOrganization: config.defaultOrganization, inferDefaults: true });
  return checkRule(rule, { model, partial: false });
}

/** Runs a test stack through the given rules' policies; returns every violation, inventory advisories included. */
export function runStack(rules: readonly Rule[], resources: TestResource[], config: InventoryConfig = {}): Promise<Violation[]> {
  return analyzeInProcess(rules, resources.map((r) => ({ urn: urnOf(r), name: r.name, type: r.type, props: r.props })), config);
}

export class RuleTester {
  run(rule: Rule, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
    describe(`${rule.meta.id} (${rule.meta.code})`, () => {
      it("carries complete metadata", () => {
        const { id, code, severity } = rule.meta;
        expect({ id, code, severity }).toEqual({ id, ...EXPECTED_IDENTITY[id] });
        expect(rule.meta.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
        expect(rule.meta.description.length).toBeGreaterThan(40);
        expect(rule.meta.remediationSteps.length).toBeGreaterThan(20);
        expect(rule.meta.sources.length).toBeGreaterThan(0);
        for (const s of rule.meta.sources) expect(s).toMatch(/^https:\/\//);
      });
      it.each(cases.valid.map((c) => [c.name, c] as const))("valid: %s", async (_name, c) => {
        const violations = (await runStack([rule], c.resources, c.config)).filter((v) => !isInventoryPolicy(v.policy));
        expect(violations).toEqual([]);
      });
      // The engine registers resources in dependency order, which a policy cannot see: a set-up that
      // must pass has to pass in every order, with no resource-level verdict a later resource reverses.
      it.each(cases.valid.map((c) => [c.name, c] as const))("valid in any registration order: %s", async (_name, c) => {
        for (const order of registrationOrders(c.resources)) {
          const violations = (await runStack([rule], order, c.config)).filter((v) => !isInventoryPolicy(v.policy));
          expect({ order: order.map((r) => r.name), violations: violations.map((v) => `${v.policy} on ${v.resource}`) }).toEqual({ order: order.map((r) => r.name), violations: [] });
        }
      });
      it.each(cases.invalid.map((c) => [c.name, c] as const))("invalid: %s", async (_name, c) => {
        const violations = (await runStack([rule], c.resources, c.config)).filter((v) => !isInventoryPolicy(v.policy));
        expect(violations.map((v) => ({ policy: v.policy, resource: v.resource }))).toEqual(
          c.errors.map((e) => ({ policy: e.stack ? `${rule.meta.id}-stack` : rule.meta.id, resource: e.resource })),
        );
        const expected = EXPECTED_IDENTITY[rule.meta.id]!;
        c.errors.forEach((e, i) => {
          const { message, level } = violations[i]!;
          // The policy and level the engine applies (critical and high block), and a message with every part a reader needs.
          expect({ policy: violations[i]!.policy, level }).toEqual({ policy: e.stack ? `${rule.meta.id}-stack` : rule.meta.id, level: defaultEnforcement(expected.severity) });
          for (const part of ["\nWhat: ", "\nConsequence: ", "\nFix: ", "\n  PowerShell:", "\n  Pulumi:", "\nDeclared at: "]) expect(message).toContain(part);
          for (const text of e.includes ?? []) expect(message).toContain(text);
          for (const text of e.excludes ?? []) expect(message).not.toContain(text);
          expect(message).not.toContain("S3cret-Passw0rd!");
        });
      });
      // Every finding carries the rule's identity, stamped by the framework: id, severity, fingerprint prefix.
      it.each(cases.invalid.map((c) => [c.name, c] as const))("findings carry the rule's identity: %s", (_name, c) => {
        const { code, severity } = EXPECTED_IDENTITY[rule.meta.id]!;
        const findings = stackFindings(rule, c.resources, c.config);
        expect(findings.length).toBeGreaterThan(0);
        for (const f of findings) {
          expect({ ruleId: f.ruleId, severity: f.severity, prefix: f.fingerprint.split("|")[0] }).toEqual({ ruleId: rule.meta.id, severity, prefix: code });
        }
      });
      // The resource pass answers from a model grown resource by resource; it must answer as a rebuild would.
      it.each([...cases.valid, ...cases.invalid].map((c) => [c.name, c] as const))("resource by resource as a rebuild would, in any order: %s", (_name, c) => {
        for (const order of [c.resources, ...registrationOrders(c.resources)]) {
          expect({ order: order.map((r) => r.name), differences: incrementalDifferences([rule], order, c.config) }).toEqual({ order: order.map((r) => r.name), differences: [] });
        }
      });
      // In any order each problem is still reported exactly once, on some resource or at stack level.
      it.each(cases.invalid.map((c) => [c.name, c] as const))("invalid in any registration order: %s", async (_name, c) => {
        for (const order of registrationOrders(c.resources)) {
          const violations = (await runStack([rule], order, c.config)).filter((v) => !isInventoryPolicy(v.policy));
          expect({ order: order.map((r) => r.name), count: violations.length }).toEqual({ order: order.map((r) => r.name), count: c.errors.length });
        }
      });
    });
  }
}
