/**
 * A fix as the log prints it, pasted into a copy of an example program the way a user would apply it:
 * the Pulumi section's program edits (`file:line: old → new`, diff hunks) made in the files, its added
 * declarations appended (the SDK import only where the program lacks it); or the Change section
 * applied to what the resources are given: each script edited at the line and columns it names, each
 * descriptor input given its new value (a transform the program registers before it declares anything,
 * so the engine sees exactly the inputs the fix describes). Placeholders (`<issuer of …>`) are filled
 * with one made-up CA, the same everywhere, as the fix asks.
 */
import { cpSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const FILLED_ISSUER = "CN=mailflow-guard e2e CA, O=Example";

/** The lines of one section of the printed fix (`  PowerShell:`, `  Pulumi:`…), without their indent. */
export function section(message: string, name: string): string[] {
  const lines = message.split("\n");
  const start = lines.findIndex((l) => l === `  ${name}:`);
  if (start < 0) return [];
  const out: string[] = [];
  for (const l of lines.slice(start + 1)) {
    if (!l.startsWith("    ")) break;
    out.push(l.slice(4));
  }
  return out;
}

export const fillPlaceholders = (text: string): string => text.replace(/<issuer of [^>]+>/g, FILLED_ISSUER);

/** A copy of an example program where `pulumi` can run it (the repository's node_modules resolve from there). */
export function copyProgram(from: string, to: string): void {
  cpSync(from, to, { recursive: true, filter: (src) => !/node_modules|Pulumi\.[^/]+\.yaml$/.test(src) });
}

interface FileEdit {
  file: string;
  line: number;
  apply(lines: string[]): void;
}

/** What the Pulumi section says: file edits, added declarations, and values for resources it found no declaration of. */
export function pastePulumi(dir: string, pulumi: readonly string[]): { values: Array<{ resource: string; property: string; code: string }>; said: string[] } {
  const edits: FileEdit[] = [];
  const declarations: string[] = [];
  const values: Array<{ resource: string; property: string; code: string }> = [];
  const said: string[] = [];
  for (let i = 0; i < pulumi.length; i++) {
    const l = pulumi[i]!;
    const fragment = /^(\S+\.ts):(\d+): (.*) → (.*)$/.exec(l);
    const at = /^(\S+\.ts):(\d+)$/.exec(l);
    const value = /^"([^"]+)", (\w+):(?: (.*))?$/.exec(l);
    if (fragment) {
      const [, file, line, from, to] = fragment;
      edits.push({ file: file!, line: Number(line), apply: (lines) => void (lines[Number(line) - 1] = lines[Number(line) - 1]!.replace(from!, () => to!)) });
    } else if (at) {
      const old: string[] = [];
      const added: string[] = [];
      while (pulumi[i + 1]?.startsWith("- ")) old.push(pulumi[++i]!.slice(2));
      while (pulumi[i + 1]?.startsWith("+ ")) added.push(pulumi[++i]!.slice(2));
      const line = Number(at[2]);
      edits.push({
        file: at[1]!,
        line,
        apply: (lines) => {
          if (lines.slice(line - 1, line - 1 + old.length).join("\n") !== old.join("\n")) throw new Error(`${at[1]}:${line} does not read as the fix says`);
          lines.splice(line - 1, old.length, ...added);
        },
      });
    } else if (value) {
      const code = [value[3] ?? ""];
      while (pulumi[i + 1]?.startsWith("  ")) code.push(pulumi[++i]!.slice(2));
      values.push({ resource: value[1]!, property: value[2]!, code: code.join("\n").trim() });
    } else if (l.startsWith("import ") || l.startsWith("new ") || l.startsWith("mailflow.")) {
      declarations.push(l);
    } else said.push(l);
  }
  // Bottom up, so the lines an edit names are still where they were.
  for (const e of [...edits].sort((a, b) => b.line - a.line)) {
    const path = join(dir, e.file);
    const lines = readFileSync(path, "utf8").split("\n");
    e.apply(lines);
    writeFileSync(path, fillPlaceholders(lines.join("\n")));
  }
  appendDeclarations(dir, declarations);
  return { values, said };
}

function appendDeclarations(dir: string, declarations: readonly string[]): void {
  if (declarations.length === 0) return;
  const path = join(dir, "index.ts");
  const text = readFileSync(path, "utf8");
  const code = declarations.filter((d) => !(d.startsWith("import * as mailflow") && text.includes("import * as mailflow")));
  writeFileSync(path, `${text}\n// Added by mailflow-guard's fix:\n${fillPlaceholders(code.join("\n"))}\n`);
}

