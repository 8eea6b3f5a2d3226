/**
 * src/rules lists rules only: each file (but index.ts) exports exactly one rule made by defineRule,
 * the index lists each of them once, and a rule's identity (its id and code as string literals) is
 * written once in src/rules — the framework stamps it on every finding.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { rules } from "../../../src/rules";
import { isDefinedRule } from "../../../src/rules/utils/define-rule";

const RULES_DIR = path.resolve(__dirname, "../../../src/rules");
const ruleFiles = readdirSync(RULES_DIR).filter((f) => f.endsWith(".ts") && f !== "index.ts").sort();

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourcesUnder(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [readFileSync(path.join(dir, e.name), "utf8")] : [],
  );
}

const occurrences = (text: string, literal: string): number => text.split(literal).length - 1;

describe("src/rules holds rules only", () => {
  it.each(ruleFiles)("%s exports exactly one rule made by defineRule, named after the file", async (file) => {
    const exported = (await import(path.join(RULES_DIR, file))) as Record<string, unknown>;
    const values = Object.values(exported);
    expect({ exports: values.length, defined: values.every(isDefinedRule) }).toEqual({ exports: 1, defined: true });
    expect(`${(values[0] as (typeof rules)[number]).meta.id}.ts`).toBe(file);
  });

  it("the index lists every rule file's rule, each once", async () => {
    const fromFiles = await Promise.all(ruleFiles.map(async (f) => Object.values((await import(path.join(RULES_DIR, f))) as Record<string, unknown>)[0]));
    expect(new Set(rules).size).toBe(rules.length);
    expect([...rules].sort((a, b) => a.meta.id.localeCompare(b.meta.id))).toEqual(fromFiles);
  });

  it("each rule's id and code are written once in src/rules, and no finding is stamped by hand", () => {
    const all = sourcesUnder(RULES_DIR).join("\n");
    const counts = rules.map((r) => ({ id: r.meta.id, idLiterals: occurrences(all, `"${r.meta.id}"`), codeLiterals: occurrences(all, `"${r.meta.code}"`) }));
    expect(counts).toEqual(rules.map((r) => ({ id: r.meta.id, idLiterals: 1, codeLiterals: 1 })));
    expect({ ruleId: occurrences(all, "ruleId:"), fingerprintCalls: occurrences(all, "fingerprint(") }).toEqual({ ruleId: 1, fingerprintCalls: 0 });
  });

  it("isDefinedRule tells a defineRule rule from a look-alike object", () => {
    const lookAlike = { meta: rules[0]!.meta, check: rules[0]!.check };
    expect([isDefinedRule(rules[0]), isDefinedRule(lookAlike), isDefinedRule(undefined)]).toEqual([true, false, false]);
  });
});
