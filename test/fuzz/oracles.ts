/**
 * Oracles: each input runs through the whole pack path (`analyzeInProcess` with every rule), with
 * console output captured, and is judged for crashes, leaked secrets, unknowns nobody reports and
 * invalid configuration nobody names, and command names in scripts that are neither read nor named. Stalls are judged by the fuzz script only (never in vitest).
 */
import Ajv from "ajv";
import { inventoryConfigSchema } from "../../src/config/schema";
import { isCalendarDate } from "../../src/config/dates";
import { analyzeInProcess, type Violation } from "../../src/reporters/pulumi/in-process";
import { rules } from "../../src/rules";
import type { Family, FuzzInput } from "./generators";
import { unaccountedNames } from "../unit/support/textual-guarantee";
import { BASE_STACKS } from "./stacks";

export const FAILURE_KINDS = ["crash", "leak", "stall", "silent-unknown", "config-unreported", "unaccounted-name"] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

export interface Failure {
  kind: FailureKind;
  family: Family;
  seed: number;
  index: number;
  description: string;
  detail: string;
}

export interface Outcome {
  failures: Failure[];
  violations: Violation[];
  /** Wall time of the pack run, for the fuzz script's stall oracle. */
  elapsedMs: number;
}

/** Text that only an internal error produces (a thrown exception turned into a message). */
const INTERNAL_ERROR = /extractor failed|rule [\w-]+ failed|could not read the script|TypeError|RangeError|ReferenceError|SyntaxError: |Maximum call stack|Cannot read propert|is not a function|is not iterable|undefined is not|Invalid string length|\bat .+\.ts:\d+/;

const SECRET_PIECE = 12;

/** The first piece (the whole secret, or any 12-character substring of it) found in `text`. */
export function leakedPiece(secret: string, text: string): string | undefined {
  if (text.includes(secret)) return secret;
  for (let i = 0; i + SECRET_PIECE <= secret.length; i++) {
    const piece = secret.slice(i, i + SECRET_PIECE);
    if (text.includes(piece)) return piece;
  }
  return undefined;
}

/** Runs `call` with console.log/error/warn/info/debug captured (and silenced); returns what they were given. */
export async function captureConsole<T>(call: () => Promise<T>): Promise<{ result?: T; error?: unknown; output: string[] }> {
  const output: string[] = [];
  const methods = ["log", "error", "warn", "info", "debug"] as const;
  const saved = methods.map((m) => console[m]);
  for (const m of methods) console[m] = (...args: unknown[]) => void output.push(args.map((a) => (typeof a === "string" ? a : safeString(a))).join(" "));
  try {
    return { result: await call(), output };
  } catch (error) {
    return { error, output };
  } finally {
    methods.forEach((m, i) => (console[m] = saved[i]!));
  }
}

function safeString(v: unknown): string {
  try {
    return v instanceof Error ? `${v.name}: ${v.message}` : JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

const ajv = new Ajv({ allErrors: true, strict: false, formats: { date: isCalendarDate } });
const validateConfig = ajv.compile(inventoryConfigSchema as object);

/** Configuration paths the schema rejects, dotted (`tenants[0].initialDomain`). */
export function invalidConfigPaths(config: unknown): string[] {
  if (validateConfig(config)) return [];
  return (validateConfig.errors ?? []).map((e) => {
    const parts = e.instancePath.split("/").slice(1).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    if (e.keyword === "required") parts.push((e.params as { missingProperty: string }).missingProperty);
    return parts.map((k, i) => (typeof k === "number" ? `[${k}]` : i === 0 ? k : `.${k}`)).join("");
  });
}
const asPointer = (dotted: string): string => `/${dotted.replace(/\[(\d+)\]/g, ".$1").replace(/\./g, "/")}`;

/** What the unmodified base stacks report: an unknown is only "reported" by something new. */
let baseline: Set<string> | undefined;
const key = (v: Violation): string => `${v.policy}@${v.resource}`;
async function baseVerdicts(): Promise<Set<string>> {
  if (!baseline) {
    const all = new Set<string>();
    for (const stack of BASE_STACKS) for (const v of await analyzeInProcess(rules, stack())) all.add(key(v));
    baseline = all;
  }
  return baseline;
}

/** Runs one input through the pack and judges it (every oracle but the stall one). */
export async function judge(input: FuzzInput): Promise<Outcome> {
  const base = input.unknownResources.length > 0 ? await baseVerdicts() : new Set<string>();
  const start = performance.now();
  const run = await captureConsole(() => analyzeInProcess(rules, input.resources, input.config));
  const elapsedMs = performance.now() - start;
  const violations = run.result ?? [];
  const failures: Failure[] = [];
  const fail = (kind: FailureKind, detail: string) => failures.push({ kind, family: input.family, seed: input.seed, index: input.index, description: input.description, detail: detail.slice(0, 300) });

  if (run.error !== undefined) fail("crash", `threw: ${safeString(run.error)}`);
  for (const text of [...violations.map((v) => `${v.policy} on ${v.resource}: ${v.message}`), ...run.output]) {
    const m = INTERNAL_ERROR.exec(text);
    if (m) fail("crash", `internal error shown: …${text.slice(Math.max(0, m.index - 80), m.index + 120)}`);
  }
  const everything = [...violations.map((v) => v.message), ...run.output].join("\n");
  for (const secret of input.secrets) {
    const piece = leakedPiece(secret, everything);
    if (piece) {
      const at = everything.indexOf(piece);
      fail("leak", `secret piece '${piece}' shown in: …${everything.slice(Math.max(0, at - 100), at)}[SECRET]…`);
    }
  }
  for (const name of input.unknownResources) {
    const naming = violations.filter((v) => (v.resource === name || v.message.includes(`'${name}'`) || v.message.includes(` ${name}`)) && !base.has(key(v)));
    if (run.error === undefined && naming.length === 0) fail("silent-unknown", `no violation or advisory names '${name}'`);
  }
  // The textual guarantee (issue 23): every command name a script writes in code is read or named on its line.
  if (run.error === undefined) for (const r of input.resources) for (const missed of unaccountedNames(r)) fail("unaccounted-name", missed);
  if (input.configMutated) {
    const paths = invalidConfigPaths(input.config);
    for (const path of paths) {
      const named = violations.some((v) => v.message.includes(path) || v.message.includes(asPointer(path)));
      if (!named) fail("config-unreported", `invalid configuration at ${path} is named by no violation`);
    }
  }
  return { failures: dedupe(failures), violations, elapsedMs };
}

/** One failure per kind and detail: a crash repeated by every policy is one crash. */
function dedupe(failures: Failure[]): Failure[] {
  const seen = new Set<string>();
  return failures.filter((f) => {
    const k = `${f.kind}\u0000${f.detail}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The stall oracle: more than 1 s per resource. */
export const STALL_MS_PER_RESOURCE = 1000;
export const isStall = (elapsedMs: number, resources: number): boolean => elapsedMs > STALL_MS_PER_RESOURCE * Math.max(1, resources);
