/**
 * The states a deployment of the whole stack can pass through, for the stack pass to judge. Facts are
 * applied in the canonical deployment order (./deployment-order.ts), so the verdict does not depend on
 * the order the engine registers or lists resources in. Where resources change the same connector (or
 * hybrid configuration) and nothing orders them, the deployment order is undefined: every order is
 * judged, each at its end (the state the stack leaves) and part way (a change made before the one that
 * follows it): a wildcard written and narrowed later was still in place between the two. What fails to
 * be ordered, or is ordered against its creation, is said in an advisory.
 */
import type { Fact, Op } from "../model/facts";
import { ModelBuilder, type BuildOptions } from "../model/build";
import type { Provenance, Unverifiable } from "../model/types";
import type { DeploymentOrder } from "./deployment-order";

export interface StackResourceFacts {
  urn: string;
  name: string;
  facts: readonly Fact[];
}

export interface JudgedState {
  /** Facts in the order this state applies them. */
  facts: Fact[];
  /** Part way through a deployment: rules leave out what the rest of it could reverse (as for a resource pass). */
  partial: boolean;
}

export interface StackStates {
  /** The canonical end state first. */
  states: JudgedState[];
  /** The defaults the whole stack settles (a state part way knows fewer names, and must not infer others). */
  options: BuildOptions;
  /** Changes of one object nothing orders, or ordered before the object's creation. */
  orderAdvisories: Unverifiable[];
}

/** More states than this are not judged (each is a model built and every rule run); the advisory says so. */
export const MAX_JUDGED_STATES = 64;
/** Orders of one group of resources tried at most (4 resources changing one connector unordered: 24). */
const MAX_ORDERS_PER_GROUP = 24;

interface Change {
  urn: string;
  op: Op;
  fact: Fact;
}

export function stackStates(configFacts: readonly Fact[], resources: readonly StackResourceFacts[], linked: readonly Fact[], order: DeploymentOrder, options: BuildOptions): StackStates {
  const inCanonicalOrder = [...resources].sort((a, b) => order.rank(a.urn) - order.rank(b.urn));
  const allFacts = [...configFacts, ...inCanonicalOrder.flatMap((r) => r.facts), ...linked];
  const builder = new ModelBuilder(options, false);
  builder.learn(allFacts);
  builder.settleDefaults();
  const settled: BuildOptions = { ...builder.settledDefaults(), inferDefaults: false };

  const changes = new Map<string, Change[]>();
  for (const r of inCanonicalOrder) {
    for (const fact of r.facts) {
      const key = builder.orderedObjectOf(fact);
      if (key === undefined) continue;
      const op: Op = "op" in fact ? fact.op : "set";
      const list = changes.get(key) ?? [];
      list.push({ urn: r.urn, op, fact });
      changes.set(key, list);
    }
  }
  const groups = groupsOfSharedObjects(changes);
  const orderAdvisories: Unverifiable[] = [];
  const names = new Map(resources.map((r) => [r.urn, r.name]));
  const stagesOf = groups.map((g) => stages(g, changes, order, names, orderAdvisories));

  const states: JudgedState[] = [];
  const byUrn = new Map(inCanonicalOrder.map((r) => [r.urn, r]));
  const build = (choice: ReadonlyArray<Stage>): void => {
    const excluded = order.withDependents(choice.flatMap((s) => s.notYet));
    // A resource of a group that depends on a change not yet made cannot have run either: no such state.
    if (choice.some((s) => s.done.some((u) => excluded.has(u)))) return;
    const placed = new Map<string, string>();
    for (const [i, g] of groups.entries()) {
      const slots = g.members.filter((u) => !excluded.has(u));
      choice[i]!.done.forEach((u, j) => placed.set(slots[j]!, u));
    }
    const facts = [...configFacts];
    for (const r of inCanonicalOrder) {
      if (excluded.has(r.urn)) continue;
      facts.push(...byUrn.get(placed.get(r.urn) ?? r.urn)!.facts);
    }
    for (const f of linked) if (!excluded.has(provenanceOfFact(f)?.urn ?? "")) facts.push(f);
    states.push({ facts, partial: choice.some((s) => s.notYet.length > 0) });
  };
  let judgedAll = true;
  for (const choice of combinations(stagesOf)) {
    if (states.length >= MAX_JUDGED_STATES) {
      judgedAll = false;
      break;
    }
    build(choice);
  }
  if (!judgedAll && groups.length > 0) {
    const first = groups[0]!.members[0]!;
    orderAdvisories.push({
      subject: `the ${groups.length} group(s) of resources that change the same connectors`,
      property: "deployment order",
      reason: `they can be deployed in more orders than mailflow-guard judges (${MAX_JUDGED_STATES} states): the first ${MAX_JUDGED_STATES} were judged`,
      remedy: "Order the resources that change one connector with dependsOn, so the deployment has the one order you mean.",
      provenance: { urn: first, resourceName: names.get(first) ?? first, resourceType: "" },
    });
  }
  return { states, options: settled, orderAdvisories };
}