/** Descriptor and script inputs to give, by resource: applied by a transform the program registers first. */
export interface InputEdits {
  scripts: Array<{ resource: string; property: string; line: number; column: number; endColumn?: number; from: string; to: string }>;
  lists: Array<{ resource: string; property: string; add: string[] }>;
  certificates: Array<{ resource: string; index: number; certificate: string }>;
  /** Whole values (a script given as the `script` of mailflow.exchangeOnlineCommand: after its two preamble lines). */
  values: Array<{ resource: string; property: string; code: string }>;
}

/** The Change section as input edits; what it adds comes from the Pulumi section's declarations. */
export function changeEdits(change: readonly string[], pulumi: readonly string[]): { edits: InputEdits; unapplied: string[] } {
  const edits: InputEdits = { scripts: [], lists: [], certificates: [], values: [] };
  const unapplied: string[] = [];
  const declared = new Map([...pulumi.join("\n").matchAll(/new mailflow\.Certificate\("([^"]+)", \{ subject: "CN=([^"]+)"/g)].map((m) => [m[2]!, m[1]!]));
  for (const l of change) {
    const replace = /^(\S+)\.(create|update):(\d+), columns (\d+)–(\d+): (.*) → (.*)$/.exec(l);
    const insert = /^(\S+)\.(create|update):(\d+), after column (\d+) \(.*\): add (.*)$/.exec(l);
    const list = /^(\S+)\.(acceptedDomains|dnsNames): add (.*)$/.exec(l);
    const certificate = /^(\S+)\.connectors\[(\d+)\]\.certificate: present the certificate for (\S+)$/.exec(l);
    if (replace) edits.scripts.push({ resource: replace[1]!, property: replace[2]!, line: Number(replace[3]), column: Number(replace[4]), endColumn: Number(replace[5]) + 1, from: replace[6]!, to: fillPlaceholders(replace[7]!) });
    else if (insert) edits.scripts.push({ resource: insert[1]!, property: insert[2]!, line: Number(insert[3]), column: Number(insert[4]) + 1, from: "", to: ` ${fillPlaceholders(insert[5]!)}` });
    else if (list) edits.lists.push({ resource: list[1]!, property: list[2]!, add: list[3]!.split(", ") });
    else if (certificate && declared.has(certificate[3]!)) edits.certificates.push({ resource: certificate[1]!, index: Number(certificate[2]), certificate: declared.get(certificate[3]!)! });
    else if (!l.startsWith("add: ")) unapplied.push(l);
  }
  return { edits, unapplied };
}

/** Registers, right after the program's imports, a stack transformation that gives the named resources the inputs `edits` says. */
export function registerInputEdits(dir: string, edits: InputEdits): void {
  const path = join(dir, "index.ts");
  const lines = readFileSync(path, "utf8").split("\n");
  const lastImport = lines.reduce((last, l, i) => (l.startsWith("import ") ? i : last), -1);
  const code = `
import * as pulumiForFix from "@pulumi/pulumi";
const FIX: { scripts: any[]; lists: any[]; certificates: any[]; values: any[] } = ${JSON.stringify(edits)};
pulumiForFix.runtime.registerStackTransformation((args) => {
  const props: Record<string, any> = { ...args.props };
  let changed = false;
  for (const e of [...FIX.scripts].filter((x) => x.resource === args.name).sort((a, b) => b.line - a.line || b.column - a.column)) {
    const lines = String(props[e.property]).split("\\n");
    const text = lines[e.line - 1]!;
    const end = e.endColumn ?? e.column;
    if (text.slice(e.column - 1, end - 1) !== e.from) throw new Error(\`\${args.name}.\${e.property}:\${e.line} does not read \${e.from} at column \${e.column}\`);
    lines[e.line - 1] = text.slice(0, e.column - 1) + e.to + text.slice(end - 1);
    props[e.property] = lines.join("\\n");
    changed = true;
  }
  for (const e of FIX.lists.filter((x) => x.resource === args.name)) {
    props[e.property] = [...(props[e.property] ?? []), ...e.add];
    changed = true;
  }
  for (const e of FIX.certificates.filter((x) => x.resource === args.name)) {
    props.connectors = (props.connectors as any[]).map((c, i) => (i === e.index ? { ...c, certificate: e.certificate } : c));
    changed = true;
  }
  for (const e of FIX.values.filter((x) => x.resource === args.name)) {
    if (e.property === "script") props.create = \`\${String(props.create).split("\\n").slice(0, 2).join("\\n")}\\n\${eval(e.code)}\`;
    else props[e.property] = eval(\`(\${e.code})\`);
    changed = true;
  }
  return changed ? { props, opts: args.opts } : undefined;
});
`;
  lines.splice(lastImport + 1, 0, code);
  writeFileSync(path, lines.join("\n"));
}

/** The program's files, for a failure message. */
export const programText = (dir: string): string => readdirSync(dir).filter((f) => f.endsWith(".ts")).map((f) => `// ${f}\n${readFileSync(join(dir, f), "utf8")}`).join("\n");
