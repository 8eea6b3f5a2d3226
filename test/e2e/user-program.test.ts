/**
 * A program of its own that uses a checkout of the pack: its own node_modules, the checkout linked as
 * node_modules/mailflow-guard (what `npm install <path to the checkout>` does), the SDK imported by
 * package name exactly as the fixes in violation messages say, and `pulumi preview --policy-pack
 * node_modules/mailflow-guard`. (The npm tarball way: installed-package.test.ts.)
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WILDCARD_PROGRAM } from "./fixtures/wildcard-program";
import { REPO, toolchain, violationsOf, workspace, type Workspace } from "./harness";


let dir: string;
let ws: Workspace;

beforeAll(() => {
  toolchain();
  dir = mkdtempSync(join(tmpdir(), "mailflow-guard-user-program-"));
  const pkg = JSON.parse(execFileSync("node", ["-p", "JSON.stringify(require('./package.json'))"], { cwd: REPO, encoding: "utf8" })) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name: "contoso-mail", main: "index.ts", dependencies: { "@pulumi/pulumi": pkg.dependencies["@pulumi/pulumi"], "@pulumi/command": pkg.dependencies["@pulumi/command"] }, devDependencies: { typescript: pkg.dependencies.typescript, "@types/node": pkg.devDependencies["@types/node"] } }),
  );
  writeFileSync(join(dir, ".npmrc"), "legacy-peer-deps=true\n");
  writeFileSync(join(dir, "Pulumi.yaml"), "name: contoso-mail\nruntime: nodejs\n");
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, target: "es2020", module: "commonjs", moduleResolution: "node", esModuleInterop: true, skipLibCheck: true }, files: ["index.ts"] }));
  writeFileSync(join(dir, "index.ts"), WILDCARD_PROGRAM);
  execFileSync("npm", ["install", "--no-audit", "--no-fund"], { cwd: dir, stdio: "ignore" });
  symlinkSync(REPO, join(dir, "node_modules", "mailflow-guard"), "dir");
  ws = workspace("user-program", dir);
});

afterAll(() => {
  ws?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("a program of its own, using a linked checkout of the pack", () => {
  it("previews a dedicated hybrid name cleanly", () => {
    const r = ws.run(["preview", "--policy-pack", "node_modules/mailflow-guard"]);
    expect({ status: r.status, violations: violationsOf(r) }).toEqual({ status: 0, violations: [] });
  });

  it("is blocked for a wildcard name, and the fix edits this program's own declaration", () => {
    const r = ws.run(["preview", "--policy-pack", "node_modules/mailflow-guard"], { env: { INBOUND_NAME: "*.contoso.com" } });
    expect(r.status).not.toBe(0);
    expect(violationsOf(r, "mandatory")).toEqual(["internet-identity-matches-onpremises-connector -> inbound", "wildcard-onpremises-certificate-name -> inbound"]);
    const carrier = r.policyEvents.find((x) => x.message.includes("\nFix #1 "))!.message;
    expect(carrier).toContain(`index.ts:13: process.env.INBOUND_NAME ?? "smtpo365.contoso.com" → "smtpo365.contoso.com"`);
  });
});

describe("the remediate level in the real engine", () => {
  it("writes the one value of the proven fix before the engine analyses the resource: the preview passes and says what it changed", () => {
    const config = join(dir, "remediate.json");
    writeFileSync(config, JSON.stringify({ "internet-identity-matches-onpremises-connector": "remediate", "wildcard-onpremises-certificate-name": "remediate" }));
    const r = ws.run(["preview", "--policy-pack", "node_modules/mailflow-guard", "--policy-pack-config", config], { env: { INBOUND_NAME: "*.contoso.com" } });
    expect({ status: r.status, blocking: violationsOf(r, "mandatory") }, r.stdout + r.stderr).toEqual({ status: 0, blocking: [] });
    const said = r.policyEvents.filter((e) => e.message.includes("Remediated (the remediate level): inbound.create:"));
    expect(said.map((e) => e.enforcementLevel)).toEqual(["advisory"]);
    expect(said[0]!.message).toContain("'*.contoso.com' → 'smtpo365.contoso.com'");
  });
});
