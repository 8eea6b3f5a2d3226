/**
 * The report files a pipeline reads, from the real `pulumi preview`: SARIF, JSON and Markdown written
 * by the pack when MAILFLOW_GUARD_SARIF / _JSON / _MARKDOWN are set — when blocked, and when clean.
 */
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sarifValidator } from "../unit/support/sarif-schema";
import { previewWithPack, toolchain, violationsOf, workspace, type Workspace } from "./harness";

function previewWithReports(ws: Workspace, variant: string) {
  const dir = mkdtempSync(join(tmpdir(), "mailflow-guard-reports-"));
  const paths = { sarif: join(dir, "mailflow.sarif"), json: join(dir, "mailflow.json"), markdown: join(dir, "summary.md") };
  expect(ws.run(["config", "set", "variant", variant]).status).toBe(0);
  ws.env.MAILFLOW_GUARD_SARIF = paths.sarif;
  ws.env.MAILFLOW_GUARD_JSON = paths.json;
  ws.env.MAILFLOW_GUARD_MARKDOWN = paths.markdown;
  const r = previewWithPack(ws);
  return {
    r,
    dir,
    sarif: JSON.parse(readFileSync(paths.sarif, "utf8")),
    json: JSON.parse(readFileSync(paths.json, "utf8")),
    markdown: readFileSync(paths.markdown, "utf8"),
  };
}

describe("report files from a real preview (msp-wildcard-journaling)", () => {
  let ws: Workspace;
  beforeAll(() => {
    toolchain();
    ws = workspace("msp-wildcard-journaling");
  });
  afterAll(() => ws?.dispose());

  it("blocked: every violation of the preview is a SARIF result on the same resource, and the JSON and Markdown say blocked", () => {
    const { r, sarif, json, markdown, dir } = previewWithReports(ws, "incident");
    expect(r.status, r.stdout + r.stderr).not.toBe(0);
    const validate = sarifValidator();
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    const mandatory = violationsOf(r, "mandatory");
    expect(mandatory).toEqual([
      "ambiguous-connector-grants-internal-trust -> varunagroup-exo-inbound",
      "internet-identity-matches-onpremises-connector -> varunagroup-exo-inbound",
      "wildcard-onpremises-certificate-name -> varunagroup-exo-inbound",
    ]);
    const results = sarif.runs[0].results.map((x: { ruleId: string; locations: Array<{ logicalLocations: Array<{ name: string }> }> }) => `${x.ruleId} -> ${x.locations[0]!.logicalLocations[0]!.name}`).sort();
    expect(results).toEqual(mandatory);
    for (const result of sarif.runs[0].results) expect(result.partialFingerprints["mailflowGuardFinding/v1"]).toMatch(/\S/);
    expect(json.verdict).toBe("blocked");
    expect(json.findings.map((f: { policy: string }) => f.policy).sort()).toEqual(mandatory.map((m) => m.split(" -> ")[0]));
    expect(markdown.startsWith("## mailflow-guard: ❌ blocked")).toBe(true);
    expect(markdown).toContain("### Wrong-tenant flows");
    // Written atomically: no temporary file is left beside the reports.
    expect(readdirSync(dir).sort()).toEqual(["mailflow.json", "mailflow.sarif", "summary.md"]);
  });

  it("clean: complete documents with no results", () => {
    const { r, sarif, json, markdown } = previewWithReports(ws, "fixed");
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(sarifValidator()(sarif)).toBe(true);
    expect(sarif.runs[0].results).toEqual([]);
    expect(json.verdict).toBe("passed");
    expect(markdown.startsWith("## mailflow-guard: ✅ passed")).toBe(true);
  });
});
