/**
 * The command line, read with Node's util.parseArgs as the scanners teams know read theirs:
 * `mailflow-guard <command> --help` prints the command's help on standard output and exits 0,
 * `--version` prints the version, an unknown option is refused with the closest valid one, and a
 * usage error goes to standard error with exit code 2.
 */
import { parseArgs as nodeParseArgs } from "node:util";
import { closestName } from "../config/closest";
import { SEVERITY_ORDER, type Severity } from "../findings/types";

export const COMMANDS = ["audit", "flows", "rules"] as const;
export type Command = (typeof COMMANDS)[number];

export const FLOW_FORMATS = ["all", "matrix", "pester", "mermaid", "json"] as const;
export type FlowFormat = (typeof FLOW_FORMATS)[number];
export const FAIL_ON = [...[...SEVERITY_ORDER].reverse(), "none"] as const;

interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  value?: string;
  help: string;
}

const HELP: OptionSpec = { type: "boolean", short: "h", help: "print this help and exit" };
const CONFIG: OptionSpec = { type: "string", value: "file", help: "the pack's configuration, the same JSON as --policy-pack-config: rule levels (`all`, `<rule>`), and under mailflow-inventory the facts no export holds (gateways, tenants…) and exemptions" };

const OPTIONS: Record<Command, Record<string, OptionSpec>> = {
  audit: {
    json: { type: "boolean", help: "print the JSON report (format mailflow-guard-report/v2, docs/report.schema.json) instead of text" },
    sarif: { type: "string", value: "file", help: "also write a SARIF 2.1.0 log (each result at the export file and line)" },
    markdown: { type: "string", value: "file", help: "also write the Markdown summary, with the mail-flow picture" },
    "json-file": { type: "string", value: "file", help: "also write the JSON report to a file" },
    "write-state": { type: "string", value: "file", help: "also write what was read as a `pulumi stack export`, for `pulumi policy analyze --file`" },
    config: CONFIG,
    "fail-on": { type: "string", value: FAIL_ON.join("|"), help: "fail on an open finding of this severity or higher (default: on a rule whose level is mandatory; `none`: never on findings)" },
    baseline: { type: "string", value: "file", help: "a previous run's JSON report: only findings whose fingerprint is new are shown and fail; those gone are named" },
    help: HELP,
  },
  flows: {
    format: { type: "string", value: FLOW_FORMATS.join("|"), help: "what to print (default all: matrix, Pester plan and Mermaid picture as Markdown)" },
    report: { type: "string", value: "file", help: "read the mail-flow model from the pack's JSON report of a preview instead of exports" },
    config: CONFIG,
    help: HELP,
  },
  rules: {
    json: { type: "boolean", help: "print the rules as JSON" },
    config: { ...CONFIG, help: "show each rule's level as this configuration sets it" },
    help: HELP,
  },
};

const SYNOPSIS: Record<Command, string> = {
  audit: "mailflow-guard audit [options] <file or folder>...",
  flows: "mailflow-guard flows [--format <format>] [--config <file>] <file or folder>...\n       mailflow-guard flows [--format <format>] --report <the pack's JSON report>",
  rules: "mailflow-guard rules [--json] [--config <file>]",
};

const ABOUT: Record<Command, string> = {
  audit: `Audits exported configuration with the pack's rules, as one model: Exchange Online exports (Get-InboundConnector,
Get-OutboundConnector, Get-AcceptedDomain), on-premises exports (Get-SendConnector, Get-ReceiveConnector,
Get-ExchangeCertificate, Get-HybridConfiguration) as ConvertTo-Json (any encoding Windows writes) or Export-Clixml,
ScubaGear ProviderSettingsExport.json, Microsoft365DSC .ps1, pulumi stack export files and policy configuration.
Every file under a folder is read or named as skipped. A folder named like a domain (contoso.onmicrosoft.com) is
the tenant of the exports in it. How to export: docs/audit.md.

Exit code: 0 nothing fails; 1 an open finding fails (a mandatory rule's, or at --fail-on; against --baseline only a
new one); 2 usage error; 3 nothing fails, but an input could not be read, something expected was not read, or a
report file could not be written.`,
  flows: `Prints every mail flow the model derives with the attribution it should get (matrix), a Pester 5 test plan that
checks each one in the message trace, and a Mermaid picture with wrong-tenant flows in red.
Exit code: 0; 2 usage error; 3 an input could not be read.`,
  rules: "Lists the pack's rules: id, code, severity, level (by default, or as --config sets it) and documentation.",
};

export function commandHelp(command: Command): string {
  const lines = Object.entries(OPTIONS[command]).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : "    "}--${name}${o.value ? ` <${o.value}>` : ""}`;
    return `  ${flag.padEnd(34)} ${o.help}`;
  });
  return `Usage: ${SYNOPSIS[command]}\n\n${ABOUT[command]}\n\nOptions:\n${lines.join("\n")}`;
}

export const USAGE = `Usage: mailflow-guard <command> [options]

Commands:
  audit    audit exported Exchange Online and on-premises configuration with the pack's rules
  flows    print the mail flows, their expected attribution, a Pester test plan and a Mermaid picture
  rules    list the rules: id, code, severity, level, documentation

