/** `mailflow-guard rules`: each rule's id, code, severity, level (by default, or as a configuration sets it) and documentation. */
import { readFileSync } from "node:fs";
import { decodeExport } from "../extractors/exports/decode";
import { docsUrl } from "../reporters/files/docs-url";
import { rules } from "../rules";
import type { CliArgs } from "./cli-args";
import { ruleLevels, type Level } from "./policy";

export interface RuleRow {
  id: string;
  code: string;
  severity: string;
  level: Level;
  defaultLevel: Level;
  description: string;
  docs: string;
}

/** The configured levels of the configuration file at `path`, or why they cannot be read. */
function configuredLevels(path: string): Map<string, Level> | { error: string } {
  let value: unknown;
  try {
    const decoded = decodeExport(readFileSync(path));
    if ("problem" in decoded) return { error: `${path} ${decoded.problem}` };
    value = JSON.parse(decoded.text);
  } catch (e) {
    return { error: `cannot read ${path} as JSON (${e instanceof Error && "code" in e ? String(e.code) : "not JSON"})` };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return { error: `${path} is not a policy configuration (an object of levels and mailflow-inventory)` };
  const { levels, problems } = ruleLevels([{ file: path, value: value as Record<string, unknown> }], rules);
  if (problems.length) return { error: problems.map((p) => `${p.file} (${p.place}): ${p.problem}`).join("\n") };
  return levels;
}

export function ruleRows(levels?: ReadonlyMap<string, Level>): RuleRow[] {
  const defaults = ruleLevels([], rules).levels;
  return rules.map((r) => ({
    id: r.meta.id,
    code: r.meta.code,
    severity: r.meta.severity,
    level: levels?.get(r.meta.id) ?? defaults.get(r.meta.id)!,
    defaultLevel: defaults.get(r.meta.id)!,
    description: r.meta.description,
    docs: docsUrl(r.meta.id),
  }));
}

export function renderRules(args: Pick<CliArgs, "json" | "config">): string | { error: string } {
  const levels = args.config !== undefined ? configuredLevels(args.config) : undefined;
  if (levels && "error" in levels) return levels;
  const rows = ruleRows(levels);
  if (args.json) return JSON.stringify(rows, null, 2);
  const width = Math.max(...rows.map((r) => r.id.length));
  return [
    `${"rule".padEnd(width)}  code  severity  level      docs`,
    ...rows.map((r) => `${r.id.padEnd(width)}  ${r.code.padEnd(4)}  ${r.severity.padEnd(8)}  ${r.level.padEnd(9)}  ${r.docs}`),
  ].join("\n");
}
