/**
 * A fix that is one value change in the script: the finding's PowerShell line sets a parameter to a
 * literal, and the fix sets the same parameter of the same connector to another literal. Only then
 * can a SARIF `fix` replace text; anything else (placeholders, variables, several changes) stays a
 * text fix.
 */
import type { Finding } from "../../findings/types";
import type { ScriptLookup } from "./suppressions";

export interface ValueFix {
  urn: string;
  resourceName: string;
  property: string;
  line: number;
  /** 1-based column of the value as written in the script. */
  startColumn: number;
  /** 1-based column just after it. */
  endColumn: number;
  parameter: string;
  /** The value as the fix writes it (quoted as PowerShell reads it). */
  replacement: string;
}

interface Argument {
  parameter: string;
  /** As written, quotes included. */
  written: string;
  /** The value PowerShell reads. */
  value: string;
  /** 0-based index of `written` in the line. */
  at: number;
}

// -Name value: a single-quoted literal, a double-quoted text without expansion, or a bare word.
const ARGUMENT = /(?<![\w-])-([A-Za-z][\w]*)\s+('(?:[^']|'')*'|"[^"`$]*"|(?!-)[^\s'"`$;|(){}#,]+)/g;
const IDENTITY_PARAMETERS = ["identity", "name"];

function unquote(written: string): string {
  if (written.startsWith("'")) return written.slice(1, -1).replace(/''/g, "'");
  if (written.startsWith('"')) return written.slice(1, -1);
  return written;
}

/** The literal arguments of one line of PowerShell, before any comment. */
export function literalArguments(line: string): Argument[] {
  const out: Argument[] = [];
  for (const m of line.matchAll(ARGUMENT)) {
    const written = m[2]!;
    out.push({ parameter: m[1]!.toLowerCase(), written, value: unquote(written), at: m.index! + m[0].length - written.length });
  }
  return out;
}

const identityOf = (args: readonly Argument[]): string | undefined => args.find((a) => IDENTITY_PARAMETERS.includes(a.parameter))?.value.toLowerCase();
const isPlaceholder = (written: string): boolean => written.includes("<") || written.includes("$");

/** The one value change the fix makes on the finding's script lines, or undefined when it is not exactly one. */
export function singleValueFix(f: Finding, scripts: ScriptLookup): ValueFix | undefined {
  const fixLines = f.fix.powershell
    .split("\n")
    .filter((l) => !l.trimStart().startsWith("#"))
    .map(literalArguments)
    .filter((args) => identityOf(args) !== undefined);
  const changes: ValueFix[] = [];
  const seen = new Set<string>();
  for (const p of f.provenance) {
    if (p.line === undefined || p.property === undefined) continue;
    const key = `${p.urn}|${p.property}|${p.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const script = scripts(p.urn, p.property);
    const text = typeof script === "string" ? script.split(/\r?\n/)[p.line - 1] : undefined;
    if (text === undefined) continue;
    const scriptArgs = literalArguments(text);
    const identity = identityOf(scriptArgs);
    for (const fixArgs of fixLines.filter((args) => identityOf(args) === identity)) {
      for (const wanted of fixArgs) {
        if (IDENTITY_PARAMETERS.includes(wanted.parameter) || isPlaceholder(wanted.written)) continue;
        const current = scriptArgs.find((a) => a.parameter === wanted.parameter);
        if (!current || current.value === wanted.value) continue;
        changes.push({
          urn: p.urn,
          resourceName: p.resourceName,
          property: p.property,
          line: p.line,
          startColumn: current.at + 1,
          endColumn: current.at + current.written.length + 1,
          parameter: current.parameter,
          replacement: wanted.written,
        });
      }
    }
  }
  return changes.length === 1 ? changes[0] : undefined;
}
