/**
 * Reads exported configuration into the facts the other extractors produce. One entry point per
 * file: the format is told from the file's content — Export-Clixml XML, or JSON: a `pulumi stack
 * export`, a ScubaGear export, a policy configuration, or a ConvertTo-Json list whose cmdlet is told
 * from each object's fields, else from the file name. Never throws: a file that cannot be read is one
 * problem naming the file, the place (line and column) and the encoding it was read in.
 */
import { checkInventoryConfig } from "../../config/validate";
import { inventoryConfigProperties, type InventoryConfig } from "../../config/schema";
import type { ResourceInput } from "../types";
import type { Fact } from "../../model/facts";
import { readClixml } from "./clixml";
import type { ExportScope } from "./exchange-online";
import { isExportObject } from "./fields";
import { readJsonText, type JsonLocations } from "./json-text";
import { kindOfFileName, kindOfObject, kindOfTypeNames, OBJECT_READERS, READ_CMDLETS, type ExportKind } from "./kinds";
import { m365dscFacts } from "./m365dsc";
import { scubaGearFacts, isScubaGearExport } from "./scubagear";
import { isStackExport, stackExportResources } from "./stack-export";

export type { ExportKind } from "./kinds";

export type { ExportScope } from "./exchange-online";

/** A file the audit could not read (or read only in part): the file, the place, what is wrong. */
export interface ExportProblem {
  file: string;
  place: string;
  problem: string;
}

export interface ExportRead {
  facts: Fact[];
  /** Resources of `pulumi stack export` files, for the pack's own extractors. */
  resources: ResourceInput[];
  /** Policy configuration (`mailflow-inventory`) found among the inputs: gateways, tenants… */
  config?: InventoryConfig;
  /** The whole `--policy-pack-config` object a configuration file holds (rule levels beside `mailflow-inventory`). */
  policyConfig?: Record<string, unknown>;
  problems: ExportProblem[];
  /** What the file was read as: `Get-SendConnector (JSON)`, `ScubaGear`, `pulumi stack export`… */
  format: string;
  /** How many objects (or resources, or configuration entries) it held. */
  objects: number;
  /** The cmdlets whose output the file is, even when it is empty: "no inbound connector" is then known, not missing. */
  covers: ExportCoverage[];
  /** Where things are in the file: a stack export's resources by URN, a configuration's entries by path under `mailflow-inventory`. */
  lines?: { resources?: ReadonlyMap<string, number>; config?: (path: string) => number | undefined };
}

const INVENTORY_KEYS = new Set(Object.keys(inventoryConfigProperties));
export const INVENTORY_ROOT = "mailflow-inventory";

/** A cmdlet's output read for a tenant or organisation (the folder's, the export's own), or for any when the file names none. */
export interface ExportCoverage {
  kind: ExportKind;
  tenant?: string;
  org?: string;
}

const covering = (kinds: Iterable<ExportKind>, scope: ExportScope): ExportCoverage[] => [...kinds].map((kind) => ({ kind, ...scope }));

/** A policy configuration file: `{"mailflow-inventory": {…}}` as in --policy-pack-config (with levels), or its content alone. */
function configOf(v: unknown): { inventory: unknown; wrapped: boolean } | undefined {
  if (!isExportObject(v)) return undefined;
  if (INVENTORY_ROOT in v) return { inventory: v[INVENTORY_ROOT], wrapped: true };
  return Object.keys(v).length > 0 && Object.keys(v).every((k) => INVENTORY_KEYS.has(k)) ? { inventory: v, wrapped: false } : undefined;
}

const EMPTY = { facts: [], resources: [], objects: 0, covers: [] };

/** An empty file (PowerShell writes nothing for a cmdlet that returned nothing): read when its name names the cmdlet. */
function emptyExport(file: string, format: string, scope: ExportScope): ExportRead {
  const kind = kindOfFileName(file.slice(file.lastIndexOf("/") + 1));
  if (kind) return { ...EMPTY, covers: covering([kind], scope), problems: [], format: `${OBJECT_READERS[kind].source} (${format}, no objects)` };
  return { ...EMPTY, problems: [{ file, place: "the whole file", problem: `is empty, and its name names no cmdlet the audit reads (${READ_CMDLETS.join(", ")})` }], format };
}

/** Reads the objects of one cmdlet's output (a ConvertTo-Json list or one object, or the objects of an Export-Clixml file). */
function objectFacts(file: string, objects: ReadonlyArray<{ value: unknown; line?: number; typeNames?: readonly string[] }>, scope: ExportScope, problems: ExportProblem[], format: string): ExportRead {
  const byName = kindOfFileName(file.slice(file.lastIndexOf("/") + 1));
  const facts: Fact[] = [];
  const kinds = new Set<ExportKind>(byName ? [byName] : []);
  objects.forEach(({ value: o, line, typeNames }, i) => {
    const place = `[${i}]`;
    if (!isExportObject(o)) {
      problems.push({ file, place: line ? `${place}, line ${line}` : place, problem: `not an object: expected the output of \`<cmdlet> | ${format === "CliXml" ? "Export-Clixml" : "ConvertTo-Json"}\`` });
      return;
    }
    const kind = kindOfTypeNames(typeNames ?? []) ?? kindOfObject(o) ?? byName;
    if (!kind) {
      problems.push({ file, place: line ? `${place}, line ${line}` : place, problem: `not a recognised export (no type or field of ${READ_CMDLETS.join(", ")})` });
      return;
    }
    kinds.add(kind);
    const reader = OBJECT_READERS[kind];
    facts.push(...reader.read(o, { file, place, source: reader.source, ...(line ? { line } : {}) }, scope));
  });
  const named = [...kinds].map((k) => OBJECT_READERS[k].source).join(", ") || "objects";
  return { facts, resources: [], problems, format: `${named} (${format})`, objects: objects.length, covers: covering(kinds, scope) };
}

