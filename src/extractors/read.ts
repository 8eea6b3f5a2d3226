/**
 * The one way extractors read a resource's inputs. Every read names a property path
 * (`subject.commonName`, `connectors[0].certificate`); a value that is unknown in preview (or not of
 * the expected kind) is recorded once per path and comes back as an `UnknownValue`, so the caller
 * degrades conservatively instead of mistaking "unknown" for "absent". `unverifiable(subject)` turns
 * what was recorded into facts that name the resource, the path and the reason.
 */
import { createHash } from "node:crypto";
import { isUnknown, provenanceOf, UnknownValue, type PropertyReader, type Read, type ResourceInput } from "./types";

/**
 * Input limit: a name (an organisation's, a gateway's, a connector's) is read up to this many
 * characters. A longer one — no Exchange or DNS name is — is read as its first characters and a digest
 * of the whole, so two long names stay two, and that is said: every finding that names it stays short
 * (ten names of 100,000 characters made every message of the stack pass that long, issue 23).
 */
export const MAX_NAME_CHARS = 256;
const KEPT_NAME_CHARS = 200;

const shortenedName = (name: string): string => `${name.slice(0, KEPT_NAME_CHARS)}…${createHash("sha256").update(name).digest("hex").slice(0, 12)}`;

const UNKNOWN_IN_PREVIEW = "unknown during preview";

type Segment = string | number;

/** `connectors[0].certificate` → ["connectors", 0, "certificate"]. */
function parsePath(path: string): Segment[] {
  const segments: Segment[] = [];
  for (const part of path.match(/[^.[\]]+|\[\d+\]/g) ?? []) segments.push(part.startsWith("[") ? Number(part.slice(1, -1)) : part);
  return segments;
}

const join = (path: string, segment: Segment): string => (typeof segment === "number" ? `${path}[${segment}]` : path ? `${path}.${segment}` : segment);

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v) && !isUnknown(v);

/** Is `path` the path `ancestor` or below it? */
export function isPathWithin(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(`${ancestor}.`) || path.startsWith(`${ancestor}[`);
}

export function reader(resource: ResourceInput): PropertyReader {
  const recorded = new Map<string, string>();
  /** What was read, but not as written (a name past the input limit): said, and not unknown. */
  const noted = new Map<string, string>();
  const record = (path: string, reason: string): UnknownValue => {
    if (!recorded.has(path)) recorded.set(path, reason);
    return new UnknownValue(path, reason);
  };

  /** Walks `path`; stops at the first unknown node (recorded under its own path) or a node that is not a container. */
  const resolve = (path: string): unknown => {
    let node: unknown = resource.props;
    let at = "";
    for (const segment of parsePath(path)) {
      if (isUnknown(node)) return record(at, node.reason);
      const container = typeof segment === "number" ? Array.isArray(node) : isRecord(node);
      if (!container) return node === undefined || node === null ? undefined : record(at, typeof segment === "number" ? "not a list" : "not an object");
      node = (node as Record<string | number, unknown>)[segment];
      at = join(at, segment);
    }
    return isUnknown(node) ? record(at, node.reason || UNKNOWN_IN_PREVIEW) : node;
  };

  const typed = <T>(path: string, is: (v: unknown) => v is T, reason: string): Read<T> => {
    const v = resolve(path);
    if (v === undefined || v === null || isUnknown(v)) return v ?? undefined;
    return is(v) ? v : record(path, reason);
  };

  return {
    value: resolve,
    string: (path) => typed(path, (v): v is string => typeof v === "string", "not a text value"),
    bool: (path) => typed(path, (v): v is boolean => typeof v === "boolean", "not true or false"),
    items(path) {
      const v = typed(path, Array.isArray, "not a list");
      return Array.isArray(v) ? v.map((_, i) => join(path, i)) : v;
    },
    strings(path) {
      const paths = this.items(path);
      if (!Array.isArray(paths)) return { values: [], unknown: isUnknown(paths) };
      const read = paths.map((p) => this.string(p));
      return { values: read.filter((v): v is string => typeof v === "string"), unknown: read.some(isUnknown) };
    },
    scanTexts(keep, maxDepth = 8) {
      const out: Array<{ path: string; value: string }> = [];
      const walk = (v: unknown, path: string, depth: number): void => {
        if (depth > maxDepth || isUnknown(v)) return;
        if (typeof v === "string") out.push({ path, value: v });
        else if (Array.isArray(v)) v.forEach((x, i) => walk(x, join(path, i), depth + 1));
        else if (isRecord(v)) for (const [k, x] of Object.entries(v)) if (keep(k)) walk(x, join(path, k), depth + 1);
      };
      walk(resource.props, "", 0);
      return out;
    },
    name(path) {
      const v = this.string(path);
      if (typeof v !== "string" || v.length <= MAX_NAME_CHARS) return v;
      noted.set(path, `longer than ${MAX_NAME_CHARS} characters (${v.length.toLocaleString("en")}): read as its first ${KEPT_NAME_CHARS} characters and a digest of the whole`);
      return shortenedName(v);
    },
    isUnknownAt: (path) => [...recorded.keys()].some((p) => isPathWithin(p, path) || isPathWithin(path, p)),
    unverifiable: (subject) =>
      [...recorded, ...noted].map(([property, reason]) => ({
        kind: "unverifiable" as const,
        item: { subject, property, reason, provenance: provenanceOf(resource, property.split(/[.[]/)[0]) },
      })),
  };
}
