/**
 * `mailflow-guard audit | flows | rules`: audits exported tenant and on-premises configuration, prints
 * its mail flows, lists the rules. Run through bin/mailflow-guard.cjs, `npm run audit -- …` or
 * `npx tsx src/audit/cli.ts audit …`. Options: src/audit/cli-args.ts (`mailflow-guard <command> --help`).
 */
import { readFileSync } from "node:fs";
import type { MailFlowModel } from "../model/types";
import { packVersion } from "../reporters/pulumi/pack-metadata";
import { writeAtomically } from "../reporters/files/write";
import { auditPaths } from "./audit";
import { parseCli, type CliArgs, type FlowFormat } from "./cli-args";
import { expectedAttributions, renderMatrix, renderMermaid, renderPester } from "./flows";
import { baselineOf, type Baseline } from "./policy";
import { auditJsonReport, writeAuditFiles } from "./report-files";
import { EXIT, exitCodeOf, renderText, visible } from "./render";
import { modelFromReport } from "./report-model";
import { renderRules } from "./rules-list";
import { stateOfModel } from "./state";

export { commandHelp, parseCli, USAGE } from "./cli-args";

const fail = (message: string): number => {
  process.stderr.write(`mailflow-guard: ${visible(message)}\n`);
  return EXIT.incomplete;
};

/** A file the user named (report, baseline), read as text; or why it cannot be. */
function readNamedFile(path: string): string | { error: string } {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    return { error: `cannot read ${path}: ${e instanceof Error && "code" in e ? String(e.code) : "error"}` };
  }
}

async function runAudit(args: CliArgs): Promise<number> {
  let baseline: Baseline | undefined;
  if (args.baseline !== undefined) {
    const text = readNamedFile(args.baseline);
    const read = typeof text === "string" ? baselineOf(args.baseline, text) : text.error;
    if (typeof read === "string") return fail(read);
    baseline = read;
  }
  const result = await auditPaths(args.paths, {
    ...(args.config !== undefined ? { config: args.config } : {}),
    ...(baseline ? { baseline } : {}),
    ...(args.failOn ? { failOn: args.failOn } : {}),
  });
  process.stdout.write(`${args.json ? JSON.stringify(auditJsonReport(result), null, 2) : renderText(result)}\n`);
  const unwritten = writeAuditFiles(result, args.files);
  if (args.state !== undefined) {
    const error = writeAtomically(args.state, JSON.stringify(stateOfModel(result.model), null, 2));
    if (error !== undefined) unwritten.push(`cannot write the state to ${args.state}: ${error}`);
  }
  for (const message of unwritten) process.stderr.write(`mailflow-guard: ${visible(message)}\n`);
  // A report file that was asked for and not written is an input/output failure, unless a finding fails anyway.
  const code = exitCodeOf(result);
  return code === EXIT.passed && unwritten.length > 0 ? EXIT.incomplete : code;
}

async function runFlows(args: CliArgs): Promise<number> {
  if (args.report !== undefined) {
    const model = readReportModel(args.report);
    if (typeof model === "string") return fail(model);
    process.stdout.write(`${visible(renderFlows(model, args.format))}\n`);
    return EXIT.passed;
  }
  const result = await auditPaths(args.paths, args.config !== undefined ? { config: args.config } : {});
  for (const p of result.problems) process.stderr.write(`mailflow-guard: ${visible(`${p.file} (${p.place}): ${p.problem}`)}\n`);
  process.stdout.write(`${visible(renderFlows(result.model, args.format))}\n`);
  return result.problems.length > 0 ? EXIT.incomplete : EXIT.passed;
}

export async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseCli(argv, packVersion);
  if ("print" in parsed) {
    (parsed.stream === "stdout" ? process.stdout : process.stderr).write(`${parsed.print}\n`);
    return parsed.code;
  }
  const args = parsed.run;
  if (args.command === "rules") {
    const listed = renderRules(args);
    if (typeof listed !== "string") return fail(listed.error);
    process.stdout.write(`${listed}\n`);
    return EXIT.passed;
  }
  return args.command === "flows" ? runFlows(args) : runAudit(args);
}

if (require.main === module) {
  // Exit explicitly once the report is written: a handle left open by a loaded module must not keep the audit waiting.
  const exit = (code: number) => process.stdout.write("", () => process.exit(code));
  main(process.argv.slice(2)).then(exit, (e) => {
    process.stderr.write(`mailflow-guard: ${e instanceof Error ? e.message : String(e)}\n`);
    exit(EXIT.usage);
  });
}

/** The model recorded in the pack's JSON report at `path`, or why it cannot be read. */
export function readReportModel(path: string): MailFlowModel | string {
  const text = readNamedFile(path);
  return typeof text === "string" ? modelFromReport(path, text) : text.error;
}

/** The flows output: the matrix, the Pester plan and the Mermaid diagram (each alone with --format). */
export function renderFlows(model: Parameters<typeof expectedAttributions>[0], format: FlowFormat): string {
  const rows = expectedAttributions(model);
  if (format === "json") return JSON.stringify(rows, null, 2);
  if (format === "matrix") return renderMatrix(rows);
  if (format === "pester") return renderPester(rows);
  if (format === "mermaid") return renderMermaid(model);
  return ["## Mail flows and expected attribution", "", renderMatrix(rows), "", "## Test plan (Pester)", "", "```powershell", renderPester(rows), "```", "", "## Picture", "", "```mermaid", renderMermaid(model), "```"].join("\n");
}
