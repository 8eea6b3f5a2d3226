/**
 * The published shape of the pack: what `npm pack` (and so `pulumi policy publish`, which runs it) puts
 * in the tarball, the package entry points, the pack's metadata, and that the Pulumi policy runner
 * starts the pack from compiled JavaScript without compiling any TypeScript. dist/ is compiled by the
 * vitest global setup (test/build-pack.ts) before any test runs.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SUMMARY_POLICY } from "../../src/reporters/pulumi/run-summary";
import { rules } from "../../src/rules";
import { DOCS_BASE_URL } from "../../src/reporters/files/docs-url";
import { createPolicies, POLICY_FRAMEWORK } from "../../src/reporters/pulumi/policies";
import { packMetadata, packMetadataAt, PACK_TAGS, repositoryUrl } from "../../src/reporters/pulumi/pack-metadata";

const REPO = resolve(__dirname, "..", "..");
const manifest = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as Record<string, unknown>;

function tsSources(dir: string): string[] {
  return readdirSync(join(REPO, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
    .map((f) => join(dir, f).split("\\").join("/"));
}

describe("npm pack --dry-run: the published tarball", () => {
  // --ignore-scripts: list what is on disk (the global setup has just built dist/) without building again.
  const listing = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: REPO, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })) as {
    files: { path: string }[];
  }[];
  const files = new Set(listing[0]!.files.map((f) => f.path));
  const compiledModules = ["index.ts", ...tsSources("policies"), ...tsSources("src")].map((f) => `dist/${f.replace(/\.ts$/, "")}`);

  it("holds exactly the pack's top-level entries: nothing of tests, examples, benchmarks, scripts or tools", () => {
    const topLevel = [...new Set([...files].map((p) => (p.includes("/") ? `${p.split("/")[0]}/` : p)))].sort();
    expect(topLevel).toEqual(["LICENSE", "PulumiPolicy.yaml", "README.md", "bin/", "build.cjs", "dist/", "docs/", "index.ts", "package.json", "policies/", "src/", "tsconfig.build.json", "tsconfig.json"]);
    expect([...files].filter((p) => p.startsWith("docs/") && !p.startsWith("docs/rules/"))).toEqual(["docs/audit.md", "docs/ci.md", "docs/report.schema.json"]);
    expect([...files].filter((p) => /(^|\/)(node_modules|test|examples|bench|scripts|tools)\//.test(p) || p.endsWith(".tsbuildinfo"))).toEqual([]);
  });

  it("has every compiled module with its declarations and source map, and every rule's docs page", () => {
    const missing = compiledModules.flatMap((m) => [`${m}.js`, `${m}.d.ts`, `${m}.js.map`]).filter((f) => !files.has(f));
    expect(missing).toEqual([]);
    expect(compiledModules).toContain("dist/src/sdk/index");
    const docPages = readdirSync(join(REPO, "docs", "rules")).map((f) => `docs/rules/${f}`);
    expect(docPages.filter((p) => !files.has(p))).toEqual([]);
    expect(rules.map((r) => `docs/rules/${r.meta.id}.md`).filter((p) => !files.has(p))).toEqual([]);
  });

  // A reader of the installed package (node_modules/mailflow-guard) follows these links: each must land on a
  // file the tarball holds; links to what it does not ship (tests, examples, design notes) are absolute.
  it("every relative link of a shipped Markdown page lands on a file the tarball holds", () => {
    const broken: string[] = [];
    for (const page of [...files].filter((f) => f.endsWith(".md"))) {
      const text = readFileSync(join(REPO, page), "utf8").replace(/```[\s\S]*?```/g, "");
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]!.split("#")[0]!;
        if (target === "" || /^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
        const resolved = join(page, "..", decodeURIComponent(target)).split("\\").join("/").replace(/\/$/, "");
        if (!files.has(resolved) && ![...files].some((f) => f.startsWith(`${resolved}/`))) broken.push(`${page}: ${m[1]}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("ships no compiled module without a source (a stale dist/ would)", () => {
    const expected = new Set(compiledModules.map((m) => `${m}.js`));
    expect([...files].filter((f) => f.startsWith("dist/") && f.endsWith(".js") && !expected.has(f))).toEqual([]);
  });
});

describe("package.json: entry points", () => {
  it("runs the pack from dist/index.js and exports only the SDK", () => {
    expect({ main: manifest.main, types: manifest.types, private: manifest.private, exports: manifest.exports, typesVersions: manifest.typesVersions }).toEqual({
      main: "dist/index.js",
      types: "dist/src/sdk/index.d.ts",
      private: true,
      exports: {
        ".": { types: "./dist/src/sdk/index.d.ts", default: "./dist/src/sdk/index.js" },
        "./sdk": { types: "./dist/src/sdk/index.d.ts", default: "./dist/src/sdk/index.js" },
        "./package.json": "./package.json",
      },
      typesVersions: { "*": { sdk: ["dist/src/sdk/index.d.ts"] } },
    });
    expect((manifest.scripts as Record<string, string>).prepare).toBe("npm run build && npm run link-self");
  });

  it("resolves mailflow-guard and mailflow-guard/sdk to the compiled SDK, and importing them starts no server", () => {
    // A PolicyPack server would keep the process alive: the child must exit on its own.
    const script = [
      "const sdk = require('mailflow-guard/sdk');",
      "const root = require('mailflow-guard');",
      "console.log(JSON.stringify({ file: require.resolve('mailflow-guard/sdk'), same: sdk === root, tenant: typeof sdk.Tenant, command: typeof sdk.exchangeOnlineCommand }));",
    ].join("\n");
    const out = execFileSync(process.execPath, ["-e", script], { cwd: REPO, encoding: "utf8", timeout: 120_000 });
    const seen = JSON.parse(out) as { file: string; same: boolean; tenant: string; command: string };
    expect({ ...seen, file: realpathSync(seen.file) }).toEqual({ file: join(realpathSync(REPO), "dist", "src", "sdk", "index.js"), same: true, tenant: "function", command: "function" });
  });
});

describe("PulumiPolicy.yaml", () => {
  it("names only keys the Pulumi CLI's policy project accepts, and no version (package.json's is reported)", () => {
    const keys = readFileSync(join(REPO, "PulumiPolicy.yaml"), "utf8")
      .split("\n")
      .filter((l) => /^[A-Za-z]/.test(l))
      .map((l) => l.split(":")[0]);
    expect(keys).toEqual(["runtime", "description", "website", "license"]);
    expect(readFileSync(join(REPO, "PulumiPolicy.yaml"), "utf8")).toContain("runtime: nodejs\n");
  });
});

describe("pack metadata", () => {
  it("reads the repository and README of the pack root", () => {
    const meta = packMetadataAt(REPO);
    expect({ ...meta, readme: meta.readme === readFileSync(join(REPO, "README.md"), "utf8") }).toEqual({
      description: "Blocks Exchange Online hybrid mail-flow deployments that make Exchange Online attribute mail to the wrong tenant.",
      displayName: "mailflow-guard: Exchange Online mail-flow tenant attribution",
      tags: [...PACK_TAGS],
      readme: true,
      repository: "https://github.com/mailflow-guard/mailflow-guard",
    });
  });

  it("leaves out what it cannot read, never throwing", () => {
    const empty = mkdtempSync(join(tmpdir(), "mailflow-guard-meta-"));
    writeFileSync(join(empty, "package.json"), "{ not json");
    try {
      expect(Object.keys(packMetadataAt(empty)).sort()).toEqual(["description", "displayName", "tags"]);
      expect(Object.keys(packMetadataAt(join(empty, "missing"))).sort()).toEqual(["description", "displayName", "tags"]);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
    expect(packMetadata({ repository: "git@github.com:x/y.git" }, "").repository).toBeUndefined();
  });

  it.each([
    ["git+https://github.com/a/b.git", "https://github.com/a/b"],
    [{ type: "git", url: "https://example.com/a/b" }, "https://example.com/a/b"],
    ["github:a/b", undefined],
    [42, undefined],
    [null, undefined],
  ])("repositoryUrl(%j) = %j", (input, expected) => {
    expect(repositoryUrl(input)).toBe(expected);
  });
});

describe("policy catalogue metadata", () => {
  const policies = createPolicies(rules);

  it("gives every policy an absolute docs URL whose page exists, a severity, remediation steps, tags and the framework", () => {
    const problems = policies.flatMap((p) => {
      const page = p.url?.startsWith(DOCS_BASE_URL) ? join(REPO, p.url.slice(DOCS_BASE_URL.length)) : undefined;
      const bad = [
        !page || !existsSync(page) ? "url" : "",
        // The summary has none on purpose: the engine lists it after every other violation.
        p.severity || p.name === SUMMARY_POLICY ? "" : "severity",
        p.remediationSteps ? "" : "remediationSteps",
        p.tags?.slice(0, 2).join(",") === "exchange-online,mail-flow" ? "" : "tags",
        p.framework?.name === POLICY_FRAMEWORK.name && p.framework.specification === `${DOCS_BASE_URL}docs/rules/README.md` && p.framework.reference ? "" : "framework",
      ].filter(Boolean);
      return bad.length ? [`${p.name}: ${bad.join(", ")}`] : [];
    });
    expect(problems).toEqual([]);
  });

  it("references each rule's research code, in the one policy that checks each resource and the whole stack", () => {
    const wildcard = policies.filter((p) => p.name.startsWith("wildcard-onpremises-certificate-name"));
    expect(wildcard.map((p) => [p.name, p.url, p.framework?.reference, p.tags, "validateResource" in p, "validateStack" in p])).toEqual([
      ["wildcard-onpremises-certificate-name", `${DOCS_BASE_URL}docs/rules/wildcard-onpremises-certificate-name.md`, "R3", ["exchange-online", "mail-flow", "tenant-attribution", "r3"], true, true],
    ]);
  });

  it("has one policy per rule, named by its id, and no other names but the inventory's, the configuration's, strict mode's and the summary's", () => {
    expect(policies.map((p) => p.name).sort()).toEqual(["mailflow-config", "mailflow-inventory", "mailflow-summary", "mailflow-unverifiable", ...rules.map((r) => r.meta.id)].sort());
  });
});

describe("the Pulumi policy runner on the repository", () => {
  const scratch = mkdtempSync(join(tmpdir(), "mailflow-guard-runner-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  // Records every module Node compiles: a TypeScript file would reach _compile through ts-node, which
  // run-policy-pack registers with type-checking for every pack (@pulumi/pulumi 3.248 offers no switch).
  const probe = join(scratch, "probe.cjs");
  const log = join(scratch, "compiled.log");
  writeFileSync(
    probe,
    `const Module = require("module"); const fs = require("fs");
const compile = Module.prototype._compile;
Module.prototype._compile = function (content, filename) { fs.appendFileSync(${JSON.stringify(log)}, filename + "\\n"); return compile.call(this, content, filename); };\n`,
  );

  it("starts the pack from dist/index.js (the gRPC port on stdout) without compiling any TypeScript", async () => {
    const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [REPO] });
    // The engine address is never dialled before the first request; the port line means the pack is serving.
    const child = spawn(process.execPath, ["--require", probe, runner, "127.0.0.1:1", "."], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
    const firstLine = await new Promise<string>((done, fail) => {
      let out = "";
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("\n")) done(out.split("\n")[0]!.trim());
      });
      child.on("exit", (code) => fail(new Error(`the pack exited (${code}) before serving`)));
    });
    child.kill();
    const compiled = readFileSync(log, "utf8").split("\n").filter(Boolean);
    const ownModules = compiled.filter((f) => !f.includes(`${"/"}node_modules${"/"}`)).map((f) => relative(REPO, f));
    expect(firstLine).toMatch(/^\d+$/);
    expect(compiled.filter((f) => /\.tsx?$/.test(f))).toEqual([]);
    expect(ownModules[0]).toBe(join("dist", "index.js"));
    expect(ownModules.every((f) => f.startsWith(`dist${"/"}`))).toBe(true);
  });
});
