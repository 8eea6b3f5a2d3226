import { beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { auditPaths } from "../../src/audit/audit";
import { main } from "../../src/audit/cli";
import { auditPolicyOf, auditRunReport, renderAuditFiles } from "../../src/audit/report-files";
import { loadExtractors } from "../../src/extractors";
import { createPolicies } from "../../src/reporters/pulumi/policies";
import { rules } from "../../src/rules";
import { sarifValidator } from "../unit/support/sarif-schema";

const fixture = (name: string) => join(__dirname, "fixtures", name);

interface SarifLog {
  runs: Array<{ tool: { driver: { rules: Array<{ id: string }> } }; results: Array<{ ruleId: string; level: string; partialFingerprints: Record<string, string>; locations: Array<{ logicalLocations: Array<{ name: string }> }> }> }>;
}

beforeAll(() => loadExtractors());

describe("audit --sarif / --markdown: the pack's own report files", () => {
  it("the seed 000 audit's SARIF validates against SARIF 2.1.0 and has one result per finding, under the pack's policy names", async () => {
    const result = await auditPaths([fixture("seed-000-msp-wildcard")]);
    const [sarif] = renderAuditFiles(result, { sarif: "unused.sarif" });
    const log = JSON.parse(sarif!.text) as SarifLog;
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const results = log.runs[0]!.results;
    expect(results).toHaveLength(result.findings.length);
    expect(results.map((r) => r.ruleId).sort()).toEqual([
      "ambiguous-connector-grants-internal-trust",
      "internet-identity-matches-onpremises-connector",
      "wildcard-onpremises-certificate-name",
    ]);
    expect(results.map((r) => r.partialFingerprints["mailflowGuardFinding/v1"]).sort()).toEqual(result.findings.map((f) => f.fingerprint).sort());
    expect(results.map((r) => r.level)).toEqual(["error", "error", "error"]);
  });

  it("every policy the audit reports under is one the pack registers", () => {
    const packPolicies = new Set(createPolicies(rules).map((p) => p.name));
    const missing = rules.map(auditPolicyOf).filter((name) => !packPolicies.has(name));
    expect(missing).toEqual([]);
    expect(auditRunReport({ findings: [], judged: [] } as unknown as Parameters<typeof auditRunReport>[0]).policies.every((p) => packPolicies.has(p.name))).toBe(true);
  });

  it("the Markdown summary of the MSP's two stacks is blocked for R5 under its rule id", async () => {
    const result = await auditPaths([fixture("msp-two-stacks")]);
    const [markdown] = renderAuditFiles(result, { markdown: "unused.md" });
    expect(markdown!.text.split("\n")[0]).toBe("## mailflow-guard: ❌ blocked");
    expect(markdown!.text).toContain("| [ambiguous-tenant-across-connectors](");
    expect(markdown!.text).toContain("| 1 | 0 | **blocked** |");
    expect(markdown!.text).not.toContain("v1:abc");
  });

  it("a clean audit writes a passing summary and an empty SARIF result list", async () => {
    const result = await auditPaths([join(fixture("msp-two-stacks"), "fabrikam.stack.json")]);
    const files = renderAuditFiles(result, { sarif: "a.sarif", markdown: "a.md" });
    expect((JSON.parse(files[0]!.text) as SarifLog).runs[0]!.results).toEqual([]);
    expect(files[1]!.text.split("\n")[0]).toBe("## mailflow-guard: ✅ passed");
  });

  it("the CLI writes both files and still exits 1 on a blocking finding", async () => {
    const dir = mkdtempSync(join(tmpdir(), "audit-files-"));
    const write = process.stdout.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    let code: number;
    try {
      code = await main(["audit", "--sarif", join(dir, "out", "audit.sarif"), "--markdown", join(dir, "audit.md"), fixture("seed-003-gateway-self-signed")]);
    } finally {
      process.stdout.write = write;
    }
    expect(code).toBe(1);
    const log = JSON.parse(readFileSync(join(dir, "out", "audit.sarif"), "utf8")) as SarifLog;
    expect(log.runs[0]!.results.map((r) => r.ruleId).sort()).toEqual([
      "internet-identity-matches-onpremises-connector",
      "shared-certificate-hybrid-and-internet",
      "untrusted-certificate-on-hybrid-path",
      "untrusted-certificate-on-hybrid-path",
    ]);
    expect(readFileSync(join(dir, "audit.md"), "utf8").split("\n")[0]).toBe("## mailflow-guard: ❌ blocked");
  });
});