interface Group {
  /** Resources of the group, in canonical order. */
  members: string[];
  keys: string[];
}

/** Resources that change a common object, joined transitively: their relative order decides the model. */
function groupsOfSharedObjects(changes: ReadonlyMap<string, Change[]>): Group[] {
  const parent = new Map<string, string>();
  const find = (u: string): string => {
    let root = u;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(u, root);
    return root;
  };
  const shared: string[] = [];
  for (const [key, list] of changes) {
    const urns = [...new Set(list.map((c) => c.urn))];
    if (urns.length < 2) continue;
    shared.push(key);
    for (const u of urns) if (!parent.has(u)) parent.set(u, u);
    for (const u of urns.slice(1)) parent.set(find(u), find(urns[0]!));
  }
  const byRoot = new Map<string, Group>();
  // `changes` lists each key's resources in canonical order, and keys in the order first met.
  for (const key of shared) {
    const urns = [...new Set(changes.get(key)!.map((c) => c.urn))];
    const root = find(urns[0]!);
    const g = byRoot.get(root) ?? { members: [], keys: [] };
    g.keys.push(key);
    for (const u of urns) if (!g.members.includes(u)) g.members.push(u);
    byRoot.set(root, g);
  }
  return [...byRoot.values()];
}

/** Where a group stands in one state: the changes made, in the order made, and those not yet made. */
interface Stage {
  done: string[];
  notYet: string[];
}

/**
 * Every order the group's resources can deploy in (each at its end, and part way), the canonical end
 * first. Dependencies order two resources, except one that changes an object before another creates
 * it: that order only holds on a first deployment, where the change fails; it is judged either way.
 */
