/**
 * The audit's inputs: every file under the given paths is read or named as skipped, with why — an
 * audit of a folder it cannot read must not pass as an audit of nothing. Files are read as bytes and
 * decoded in the encoding Windows wrote them in (src/extractors/exports/decode.ts).
 */
import { readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import type { ExportProblem, ExportScope } from "../extractors/exports";
import { decodeExport } from "../extractors/exports/decode";
import { looksLikeDomain } from "../extractors/exports/fields";

/** One input file: its path as given (relative to where the audit runs), its text, the tenant its folder names. */
export interface AuditInput {
  path: string;
  text: string;
  scope: ExportScope;
  /** The encoding the text was decoded from (named in every message about the file). */
  encoding?: string;
}

/** What became of a file under the given paths. */
export interface InputFile {
  file: string;
  status: "read" | "skipped" | "unreadable";
  /** Why a file was skipped or could not be read. */
  why?: string;
  encoding?: string;
  /** What it was read as, and how many objects it held (set by the audit once read). */
  format?: string;
  objects?: number;
}

/** Extensions of the formats the audit reads (a file given by name is read whatever its extension). */
export const READ_EXTENSIONS = [".json", ".xml", ".clixml", ".ps1"];
const READABLE = new RegExp(`(${READ_EXTENSIONS.map((e) => e.replace(".", "\\.")).join("|")})$`, "i");

/** Larger files are named, not read: no export of connectors and certificates comes near this. */
export const MAX_INPUT_BYTES = 256 * 1024 * 1024;

const display = (file: string): string => relative(process.cwd(), file) || file;

/** The tenant a file's folder names (`exports/contoso.onmicrosoft.com/inbound.json`), if a folder is named like a domain. */
export function scopeOfPath(path: string): ExportScope {
  const folder = basename(dirname(path));
  return looksLikeDomain(folder) ? { tenant: folder.toLowerCase() } : {};
}

/**
 * Every file under the paths in a stable order: those to read, and those skipped with why. A path that
 * does not exist is a problem; a folder reached twice (a link back up) is walked once.
 */
export function collectFiles(paths: readonly string[], problems: ExportProblem[], skipped: InputFile[] = []): string[] {
  const files: string[] = [];
  const walked = new Set<string>();
  const walk = (path: string, given: boolean): void => {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      if (given) problems.push({ file: path, place: "the path", problem: "does not exist or cannot be read" });
      else skipped.push({ file: display(path), status: "skipped", why: "a link to nothing, or not readable" });
      return;
    }
    if (stat.isDirectory()) {
      let real: string;
      let entries: string[];
      try {
        real = realpathSync(path);
        entries = readdirSync(path).sort();
      } catch (e) {
        problems.push({ file: display(path), place: "the folder", problem: `cannot be listed (${e instanceof Error && "code" in e ? String(e.code) : "error"})` });
        return;
      }
      if (walked.has(real)) return;
      walked.add(real);
      for (const entry of entries) walk(join(path, entry), false);
    } else if (!stat.isFile()) skipped.push({ file: display(path), status: "skipped", why: "not a regular file" });
    else if (stat.size > MAX_INPUT_BYTES) skipped.push({ file: display(path), status: "skipped", why: `larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB` });
    else if (given || READABLE.test(path)) files.push(path);
    else skipped.push({ file: display(path), status: "skipped", why: `not a format the audit reads (${READ_EXTENSIONS.join(", ")})` });
  };
  for (const p of paths) walk(p, true);
  return files;
}

/** Reads and decodes the files of `paths` (files or folders); what cannot be read is a problem and an unreadable input. */
export function readInputs(paths: readonly string[], problems: ExportProblem[] = [], files: InputFile[] = []): AuditInput[] {
  const skipped: InputFile[] = [];
  const inputs = collectFiles(paths, problems, skipped).flatMap((file): AuditInput[] => {
    const path = display(file);
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(file);
    } catch (e) {
      const why = `cannot be read (${e instanceof Error && "code" in e ? String(e.code) : "error"})`;
      problems.push({ file: path, place: "the whole file", problem: why });
      files.push({ file: path, status: "unreadable", why });
      return [];
    }
    const decoded = decodeExport(bytes);
    if ("problem" in decoded) {
      problems.push({ file: path, place: "the whole file", problem: decoded.problem });
      files.push({ file: path, status: "unreadable", why: decoded.problem, ...(decoded.encoding ? { encoding: decoded.encoding } : {}) });
      return [];
    }
    files.push({ file: path, status: "read", encoding: decoded.encoding });
    return [{ path, text: decoded.text, scope: scopeOfPath(file), encoding: decoded.encoding }];
  });
  files.push(...skipped);
  return inputs;
}
