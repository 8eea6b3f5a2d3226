/**
 * Policy configuration, validated once per distinct configuration with the schema the pack declares
 * to Pulumi. Configuration also arrives through Pulumi Cloud policy groups and the in-process runner,
 * which the engine's own check does not cover; the pack never throws on it and never passes it
 * silently: what is invalid is named (JSON path, what was expected, what was found) and dropped.
 *
 * Safe defaults for what is dropped:
 * - the configuration is not an object: `{}` (no configured facts, no exemptions);
 * - `defaultTenant` / `defaultOrganization` invalid: unset;
 * - a list (`tenants`, `organizations`, `gateways`, `certificates`, `inboundConnectors`,
 *   `sharedEgressIps`, `exemptions`) that is not a list: empty; an invalid entry: that entry
 *   (an invalid exemption then exempts nothing, an invalid fact is not known);
 * - `reportUnverifiable` / `checkEachResource` invalid: `true` (their defaults);
 * - unknown keys: ignored.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import { isCalendarDate } from "./dates";
import { cutText, describeValue, jsonTypeOf } from "./quote";
import { inventoryConfigJsonSchema, inventoryConfigProperties, type InventoryConfig } from "./schema";

/** One invalid part of the configuration: `path` as `mailflow-inventory.tenants[0].initialDomain`. */
export interface ConfigProblem {
  path: string;
  problem: string;
}

export interface ConfigCheck {
  /** The configuration with every invalid part dropped to its safe default. */
  config: InventoryConfig;
  problems: ConfigProblem[];
}

const CONFIG_ROOT = "mailflow-inventory";

type TopKey = keyof typeof inventoryConfigProperties;
const LIST_KEYS = new Set<string>(Object.entries(inventoryConfigProperties).filter(([, s]) => s.type === "array").map(([k]) => k));

let compiled: ValidateFunction | undefined;
/** Compiled on first use, once per process. */
function schemaValidator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true, formats: { date: isCalendarDate } });
    compiled = ajv.compile(inventoryConfigJsonSchema);
  }
  return compiled;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** JSON-pointer segments of an ajv instance path (`/tenants/0` → ["tenants", "0"]). */
