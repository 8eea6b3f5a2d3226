/**
 * What extractors share: a Pulumi resource as they see it, the reader of its inputs, the extractor
 * interface. The facts they emit are the model's contract (src/model/facts.ts).
 */
import type { Fact, UnverifiableFact } from "../model/facts";
import type { Provenance } from "../model/types";

/** A property value that is not known (unknown in preview, or not resolvable). */
export class UnknownValue {
  constructor(
    /** Path of the property, e.g. `create` or `environment.EXO_ORG`. */
    readonly path: string,
    readonly reason = "unknown during preview",
  ) {}
}
export const isUnknown = (v: unknown): v is UnknownValue => v instanceof UnknownValue;

/** One Pulumi resource as extractors see it: plain data, unknown leaves replaced by UnknownValue. */
export interface ResourceInput {
  urn: string;
  name: string;
  type: string;
  props: Record<string, unknown>;
  /** URNs of resources this one depends on (all inputs). */
  dependencies: string[];
  /** URNs per input property. */
  propertyDependencies: Record<string, string[]>;
}

/** A read value: known, unknown (recorded by the reader), or absent (`undefined`). */
export type Read<T> = T | UnknownValue | undefined;

/** A list of texts: the known items, and whether the list or any item was unknown (recorded). */
export interface ReadTexts {
  values: string[];
  unknown: boolean;
}

/** Reads one resource's inputs by property path; made by `reader(resource)` in ./read.ts. */
export interface PropertyReader {
  /** The value at `path` as it is (objects, lists, scalars); unknown is recorded. */
  value(path: string): unknown;
  string(path: string): Read<string>;
  bool(path: string): Read<boolean>;
  /** A name: text read up to MAX_NAME_CHARS (read.ts); a longer one is shortened, with a digest, and that is said. */
  name(path: string): Read<string>;
  /** Paths of the items of the list at `path` (`path[0]`, …); a non-list is recorded. */
  items(path: string): Read<string[]>;
  /** A list of texts; unknown or non-text items are recorded and left out. */
  strings(path: string): ReadTexts;
  /** Every known text leaf under the inputs whose keys pass `keep`, with its path; unknowns are not recorded (a scan, not a read). */
  scanTexts(keep: (key: string) => boolean, maxDepth?: number): Array<{ path: string; value: string }>;
  /** Was anything under `path` (or `path` itself) recorded as unknown? */
  isUnknownAt(path: string): boolean;
  /** What could not be read, as facts about `subject` (e.g. `certificate 'hybrid'`). */
  unverifiable(subject: string): UnverifiableFact[];
}

/** One extractor per resource kind. `extract` never throws: what it cannot read becomes an `unverifiable` fact. */
export interface Extractor {
  /** Short name for messages and tests. */
  name: string;
  appliesTo(type: string): boolean;
  extract(resource: ResourceInput): Fact[];
}

export function provenanceOf(resource: ResourceInput, property?: string, line?: number): Provenance {
  const p: Provenance = { urn: resource.urn, resourceName: resource.name, resourceType: resource.type };
  if (property !== undefined) p.property = property;
  if (line !== undefined) p.line = line;
  return p;
}
