#!/usr/bin/env node
// Launcher: the compiled CLI (dist/, built by `npm run build` / npm's prepare step) where it exists, as in
// an installed package; in a checkout without a build, the TypeScript source through tsx (a devDependency).
const { spawnSync } = require("node:child_process");
const { existsSync } = require("node:fs");
const path = require("node:path");
const root = path.join(__dirname, "..");
const compiled = path.join(root, "dist", "src", "audit", "cli.js");
const args = existsSync(compiled)
  ? [compiled]
  : [require.resolve("tsx/cli", { paths: [root] }), path.join(root, "src", "audit", "cli.ts")];
const run = spawnSync(process.execPath, [...args, ...process.argv.slice(2)], { stdio: "inherit" });
process.exit(run.status ?? 2);
