/**
 * Drives the real Pulumi CLI on the example programs: local file backend in a temporary directory,
 * fixed passphrase, no login, no network. Policy events come from `--event-log` (the `--json`
 * preview digest leaves them out).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";

export const REPO = resolve(__dirname, "..", "..");
export const EXAMPLES = join(REPO, "examples");

let toolchainBin: string | undefined;

/** Builds or finds the pinned toolchain once (scripts/ensure-pulumi.sh); returns its bin directory. */
export function toolchain(): string {
  if (!toolchainBin) {
    const out = execFileSync("bash", [join(REPO, "scripts", "ensure-pulumi.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    toolchainBin = out.trim().split("\n").pop()!.trim();
    if (!existsSync(join(toolchainBin, "pulumi"))) throw new Error(`ensure-pulumi.sh did not produce a pulumi binary in ${toolchainBin}`);
  }
  return toolchainBin;
}

export interface PolicyEvent {
  resourceUrn: string;
  message: string;
  policyName: string;
  policyPackName: string;
  enforcementLevel: string;
  severity?: string;
}

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
  policyEvents: PolicyEvent[];
  /** Names of resources whose steps the engine reported as done (`resOutputsEvent`). */
  completedResources: string[];
}

export interface Workspace {
  env: NodeJS.ProcessEnv;
  stack: string;
  dir: string;
  run(args: string[], opts?: { extraPath?: string; env?: NodeJS.ProcessEnv }): RunResult;
  dispose(): void;
}

/** A fresh backend and stack for one example (or for the program in `dir`). */
export function workspace(example: string, dir = join(EXAMPLES, example)): Workspace {
  const bin = toolchain();
  const scratch = mkdtempSync(join(tmpdir(), `mailflow-guard-${example}-`));
  mkdirSync(join(scratch, "state"));
  const stack = `e2e${process.pid}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: [bin, process.env.PATH ?? ""].join(delimiter),
    PULUMI_BACKEND_URL: `file://${join(scratch, "state")}`,
    PULUMI_CONFIG_PASSPHRASE: "mailflow-guard-e2e",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_HOME: process.env.PULUMI_HOME ?? join(bin, "..", "pulumi-home"),
    NO_COLOR: "1",
    // `--event-log` is only registered when debug commands are enabled (pkg/cmd/pulumi/operations/preview.go).
    PULUMI_DEBUG_COMMANDS: "true",
  };
  const ws: Workspace = {
    env,
    stack,
    dir,
    run(args, opts = {}) {
      const eventLog = join(scratch, `events-${Date.now()}.jsonl`);
      // As a shell that runs pulumi in the program's directory sets it (report paths are relative to it).
      const runEnv: NodeJS.ProcessEnv = { ...env, PWD: dir, ...opts.env };
      if (opts.extraPath) runEnv.PATH = [opts.extraPath, runEnv.PATH].join(delimiter);
      const withLog = args[0] === "preview" || args[0] === "up" ? [...args, `--event-log=${eventLog}`] : args;
      const r = spawnSync("pulumi", [...withLog, "--stack", stack, "--non-interactive", "--color", "never"], {
        cwd: dir,
        env: runEnv,
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
      });
      const events = existsSync(eventLog)
        ? readFileSync(eventLog, "utf8")
            .split("\n")
            .filter((l) => l.trim())
            .map((l) => JSON.parse(l) as Record<string, unknown>)
        : [];
      return {
        status: r.status ?? -1,
        stdout: r.stdout,
        stderr: r.stderr,
        policyEvents: events.flatMap((e) => (e.policyEvent ? [e.policyEvent as PolicyEvent] : [])),
        completedResources: events.flatMap((e) => {
          const o = e.resOutputsEvent as { metadata?: { urn?: string } } | undefined;
          return o?.metadata?.urn ? [o.metadata.urn.split("::").pop()!] : [];
        }),
      };
    },
    dispose() {
      spawnSync("pulumi", ["stack", "rm", stack, "--yes", "--force", "--non-interactive"], { cwd: dir, env, encoding: "utf8" });
      rmSync(join(dir, `Pulumi.${stack}.yaml`), { force: true });
      rmSync(scratch, { recursive: true, force: true });
    },
  };
  const init = spawnSync("pulumi", ["stack", "init", stack, "--non-interactive"], { cwd: dir, env, encoding: "utf8" });
  if (init.status !== 0) throw new Error(`pulumi stack init failed in ${dir}:\n${init.stderr}`);
  return ws;
}

/** `pulumi preview --policy-pack <repo>`. */
export function previewWithPack(ws: Workspace, extra: string[] = []): RunResult {
  return ws.run(["preview", "--policy-pack", REPO, ...extra]);
}

/** A stand-in `pwsh` that records the scripts it is given instead of contacting Exchange. */
export function fakeExchangeShell(): { dir: string; log: string; recorded(): string } {
  const dir = mkdtempSync(join(tmpdir(), "mailflow-guard-fake-pwsh-"));
  const log = join(dir, "cmdlets.log");
  const script = `#!/bin/sh\n# Stand-in for pwsh: the last argument is the script; record it.\nfor last; do :; done\nprintf '%s\\n----\\n' "$last" >> "${log}"\n`;
  writeFileSync(join(dir, "pwsh"), script);
  chmodSync(join(dir, "pwsh"), 0o755);
  return { dir, log, recorded: () => (existsSync(log) ? readFileSync(log, "utf8") : "") };
}

/** The resource a policy event is on: its name, or `(stack)` for one on the stack itself. */
export const resourceOf = (e: PolicyEvent): string => (e.resourceUrn.includes("::pulumi:pulumi:Stack::") || e.resourceUrn === "" ? "(stack)" : e.resourceUrn.split("::").pop()!);

/** Violations as `policy → resource name`, sorted, for exact comparison. */
export function violationsOf(r: RunResult, level?: string): string[] {
  return r.policyEvents
    .filter((e) => (level ? e.enforcementLevel === level : true))
    .map((e) => `${e.policyName} -> ${resourceOf(e)}`)
    .sort();
}

/** The violations the engine prints under "Policies:", in the order it prints them (`- [level] … policy (type: resource)`). */
export function printedViolations(stdout: string): string[] {
  return stdout.split("\n").flatMap((line) => {
    const m = /^\s*- \[(mandatory|advisory|remediate)\](?: \[severity: \w+\])?\s+(\S+)\s+\((.*)\)\s*$/.exec(line);
    return m ? [`${m[1]} ${m[2]} (${m[3]})`] : [];
  });
}
