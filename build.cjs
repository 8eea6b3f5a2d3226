#!/usr/bin/env node
/**
 * `npm run build`: compiles the pack into dist/ (incremental tsc) and removes what a source no longer
 * produces — a stale dist/src/model/build.js would shadow dist/src/model/build/index.js at require
 * time. Run by `npm ci` (prepare), `npm test` and the tests' global setup; shipped in the package,
 * since Pulumi Cloud runs prepare when it installs a published pack.
 */
const { execFileSync } = require("node:child_process");
const { existsSync, readdirSync, rmSync } = require("node:fs");
const { join, relative } = require("node:path");

const root = __dirname;
const dist = join(root, "dist");
const tsc = () => execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", join(root, "tsconfig.build.json")], { cwd: root, stdio: "inherit" });
tsc();

/** Every source under these roots, relative to the repository. */
function sources(dir) {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [path] : [];
  });
}

// An incremental build trusts its build info: a compiled file deleted by hand would stay missing.
const missing = ["index.ts", ...sources("policies"), ...sources("src")].filter((source) => !existsSync(join(dist, source.replace(/\.ts$/, ".js"))));
if (missing.length > 0) {
  rmSync(join(dist, ".tsbuildinfo"), { force: true });
  tsc();
}

const COMPILED = /(\.d\.ts\.map|\.d\.ts|\.js\.map|\.js)$/;
(function prune(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      prune(path);
      if (readdirSync(path).length === 0) rmSync(path, { recursive: true });
    } else if (COMPILED.test(entry.name) && !existsSync(join(root, relative(dist, path)).replace(COMPILED, ".ts"))) rmSync(path);
  }
})(dist);
