/** A deterministic random number generator in [0, 1) (mulberry32), so a failure names its order. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Other registration orders the engine could use: the reverse and a few seeded shuffles
 * (deterministic, so a failure names its order), each keeping every resource after those it
 * `dependencies` names, as Pulumi registers a resource only after what it depends on.
 */
export function registrationOrders<T extends { name: string; dependencies?: string[] }>(items: readonly T[], shuffles = 6): T[][] {
  const random = seededRandom(0x9e3779b9 ^ items.length);
  const order = (pick: (ready: T[]) => T): T[] => {
    const placed = new Set<string>();
    const out: T[] = [];
    while (out.length < items.length) {
      const ready = items.filter((r) => !placed.has(r.name) && (r.dependencies ?? []).every((d) => placed.has(d)));
      if (ready.length === 0) throw new Error(`dependency cycle among ${items.filter((r) => !placed.has(r.name)).map((r) => r.name).join(", ")}`);
      const next = pick(ready);
      placed.add(next.name);
      out.push(next);
    }
    return out;
  };
  const orders = [order((ready) => ready[ready.length - 1]!)];
  for (let k = 0; k < shuffles; k++) orders.push(order((ready) => ready[Math.floor(random() * ready.length)]!));
  return orders;
}
