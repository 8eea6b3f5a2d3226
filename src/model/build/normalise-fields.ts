/**
 * How a fact's fields land on a connector, as the connector field schema (../fields.ts) says: the
 * normalisers of single and multi-valued fields, and the connector's list of unknown fields.
 */
import { elementNormaliser, type FieldSchema } from "../fields";
import type { MultiValue } from "../facts";
import { lower, unique } from "../normalize";

function applyMultiValue(current: string[], value: MultiValue, normalize: (s: string) => string): string[] {
  if (Array.isArray(value)) return unique(value.map(normalize));
  const removed = new Set(value.remove.map(normalize));
  return unique([...current.filter((v) => !removed.has(v)), ...value.add.map(normalize)]);
}

/** Keeps `unknown` in step with `fields`: a known value clears an earlier unknown. */
export function mergeUnknown(entity: { unknown: string[] }, fields: object, unknown: string[]): void {
  const set = new Set(entity.unknown.filter((k) => !(k in fields)));
  for (const k of unknown) set.add(k);
  entity.unknown = [...set];
}

/**
 * How a fact's field lands on the model (the connector field schema): multi-valued properties are
 * replaced, or edited with Add/Remove, element by element normalised; host names lower-cased; the
 * rest as given. `null` clears.
 */
export function applyFields(target: Record<string, unknown>, fields: Record<string, unknown>, schema: readonly FieldSchema[]): void {
  for (const spec of schema) {
    const v = fields[spec.field];
    if (v === undefined) continue;
    if (spec.kind === "multi") target[spec.field] = applyMultiValue((target[spec.field] as string[] | undefined) ?? [], v as MultiValue, elementNormaliser(spec));
    else if (v === null) delete target[spec.field];
    else target[spec.field] = spec.kind === "host" && typeof v === "string" ? lower(v) : v;
  }
}