function pointerSegments(instancePath: string): string[] {
  if (instancePath === "") return [];
  return instancePath.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** `mailflow-inventory.tenants[0].initialDomain`; configured key names are cut short too. */
function renderPath(segments: readonly string[], data: unknown): string {
  let out = CONFIG_ROOT;
  let at: unknown = data;
  for (const s of segments) {
    out += Array.isArray(at) ? `[${s}]` : `.${cutText(s)}`;
    at = isRecord(at) || Array.isArray(at) ? (at as Record<string, unknown>)[s] : undefined;
  }
  return out;
}

const typeNames = (type: unknown): string => (Array.isArray(type) ? type.join(" or ") : String(type));

/** What an ajv error says, in the pack's words: expected, then what was found (values cut short). */
function describeError(e: ErrorObject): ConfigProblem["problem"] {
  switch (e.keyword) {
    case "type":
      return `must be ${typeNames(e.params.type)}, got ${jsonTypeOf(e.data)}`;
    case "required": {
      const property = (e.parentSchema?.properties as Record<string, { type?: unknown }> | undefined)?.[e.params.missingProperty as string];
      return `is required (${typeNames(property?.type ?? "a value")}), missing`;
    }
    case "additionalProperties": {
      const known = Object.keys((e.parentSchema?.properties as object | undefined) ?? {});
      return `unknown key ${describeValue(e.params.additionalProperty)} (known: ${known.join(", ")})`;
    }
    case "enum":
      return `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}, got ${describeValue(e.data)}`;
    case "maxLength":
      return `must be at most ${e.params.limit as number} characters, got ${describeValue(e.data)}`;
    case "minLength":
      return `must not be empty`;
    case "pattern":
    case "format":
      return e.parentSchema?.format === "date" ? `must be a date YYYY-MM-DD, got ${describeValue(e.data)}` : `must match ${e.keyword} ${String(e.schema)}, got ${describeValue(e.data)}`;
    default:
      return `${e.message ?? "is invalid"}, got ${describeValue(e.data)}`;
  }
}

/** The path an error is about: a missing or unknown key is named itself, not its object. */
function errorSegments(e: ErrorObject): string[] {
  const segments = pointerSegments(e.instancePath);
  if (e.keyword === "required") return [...segments, e.params.missingProperty as string];
  if (e.keyword === "additionalProperties") return [...segments, e.params.additionalProperty as string];
  return segments;
}

/** One problem per path (a date failing both its pattern and its format is one problem). */
function problemsOf(errors: readonly ErrorObject[], raw: unknown): ConfigProblem[] {
  const byPath = new Map<string, ConfigProblem>();
  for (const e of errors) {
    const path = renderPath(errorSegments(e), raw);
    if (!byPath.has(path)) byPath.set(path, { path, problem: describeError(e) });
  }
  return [...byPath.values()];
}

/** What the errors drop: whole top-level keys, or single entries of top-level lists. */
function droppedParts(errors: readonly ErrorObject[]): { keys: Set<string>; entries: Map<string, Set<number>> } {
  const keys = new Set<string>();
  const entries = new Map<string, Set<number>>();
  for (const e of errors) {
    const [key, index] = errorSegments(e);
    if (key === undefined) continue;
    if (LIST_KEYS.has(key) && index !== undefined && /^[0-9]+$/.test(index)) {
      if (!entries.has(key)) entries.set(key, new Set());
      entries.get(key)!.add(Number(index));
    } else keys.add(key);
  }
  return { keys, entries };
}

/** The configuration without what is invalid: each known key kept, filtered, or left to its default. */
function withoutInvalidParts(raw: Record<string, unknown>, errors: readonly ErrorObject[]): InventoryConfig {
  const { keys, entries } = droppedParts(errors);
  const config: Record<string, unknown> = {};
  for (const key of Object.keys(inventoryConfigProperties) as TopKey[]) {
    if (!(key in raw) || keys.has(key)) continue;
    const value = raw[key];
    const dropped = entries.get(key);
    config[key] = dropped && Array.isArray(value) ? value.filter((_, i) => !dropped.has(i)) : value;
  }
  return config as InventoryConfig;
}

/** Validates a policy configuration; never throws. */
export function checkInventoryConfig(raw: unknown): ConfigCheck {
  if (raw === undefined || raw === null) return { config: {}, problems: [] };
  if (!isRecord(raw)) return { config: {}, problems: [{ path: CONFIG_ROOT, problem: `must be object, got ${jsonTypeOf(raw)}` }] };
  try {
    const validate = schemaValidator();
    if (validate(raw)) return { config: raw as InventoryConfig, problems: [] };
    const errors = validate.errors ?? [];
    return { config: withoutInvalidParts(raw, errors), problems: problemsOf(errors, raw) };
  } catch (e) {
    return { config: {}, problems: [{ path: CONFIG_ROOT, problem: `could not be validated (${cutText(e instanceof Error ? e.message : String(e))}); ignored` }] };
  }
}

/** Problems listed in one violation; the rest are counted. */
export const MAX_LISTED_PROBLEMS = 20;

/** The one message that reports an invalid configuration. */
export function renderConfigProblems(problems: readonly ConfigProblem[]): string {
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS).map((p) => `- ${p.path}: ${p.problem}`);
  if (problems.length > MAX_LISTED_PROBLEMS) listed.push(`- … and ${problems.length - MAX_LISTED_PROBLEMS} more`);
  return [
    `The policy configuration of ${CONFIG_ROOT} is invalid. The pack runs without the invalid parts (an invalid list entry is left out, any other invalid value takes its default), so this deployment is blocked until it is fixed:`,
    ...listed,
  ].join("\n");
}

/**
 * Validates each distinct configuration once per run, and remembers whether its problems were
 * reported. The engine hands every resource a fresh copy of the same configuration: recognised by
 * identity first, then by content.
 */
export class ConfigGate {
  private lastRaw: unknown = undefined;
  private lastSignature: string | undefined = "";
  private check: ConfigCheck = { config: {}, problems: [] };
  private reported = false;

  constructor(private readonly validate: (raw: unknown) => ConfigCheck = checkInventoryConfig) {}

  /** The configuration to run with (invalid parts dropped). */
  accept(raw: unknown): InventoryConfig {
    if (raw === this.lastRaw) return this.check.config;
    const signature = signatureOf(raw);
    this.lastRaw = raw;
    if (signature !== undefined && signature === this.lastSignature) return this.check.config;
    this.lastSignature = signature;
    this.check = this.validate(raw);
    this.reported = false;
    return this.check.config;
  }

  /** The current configuration's problems the first time they are asked for, then none. */
  takeUnreportedProblems(): ConfigProblem[] {
    if (this.reported || this.check.problems.length === 0) return [];
    this.reported = true;
    return this.check.problems;
  }
}

/** Content signature; undefined when the value cannot be serialised (then it is validated each time). */
function signatureOf(raw: unknown): string | undefined {
  try {
    return JSON.stringify(raw ?? {});
  } catch {
    return undefined;
  }
}
