/**
 * `Where-Object` comparison operators as written in a script → the model's name operators
 * (src/model/selection.ts says what a selection takes in).
 */
import { NAME_OPERATORS, type NameOperator } from "../../model/selection";

/** `-like`, `-ILike`, `-cne` → the operator (case-sensitive forms compared case-insensitively, as Exchange names are). */
export function nameOperator(written: string): NameOperator | undefined {
  const bare = written.replace(/^-/, "").toLowerCase().replace(/^[ic](?=(eq|ne|like|notlike|match|notmatch)$)/, "");
  return (NAME_OPERATORS as readonly string[]).includes(bare) ? (bare as NameOperator) : undefined;
}
