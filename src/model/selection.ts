/**
 * `Get-SendConnector | Where-Object … | Set-SendConnector …`: a change to every connector of a kind
 * the pipeline finds, narrowed by a name filter when the filter is one the pack can read.
 */

/** The comparison operators a readable `Where-Object` filter on the connector's name may use. */
export type NameOperator = "eq" | "ne" | "like" | "notlike" | "match" | "notmatch";

export interface NameFilter {
  operator: NameOperator;
  value: string;
}

export interface ConnectorSelection {
  /** Lower-case noun of the Get- cmdlet, e.g. `sendconnector`. */
  noun: string;
  /** Name filters, all of which a connector must pass (several `Where-Object`s in a row). */
  filters: NameFilter[];
  /** Why a filter in the pipeline could not be read: which connectors it lets through is not known. */
  unreadableFilter?: string;
}

export const NAME_OPERATORS: readonly NameOperator[] = ["eq", "ne", "like", "notlike", "match", "notmatch"];

/** PowerShell wildcard (`*`, `?`, `[a-z]`) → an anchored, case-insensitive regular expression. */
function wildcard(pattern: string): RegExp {
  let out = "";
  for (const ch of pattern) {
    if (ch === "*") out += ".*";
    else if (ch === "?") out += ".";
    else if (ch === "[" || ch === "]") out += ch;
    else out += ch.replace(/[.+^${}()|\\/-]/g, "\\$&");
  }
  try {
    return new RegExp(`^${out}$`, "is");
  } catch {
    return new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&")}$`, "is");
  }
}

function matchesPattern(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, "i");
  } catch {
    return undefined;
  }
}

/** Whether a connector named `name` passes the filter; undefined when the filter's pattern is not a valid expression. */
export function passes(filter: NameFilter, name: string): boolean | undefined {
  const n = name.trim().toLowerCase();
  const v = filter.value.trim().toLowerCase();
  switch (filter.operator) {
    case "eq":
      return n === v;
    case "ne":
      return n !== v;
    case "like":
      return wildcard(filter.value.trim()).test(name.trim());
    case "notlike":
      return !wildcard(filter.value.trim()).test(name.trim());
    case "match":
    case "notmatch": {
      const re = matchesPattern(filter.value);
      if (!re) return undefined;
      return filter.operator === "match" ? re.test(name) : !re.test(name);
    }
  }
}

/** Whether the selection takes in a connector of that name (an invalid pattern takes in nothing). */
export const selects = (selection: Pick<ConnectorSelection, "filters">, name: string): boolean => selection.filters.every((f) => passes(f, name) === true);

/** `Name -like 'Internet*'` as a reader would write it. */
export const describeFilters = (filters: readonly NameFilter[]): string => filters.map((f) => `Name -${f.operator} '${f.value}'`).join(" and ");
