/**
 * What the pack writes is safe and honest (issue 21), through the real engine, on a program of its own
 * (test/e2e/fixtures/waivers-program): secrets set with `pulumi config set --secret` and planted in
 * every input channel reach no log line, message or report file; a rule configured advisory is advisory
 * in `pulumi preview` and in `pulumi policy analyze --file`; the SARIF of the preview and of the audit
 * of the same stack carry the same rule ids, with locations code scanning can show; waivers say what
 * they did, and the log ends with one summary line.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sarifValidator } from "../unit/support/sarif-schema";
import { fakeExchangeShell, previewWithPack, printedViolations, REPO, resourceOf, toolchain, workspace, type RunResult, type Workspace } from "./harness";

const PROGRAM = join(__dirname, "fixtures", "waivers-program");
const R2 = "internet-identity-matches-onpremises-connector";
const R3 = "wildcard-onpremises-certificate-name";
const R11 = "ambiguous-connector-grants-internal-trust";
const SECRETS: Record<string, string> = {
  pfxPassword: "Pfx-Pl4nted-Secret-21a",
  rotationToken: "Trigger-Pl4nted-Secret-21b",
  stdinSecret: "Stdin-Pl4nted-Secret-21c",
  sshPassword: "Ssh-Pl4nted-Secret-21d",
  sshKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAAKeyPl4ntedSecret21e\n-----END OPENSSH PRIVATE KEY-----",
};
const NEEDLES = [...Object.values(SECRETS), "KeyPl4ntedSecret21e"];

let ws: Workspace;
let scratch: string;
beforeAll(() => {
  toolchain();
  ws = workspace("waivers-program", PROGRAM);
  scratch = mkdtempSync(join(ws.env.TMPDIR ?? "/tmp", "mailflow-outputs-"));
  // `--` before the value: the private key starts with dashes, which would read as flags.
  for (const [key, value] of Object.entries(SECRETS)) {
    const set = spawnSync("pulumi", ["config", "set", "--secret", "--stack", ws.stack, "--non-interactive", "--", key, value], { cwd: PROGRAM, env: ws.env, encoding: "utf8" });
    expect(set.status, set.stderr).toBe(0);
  }
});
afterAll(() => ws?.dispose());

const levelled = (r: RunResult): string[] => r.policyEvents.map((e) => `${e.enforcementLevel} ${e.policyName} -> ${resourceOf(e)}`).sort();
const summaryOf = (r: RunResult): string[] => r.policyEvents.filter((e) => e.policyName === "mailflow-summary").map((e) => e.message.split("\n").slice(1).join("\n").trimEnd());

function preview(waiver: string, extra: string[] = [], reports = false): { r: RunResult; files: Record<string, string> } {
  expect(ws.run(["config", "set", "waiver", waiver]).status).toBe(0);
  const dir = mkdtempSync(join(scratch, `${waiver}-`));
  const paths = { sarif: join(dir, "m.sarif"), json: join(dir, "m.json"), markdown: join(dir, "m.md") };
  const r = reports
    ? ws.run(["preview", "--policy-pack", REPO, ...extra], { env: { MAILFLOW_GUARD_SARIF: paths.sarif, MAILFLOW_GUARD_JSON: paths.json, MAILFLOW_GUARD_MARKDOWN: paths.markdown } })
    : previewWithPack(ws, extra);
  const files = Object.fromEntries(Object.entries(paths).flatMap(([k, p]) => (existsSync(p) ? [[k, readFileSync(p, "utf8")]] : [])));
  return { r, files };
}

describe("a program of its own, through the real engine", () => {
  it("blocks the seed wildcard; no secret reaches the log, a message or a report file; the summary is last and says where the files are", () => {
    const { r, files } = preview("none", [], true);
    expect(r.status).not.toBe(0);
    expect(levelled(r).filter((l) => l.startsWith("mandatory"))).toEqual([`mandatory ${R11} -> exo-inbound`, `mandatory ${R2} -> exo-inbound`, `mandatory ${R3} -> exo-inbound`]);
    expect(Object.keys(files).sort()).toEqual(["json", "markdown", "sarif"]);
    const everything = [r.stdout, r.stderr, ...r.policyEvents.map((e) => e.message), ...Object.values(files)].join("\n");
    expect(NEEDLES.filter((n) => everything.includes(n))).toEqual([]);
    expect(printedViolations(r.stdout).at(-1)).toMatch(/^advisory mailflow-summary /);
    expect(summaryOf(r).at(-1)).toMatch(new RegExp(`^mailflow-guard blocked this deployment: 3 findings block \\(${R11}, ${R2}, ${R3}\\), .* Reports: SARIF .*m\\.sarif, JSON .*m\\.json, Markdown .*m\\.md\\.$`));
    // Code scanning can show every result: a file of the repository (the program), and the line that declares the resource.
    const sarif = JSON.parse(files.sarif!);
    const validate = sarifValidator();
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    for (const result of sarif.runs[0].results) expect(result.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: "test/e2e/fixtures/waivers-program/index.ts" }, region: { startLine: expect.any(Number) } });
    const declared = readFileSync(join(PROGRAM, "index.ts"), "utf8").split("\n").findIndex((l) => l.includes('"exo-inbound"')) + 1;
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.region.startLine).toBe(declared);
    expect(JSON.parse(files.json!).run.time).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it("one comment naming three policies waives all three: advised in the log with what waived them, and the deployment passes", () => {
    const { r } = preview("one-comment");
    expect(r.status, r.stdout).toBe(0);
    expect(levelled(r)).toEqual([`advisory ${R11} -> exo-inbound`, `advisory ${R2} -> exo-inbound`, "advisory mailflow-summary -> (stack)", `advisory ${R3} -> exo-inbound`]);
    for (const e of r.policyEvents.filter((x) => x.policyName !== "mailflow-summary")) expect(e.message).toContain("Waived by the inline suppression at exo-inbound.create:2 until 2999-12-31");
    expect(summaryOf(r)).toEqual(["mailflow-guard passed this deployment: 0 findings block, 0 findings advise, 3 findings waived (3 by inline at exo-inbound.create:2)."]);
  });

  it("a run of comment lines above the statement all apply to it", () => {
    const { r } = preview("stacked");
    expect(r.status, r.stdout).toBe(0);
    expect(summaryOf(r).at(-1)).toBe("mailflow-guard passed this deployment: 0 findings block, 0 findings advise, 3 findings waived (1 by inline at exo-inbound.create:2, 2 by inline at exo-inbound.create:4).");
  });

  it("a misspelt policy id in a comment suppresses nothing for it, and is named with the closest policy", () => {
    const { r } = preview("unknown-id");
    expect(r.status).not.toBe(0);
    expect(levelled(r)).toContain(`mandatory ${R3} -> exo-inbound`);
    expect(summaryOf(r)).toContain(`Inline suppression at exo-inbound.create:2 names "wildcard-onpremises-certificate-nmae" is not a policy of mailflow-guard (did you mean "${R3}"?): it suppresses nothing for it.`);
  });

  it("an unused suppression is named, and so are an exemption that matches nothing and a misspelt policy in the configuration", () => {
    const cfg = join(scratch, "unused.json");
    writeFileSync(
      cfg,
      JSON.stringify({
        "mailflow-inventory": { exemptions: [{ policy: R3, resource: "legacy-*", reason: "old connectors", expires: "2999-12-31" }] },
        "wildcard-onpremises-certificate-name-stack": "advisory",
      }),
    );
    const { r } = preview("unused", ["--policy-pack-config", cfg]);
    const said = summaryOf(r);
    expect(said).toContain(`Unused inline suppression at exo-inbound.create:2: no finding of ${R3} at the statement below it or on its line; remove it, or correct it.`);
    expect(said).toContain(`Exemption #1 ("old connectors"): its resource pattern "legacy-*" matches no resource of this stack; it exempts nothing.`);
    expect(said).toContain(`Policy configuration: "wildcard-onpremises-certificate-name-stack" is not a policy of mailflow-guard (did you mean "${R3}"?); it configures nothing.`);
  });

  it("a rule configured advisory is advisory in the preview and in policy analyze --file, and both SARIF logs, the preview's and the audit's, carry the same rule ids", () => {
    const cfg = join(scratch, "levels.json");
    writeFileSync(cfg, JSON.stringify({ [R3]: "advisory" }));
    expect(ws.run(["config", "set", "onPremises", "false"]).status).toBe(0);
    try {
      const { r, files } = preview("none", ["--policy-pack-config", cfg], true);
      expect(levelled(r)).toContain(`advisory ${R3} -> exo-inbound`);
      expect(JSON.parse(files.json!).findings.find((f: { ruleId: string }) => f.ruleId === R3).enforcementLevel).toBe("advisory");
      const previewRules = JSON.parse(files.sarif!).runs[0].results.map((x: { ruleId: string }) => x.ruleId).sort();

      const shell = fakeExchangeShell();
      const up = ws.run(["up", "--yes", "--skip-preview"], { extraPath: shell.dir });
      expect(up.status, up.stdout + up.stderr).toBe(0);
      const exported = join(scratch, "stack.json");
      expect(ws.run(["stack", "export", "--file", exported]).status).toBe(0);
      const analyze = spawnSync("pulumi", ["policy", "analyze", "--policy-pack", REPO, "--policy-pack-config", cfg, "--file", exported, "--non-interactive", "--color", "never"], { cwd: scratch, env: ws.env, encoding: "utf8" });
      expect(printedViolations(analyze.stdout)).toContain(`advisory ${R3} (command:local:Command: exo-inbound)`);
      expect(printedViolations(analyze.stdout)).toContain(`mandatory ${R2} (command:local:Command: exo-inbound)`);

      const auditSarif = join(scratch, "audit.sarif");
      const audit = spawnSync("node", [join(REPO, "bin", "mailflow-guard.cjs"), "audit", "--sarif", auditSarif, exported], { cwd: scratch, encoding: "utf8" });
      expect(audit.status, audit.stdout + audit.stderr).toBe(1);
      const auditRules = JSON.parse(readFileSync(auditSarif, "utf8")).runs[0].results.map((x: { ruleId: string }) => x.ruleId).sort();
      expect(auditRules).toEqual(previewRules);
      expect(previewRules).toEqual([R11, R2, R3]);
    } finally {
      ws.run(["config", "rm", "onPremises"]);
    }
  });
});
