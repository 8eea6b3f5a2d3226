/**
 * `mailflow-guard audit [--json] [--sarif <file>] [--markdown <file>] <paths…>`: audits exported tenant and on-premises configuration.
 * Run through bin/mailflow-guard.cjs, `npm run audit -- …` or `npx tsx src/audit/cli.ts audit …`.
 */
import { readFileSync } from "node:fs";
import type { MailFlowModel } from "../model/types";
import { auditPaths } from "./audit";
import { expectedAttributions, renderMatrix, renderMermaid, renderPester } from "./flows";
import { exitCodeOf, renderJson, renderText } from "./render";
import { modelFromReport } from "./report-model";
import { stateOfModel } from "./state";
import { writeAtomically } from "../reporters/files/write";
import { writeAuditFiles, type AuditFileTargets } from "./report-files";

export const USAGE = `Usage: mailflow-guard audit [--json] [--sarif <file>] [--markdown <file>] [--write-state <file>] <file or folder>...
       mailflow-guard flows [--format all|matrix|pester|mermaid|json] <file or folder>...
       mailflow-guard flows [--format …] --report <the pack's JSON report>

Reads Exchange Online exports (Get-InboundConnector/Get-OutboundConnector/Get-AcceptedDomain | ConvertTo-Json),
on-premises exports (Get-SendConnector, Get-ReceiveConnector, Get-ExchangeCertificate, Get-HybridConfiguration),
ScubaGear ProviderSettingsExport.json, Microsoft365DSC .ps1 configurations, pulumi stack export files and
mailflow-inventory policy configuration (gateways, tenants), builds one model and runs every rule.
\`flows\` prints every mail flow with its expected attribution, a Pester test plan (Get-MessageTraceV2) and a
Mermaid diagram with wrong-tenant flows in red; with --report, of the model the pack recorded in its JSON report.
--sarif and --markdown also write the findings as the pack's SARIF 2.1.0 log and Markdown summary.
--write-state writes what was read as a Pulumi stack export, for \`pulumi policy analyze --file <file> --policy-pack <pack>\`.
A folder named like a domain (contoso.onmicrosoft.com) is the tenant of the exports in it.
Exit code: 0 no blocking finding, 1 a blocking (critical/high) finding, 2 usage error, 3 an input could not be read.`;

export const FLOW_FORMATS = ["all", "matrix", "pester", "mermaid", "json"] as const;
export type FlowFormat = (typeof FLOW_FORMATS)[number];

export interface CliArgs {
  command: "audit" | "flows";
  json: boolean;
  format: FlowFormat;
  /** The report files asked for (audit only). */
  files: AuditFileTargets;
  /** audit: where to write what was read as a Pulumi stack export. */
  state?: string;
  /** flows: the pack's JSON report to read the model from, instead of exports. */
  report?: string;
  paths: string[];
}

export function parseArgs(argv: readonly string[]): CliArgs | string {
  const [command, ...rest] = argv;
  if (!command || command === "--help" || command === "-h") return USAGE;
  if (command !== "audit" && command !== "flows") return `Unknown command '${command}'.\n\n${USAGE}`;
  const json = rest.includes("--json");
  let format: FlowFormat = json ? "json" : "all";
  const paths: string[] = [];
  const files: AuditFileTargets = {};
  let report: string | undefined;
  let state: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === "--json") continue;
    if (a === "--format" && command === "flows") {
      const value = rest[++i];
      if (!FLOW_FORMATS.includes(value as FlowFormat)) return `--format must be one of ${FLOW_FORMATS.join(", ")}.\n\n${USAGE}`;
      format = value as FlowFormat;
    } else if (a === "--report" && command === "flows") {
      report = rest[++i];
      if (!report || report.startsWith("--")) return `--report needs the pack's JSON report file.\n\n${USAGE}`;
    } else if (a === "--write-state" && command === "audit") {
      state = rest[++i];
      if (!state || state.startsWith("--")) return `--write-state needs a file name.\n\n${USAGE}`;
    } else if ((a === "--sarif" || a === "--markdown") && command === "audit") {
      const file = rest[++i];
      if (!file || file.startsWith("--")) return `${a} needs a file name.\n\n${USAGE}`;
      files[a === "--sarif" ? "sarif" : "markdown"] = file;
    } else if (a.startsWith("--")) return `Unknown option '${a}'.\n\n${USAGE}`;
    else paths.push(a);
  }
  if (report !== undefined && paths.length > 0) return `--report reads the model from the report alone: give no other file or folder.\n\n${USAGE}`;
  if (paths.length === 0 && report === undefined) return `No file or folder given.\n\n${USAGE}`;
  return { command, json, format, files, paths, ...(report !== undefined ? { report } : {}), ...(state !== undefined ? { state } : {}) };
}

export async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === "string") {
    process.stderr.write(`${args}\n`);
    return args === USAGE ? 0 : 2;
  }
  if (args.report !== undefined) {
    const model = readReportModel(args.report);
    if (typeof model === "string") {
      process.stderr.write(`mailflow-guard: ${model}\n`);
      return 3;
    }
    process.stdout.write(`${renderFlows(model, args.format)}\n`);
    return 0;
  }
  const result = await auditPaths(args.paths);
  if (args.command === "flows") {
    process.stdout.write(`${renderFlows(result.model, args.format)}\n`);
    return result.problems.length > 0 ? 3 : 0;
  }
  process.stdout.write(`${args.json ? renderJson(result) : renderText(result)}\n`);
  const unwritten = writeAuditFiles(result, args.files);
  if (args.state !== undefined) {
    const error = writeAtomically(args.state, JSON.stringify(stateOfModel(result.model), null, 2));
    if (error !== undefined) unwritten.push(`cannot write the state to ${args.state}: ${error}`);
  }
  for (const message of unwritten) process.stderr.write(`mailflow-guard: ${message}\n`);
  // A report file that was asked for and not written is an input/output failure, unless a finding blocks anyway.
  const code = exitCodeOf(result);
  return code === 0 && unwritten.length > 0 ? 3 : code;
}

if (require.main === module) {
  // Exit explicitly once the report is written: a handle left open by a loaded module must not keep the audit waiting.
  const exit = (code: number) => process.stdout.write("", () => process.exit(code));
  main(process.argv.slice(2)).then(exit, (e) => {
    process.stderr.write(`mailflow-guard: ${e instanceof Error ? e.message : String(e)}\n`);
    exit(2);
  });
}

/** The model recorded in the pack's JSON report at `path`, or why it cannot be read. */
export function readReportModel(path: string): MailFlowModel | string {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    return `cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`;
  }
  return modelFromReport(path, text);
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