function stages(g: Group, changes: ReadonlyMap<string, Change[]>, order: DeploymentOrder, names: ReadonlyMap<string, string>, advisories: Unverifiable[]): Stage[] {
  const before = new Map<string, Set<string>>(g.members.map((u) => [u, new Set<string>()]));
  const changedBeforeCreation = new Set<string>();
  for (const key of g.keys) {
    const list = changes.get(key)!;
    const creators = new Set(list.filter((c) => c.op === "new").map((c) => c.urn));
    for (const c of list) {
      if (c.op === "new" || creators.has(c.urn)) continue;
      for (const creator of creators) {
        const pair = `${c.urn}\u0000${creator}`;
        if (!order.dependsOn(creator, c.urn) || changedBeforeCreation.has(pair)) continue;
        changedBeforeCreation.add(pair);
        advisories.push(orderAdvisory(list, c, creator, names, "before-creation"));
      }
    }
    const urns = [...new Set(list.map((c) => c.urn))];
    for (let i = 0; i < urns.length; i++) {
      for (let j = i + 1; j < urns.length; j++) {
        const [a, b] = [urns[i]!, urns[j]!];
        if (!order.dependsOn(b, a) && !order.dependsOn(a, b)) advisories.push(orderAdvisory(list, list.find((c) => c.urn === b)!, a, names, "unordered"));
      }
    }
  }
  for (const a of g.members) {
    for (const b of g.members) {
      if (a !== b && order.dependsOn(b, a) && !changedBeforeCreation.has(`${a}\u0000${b}`)) before.get(b)!.add(a);
    }
  }
  const orders: string[][] = [];
  const walk = (taken: string[]): void => {
    if (orders.length >= MAX_ORDERS_PER_GROUP) return;
    if (taken.length === g.members.length) {
      orders.push([...taken]);
      return;
    }
    for (const u of g.members) {
      if (taken.includes(u) || [...before.get(u)!].some((d) => !taken.includes(d))) continue;
      walk([...taken, u]);
    }
  };
  walk([]);
  const ends = orders.map((o) => ({ done: o, notYet: [] as string[] }));
  const partWay = orders.flatMap((o) => o.slice(1).map((_, i) => ({ done: o.slice(0, i + 1), notYet: o.slice(i + 1) })));
  // The same changes made in the same order are one state, whatever comes after them.
  const seen = new Set<string>();
  return [...ends, ...partWay].filter((s) => {
    const key = `${s.done.join("\u0001")}\u0000${[...s.notYet].sort().join("\u0001")}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Every combination of the groups' stages: the canonical end of every group first, then the first group's stages fastest (an odometer), until MAX_JUDGED_STATES stops the caller. */
function* combinations(stagesOf: ReadonlyArray<readonly Stage[]>): Generator<Stage[]> {
  const index = stagesOf.map(() => 0);
  for (;;) {
    yield index.map((i, g) => stagesOf[g]![i]!);
    let g = 0;
    while (g < index.length && ++index[g]! >= stagesOf[g]!.length) index[g++] = 0;
    if (g >= index.length) return;
  }
}

const KIND_LABELS: Record<string, string> = {
  "inbound-connector": "inbound connector",
  "outbound-connector": "outbound connector",
  "send-connector": "Send connector",
  "receive-connector": "Receive connector",
};

function orderAdvisory(list: readonly Change[], change: Change, other: string, names: ReadonlyMap<string, string>, why: "unordered" | "before-creation"): Unverifiable {
  const f = change.fact;
  const subject = f.kind === "hybrid-configuration" ? `the hybrid configuration${f.org ? ` of ${f.org}` : ""}` : `${KIND_LABELS[f.kind] ?? f.kind} '${"identity" in f ? f.identity : ""}'`;
  const it = names.get(change.urn) ?? change.urn;
  const them = names.get(other) ?? other;
  const creates = list.some((c) => c.urn === other && c.op === "new") ? "creates" : "changes";
  const reason =
    why === "unordered"
      ? `${them} ${creates} it too, and nothing orders ${it} and ${them} (neither depends on the other, directly or through outputs): Pulumi may run either first, so mailflow-guard judged every order`
      : `it runs before ${them}, which creates it (${it} comes first by dependsOn or outputs): on a first deployment the change fails because the connector does not exist yet, and a later deployment makes it; mailflow-guard judged it made after the creation`;
  const remedy =
    why === "unordered"
      ? `Order them with dependsOn: on the resource named '${it}', \`dependsOn: [<the resource named '${them}'>]\` (or the reverse), so the deployment has the order you mean.`
      : `Make the resource named '${it}' depend on the resource named '${them}' instead (dependsOn), so the change follows the creation.`;
  return { subject, property: "deployment order", reason, remedy, provenance: provenanceOfFact(f)! };
}

function provenanceOfFact(f: Fact): Provenance | undefined {
  if (f.kind === "unverifiable") return f.item.provenance;
  if (f.kind === "certificate") return f.certificate.provenance[0];
  return f.provenance;
}
