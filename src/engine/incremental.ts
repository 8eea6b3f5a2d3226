/**
 * The resource pass's model: grown one resource at a time, with its lookups kept up to date.
 */
import type { Fact } from "../model/facts";
import { ModelBuilder, type BuildOptions, type EntityKind } from "../model/build";
import type { Focus, MailFlowModel, Unverifiable } from "../model/types";
import { MaintainedIndexes } from "./indexes";

/**
 * The model of resources registered so far, grown one resource at a time (the resource pass): the
 * facts of a new resource are applied to the entities already built instead of rebuilding them all,
 * and the entities each resource states are remembered. Equal to `buildModel` of all facts in order
 * (a differential test holds it to that); where a new fact would change how earlier facts landed (an
 * organisation descriptor claiming a server earlier scripts named), `add` says so and the caller
 * rebuilds. Defaults are never inferred here: while resources arrive, another tenant may come.
 */
export class IncrementalModel {
  private readonly builder: ModelBuilder;
  private readonly indexes: MaintainedIndexes;
  private current: MailFlowModel | undefined;

  /** `facts`: what the resources registered so far state, read at once as `buildModel` reads them. */
  constructor(options: Omit<BuildOptions, "inferDefaults"> = {}, facts: readonly Fact[] = []) {
    this.builder = new ModelBuilder({ ...options, inferDefaults: false });
    this.builder.learn(facts);
    this.builder.settleDefaults();
    for (const fact of facts) this.builder.apply(fact);
    this.indexes = new MaintainedIndexes((e) => this.builder.kindOf(e), (e) => this.builder.orderOf(e));
    this.indexes.update(this.builder.settle());
  }

  /** Applies one resource's facts; false (nothing applied) when they need a rebuild. */
  add(facts: readonly Fact[]): boolean {
    if (!this.builder.learn(facts, true)) return false;
    for (const fact of facts) this.builder.apply(fact);
    this.indexes.update(this.builder.settle());
    this.current = undefined;
    return true;
  }

  /** The model as it stands: a new object after every change (per-model caches start afresh), sharing the entities. */
  model(): MailFlowModel {
    if (!this.current) {
      this.current = this.builder.view();
      this.indexes.adopt(this.current);
    }
    return this.current;
  }

  /** The entities `urn` states, by kind and in model order (memoized until the model changes). */
  focusOn(urn: string): Focus {
    const model = this.model();
    if (this.focus?.model === model && this.focus.urn === urn) return this.focus.focus;
    const entities = this.builder.entitiesOf(urn);
    const byKind = new Map<EntityKind, object[]>();
    for (const e of [...entities].sort((a, b) => this.builder.orderOf(a) - this.builder.orderOf(b))) {
      const kind = this.builder.kindOf(e);
      if (!kind) continue;
      const list = byKind.get(kind);
      if (list) list.push(e);
      else byKind.set(kind, [e]);
    }
    const of = <E>(kind: EntityKind): E[] => (byKind.get(kind) ?? []) as E[];
    const focus: Focus = {
      has: (e) => entities.has(e),
      inbound: of("inbound"),
      send: of("send"),
      certificates: of("certificate"),
      tenants: of("tenant"),
      organizations: of("organization"),
      hybridConfigurations: of("hybrid-configuration"),
    };
    this.focus = { model, urn, focus };
    return focus;
  }

  private focus: { model: MailFlowModel; urn: string; focus: Focus } | undefined;

  /** What could not be verified in one resource, from its facts and from the model. */
  unverifiableOf(urn: string): Unverifiable[] {
    return this.builder.unverifiableOf(urn);
  }
}

