/**
 * `flows --report <pack JSON report>`: the pack records the whole stack's model in its JSON report;
 * the flows derived from it are the flows the audit derives from the same set-up's stack export.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditInputs } from "../../src/audit/audit";
import { parseCli, readReportModel, renderFlows } from "../../src/audit/cli";
import { expectedAttributions, renderMatrix } from "../../src/audit/flows";
import { modelFromReport } from "../../src/audit/report-model";
import { loadExtractors } from "../../src/extractors";
import { MODEL_FORMAT } from "../../src/reporters/files/json";
import { renderMermaid } from "../../src/reporters/mermaid";
import { analyzeInProcess } from "../../src/reporters/pulumi/in-process";
import { rules } from "../../src/rules";
import { urnOf, type TestResource } from "../unit/support/stack";
import { correctSetUp, INCIDENTS } from "../unit/support/topologies";

/** The parsed arguments, or the text a usage error prints. */
const parseArgs = (argv: string[]) => {
  const parsed = parseCli(argv, () => "0.0.0");
  return "run" in parsed ? parsed.run : parsed.print;
};


const scratch = mkdtempSync(join(tmpdir(), "mailflow-guard-report-model-"));
beforeAll(() => loadExtractors());
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const stackExport = (stack: TestResource[]) =>
  JSON.stringify({ version: 3, deployment: { resources: stack.map((r) => ({ urn: urnOf(r), type: r.type, custom: true, inputs: r.props, dependencies: (r.dependencies ?? []).map((d) => urnOf({ type: stack.find((s) => s.name === d)!.type, name: d })) })) } });

/** The pack over the stack, in process, writing its JSON report; the report's path. */
async function packReport(stack: TestResource[], name: string): Promise<string> {
  const path = join(scratch, `${name}.json`);
  await analyzeInProcess(rules, stack.map((r) => ({ urn: urnOf(r), name: r.name, type: r.type, props: r.props })), { report: { json: path } });
  return path;
}

describe("flows --report: the pack's JSON report gives the flows the audit gives", () => {
  const incident = INCIDENTS.find((i) => i.rule === "shared-certificate-hybrid-and-internet")!;
  for (const [name, stack] of [["incident", incident.inject(correctSetUp(3))], ["correct", correctSetUp(3)]] as const) {
    it(`${name} set-up: the same matrix, Pester plan and diagram through both paths`, async () => {
      const model = readReportModel(await packReport(stack, name));
      if (typeof model === "string") throw new Error(model);
      const audited = auditInputs([{ path: "stack.json", text: stackExport(stack), scope: {} }]).model;
      const matrix = renderMatrix(expectedAttributions(model));
      expect(matrix.split("\n").length).toBeGreaterThan(2);
      expect(matrix).toBe(renderMatrix(expectedAttributions(audited)));
      expect(renderFlows(model, "all")).toBe(renderFlows(audited, "all"));
      if (name === "incident") expect(matrix).toContain("**WRONG TENANT**");
      else expect(matrix).not.toContain("**WRONG TENANT**");
    });
  }

  it("the JSON report names the model's format and keeps its findings", async () => {
    const report = JSON.parse(readFileSync(await packReport(incident.inject(correctSetUp(3)), "format"), "utf8"));
    expect(report.mailFlowModel.format).toBe(MODEL_FORMAT);
    expect(report.verdict).toBe("blocked");
    expect(report.findings.map((f: { ruleId: string }) => f.ruleId)).toContain("shared-certificate-hybrid-and-internet");
  });
});

describe("the pack's Markdown summary draws the stack", () => {
  it("after the verdict and the wrong-tenant flows, the Mermaid picture of the whole stack's model, wrong-tenant flows in red", async () => {
    const stack = INCIDENTS.find((i) => i.rule === "shared-certificate-hybrid-and-internet")!.inject(correctSetUp(2));
    const markdown = join(scratch, "summary.md");
    await analyzeInProcess(rules, stack.map((r) => ({ urn: urnOf(r), name: r.name, type: r.type, props: r.props })), { report: { markdown } });
    const lines = readFileSync(markdown, "utf8").split("\n");
    const at = lines.indexOf("### Mail flows");
    expect(at).toBeGreaterThan(lines.indexOf("### Wrong-tenant flows"));
    const diagram = renderMermaid(auditInputs([{ path: "stack.json", text: stackExport(stack), scope: {} }]).model);
    expect(diagram).toContain("stroke:#d00");
    expect(lines.slice(at, at + 7 + diagram.split("\n").length)).toEqual(["### Mail flows", "", "Wrong-tenant flows are drawn in red.", "", "```mermaid", ...diagram.split("\n"), "```", ""]);
    expect(lines[at + 7 + diagram.split("\n").length]).toBe("### Fixes");
  });
});

describe("reading the model of a report", () => {
  it("names a file that is not a report, a report without the model, and a model of another format", () => {
    expect(modelFromReport("r.json", "{")).toMatch(/^r\.json is not JSON: /);
    expect(modelFromReport("r.json", JSON.stringify({ format: "other" }))).toBe("r.json is not a mailflow-guard JSON report (format mailflow-guard-report/v2)");
    expect(modelFromReport("r.json", JSON.stringify({ format: "mailflow-guard-report/v1", findings: [] }))).toBe(
      "r.json has no mailFlowModel: write the report with a pack that records it, from a run that reached the stack policies",
    );
    expect(modelFromReport("r.json", JSON.stringify({ format: "mailflow-guard-report/v1", mailFlowModel: { format: "mailflow-guard-model/v0" } }))).toBe(
      "r.json holds a mailFlowModel of format mailflow-guard-model/v0; this version reads mailflow-guard-model/v1",
    );
    expect(modelFromReport("r.json", JSON.stringify({ format: "mailflow-guard-report/v1", mailFlowModel: { format: MODEL_FORMAT, tenants: [] } }))).toBe(
      "r.json: mailFlowModel lacks inboundConnectors, outboundConnectors, sendConnectors, receiveConnectors, organizations, certificates, hybridConfigurations, unverifiable",
    );
    expect(readReportModel(join(scratch, "absent.json"))).toMatch(/^cannot read .*absent\.json: /);
  });

  it("parses flows --report alone, and refuses it with exports or without a file", () => {
    expect(parseArgs(["flows", "--report", "r.json", "--format", "matrix"])).toEqual({ command: "flows", json: false, format: "matrix", files: {}, paths: [], report: "r.json" });
    expect(parseArgs(["flows", "--report", "r.json", "exports"])).toMatch(/^mailflow-guard: --report reads the model from the report alone/);
    expect(parseArgs(["flows", "--report"])).toMatch(/^mailflow-guard: --report needs a value \(file\)/);
    expect(parseArgs(["audit", "--report", "r.json"])).toMatch(/^mailflow-guard: unknown option '--report' for `mailflow-guard audit`/);
  });
});
