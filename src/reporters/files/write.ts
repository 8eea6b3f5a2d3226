/**
 * Where the reports go and how they are written: configured paths (`report` of mailflow-inventory)
 * or, for CI, MAILFLOW_GUARD_SARIF / MAILFLOW_GUARD_JSON / MAILFLOW_GUARD_MARKDOWN (they win over the
 * configuration: the pipeline decides where its files go). Each file is written whole to a temporary
 * file beside it and renamed over it, so a reader never sees half a document.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import type { ReportConfig } from "../../config/schema";

export type ReportFormat = "sarif" | "json" | "markdown";
export type ReportTargets = Partial<Record<ReportFormat, string>>;

export const REPORT_ENV: Record<ReportFormat, string> = {
  sarif: "MAILFLOW_GUARD_SARIF",
  json: "MAILFLOW_GUARD_JSON",
  markdown: "MAILFLOW_GUARD_MARKDOWN",
};

/**
 * The directory `pulumi` was started from: the shell's `PWD`, which the engine and its language host
 * pass on to the pack (whose own working directory is the policy pack's). Else the pack's.
 */
export function runDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const pwd = env.PWD;
  return pwd && isAbsolute(pwd) && existsSync(pwd) ? pwd : process.cwd();
}

/** The files to write; relative paths resolve against the directory `pulumi` runs in (runDirectory). */
export function reportTargets(config: ReportConfig | undefined, env: NodeJS.ProcessEnv = process.env): ReportTargets {
  const targets: ReportTargets = {};
  for (const format of Object.keys(REPORT_ENV) as ReportFormat[]) {
    const path = env[REPORT_ENV[format]] || config?.[format];
    if (path) targets[format] = resolve(runDirectory(env), path);
  }
  return targets;
}

let counter = 0;

export function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // Nothing was written there (its directory does not exist): nothing to clean up.
  }
}

/** Writes `text` to `path` atomically; returns the error message instead of throwing. */
export function writeAtomically(path: string, text: string): string | undefined {
  const temporary = `${path}.${process.pid}.${++counter}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(temporary, text);
    renameSync(temporary, path);
    return undefined;
  } catch (e) {
    removeQuietly(temporary);
    return e instanceof Error ? e.message : String(e);
  }
}
