/**
 * RuleTester, after ESLint's: a table of `valid` stacks (no finding allowed) and `invalid` stacks
 * (exactly the listed violations, on exactly the listed resources). It drives the real policies that
 * `createPolicies` builds, through @pulumi/policy's own unknown-checking proxy, resource by resource
 * in registration order and then at stack level — the path the Pulumi engine takes. A case's
 * resources are a program that declares them in order, each depending on the one before (as the
 * examples order theirs with dependsOn); without those dependencies, in every registration and
 * listing order, the verdict must be one and the same.
 */
import { describe, expect, it } from "vitest";
import { configFacts } from "../../../src/extractors/config-facts";
import type { InventoryConfig } from "../../../src/config/schema";
import { extractResource } from "../../../src/extractors";
import type { Finding, Severity } from "../../../src/findings/types";
import { buildModel } from "../../../src/model/build";
import { analyzeInProcess, type StackResource, type Violation } from "../../../src/reporters/pulumi/in-process";
import type { RunMode } from "../../../src/runner/passes";
import type { EngineLevel } from "../../../src/reporters/pulumi/engine-config";
import { isInventoryPolicy } from "../../../src/reporters/pulumi/policies";
import { checkRule, defaultEnforcement, type Rule } from "../../../src/rules/utils/define-rule";
import { incrementalDifferences, policyInput } from "./differential";
import { orders, registrationOrders } from "./orders";
import { urnOf, type TestResource } from "./stack";

export type { Violation };

export interface ValidCase {
  name: string;
  resources: TestResource[];
  config?: InventoryConfig;
}

