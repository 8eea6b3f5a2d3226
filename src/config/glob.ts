/**
 * Exemption resource patterns: `*` matches any run of characters (including none), every other
 * character matches itself, case-insensitively. Matched without RegExp: a user pattern compiled to a
 * backtracking regexp takes exponential time (`*a*a*a*a*a*a*a*a*b`), and a long one does not compile.
 */

/** Counts the matcher's steps, so tests can bound its work without timing it. */
export interface GlobWork {
  steps: number;
}

/**
 * Greedy two-pointer wildcard matching: on a mismatch, only the latest `*` is widened by one character
 * (an earlier star never needs to take more: whatever it could absorb, the later one can). At most
 * O(pattern × text) steps, linear in practice; never exponential.
 */
export function globMatches(pattern: string, text: string, work?: GlobWork): boolean {
  const p = pattern.toLowerCase();
  const t = text.toLowerCase();
  let pi = 0;
  let ti = 0;
  let star = -1; // index in p of the latest `*`
  let starText = 0; // where in t that star's run currently ends
  while (ti < t.length) {
    if (work) work.steps++;
    if (pi < p.length && p[pi] === "*") {
      star = pi++;
      starText = ti;
    } else if (pi < p.length && p[pi] === t[ti]) {
      pi++;
      ti++;
    } else if (star >= 0) {
      pi = star + 1;
      ti = ++starText;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === "*") pi++;
  return pi === p.length;
}