Options:
  -h, --help       print help (\`mailflow-guard <command> --help\` for a command's)
  -V, --version    print the version

Docs: docs/audit.md, docs/ci.md.`;

export interface CliArgs {
  command: Command;
  json: boolean;
  format: FlowFormat;
  /** Report files asked for (audit). */
  files: { sarif?: string; markdown?: string; json?: string };
  state?: string;
  report?: string;
  config?: string;
  failOn?: Severity | "none";
  baseline?: string;
  paths: string[];
}

/** What to do: run a command, or print a text (help, version, a usage error) and exit with its code. */
export type Parsed = { run: CliArgs } | { print: string; stream: "stdout" | "stderr"; code: number };

const usageError = (message: string, command?: Command): Parsed => ({
  print: `mailflow-guard: ${message}\n\n${command ? `Usage: ${SYNOPSIS[command]}\nRun \`mailflow-guard ${command} --help\` for every option.` : USAGE}`,
  stream: "stderr",
  code: 2,
});

/** A parseArgs error in the pack's words: the unknown option and the closest valid one, or the option that lacks its value. */
function describeError(e: unknown, command: Command): string {
  const code = e !== null && typeof e === "object" && "code" in e ? String(e.code) : "";
  const message = e instanceof Error ? e.message : String(e);
  const option = /'(-{1,2}[^' <=]+)/.exec(message)?.[1] ?? "";
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const known = Object.entries(OPTIONS[command]).flatMap(([name, o]) => [`--${name}`, ...(o.short ? [`-${o.short}`] : [])]);
    const near = closestName(option, known);
    return `unknown option '${option}' for \`mailflow-guard ${command}\`${near ? ` (did you mean ${near}?)` : ""}`;
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    const spec = OPTIONS[command][option.replace(/^-+/, "")];
    return spec?.type === "boolean" ? `${option} takes no value` : `${option} needs ${spec?.value ? `a value (${spec.value})` : "a value"}`;
  }
  return message.split("\n")[0]!;
}

export function parseCli(argv: readonly string[], version: () => string): Parsed {
  const [first, ...rest] = argv;
  if (first === undefined || first === "--help" || first === "-h" || first === "help") {
    const topic = first === "help" ? rest[0] : undefined;
    if (topic && (COMMANDS as readonly string[]).includes(topic)) return { print: commandHelp(topic as Command), stream: "stdout", code: 0 };
    return { print: USAGE, stream: first === undefined ? "stderr" : "stdout", code: first === undefined ? 2 : 0 };
  }
  if (first === "--version" || first === "-V" || first === "version") return { print: version(), stream: "stdout", code: 0 };
  if (!(COMMANDS as readonly string[]).includes(first)) {
    const near = closestName(first, [...COMMANDS]);
    return usageError(`unknown command '${first}'${near ? ` (did you mean ${near}?)` : ""}`);
  }
  const command = first as Command;
  let parsed: ReturnType<typeof nodeParseArgs>;
  try {
    const options = Object.fromEntries(Object.entries(OPTIONS[command]).map(([name, o]) => [name, { type: o.type, ...(o.short ? { short: o.short } : {}) }]));
    parsed = nodeParseArgs({ args: [...rest], options, allowPositionals: true, strict: true });
  } catch (e) {
    return usageError(describeError(e, command), command);
  }
  const v = parsed.values as Record<string, string | boolean | undefined>;
  if (v["help"]) return { print: commandHelp(command), stream: "stdout", code: 0 };
  const text = (name: string): string | undefined => (typeof v[name] === "string" ? (v[name] as string) : undefined);
  const format = text("format") ?? (v["json"] ? "json" : "all");
  if (!(FLOW_FORMATS as readonly string[]).includes(format)) return usageError(`--format must be one of ${FLOW_FORMATS.join(", ")}`, command);
  const failOn = text("fail-on");
  if (failOn !== undefined && !(FAIL_ON as readonly string[]).includes(failOn)) return usageError(`--fail-on must be one of ${FAIL_ON.join(", ")}`, command);
  const paths = parsed.positionals;
  if (command === "flows" && text("report") !== undefined && paths.length > 0) return usageError("--report reads the model from the report alone: give no other file or folder", command);
  if (command !== "rules" && paths.length === 0 && text("report") === undefined) return usageError("no file or folder given", command);
  if (command === "rules" && paths.length > 0) return usageError(`\`mailflow-guard rules\` takes no file or folder (got ${paths[0]})`, command);
  const files = { ...(text("sarif") ? { sarif: text("sarif") } : {}), ...(text("markdown") ? { markdown: text("markdown") } : {}), ...(text("json-file") ? { json: text("json-file") } : {}) };
  return {
    run: {
      command,
      json: v["json"] === true,
      format: format as FlowFormat,
      files,
      paths,
      ...(text("write-state") !== undefined ? { state: text("write-state") } : {}),
      ...(text("report") !== undefined ? { report: text("report") } : {}),
      ...(text("config") !== undefined ? { config: text("config") } : {}),
      ...(failOn !== undefined ? { failOn: failOn as Severity | "none" } : {}),
      ...(text("baseline") !== undefined ? { baseline: text("baseline") } : {}),
    },
  };
}
