import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { rules } from "../../src/rules";

const SECTIONS = ["## What it checks", "## Why it matters", "## How Exchange Online behaves", "## Sources", "## Fix", "## Examples", "## Configuration"];

describe("every rule has a docs page that says what the code says", () => {
  it.each(rules.map((r) => [r.meta.id, r] as const))("%s", (_id, rule) => {
    const path = join(__dirname, "..", "..", "docs", "rules", `${rule.meta.id}.md`);
    expect(existsSync(path)).toBe(true);
    const page = readFileSync(path, "utf8");
    expect(page.startsWith(`# ${rule.meta.id} (${rule.meta.code}, ${rule.meta.severity})\n\n${rule.meta.description}\n`)).toBe(true);
    let at = 0;
    for (const s of SECTIONS) {
      const i = page.indexOf(s);
      expect(i, s).toBeGreaterThan(at);
      at = i;
    }
    for (const source of rule.meta.sources) expect(page).toContain(source);
    expect(page).toContain(rule.meta.remediationSteps);
    // Issue 22: per rule, what its proven fix changes and why that is the smallest change.
    const fix = page.slice(page.indexOf("## Fix"), page.indexOf("## Examples"));
    expect(fix).toContain("What the proven fix changes");
    expect(fix).toMatch(/Why it is the\s+smallest/);
    // One policy per rule: its configured level governs the resource and the whole-stack check alike.
    expect(page).toContain(`Policy \`${rule.meta.id}\` (it checks each resource as it arrives and the whole stack, with one level and one name)`);
    expect(page).not.toContain(`${rule.meta.id}-stack`);
  });
});
