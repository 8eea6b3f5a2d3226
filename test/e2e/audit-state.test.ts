/**
 * `mailflow-guard audit --write-state` → `pulumi policy analyze --file`: the seed incidents, given only
 * as exports, audited and written as a stack export; the real engine runs the pack over that state and
 * reports the same findings as the audit — the same rules, on the resources the audit names, at the
 * same level (mandatory → blocked).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditInputs, auditPaths } from "../../src/audit/audit";
import { main } from "../../src/audit/cli";
import { loadExtractors } from "../../src/extractors";
import { defaultEnforcement } from "../../src/rules/utils/define-rule";
import { REPO, toolchain } from "./harness";

const FIXTURES = join(REPO, "test", "audit", "fixtures");
const scratch = mkdtempSync(join(tmpdir(), "mailflow-guard-audit-state-"));

beforeAll(() => loadExtractors());
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The engine's report of a violation: `- [mandatory] [severity: critical]  <policy>  (<type>: <resource>)`. */
const VIOLATION = /^\s*- \[(mandatory|advisory)\] \[severity: \w+\]\s+(\S+)\s+\((?:[^:]+(?::[^:]+)*): ([^)]+)\)\s*$/;

/** `pulumi policy analyze --file <state>` with the pack: exit status and `level rule -> resource` lines (inventory policies left out). */
function analyze(state: string): { status: number; violations: string[]; output: string } {
  const bin = toolchain();
  const r = spawnSync("pulumi", ["policy", "analyze", "--policy-pack", REPO, "--file", state, "--non-interactive", "--color", "never"], {
    cwd: scratch,
    env: {
      ...process.env,
      PATH: [bin, process.env.PATH ?? ""].join(delimiter),
      PULUMI_HOME: process.env.PULUMI_HOME ?? join(bin, "..", "pulumi-home"),
      PULUMI_BACKEND_URL: `file://${scratch}`,
      PULUMI_CONFIG_PASSPHRASE: "mailflow-guard-e2e",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      NO_COLOR: "1",
    },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const violations = r.stdout.split("\n").flatMap((line) => {
    const m = VIOLATION.exec(line);
    if (!m || m[2]!.startsWith("mailflow-")) return [];
    return [`${m[1]} ${m[2]!.replace(/-stack$/, "")} -> ${m[3]!.trim()}`];
  });
  return { status: r.status ?? -1, violations: [...new Set(violations)].sort(), output: r.stdout + r.stderr };
}

describe("audit --write-state, then pulumi policy analyze --file: the same findings", () => {
  for (const seed of ["seed-000-msp-wildcard", "seed-003-gateway-self-signed", "seed-msxfaq-shared-wildcard", "msp-two-stacks", "windows/utf8"]) {
    it(`${seed}`, async () => {
      const state = join(scratch, `${seed}.state.json`);
      const write = process.stdout.write.bind(process.stdout);
      process.stdout.write = (() => true) as typeof process.stdout.write; // the audit's own text is not under test here
      let code: number;
      try {
        code = await main(["audit", "--write-state", state, join(FIXTURES, seed)]);
      } finally {
        process.stdout.write = write;
      }
      expect(code).toBe(1);

      const exported = await auditPaths([join(FIXTURES, seed)]);
      const readBack = auditInputs([{ path: state, text: readFileSync(state, "utf8"), scope: {} }]);
      const rules = (findings: typeof exported.findings) => [...new Set(findings.map((f) => `${defaultEnforcement(f.severity)} ${f.ruleId}`))].sort();
      expect(rules(readBack.findings)).toEqual(rules(exported.findings));

      const engine = analyze(state);
      expect(engine.status, engine.output).not.toBe(0);
      expect([...new Set(engine.violations.map((v) => v.split(" -> ")[0]))]).toEqual(rules(exported.findings));
      // Each violation is on a resource the audit's finding of that rule names.
      for (const v of engine.violations) {
        const [levelAndRule, resource] = v.split(" -> ") as [string, string];
        const named = readBack.findings.filter((f) => `${defaultEnforcement(f.severity)} ${f.ruleId}` === levelAndRule).flatMap((f) => f.provenance.map((p) => p.resourceName));
        expect(named, v).toContain(resource);
      }
    });
  }
});
