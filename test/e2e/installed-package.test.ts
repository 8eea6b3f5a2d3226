/**
 * The pack as a platform team installs it: `npm pack` of this repository, a fresh Pulumi program
 * outside the repository that installs the tarball from npm and imports `mailflow-guard/sdk` by
 * package name, and the real `pulumi preview --policy-pack node_modules/mailflow-guard` with SARIF,
 * JSON and Markdown reports. One install serves both cases.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sarifValidator } from "../unit/support/sarif-schema";
import { WILDCARD_PROGRAM } from "./fixtures/wildcard-program";
import { REPO, toolchain, violationsOf, workspace, type RunResult, type Workspace } from "./harness";
import { pastePulumi, section } from "./paste";

const PACK = "node_modules/mailflow-guard";


const version = (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string }).version;

let scratch: string;
let program: string;
let ws: Workspace;

beforeAll(() => {
  toolchain();
  scratch = mkdtempSync(join(tmpdir(), "mailflow-guard-installed-"));
  // npm pack runs the prepare step (the build), as `pulumi policy publish` does.
  execFileSync("npm", ["pack", "--pack-destination", scratch], { cwd: REPO, stdio: "ignore" });
  const tarball = readdirSync(scratch).find((f) => f.endsWith(".tgz"));
  if (!tarball) throw new Error(`npm pack wrote no tarball into ${scratch}`);
  program = join(scratch, "contoso-mail");
  mkdirSync(program);
  writeFileSync(join(program, "package.json"), JSON.stringify({ name: "contoso-mail", private: true, main: "index.ts" }, null, 2));
  writeFileSync(join(program, ".npmrc"), "legacy-peer-deps=true\n");
  writeFileSync(join(program, "Pulumi.yaml"), "name: contoso-mail\nruntime: nodejs\n");
  // The module resolution of `pulumi new typescript` ("node"): types come through typesVersions.
  writeFileSync(join(program, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, target: "es2020", module: "commonjs", moduleResolution: "node", esModuleInterop: true, skipLibCheck: true }, files: ["index.ts"] }));
  writeFileSync(join(program, "index.ts"), WILDCARD_PROGRAM);
  execFileSync("npm", ["install", join(scratch, tarball), "@pulumi/pulumi@3.248.0", "@pulumi/command@1.2.1", "--prefer-offline", "--no-audit", "--no-fund"], { cwd: program, stdio: "ignore" });
  ws = workspace("installed-package", program);
});

afterAll(() => {
  ws?.dispose();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** A preview writing the three reports to paths relative to the program's directory, where pulumi runs. */
function previewWithReports(env: NodeJS.ProcessEnv = {}) {
  const dir = mkdtempSync(join(program, "reports-"));
  const relativeTo = (file: string) => join(basename(dir), file);
  const paths = { sarif: join(dir, "mailflow.sarif"), json: join(dir, "mailflow.json"), markdown: join(dir, "summary.md") };
  const r: RunResult = ws.run(["preview", "--policy-pack", PACK], {
    env: { ...env, MAILFLOW_GUARD_SARIF: relativeTo("mailflow.sarif"), MAILFLOW_GUARD_JSON: relativeTo("mailflow.json"), MAILFLOW_GUARD_MARKDOWN: relativeTo("summary.md") },
  });
  const read = (p: string) => (existsSync(p) ? readFileSync(p, "utf8") : "");
  return { r, paths, sarif: JSON.parse(read(paths.sarif) || "null"), json: JSON.parse(read(paths.json) || "null"), markdown: read(paths.markdown) };
}

