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
export function registrationOrders<T extends { name: string; dependencies?: readonly string[] }>(items: readonly T[], shuffles = 6, id: (r: T) => string = (r) => r.name): T[][] {
  const random = seededRandom(0x9e3779b9 ^ items.length);
  const order = (pick: (ready: T[]) => T): T[] => {
    const placed = new Set<string>();
    const out: T[] = [];
    while (out.length < items.length) {
      const ready = items.filter((r) => !placed.has(id(r)) && (r.dependencies ?? []).every((d) => placed.has(d)));
      if (ready.length === 0) throw new Error(`dependency cycle among ${items.filter((r) => !placed.has(id(r))).map((r) => r.name).join(", ")}`);
      const next = pick(ready);
      placed.add(id(next));
      out.push(next);
    }
    return out;
  };
  const orders = [order((ready) => ready[ready.length - 1]!)];
  for (let k = 0; k < shuffles; k++) orders.push(order((ready) => ready[Math.floor(random() * ready.length)]!));
  return orders;
}

/** Every permutation of `items` (n! of them: for small n only). */
function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((x, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [x, ...rest]));
}

export interface StackOrder<T> {
  registered: T[];
  listed: T[];
  label: string;
}

/**
 * Orders in which the engine could register a stack whose resources nothing orders, each with an
 * order it could list them in for the stack pass: the declared order first, then every permutation
 * (up to `MAILFLOW_GUARD_ORDERS_UP_TO` resources: 4 in `npm test`, 6 in `npm run fuzz`) or seeded
 * samples beyond, each listed in another permutation (reversed, rotated).
 */
export function orders<T extends { name: string }>(items: readonly T[]): Array<StackOrder<T>> {
  const upTo = Number(process.env.MAILFLOW_GUARD_ORDERS_UP_TO ?? 4);
  const samples = Number(process.env.MAILFLOW_GUARD_ORDER_SAMPLES ?? 8);
  const registered =
    items.length <= upTo
      ? permutations(items)
      : [[...items], ...Array.from({ length: samples }, (_, k) => shuffled(items, 0x85ebca6b ^ (k * 7919) ^ items.length))];
  return registered.map((r, i) => {
    const listed = i % 2 === 0 ? [...r].reverse() : [...r.slice(1), ...r.slice(0, 1)];
    return { registered: r, listed, label: `registered ${r.map((x) => x.name).join(", ")}; listed ${listed.map((x) => x.name).join(", ")}` };
  });
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = seededRandom(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
