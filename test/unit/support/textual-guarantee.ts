/**
 * The textual guarantee, checked from outside the evaluator (issue 23): every name of a command the
 * pack reads that a command resource's PowerShell writes in code is on a line where the evaluation ran a
 * call, named something it did not read, or said the script does not parse. The names are found again
 * here by the lexical scan over the text as written; the evaluation is the one the extractor uses.
 */
import { powerShellOfLocal, powerShellOfRemote } from "../../../src/extractors/powershell/interpreters";
import { scanText } from "../../../src/extractors/powershell/occurrences";
import { normalizeTypographicQuotes } from "../../../src/extractors/powershell/quotes";
import { evaluatePowerShell } from "../../../src/extractors/powershell/script-cache";
import { isUnknown } from "../../../src/extractors/types";

export interface CommandLike {
  type: string;
  name: string;
  props: Record<string, unknown>;
}

const LOCAL = "command:local:Command";
const REMOTE = "command:remote:Command";
/** Longer scripts are read in part, and that is said (command.ts MAX_SCRIPT_CHARS): the property covers what is read. */
const READ_CHARS = 131_072;

/** `resource line: name` of every name in code that no call, advisory or syntax error accounts for. */
export function unaccountedNames(resource: CommandLike): string[] {
  if (resource.type !== LOCAL && resource.type !== REMOTE) return [];
  const out: string[] = [];
  for (const property of ["create", "update"] as const) {
    const script = resource.props[property];
    if (typeof script !== "string") continue;
    const read = script.slice(0, READ_CHARS);
    const interpreter = resource.props.interpreter;
    const known = Array.isArray(interpreter) && interpreter.every((w) => typeof w === "string") ? (interpreter as string[]) : isUnknown(interpreter) ? ["pwsh", "-Command"] : undefined;
    const stdin = typeof resource.props.stdin === "string" ? resource.props.stdin : undefined;
    const reading = resource.type === REMOTE ? powerShellOfRemote(read) : powerShellOfLocal(known, read, stdin);
    const env = resource.props.environment;
    const environment = env !== null && typeof env === "object" && !Array.isArray(env) && !isUnknown(env) ? (env as Record<string, unknown>) : {};
    for (const t of reading.texts) {
      const evaluation = evaluatePowerShell(t.text, environment);
      const lines = new Set<number>([...evaluation.calls.map((c) => c.line), ...evaluation.unevaluated.map((u) => u.line)]);
      const inError = (line: number) => evaluation.syntaxErrors.some((r) => r.line <= line && line <= r.lastLine);
      const text = normalizeTypographicQuotes(t.text);
      let line = 1;
      let at = 0;
      for (const o of scanText(text).occurrences) {
        for (; at < o.start; at++) if (text.charCodeAt(at) === 10) line++;
        if (o.inString || lines.has(line) || inError(line)) continue;
        out.push(`${resource.name} ${property} line ${line + t.lineOffset}: ${o.written}`);
      }
    }
  }
  return out;
}