describe("the pack installed from its npm tarball into a program outside the repository", () => {
  it("is installed compiled, without the repository's tests or examples", () => {
    const installed = join(program, PACK);
    expect(["PulumiPolicy.yaml", "dist/index.js", "dist/src/sdk/index.d.ts", "docs/rules/wildcard-onpremises-certificate-name.md"].filter((f) => !existsSync(join(installed, f)))).toEqual([]);
    expect(["test", "examples", "bench", "scripts", "tools"].filter((d) => existsSync(join(installed, d)))).toEqual([]);
  });

  it("passes a dedicated hybrid name, writes complete clean reports where the relative paths say, and says where at the end of the log", () => {
    const { r, sarif, json, markdown, paths } = previewWithReports();
    expect({ status: r.status, violations: violationsOf(r) }, r.stdout + r.stderr).toEqual({ status: 0, violations: ["mailflow-summary -> (stack)"] });
    expect(r.policyEvents[0]!.message.split("\n")[1]).toBe(
      `mailflow-guard passed this deployment: 0 findings block, 0 findings advise, 0 findings waived. Reports: SARIF ${paths.sarif}, JSON ${paths.json}, Markdown ${paths.markdown}.`,
    );
    expect(existsSync(join(program, "node_modules", PACK.split("/").pop()!, "mailflow.sarif"))).toBe(false);
    const validate = sarifValidator();
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    expect(sarif.runs[0].results).toEqual([]);
    expect(json.verdict).toBe("passed");
    expect(json.findings).toEqual([]);
    expect(markdown.startsWith("## mailflow-guard: ✅ passed")).toBe(true);
  });

  it("blocks the seed wildcard on the inbound connector, by the pack's installed version, with one proven one-value fix in every output", () => {
    const { r, sarif, json, markdown } = previewWithReports({ INBOUND_NAME: "*.contoso.com" });
    expect(r.status, r.stdout + r.stderr).not.toBe(0);
    const blocked = ["internet-identity-matches-onpremises-connector -> inbound", "wildcard-onpremises-certificate-name -> inbound"];
    expect(violationsOf(r, "mandatory")).toEqual(blocked);
    for (const e of r.policyEvents.filter((x) => x.enforcementLevel === "mandatory")) {
      expect([e.policyPackName, (e as unknown as { policyPackVersion: string }).policyPackVersion]).toEqual(["mailflow-guard", version]);
    }
    // One plan, printed once: the connector's one value, in the script and in the program that writes it.
    const [carrier, ...others] = r.policyEvents.filter((x) => x.enforcementLevel === "mandatory").map((x) => x.message);
    expect(carrier).toContain("Fix #1 (proven: clears this and the 1 finding below, adds no blocking one): Trust exactly smtpo365.contoso.com");
    expect(section(carrier!, "Pulumi")).toEqual([`index.ts:13: process.env.INBOUND_NAME ?? "smtpo365.contoso.com" → "smtpo365.contoso.com"`]);
    expect(others.map((m) => m.split("\n").find((l) => l.startsWith("Fix")))).toEqual(["Fix: cleared by fix #1 above (finding 2 of 2)."]);
    // Machine-readable, for every finding the one-value plan clears.
    for (const f of json.findings) expect(f.valueFix).toMatchObject({ resourceName: "inbound", property: "create", line: 3, parameter: "TlsSenderCertificateName", replacement: "'smtpo365.contoso.com'" });
    for (const x of sarif.runs[0].results) expect(x.fixes[0].artifactChanges[0].replacements[0].insertedContent.text).toBe("'smtpo365.contoso.com'");
    const validate = sarifValidator();
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    const results = sarif.runs[0].results.map((x: { ruleId: string; locations: Array<{ logicalLocations: Array<{ name: string }> }> }) => `${x.ruleId} -> ${x.locations[0]!.logicalLocations[0]!.name}`).sort();
    expect(results).toEqual(blocked);
    expect(sarif.runs[0].tool.driver.version).toBe(version);
    expect(json.verdict).toBe("blocked");
    expect(json.findings.map((f: { policy: string }) => f.policy).sort()).toEqual(["internet-identity-matches-onpremises-connector", "wildcard-onpremises-certificate-name"]);
    expect(markdown.startsWith("## mailflow-guard: ❌ blocked")).toBe(true);
  });

  it("the fix pasted into the program as the log prints it (the issue's new user): the next preview passes, no duplicate URN", () => {
    const { r } = previewWithReports({ INBOUND_NAME: "*.contoso.com" });
    const carrier = r.policyEvents.find((x) => x.message.includes("\nFix #1 "))!.message;
    expect(pastePulumi(program, section(carrier, "Pulumi"))).toEqual({ values: [], said: [] });
    const again = ws.run(["preview", "--policy-pack", PACK], { env: { INBOUND_NAME: "*.contoso.com" } });
    expect({ status: again.status, violations: violationsOf(again, "mandatory") }, again.stdout + again.stderr).toEqual({ status: 0, violations: [] });
  });
});
