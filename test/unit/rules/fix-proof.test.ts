/**
 * Proven before shown (issue 22): for every rule-table case, every fix the pack offers is pasted into
 * the stack as a user would paste it — each script value edited at the place the fix names, each
 * descriptor input given its new value, each added resource declared — and the stack runs through the
 * real policies of every rule again: the findings the fix claims are gone, and no blocking finding
 * appears that was not there before. The same plan is also checked on the model directly (the end state
 * the proof judged): what the proof claims must hold without the prover.
 */
import { readdirSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadExtractors } from "../../../src/extractors";
import { withChanges } from "../../../src/model/edits";
import { buildModel } from "../../../src/model/build";
import { isInventoryPolicy } from "../../../src/reporters/pulumi/policies";
import { rules } from "../../../src/rules";
import { checkRule, type Rule } from "../../../src/rules/utils/define-rule";
import { blocksByDefault, pasteFix, provenFixes, verdictOf } from "../support/fixes";
import { runStack, type InvalidCase, type ValidCase } from "../support/rule-tester";

const CASES_DIR = path.join(__dirname, "cases");
type Table = { rule: Rule; cases: { valid: ValidCase[]; invalid: InvalidCase[] } };

/**
 * Cases whose fix changes a value the script does not write as one literal in place (a value read at run
 * time, a splatted table, an unquoted list the grammar reads as several words): the fix says the statement
 * and the value; it is proven on the model only.
 */
const SAID_NOT_PLACED = new Set([
  "another tenant's OnPremises connector uses an overlapping range (unquoted IP list)",
  "hybrid and internet pinned to one identity built at run time from the same literal thumbprint, in one script",
  "hybrid and internet pinned at run time to the same literal thumbprint, in two resources",
  "wildcard via splatted parameters in a POSIX-wrapped pwsh script",
]);

let tables: Table[] = [];
beforeAll(async () => {
  await loadExtractors();
  const files = readdirSync(CASES_DIR).filter((f) => f.endsWith(".cases.ts")).sort();
  tables = await Promise.all(files.map((f) => import(path.join(CASES_DIR, f)) as Promise<Table>));
});

/** `policy -> resource` of every blocking violation of every rule, counted. */
async function blocking(resources: Parameters<typeof runStack>[1], config: Parameters<typeof runStack>[2]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const v of await runStack(rules, resources, config, { chain: true })) {
    if (isInventoryPolicy(v.policy) || v.level !== "mandatory") continue;
    const key = `${v.policy} -> ${v.resource}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

describe("every offered fix, pasted into its rule-table case, clears what it claims and adds no blocking finding", () => {
  it("runs over every rule table", () => {
    expect(tables.length).toBe(13);
  });

  it("each invalid case's findings have a proven fix", () => {
    const missing = tables.flatMap(({ rule, cases }) =>
      cases.invalid.flatMap((c) => provenFixes(verdictOf(c.resources, c.config)).filter((f) => f.finding.ruleId === rule.meta.id && !f.rendered).map(() => `${rule.meta.id} / ${c.name}`)),
    );
    expect(missing).toEqual([]);
  });

  it("valid cases offer nothing: no finding, no fix (but what an exemption waives)", () => {
    const offered = tables.flatMap(({ rule, cases }) => cases.valid.filter((c) => !c.config?.exemptions?.length).flatMap((c) => provenFixes(verdictOf(c.resources, c.config)).filter((f) => f.finding.ruleId === rule.meta.id).map(() => `${rule.meta.id} / ${c.name}`)));
    expect(offered).toEqual([]);
  });

  it("on the model: the end state with the plan's edits has none of the findings it clears, and no new blocking finding", () => {
    const wrong: string[] = [];
    for (const { rule, cases } of tables) {
      for (const c of cases.invalid) {
        const verdict = verdictOf(c.resources, c.config);
        const before = new Set(rules.flatMap((r) => verdict.findings(r).map((f) => f.finding.fingerprint)));
        const plans = new Set(provenFixes(verdict).flatMap((f) => (f.proven ? [f.proven] : [])));
        for (const fix of plans) {
          const model = buildModel(withChanges(verdict.facts(), verdict.changes(fix.plan.edits)!), {});
          const after = rules.flatMap((r) => checkRule(r, { model, partial: false }));
          const left = fix.clears.filter((f) => after.some((a) => a.fingerprint === f.fingerprint));
          const added = after.filter((a) => blocksByDefault(a.ruleId) && !before.has(a.fingerprint));
          if (left.length || added.length) wrong.push(`${rule.meta.id} / ${c.name}: left ${left.map((f) => f.ruleId)}; added ${added.map((f) => `${f.ruleId}: ${f.what}`)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it("pasted into the stack and run through every rule's policies: the fix's findings are gone, nothing new blocks", async () => {
    const wrong: string[] = [];
    const placedNowhere: string[] = [];
    for (const { rule, cases } of tables) {
      for (const c of cases.invalid) {
        const verdict = verdictOf(c.resources, c.config);
        const targets = new Map(rules.flatMap((r) => verdict.findings(r).map((f) => [f.finding.fingerprint, f.urn ? verdict.session.resource(f.urn)?.name ?? "(stack)" : "(stack)"] as const)));
        const fixes = [...new Map(provenFixes(verdict).flatMap((f) => (f.rendered && f.proven ? [[f.rendered.id, f] as const] : []))).values()];
        const before = await blocking(c.resources, c.config);
        for (const { rendered, proven } of fixes) {
          const pasted = pasteFix(c.resources, rendered!, proven!.plan.edits);
          if (pasted.unplaced > 0) {
            placedNowhere.push(c.name);
            continue;
          }
          const after = await blocking(pasted.resources, c.config);
          const expected = new Map(before);
          for (const f of proven!.clears) {
            if (!blocksByDefault(f.ruleId)) continue;
            const key = `${f.ruleId} -> ${targets.get(f.fingerprint)}`;
            expected.set(key, (expected.get(key) ?? 0) - 1);
          }
          const excess = [...after].filter(([key, n]) => n > Math.max(0, expected.get(key) ?? 0));
          if (excess.length) wrong.push(`${rule.meta.id} / ${c.name} / fix ${rendered!.id}: ${excess.map(([k, n]) => `${k} ×${n}`).join(", ")}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(new Set(placedNowhere)).toEqual(SAID_NOT_PLACED);
  });
});
