/**
 * `mailflow-guard audit [--json] <paths…>`: audits exported tenant and on-premises configuration.
 * Run through bin/mailflow-guard.cjs, `npm run audit -- …` or `npx tsx src/audit/cli.ts audit …`.
 */
import { auditPaths } from "./audit";
import { exitCodeOf, renderJson, renderText } from "./render";

export const USAGE = `Usage: mailflow-guard audit [--json] <file or folder>...

Reads Exchange Online exports (Get-InboundConnector/Get-OutboundConnector/Get-AcceptedDomain | ConvertTo-Json),
on-premises exports (Get-SendConnector, Get-ReceiveConnector, Get-ExchangeCertificate, Get-HybridConfiguration),
ScubaGear ProviderSettingsExport.json, Microsoft365DSC .ps1 configurations, pulumi stack export files and
mailflow-inventory policy configuration (gateways, tenants), builds one model and runs every rule.
A folder named like a domain (contoso.onmicrosoft.com) is the tenant of the exports in it.
Exit code: 0 no blocking finding, 1 a blocking (critical/high) finding, 2 usage error, 3 an input could not be read.`;

export interface CliArgs {
  command: string;
  json: boolean;
  paths: string[];
}

export function parseArgs(argv: readonly string[]): CliArgs | string {
  const [command, ...rest] = argv;
  if (!command || command === "--help" || command === "-h") return USAGE;
  if (command !== "audit") return `Unknown command '${command}'.\n\n${USAGE}`;
  const json = rest.includes("--json");
  const unknownOption = rest.find((a) => a.startsWith("--") && a !== "--json");
  if (unknownOption) return `Unknown option '${unknownOption}'.\n\n${USAGE}`;
  const paths = rest.filter((a) => a !== "--json");
  if (paths.length === 0) return `No file or folder given.\n\n${USAGE}`;
  return { command, json, paths };
}

export async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === "string") {
    process.stderr.write(`${args}\n`);
    return args === USAGE ? 0 : 2;
  }
  const result = await auditPaths(args.paths);
  process.stdout.write(`${args.json ? renderJson(result) : renderText(result)}\n`);
  return exitCodeOf(result);
}

if (require.main === module) {
  // Exit explicitly once the report is written: a handle left open by a loaded module must not keep the audit waiting.
  const exit = (code: number) => process.stdout.write("", () => process.exit(code));
  main(process.argv.slice(2)).then(exit, (e) => {
    process.stderr.write(`mailflow-guard: ${e instanceof Error ? e.message : String(e)}\n`);
    exit(2);
  });
}