export interface InvalidCase extends ValidCase {
  /** Expected violations of the rule under test (in a preview): resource name, and text the message must contain. */
  errors: Array<{ resource: string; includes?: string[]; excludes?: string[] }>;
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

export interface StackRun {
  /** Each resource also depends on the one before it: the order the stack declares them in is the deployment's. */
  chain?: boolean;
  /** A preview (default) or an update. */
  mode?: RunMode;
  /** The order the stack pass lists the resources in (default: as given). */
  listing?: readonly TestResource[];
  /** Levels of the policy-pack configuration, as the engine would send them. */
  levels?: Readonly<Record<string, EngineLevel>>;
}

/** A test stack as the engine gives it to policies: dependencies (by name in a test stack) as URNs. */
export function stackResources(resources: readonly TestResource[], chain = false): StackResource[] {
  const urns = new Map(resources.map((r) => [r.name, urnOf(r)]));
  const declared = chain ? new Map(resources.map((r, i) => [r.name, i > 0 ? [resources[i - 1]!.name] : []])) : new Map<string, string[]>();
  return resources.map((r) => ({
    urn: urnOf(r),
    name: r.name,
    type: r.type,
    props: r.props,
    dependencies: [...new Set([...(r.dependencies ?? []), ...(declared.get(r.name) ?? [])])].flatMap((d) => urns.get(d) ?? []),
  }));
}

/** Runs a test stack through the given rules' policies; returns every violation, inventory advisories included. */
export function runStack(rules: readonly Rule[], resources: readonly TestResource[], config: InventoryConfig = {}, run: StackRun = {}): Promise<Violation[]> {
  const stack = stackResources(resources, run.chain);
  const byName = new Map(stack.map((r) => [r.name, r]));
  const listing = run.listing?.map((r) => byName.get(r.name)!);
  return analyzeInProcess(rules, stack, config, { mode: run.mode ?? "preview", ...(listing ? { listing } : {}), ...(run.levels ? { levels: run.levels } : {}) });
}

/** A finding a configured exemption or an inline suppression waived: still in the log, as advisory, saying what waived it. */
export const isWaived = (v: Violation): boolean => v.message.split("\n")[1]?.startsWith("Waived by the ") === true;

/** Each violation as one line: policy, resource, level and message (the whole verdict a run gives). */
const verdictLines = (violations: readonly Violation[]): string[] => violations.map((v) => `${v.level} ${v.policy} -> ${v.resource}\n${v.message}`).sort();

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
        const violations = (await runStack([rule], c.resources, c.config, { chain: true })).filter((v) => !isInventoryPolicy(v.policy) && !isWaived(v));
        expect(violations).toEqual([]);
        // An update, checking each resource as it registers, passes it too: a green preview is not followed by a blocked update.
        const update = (await runStack([rule], c.resources, c.config, { chain: true, mode: "update" })).filter((v) => !isInventoryPolicy(v.policy) && !isWaived(v));
        expect(update.map((v) => `${v.policy} on ${v.resource}`)).toEqual([]);
      });
      // The engine registers resources nothing orders in any order, and lists them in any order: a set-up
      // that must pass has to pass in every order, with no verdict a later resource reverses.
      it.each(cases.valid.map((c) => [c.name, c] as const))("valid in any order: %s", async (_name, c) => {
        for (const order of orders(c.resources)) {
          const violations = (await runStack([rule], order.registered, c.config, { listing: order.listed })).filter((v) => !isInventoryPolicy(v.policy) && !isWaived(v));
          expect({ order: order.label, violations: violations.map((v) => `${v.policy} on ${v.resource}`) }).toEqual({ order: order.label, violations: [] });
        }
      });
      it.each(cases.invalid.map((c) => [c.name, c] as const))("invalid: %s", async (_name, c) => {
        const violations = (await runStack([rule], c.resources, c.config, { chain: true })).filter((v) => !isInventoryPolicy(v.policy));
        expect(violations.map((v) => ({ policy: v.policy, resource: v.resource }))).toEqual(c.errors.map((e) => ({ policy: rule.meta.id, resource: e.resource })));
        const expected = EXPECTED_IDENTITY[rule.meta.id]!;
        c.errors.forEach((e, i) => {
          const { message, level } = violations[i]!;
          // The policy and level the engine applies (critical and high block), and a message with every part a reader needs.
          expect({ policy: violations[i]!.policy, level }).toEqual({ policy: rule.meta.id, level: defaultEnforcement(expected.severity) });
          for (const part of ["\nWhat: ", "\nConsequence: ", "\nDeclared at: "]) expect(message).toContain(part);
          // A proven fix, printed on the first finding of its group in the engine's order, referred to by the others.
          expect(message, message).toMatch(/\nFix #\d+ \(proven: [^\n]*\n {2}Change:[\s\S]*\n {2}PowerShell:|\nFix: cleared by fix #\d+ above \(finding \d+ of \d+\)\./);
          for (const text of e.includes ?? []) expect(message).toContain(text);
          for (const text of e.excludes ?? []) expect(message).not.toContain(text);
          expect(message).not.toContain("S3cret-Passw0rd!");
        });
      });
      // An update reports on the resource that completes a finding as it registers (to stop before creating
      // it), and the stack pass the rest: it blocks on the same rules, at the same levels, as the preview.
      it.each(cases.invalid.map((c) => [c.name, c] as const))("an update blocks as the preview does: %s", async (_name, c) => {
        const levels = (vs: readonly Violation[]) => vs.filter((v) => !isInventoryPolicy(v.policy)).map((v) => `${v.level} ${v.policy}`).sort();
        const update = await runStack([rule], c.resources, c.config, { chain: true, mode: "update" });
        expect(levels(update)).toEqual(levels(await runStack([rule], c.resources, c.config, { chain: true })));
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
      // One program, one verdict: with nothing ordering its resources, every registration and listing order
      // gives the same violations — same rules, same resources, same levels, same messages — each problem once.
      it.each(cases.invalid.map((c) => [c.name, c] as const))("invalid in any order, one verdict: %s", async (_name, c) => {
        const [first, ...others] = orders(c.resources);
        const verdict = verdictLines((await runStack([rule], first!.registered, c.config, { listing: first!.listed })).filter((v) => !isInventoryPolicy(v.policy)));
        expect(verdict).toHaveLength(c.errors.length);
        for (const order of others) {
          const again = verdictLines((await runStack([rule], order.registered, c.config, { listing: order.listed })).filter((v) => !isInventoryPolicy(v.policy)));
          expect({ order: order.label, verdict: again }).toEqual({ order: order.label, verdict });
        }
      });
    });
  }
}
