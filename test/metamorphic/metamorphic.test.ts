/**
 * Metamorphic tests: the same meaning gets the same verdict. Seeded chains of semantics-preserving
 * rewrites of every rule-table case and example stack must leave the rule verdicts unchanged.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { loadExtractors } from "../../src/extractors";
import { exampleStacks } from "./examples";
import { OPERATORS_KNOWN_TO_FAIL } from "./known-to-fail";
import { OPERATORS, operatorNamed } from "./operators";
import { HELD, REGRESSIONS } from "./regressions";
import { applyOnce } from "./rewrite";
import { seededRng } from "./rng";
import { runMetamorphic, type Failure } from "./runner";
import { analyseScript } from "./script-info";
import { siteOf, withSite } from "./sites";
import { ruleTableStacks, type TestStack } from "./sources";
import { verdictOf } from "./verdict";

const SEED = 20261130;
const REWRITES = 2000;

let stacks: TestStack[] = [];

beforeAll(async () => {
  await loadExtractors();
  stacks = [...ruleTableStacks(), ...(await exampleStacks())];
}, 120_000);

const readable = (f: Failure): string => `${f.chain.map((s) => `${s.operator}(${s.resource})`).join(" > ")} on "${f.stack}": expected ${JSON.stringify(f.expected)}, got ${JSON.stringify(f.got)}`;

describe("metamorphic rewrites", () => {
  it("has at least 15 operators, each named once, and every known failure names one of them", () => {
    const names = OPERATORS.map((o) => o.name);
    expect(names.length).toBeGreaterThanOrEqual(15);
    expect(new Set(names).size).toBe(names.length);
    expect(OPERATORS_KNOWN_TO_FAIL.filter((n) => !names.includes(n))).toEqual([]);
  });

  it("reads every rule table case and both variants of every example", () => {
    // Two variants per example; examples/powershell-spellings has one per spelling (15), examples/fail-closed one per case (11).
    expect(stacks.filter((s) => s.name.startsWith("example ")).length).toBe(14 + 15 + 11);
    expect(stacks.length).toBeGreaterThan(70);
  });

  it("writes a site back exactly as it was read", () => {
    for (const s of stacks) {
      for (const r of s.resources) {
        const site = siteOf(r);
        if (site) expect({ resource: r.name, props: withSite(r, site).props }).toEqual({ resource: r.name, props: r.props });
      }
    }
  });

  // An operator that never applies, or writes PowerShell that does not parse, tests nothing.
  it.each(OPERATORS.map((o) => [o.name, o] as const))("%s applies to some stack and writes PowerShell that parses", (_name, op) => {
    const rng = seededRng(SEED);
    const rewritten = stacks.flatMap((s) => {
      const rewrite = applyOnce(s, op, rng);
      const changed = rewrite?.stack.resources.find((r) => r.name === rewrite.chain[0]!.resource);
      const site = changed && siteOf(changed);
      const before = changed && siteOf(s.resources.find((r) => r.name === changed.name)!);
      // Only what the operator made: some cases hold PowerShell that parses by error recovery on purpose.
      return site && before && !analyseScript(before.text).hasSyntaxErrors ? [{ stack: s.name, resource: changed.name, text: site.text }] : [];
    });
    expect(rewritten.length).toBeGreaterThan(0);
    expect(rewritten.filter((r) => analyseScript(op.readAs ? op.readAs(r.text) : r.text).hasSyntaxErrors)).toEqual([]);
  });

  it(`keeps every rule verdict over ${REWRITES} seeded rewrites (operators not known to fail)`, async () => {
    const operators = OPERATORS.filter((o) => !OPERATORS_KNOWN_TO_FAIL.includes(o.name));
    const report = await runMetamorphic({ stacks, rewrites: REWRITES, seed: SEED, operators });
    expect(report.tried).toBeGreaterThan(REWRITES * 0.9);
    expect(report.failures.map(readable)).toEqual([]);
    // The textual guarantee over every rewritten script (issue 23).
    expect(report.scriptsChecked).toBeGreaterThan(REWRITES * 0.9);
    expect(report.unaccounted).toEqual([]);
  }, 120_000);

  // The list must shrink when the evaluator learns an operator: a listed operator that no longer breaks anything fails here.
  it.each(OPERATORS_KNOWN_TO_FAIL.map((n) => [n] as const))("%s is still known to fail on some case", async (name) => {
    const op = operatorNamed(name);
    const rng = seededRng(SEED);
    let failing: string | undefined;
    for (const s of stacks) {
      const rewrite = applyOnce(s, op, rng);
      if (!rewrite) continue;
      if (JSON.stringify(await verdictOf(rewrite.stack)) !== JSON.stringify(await verdictOf(s))) {
        failing = s.name;
        break;
      }
    }
    expect(failing).toBeDefined();
  }, 60_000);
});

describe("metamorphic regressions", () => {
  it.each(REGRESSIONS.map((r) => [r.name, r] as const))("%s", async (_name, r) => {
    const original = await verdictOf(r.original);
    expect(original).toEqual(r.verdict);
    const rewritten = await verdictOf(r.rewritten);
    if (OPERATORS_KNOWN_TO_FAIL.includes(r.operator)) expect(rewritten).not.toEqual(original);
    else expect(rewritten).toEqual(original);
  });

  it.each(HELD.map((r) => [r.name, r] as const))("held: %s", async (_name, r) => {
    expect(await verdictOf(r.rewritten)).toEqual(await verdictOf(r.original));
    expect(await verdictOf(r.original)).toEqual(r.verdict);
  });
});
