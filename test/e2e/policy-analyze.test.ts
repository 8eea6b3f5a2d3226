/**
 * Nightly audits of existing stacks: `pulumi policy analyze --file <stack export>` runs the pack over a
 * stack's state without its program. The incident of gateway-self-signed-shared is deployed without the
 * pack (a stand-in `pwsh` records the scripts), exported, and analysed: blocked, with the SARIF written.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sarifValidator } from "../unit/support/sarif-schema";
import { fakeExchangeShell, REPO, toolchain, workspace, type Workspace } from "./harness";

describe("pulumi policy analyze --file on an exported incident stack", () => {
  let ws: Workspace;
  beforeAll(() => {
    toolchain();
    ws = workspace("gateway-self-signed-shared");
  });
  afterAll(() => ws?.dispose());

  it("blocks the stack's state and writes the SARIF log", () => {
    const shell = fakeExchangeShell();
    expect(ws.run(["config", "set", "variant", "incident"]).status).toBe(0);
    const up = ws.run(["up", "--yes", "--skip-preview"], { extraPath: shell.dir });
    expect(up.status, up.stdout + up.stderr).toBe(0);
    const exported = join(shell.dir, "stack.json");
    expect(ws.run(["stack", "export", "--file", exported]).status).toBe(0);

    const sarifPath = join(shell.dir, "reports", "mailflow.sarif");
    // No stack, no backend: only the export file (the command's documented use for audits).
    const r = spawnSync("pulumi", ["policy", "analyze", "--policy-pack", REPO, "--file", exported, "--non-interactive", "--color", "never"], {
      cwd: shell.dir,
      env: { ...ws.env, MAILFLOW_GUARD_SARIF: sarifPath },
      encoding: "utf8",
    });
    expect(r.status, r.stdout + r.stderr).not.toBe(0);
    expect(r.stdout).toContain("[mandatory] [severity: critical]  shared-certificate-hybrid-and-internet  (pulumi-nodejs:dynamic/mailflow:Gateway: gateway)");
    expect(r.stdout).toContain("[mandatory] [severity: critical]  internet-identity-matches-onpremises-connector  (command:local:Command: contoso-exo-inbound)");

    expect(existsSync(sarifPath)).toBe(true);
    const sarif = JSON.parse(readFileSync(sarifPath, "utf8"));
    const validate = sarifValidator();
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    const onResources = sarif.runs[0].results
      .filter((x: { suppressions?: unknown }) => !x.suppressions)
      .map((x: { ruleId: string; locations: Array<{ logicalLocations: Array<{ name: string }> }> }) => `${x.ruleId} -> ${x.locations[0]!.logicalLocations[0]!.name}`);
    expect(onResources).toContain("shared-certificate-hybrid-and-internet -> gateway");
    expect(onResources).toContain("internet-identity-matches-onpremises-connector -> contoso-exo-inbound");
  });
});
