/**
 * Where in the audited files each fact was read: exports carry their file and line from the reader;
 * a stack export's resources and a configuration's entries are found here, by URN and by path (the
 * configurations of several files are merged into one list, so an entry's index is traced back to
 * the file it came from). Every finding the audit reports then points at a file and a line.
 */
import type { InventoryConfig } from "../config/schema";
import { CONFIG_URN_PREFIX } from "../extractors/config-facts";
import type { Provenance } from "../model/types";

export interface ConfigSource {
  file: string;
  config: InventoryConfig;
  /** Line of a path under `mailflow-inventory` in that file. */
  lineOf?: (path: string) => number | undefined;
}

export class AuditLocations {
  private readonly resources = new Map<string, { file: string; line: number }>();
  private readonly configs: ConfigSource[] = [];

  addResources(file: string, lines: ReadonlyMap<string, number>): void {
    for (const [urn, line] of lines) if (!this.resources.has(urn)) this.resources.set(urn, { file, line });
  }

  addConfig(source: ConfigSource): void {
    this.configs.push(source);
  }

  /** The file and line of a configuration path of the merged configuration (`gateways[3].connectors[0]`). */
  private configLocation(path: string): { file: string; line?: number } | undefined {
    const m = /^([A-Za-z]+)(?:\[(\d+)\])?(.*)$/.exec(path);
    if (!m) return undefined;
    const [, key, index, rest] = m;
    let offset = 0;
    for (const source of this.configs) {
      const value = (source.config as Record<string, unknown>)[key!];
      if (value === undefined) continue;
      const length = Array.isArray(value) ? value.length : 1;
      if (index === undefined || Number(index) < offset + length) {
        const local = index === undefined ? key! : `${key}[${Number(index) - offset}]${rest}`;
        return { file: source.file, ...lineOfClosest(source, local) };
      }
      offset += length;
    }
    return this.configs[0] ? { file: this.configs[0].file } : undefined;
  }

  /** The provenance with its location, where the audit knows it. */
  locate(p: Provenance): Provenance {
    if (p.location) return p;
    const resource = this.resources.get(p.urn);
    if (resource) return { ...p, location: resource };
    if (p.urn.startsWith(`${CONFIG_URN_PREFIX}.`)) {
      const location = this.configLocation(p.urn.slice(CONFIG_URN_PREFIX.length + 1));
      if (location) return { ...p, location };
    }
    return p;
  }
}

/** The line of the path, else of its closest recorded ancestor (only objects and lists near the top are recorded). */
function lineOfClosest(source: ConfigSource, path: string): { line?: number } {
  const last = /(\.[^.[\]]+|\[\d+\])$/;
  for (let p = path; ; p = p.replace(last, "")) {
    const line = source.lineOf?.(p);
    if (line !== undefined) return { line };
    if (!last.test(p)) break;
  }
  const root = source.lineOf?.("");
  return root !== undefined ? { line: root } : {};
}
