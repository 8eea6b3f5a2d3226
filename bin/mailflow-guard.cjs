#!/usr/bin/env node
// Launcher: the pack is TypeScript run by tsx (a dependency of this repository), so the CLI is too.
const { spawnSync } = require("node:child_process");
const path = require("node:path");
const cli = path.join(__dirname, "..", "src", "audit", "cli.ts");
const tsx = require.resolve("tsx/cli", { paths: [path.join(__dirname, "..")] });
const run = spawnSync(process.execPath, [tsx, cli, ...process.argv.slice(2)], { stdio: "inherit" });
process.exit(run.status ?? 2);
