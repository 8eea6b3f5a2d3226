/**
 * The order a deployment gives a stack's resources, as far as the stack says: Pulumi deploys a
 * resource after everything it depends on (`dependsOn` and the outputs its inputs use), and leaves
 * the order of resources nothing orders undefined — the engine registers them as they come, which
 * differs from run to run. The pack never asks that order: it takes one canonical order consistent
 * with the dependencies (a topological order whose ties are broken by name, then URN), so the same
 * stack gives the same verdict on every run.
 */

export interface StackNode {
  urn: string;
  name: string;
  /** URNs this resource depends on (`dependencies` and `propertyDependencies`); others are ignored. */
  dependencies: readonly string[];
}

const byNameThenUrn = (a: StackNode, b: StackNode): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0);

export class DeploymentOrder {
  /** The canonical order: every resource after what it depends on; ties by name, then URN. */
  readonly order: readonly string[];
  private readonly ranks = new Map<string, number>();
  private readonly deps = new Map<string, readonly string[]>();
  private readonly dependentsOf = new Map<string, string[]>();

  constructor(nodes: readonly StackNode[]) {
    const byUrn = new Map<string, StackNode>();
    for (const n of nodes) if (!byUrn.has(n.urn)) byUrn.set(n.urn, n);
    const waiting = new Map<string, number>();
    for (const n of byUrn.values()) {
      const deps = [...new Set(n.dependencies)].filter((d) => d !== n.urn && byUrn.has(d));
      this.deps.set(n.urn, deps);
      waiting.set(n.urn, deps.length);
      for (const d of deps) {
        const list = this.dependentsOf.get(d);
        if (list) list.push(n.urn);
        else this.dependentsOf.set(d, [n.urn]);
      }
    }
    const ready = new MinHeap<StackNode>(byNameThenUrn);
    for (const n of byUrn.values()) if (waiting.get(n.urn) === 0) ready.push(n);
    const order: string[] = [];
    while (ready.size > 0) {
      const n = ready.pop()!;
      this.ranks.set(n.urn, order.length);
      order.push(n.urn);
      for (const d of this.dependentsOf.get(n.urn) ?? []) {
        const left = waiting.get(d)! - 1;
        waiting.set(d, left);
        if (left === 0) ready.push(byUrn.get(d)!);
      }
    }
    // Pulumi refuses cycles; should a stack still hold one, its resources follow in name order.
    const rest = [...byUrn.values()].filter((n) => !this.ranks.has(n.urn)).sort(byNameThenUrn);
    for (const n of rest) {
      this.ranks.set(n.urn, order.length);
      order.push(n.urn);
    }
    this.order = order;
  }

  /** Position in the canonical order; -1 for a URN outside the stack (configuration). */
  rank(urn: string): number {
    return this.ranks.get(urn) ?? -1;
  }

  has(urn: string): boolean {
    return this.ranks.has(urn);
  }

  /**
   * Whether `later` depends on `earlier`, directly or through other resources: then every deployment
   * runs `earlier` first. Searches only resources between the two in the canonical order.
   */
  dependsOn(later: string, earlier: string): boolean {
    const floor = this.rank(earlier);
    if (floor < 0 || this.rank(later) <= floor) return false;
    const seen = new Set<string>();
    const pending = [later];
    while (pending.length > 0) {
      for (const d of this.deps.get(pending.pop()!) ?? []) {
        if (d === earlier) return true;
        if (seen.has(d) || this.rank(d) < floor) continue;
        seen.add(d);
        pending.push(d);
      }
    }
    return false;
  }

  /** The resources that cannot deploy before all of `urns` have: `urns` and everything depending on them. */
  withDependents(urns: Iterable<string>): Set<string> {
    const out = new Set<string>();
    const pending = [...urns].filter((u) => this.ranks.has(u));
    for (const u of pending) out.add(u);
    while (pending.length > 0) {
      for (const d of this.dependentsOf.get(pending.pop()!) ?? []) {
        if (out.has(d)) continue;
        out.add(d);
        pending.push(d);
      }
    }
    return out;
  }

  /** Of these URNs (those in the stack), the one deployed last in the canonical order: nothing among them depends on it. */
  last(urns: Iterable<string>): string | undefined {
    let best: string | undefined;
    let bestRank = -1;
    for (const u of urns) {
      const r = this.rank(u);
      if (r > bestRank) {
        best = u;
        bestRank = r;
      }
    }
    return best;
  }
}

/** A binary heap: the canonical order takes the least ready resource (by name, then URN) in O(log n). */
class MinHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => number) {}

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.less(a[i]!, a[parent]!) >= 0) break;
      [a[i], a[parent]] = [a[parent]!, a[i]!];
      i = parent;
    }
  }

  pop(): T | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0];
    const end = a.pop()!;
    if (a.length > 0) {
      a[0] = end;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l]!, a[m]!) < 0) m = l;
        if (r < a.length && this.less(a[r]!, a[m]!) < 0) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}