/** Export-Clixml text. */
function clixmlExport(file: string, text: string, scope: ExportScope, encoding: string): ExportRead {
  const read = readClixml(text);
  if ("problem" in read) return { ...EMPTY, problems: [{ file, place: `line ${read.line}, column ${Math.max(1, read.column)}`, problem: `not a readable Export-Clixml file (${encoding}): ${read.problem}` }], format: "CliXml" };
  if (read.objects.length === 0) return emptyExport(file, "CliXml", scope);
  return objectFacts(file, read.objects, scope, [], "CliXml");
}

/** JSON text: a stack export, a ScubaGear export, a policy configuration, or cmdlet objects. */
function jsonExport(file: string, text: string, scope: ExportScope, encoding: string): ExportRead {
  if (text.trim() === "") return emptyExport(file, "JSON", scope);
  const read = readJsonText(text);
  if ("problem" in read) return { ...EMPTY, problems: [{ file, place: `line ${read.line}, column ${read.column}`, problem: `not valid JSON (${encoding}): ${read.problem}` }], format: "JSON" };
  const { value, locations } = read;
  const problems: ExportProblem[] = [];
  if (isStackExport(value)) {
    const resources = stackExportResources(value);
    return { facts: [], resources, problems, format: "pulumi stack export", objects: resources.length, covers: [], lines: { resources: resourceLines(value, locations) } };
  }
  if (isScubaGearExport(value)) {
    const read = scubaGearFacts(file, value, scope, problems, locations);
    return { facts: read.facts, resources: [], problems, format: "ScubaGear ProviderSettingsExport", objects: read.objects, covers: covering(read.sections, read.scope) };
  }
  const config = configOf(value);
  if (config !== undefined) {
    const checked = checkInventoryConfig(config.inventory);
    for (const p of checked.problems) problems.push({ file, place: p.path, problem: p.problem });
    const prefix = config.wrapped ? `${INVENTORY_ROOT}.` : "";
    return {
      facts: [],
      resources: [],
      config: checked.config,
      ...(config.wrapped ? { policyConfig: value as Record<string, unknown> } : {}),
      problems,
      format: "policy configuration",
      objects: Object.keys(checked.config).length,
      covers: [],
      // "" is the configuration itself (the `mailflow-inventory` object when wrapped).
      lines: { config: (path) => locations.lineOf(path ? `${prefix}${path}` : config.wrapped ? INVENTORY_ROOT : "") },
    };
  }
  const list = Array.isArray(value) ? value.map((v, i) => ({ value: v, line: locations.lineOf(`[${i}]`) })) : [{ value, line: locations.lineOf("") }];
  return objectFacts(file, list, scope, problems, "JSON");
}

/** The line of each resource of a stack export, by URN. */
function resourceLines(value: { deployment: { resources?: unknown[] } }, locations: JsonLocations): Map<string, number> {
  const lines = new Map<string, number>();
  (Array.isArray(value.deployment.resources) ? value.deployment.resources : []).forEach((r, i) => {
    const urn = isExportObject(r) ? r["urn"] : undefined;
    const line = locations.lineOf(`deployment.resources[${i}]`);
    if (typeof urn === "string" && line !== undefined) lines.set(urn, line);
  });
  return lines;
}

/**
 * Reads one input file's text, decoded (decode.ts) in `encoding`, which every problem names.
 * `scope`: tenant or organisation from the folder the file is in.
 */
export function readExport(file: string, text: string, scope: ExportScope = {}, encoding = "UTF-8"): ExportRead {
  try {
    if (/\.ps1$/i.test(file)) {
      const problems: ExportProblem[] = [];
      const facts = m365dscFacts(file, text, scope, problems);
      const objects = facts.filter((f) => f.kind !== "unverifiable" && f.kind !== "tenant").length;
      return { facts, resources: [], problems, format: "Microsoft365DSC configuration", objects, covers: covering(["inbound-connector", "outbound-connector", "accepted-domain"], scope) };
    }
    if (/\.(xml|clixml)$/i.test(file) || text.trimStart().startsWith("<")) return clixmlExport(file, text, scope, encoding);
    return jsonExport(file, text, scope, encoding);
  } catch (e) {
    return { ...EMPTY, problems: [{ file, place: "the whole file", problem: `could not be read (${encoding}): ${e instanceof Error ? e.name : "error"}` }], format: "unknown" };
  }
}

