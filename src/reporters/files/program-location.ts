/**
 * Where in the Pulumi program a resource is declared, for code scanning: GitHub anchors a SARIF result
 * to a file of the repository, and the Pulumi engine does not tell a policy pack where a resource was
 * declared (its analyzer requests carry no source position). The program is the directory `pulumi`
 * runs in (where its Pulumi.yaml is); the declaration is the first line of its TypeScript or
 * JavaScript sources that writes the resource's name as a string literal — a name built at run time is
 * not found, and the result then points at the program's Pulumi.yaml. Paths are relative to the
 * repository's root (the directory holding `.git`), else to the program.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";

export interface ProgramLocation {
  /** Relative to the repository root (forward slashes). */
  uri: string;
  /** 1-based; absent where the file as a whole is meant. */
  line?: number;
}

export type LocateDeclaration = (resourceName: string) => ProgramLocation | undefined;

const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const SKIPPED_DIRS = new Set(["node_modules", ".git", "dist", "bin", ".pulumi"]);
const MAX_FILES = 400;
const MAX_FILE_BYTES = 2 * 1024 * 1024;

function repositoryRoot(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, ".git"))) return d;
    if (dirname(d) === d) return undefined;
  }
}

/** The program's sources, depth first in name order: the order the locator searches them. */
function sourcesOf(program: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (out.length >= MAX_FILES) return;
      const path = join(dir, name);
      let stat;
      try {
        stat = statSync(path);
      } catch {
        continue;
      }
      if (stat.isDirectory()) {
        if (!SKIPPED_DIRS.has(name) && !name.startsWith(".")) walk(path);
      } else if (SOURCE.test(name) && !name.endsWith(".d.ts") && stat.size <= MAX_FILE_BYTES) out.push(path);
    }
  };
  walk(program);
  return out;
}

/** A Pulumi program's sources, read once: each file's path, its path relative to the repository root, its text. */
export interface ProgramSources {
  /** The program's Pulumi.yaml. */
  project: string;
  files(): ReadonlyArray<{ path: string; uri: string; file: string; text: string }>;
  uriOf(path: string): string;
}

/** The program `pulumi` runs in `runDirectory`, or undefined when no Pulumi program is there. Reads nothing until asked; never throws. */
export function programSources(runDirectory: string): ProgramSources | undefined {
  const project = ["Pulumi.yaml", "Pulumi.yml"].map((f) => join(runDirectory, f)).find((f) => existsSync(f));
  if (!project) return undefined;
  const root = repositoryRoot(runDirectory) ?? runDirectory;
  const uriOf = (file: string): string => relative(root, file).split(sep).join("/");
  let texts: Array<{ path: string; uri: string; file: string; text: string }> | undefined;
  return {
    project,
    uriOf,
    files: () =>
      (texts ??= sourcesOf(runDirectory).flatMap((path) => {
        try {
          return [{ path, uri: uriOf(path), file: relative(runDirectory, path).split(sep).join("/"), text: readFileSync(path, "utf8") }];
        } catch {
          return [];
        }
      })),
  };
}

/** A locator for the program in `runDirectory`, or undefined when no Pulumi program is there. Never throws. */
export function programLocator(runDirectory: string, program = programSources(runDirectory)): LocateDeclaration | undefined {
  if (!program) return undefined;
  const found = new Map<string, ProgramLocation>();
  return (name) => {
    const known = found.get(name);
    if (known) return known;
    try {
      const literals = [`"${name}"`, `'${name}'`, `\`${name}\``];
      let at: ProgramLocation = { uri: program.uriOf(program.project) };
      search: for (const { uri, text } of program.files()) {
        const lines = text.split(/\r?\n/);
        for (let i = 0; i < lines.length; i++) {
          if (literals.some((l) => lines[i]!.includes(l))) {
            at = { uri, line: i + 1 };
            break search;
          }
        }
      }
      found.set(name, at);
      return at;
    } catch {
      return undefined;
    }
  };
}
