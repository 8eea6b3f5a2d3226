/** Configured values in messages: quoted, and cut to a readable length so a long value is never repeated whole. */

export const MAX_QUOTED_CHARS = 60;

/** A configured text cut at `max` characters, with its full length noted. */
export function cutText(text: string, max = MAX_QUOTED_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}

/** A configured text, JSON-quoted, cut at `max` characters with its full length noted. */
export function quoteText(text: string, max = MAX_QUOTED_CHARS): string {
  return text.length <= max ? JSON.stringify(text) : `${JSON.stringify(text.slice(0, max))}… (${text.length} characters)`;
}

/** What a configured value is, as JSON names it: `array`, `null`, `object`, `string`, … */
export function jsonTypeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** A configured value for a message: short texts and scalars as written, anything else by its type. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return quoteText(value);
  if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
  return jsonTypeOf(value);
}
