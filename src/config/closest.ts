/** "Did you mean": the known name closest to a misspelt one, for messages about options and configuration keys. */

/** Edit distance (insertions, deletions, substitutions; case-insensitive), stopping early past `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  if (Math.abs(s.length - t.length) > limit) return limit + 1;
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= t.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (s[i - 1] === t[j - 1] ? 0 : 1));
      best = Math.min(best, current[j]!);
    }
    if (best > limit) return limit + 1;
    previous = current;
  }
  return previous[t.length]!;
}

/** The closest of `known` to `name`, when it is close enough to be a misspelling (a third of its length, at least 2 edits). */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const limit = Math.max(2, Math.floor(name.length / 3));
  let best: { name: string; distance: number } | undefined;
  for (const k of known) {
    const d = editDistance(name, k, limit);
    if (d <= limit && (!best || d < best.distance)) best = { name: k, distance: d };
  }
  return best?.name;
}
