/**
 * `command:local:Command` and `command:remote:Command` (@pulumi/command 1.2.1): the Exchange
 * PowerShell they run, as facts. The state is what the scripts leave behind: the facts of `create`,
 * then those of `update` (what runs on change). `delete` is not part of the deployed state.
 */
import { exchangeOrgOfSession, factsOfCalls } from "./exchange";
import type { SyntaxErrorRegion } from "./powershell/context";
import { evaluatePowerShell } from "./powershell/script-cache";
import { powerShellOfLocal, powerShellOfRemote } from "./powershell/interpreters";
import { UNKNOWN_ORG } from "../model/types";
import { isUnknown, provenanceOf, type Extractor, type ResourceInput } from "./types";
import type { Fact } from "../model/facts";

export const LOCAL_COMMAND = "command:local:Command";
/** Input limit: a script property is read up to this many characters (a named advisory says so beyond). */
export const MAX_SCRIPT_CHARS = 131_072;
export const REMOTE_COMMAND = "command:remote:Command";

function environmentOf(props: Record<string, unknown>): Record<string, unknown> {
  const env = props.environment;
  return env !== null && typeof env === "object" && !Array.isArray(env) && !isUnknown(env) ? (env as Record<string, unknown>) : {};
}

/**
 * The on-premises organisation a script acts on: the remote host for a remote command (its
 * `connection` is a secret; only `host` is read), else the host of `New-PSSession -ConnectionUri`
 * in the script (see exchangeOrgOfSession), else `environment.MAILFLOW_ORG`.
 */
function organizationOf(resource: ResourceInput, facts: Fact[]): string | undefined {
  if (resource.type === REMOTE_COMMAND) {
    const connection = resource.props.connection;
    const host = connection !== null && typeof connection === "object" && !isUnknown(connection) ? (connection as Record<string, unknown>).host : undefined;
    if (typeof host === "string" && host.length > 0) return host.toLowerCase();
    facts.push({
      kind: "unverifiable",
      item: { subject: `remote command '${resource.name}'`, property: "connection.host", reason: "unknown during preview: the on-premises organisation cannot be named", provenance: provenanceOf(resource, "connection") },
    });
    // Not the stack's default organisation, and not known to differ from any.
    return UNKNOWN_ORG;
  }
  const org = environmentOf(resource.props).MAILFLOW_ORG;
  if (isUnknown(org)) return UNKNOWN_ORG;
  return typeof org === "string" ? org.toLowerCase() : undefined;
}

function scriptFacts(resource: ResourceInput, property: "create" | "update", org: string | undefined): Fact[] {
  const script = resource.props[property];
  if (script === undefined || script === null) return [];
  if (isUnknown(script)) {
    return [
      {
        kind: "unverifiable",
        item: {
          subject: `command '${resource.name}'`,
          property,
          reason:
            "unknown during preview: the whole script is an interpolated string; keep the script text known and pass values that are unknown until deploy through `environment`",
          provenance: provenanceOf(resource, property),
        },
      },
    ];
  }
  if (typeof script !== "string") return [];
  if (script.length > MAX_SCRIPT_CHARS) {
    // Read what fits, and say what was not read: every stage stays linear in what it reads.
    return [
      ...scriptFacts({ ...resource, props: { ...resource.props, [property]: script.slice(0, MAX_SCRIPT_CHARS) } }, property, org),
      {
        kind: "unverifiable",
        item: { subject: `command '${resource.name}'`, property, reason: `the script is longer than ${MAX_SCRIPT_CHARS.toLocaleString("en")} characters: only its first part was read; split it into several commands`, known: "never", provenance: provenanceOf(resource, property) },
      },
    ];
  }
  const declared = resource.props.interpreter;
  const interpreterUnknown = isUnknown(declared) || (Array.isArray(declared) && declared.some((w) => typeof w !== "string"));
  const interpreter = Array.isArray(declared) && !interpreterUnknown ? (declared as string[]) : undefined;
  // An interpreter unknown in preview: the script is read as the PowerShell it most likely is, and that is said.
  const { texts, unreadable } =
    resource.type === REMOTE_COMMAND ? powerShellOfRemote(script) : powerShellOfLocal(interpreterUnknown ? ["pwsh", "-Command"] : interpreter, script, resource.props.stdin);
  const facts: Fact[] = unreadable.map(({ line, reason }) => ({ kind: "unverifiable", item: { subject: `command '${resource.name}'`, property, reason, provenance: provenanceOf(resource, property, line + 1) } }));
  if (interpreterUnknown && property === "create") {
    facts.push({
      kind: "unverifiable",
      item: { subject: `command '${resource.name}'`, property: "interpreter", reason: "unknown during preview: the script was read as PowerShell; if another interpreter runs it, what it does is not checked", known: "at-deploy", provenance: provenanceOf(resource, "interpreter") },
    });
  }
  for (const t of texts) {
    // Parsed and evaluated once per process per distinct text and environment (see script-cache.ts).
    const evaluation = evaluatePowerShell(t.text, environmentOf(resource.props));
    const sessionOrg = org ?? exchangeOrgOfSession(evaluation.calls);
    facts.push(
      ...factsOfCalls(evaluation.calls, {
        ...(sessionOrg ? { org: sessionOrg } : {}),
        provenance: (line) => provenanceOf(resource, t.fromStdin ? "stdin" : property, line + t.lineOffset),
        subjectPrefix: resource.name,
      }),
    );
    for (const u of evaluation.unevaluated) {
      facts.push({
        kind: "unverifiable",
        item: { subject: `command '${resource.name}'`, property: u.command, reason: u.reason, known: "never", provenance: provenanceOf(resource, t.fromStdin ? "stdin" : property, u.line + t.lineOffset) },
      });
    }
    // One advisory per region that does not parse, however many errors the grammar found in it.
    for (const region of evaluation.syntaxErrors) {
      facts.push({
        kind: "unverifiable",
        item: { subject: `command '${resource.name}'`, property, reason: syntaxErrorReason(region, t.lineOffset), provenance: provenanceOf(resource, t.fromStdin ? "stdin" : property, region.line + t.lineOffset) },
      });
    }
  }
  return facts;
}

function syntaxErrorReason(region: SyntaxErrorRegion, lineOffset: number): string {
  const through = region.lastLine > region.line ? ` (through line ${region.lastLine + lineOffset})` : "";
  const more = region.more ? `, and in ${region.more} more place${region.more > 1 ? "s" : ""} up to line ${region.lastLine + lineOffset}` : through;
  return `the PowerShell does not parse here${more}; statements around it were read as far as possible, and every mail-flow command in it that was not read is named`;
}

export const commandExtractor: Extractor = {
  name: "command",
  appliesTo: (type) => type === LOCAL_COMMAND || type === REMOTE_COMMAND,
  extract(resource) {
    const facts: Fact[] = [];
    try {
      const org = organizationOf(resource, facts);
      facts.push(...scriptFacts(resource, "create", org), ...scriptFacts(resource, "update", org));
    } catch (e) {
      facts.push({
        kind: "unverifiable",
        item: { subject: `command '${resource.name}'`, property: "create", reason: `could not read the script: ${e instanceof Error ? e.message : String(e)}`, provenance: provenanceOf(resource) },
      });
    }
    return facts;
  },
};
