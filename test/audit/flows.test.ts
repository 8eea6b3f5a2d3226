import { beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { auditPaths } from "../../src/audit/audit";
import { parseArgs, renderFlows } from "../../src/audit/cli";
import { expectedAttributions, renderMermaid, renderPester } from "../../src/audit/flows";
import { loadExtractors } from "../../src/extractors";

const seed000 = join(__dirname, "fixtures", "seed-000-msp-wildcard");

beforeAll(() => loadExtractors());

describe("mailflow-guard flows", () => {
  it("derives every flow of seed 000 with its expected attribution; the gateway's flows to other tenants are the wrong tenant", async () => {
    const { model } = await auditPaths([seed000]);
    const rows = expectedAttributions(model).map((r) => [r.senderDomain, r.path, r.expectedTenant ?? null, r.connector ?? null, r.certificateName ?? null, r.wrongTenant]);
    expect(rows).toEqual([
      ["setebos-ag.com", "internet to another Exchange Online tenant", null, null, null, true],
      ["setebos-ag.com", "internet outside Microsoft", null, null, null, false],
      ["varunagroup.de", "hybrid", "varunagroup.onmicrosoft.com", "Inbound from 6fc3a33e-3ca2-4528-8e3c-75e5d4e9db76", "smtpo365.varunagroup.de", false],
      ["varunagroup.de", "internet to another Exchange Online tenant", null, null, null, true],
      ["varunagroup.de", "internet outside Microsoft", null, null, null, false],
    ]);
  });

  it("writes one Pester It per flow, checked with Get-MessageTraceV2, and marks the ones predicted to fail", async () => {
    const { model } = await auditPaths([seed000]);
    const plan = renderPester(expectedAttributions(model));
    expect(plan.match(/^ {4}It '/gm)).toHaveLength(5);
    expect(plan.match(/Get-MessageTraceV2/g)!.length).toBe(6); // the requirements line, Find-Trace (hybrid), four non-hybrid flows
    expect(plan.match(/predicts this test FAILS today/g)).toHaveLength(2);
    expect(plan).toContain("It 'flow-3: varunagroup.de — hybrid via Outbound to Office 365 - 6fc3a33e-3ca2-4528-8e3c-75e5d4e9db76 (varunagroup)'");
  });

  it("draws the wrong-tenant flows in red in the Mermaid diagram", async () => {
    const { model } = await auditPaths([seed000]);
    const diagram = renderMermaid(model);
    expect(diagram.split("\n")[0]).toBe("flowchart LR");
    expect(diagram).toContain('-->|"WRONG TENANT"| tenant_varunagroup_onmicrosoft_com');
    expect(diagram.match(/^ {2}linkStyle \d+ stroke:#d00/gm)).toHaveLength(5);
  });

  it("a clean stack has no red flow", async () => {
    const { model } = await auditPaths([join(__dirname, "fixtures", "msp-two-stacks", "fabrikam.stack.json")]);
    expect(renderMermaid(model)).not.toContain("#d00");
    expect(renderFlows(model, "all")).toContain("## Test plan (Pester)");
  });

  it("parses flows --format and refuses an unknown format", () => {
    expect(parseArgs(["flows", "--format", "mermaid", "x"])).toEqual({ command: "flows", json: false, format: "mermaid", files: {}, paths: ["x"] });
    expect(parseArgs(["flows", "--format", "svg", "x"])).toMatch(/^--format must be one of all, matrix, pester, mermaid, json/);
  });
});
