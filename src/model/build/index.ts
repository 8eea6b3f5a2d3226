/**
 * Builds the mail-flow model from facts, applied in order: `create` before `update`, earlier
 * resources before later ones, so what the model holds is what the scripts leave behind. A `Set-*`
 * in another resource on the same `-Identity` changes the same connector.
 *
 * Where things are: ./state.ts (entities and their life cycle), ./owners.ts (tenants, organisations,
 * default owners), ./connectors.ts (connector life cycle and pipelines), ./normalise-fields.ts (how
 * fields land), ./certificates.ts (certificates and references to them), ./advisories.ts (what the
 * model cannot place).
 */
import type { Fact } from "../facts";
import { UNNAMED_ORG, UNNAMED_TENANT, type MailFlowModel, type Unverifiable } from "../types";
import { settle } from "./advisories";
import { applyCertificate, applyCertificateBinding, applyHybridConfiguration, removeCertificate } from "./certificates";
import { applyInbound, applyOutbound, applyReceive, applySend, connectorKeyOf, peekOrgId } from "./connectors";
import { applyAcceptedDomain, applyOrganization, applyTenant, learn, settleDefaults } from "./owners";
import { BuildState, emptyModel, type BuildOptions, type EntityKind } from "./state";

export { emptyModel, type BuildOptions, type EntityKind };

export function buildModel(facts: readonly Fact[], options: BuildOptions = {}): MailFlowModel {
  const b = new ModelBuilder(options, false);
  b.learn(facts);
  b.settleDefaults();
  for (const fact of facts) b.apply(fact);
  return b.finish();
}

/** Applies facts to entities; `buildModel` for a whole stack, `IncrementalModel` (engine) for a growing one. */
export class ModelBuilder {
  private readonly state: BuildState;

  /**
   * `tracking`: remember which entities change and which resources state them, for a model that
   * goes on growing; a model built at once settles everything once instead.
   */
  constructor(options: BuildOptions, tracking = true) {
    this.state = new BuildState(options, tracking);
  }

  /**
   * Reads what applying facts needs from all of them first (servers organisation descriptors claim,
   * the owners named); false when facts arriving later (`incremental`) cannot be taken in as if known
   * from the start — then the model starts again from all facts.
   */
  learn(facts: readonly Fact[], incremental = false): boolean {
    return learn(this.state, facts, incremental);
  }

  /** Fixes the defaults for silent scripts, once the names are learnt (whole stack) or from configuration only. */
  settleDefaults(): void {
    settleDefaults(this.state);
  }

  /**
   * The object a fact changes in a way the order of changes decides (a connector, an organisation's
   * hybrid configuration), as a key; undefined for facts whose order does not change the model.
   * Asked after `learn` and `settleDefaults`, without changing the state.
   */
  orderedObjectOf(fact: Fact): string | undefined {
    switch (fact.kind) {
      case "inbound-connector":
      case "outbound-connector":
      case "send-connector":
      case "receive-connector":
        return connectorKeyOf(this.state, fact);
      case "hybrid-configuration":
        return `hybrid-configuration\u0000${peekOrgId(this.state, fact.org ?? this.state.defaultOrg)}`;
      default:
        return undefined;
    }
  }

  /** The defaults for scripts that name no tenant or organisation, as settled (undefined: none). */
  settledDefaults(): { defaultTenant?: string; defaultOrganization?: string } {
    const { defaultTenant, defaultOrg } = this.state;
    return { ...(defaultTenant !== UNNAMED_TENANT ? { defaultTenant } : {}), ...(defaultOrg !== UNNAMED_ORG ? { defaultOrganization: defaultOrg } : {}) };
  }

  entitiesOf(urn: string): ReadonlySet<object> {
    return this.state.byUrn.get(urn) ?? new Set();
  }

  unverifiableOf(urn: string): Unverifiable[] {
    const advised: Unverifiable[] = [];
    for (const e of this.entitiesOf(urn)) for (const a of this.state.advisories.get(e) ?? []) if (a.provenance.urn === urn) advised.push(a);
    return [...(this.state.unverifiableByUrn.get(urn) ?? []), ...advised];
  }

  /** Creation order of an entity: lists in the model are in this order. */
  orderOf(e: object): number {
    return this.state.orderOf(e);
  }

  /** Which kind a live entity is; undefined once it has left the model. */
  kindOf(e: object): EntityKind | undefined {
    return this.state.kinds.get(e);
  }

  apply(fact: Fact): void {
    const state = this.state;
    switch (fact.kind) {
      case "tenant":
        return applyTenant(state, fact);
      case "accepted-domain":
        return applyAcceptedDomain(state, fact);
      case "organization":
        return applyOrganization(state, fact);
      case "inbound-connector":
        return applyInbound(state, fact);
      case "outbound-connector":
        return applyOutbound(state, fact);
      case "send-connector":
        return applySend(state, fact);
      case "receive-connector":
        return applyReceive(state, fact);
      case "certificate":
        return applyCertificate(state, fact);
      case "certificate-removal":
        return removeCertificate(state, fact.certificate);
      case "certificate-binding":
        return applyCertificateBinding(state, fact);
      case "hybrid-configuration":
        return applyHybridConfiguration(state, fact);
      case "unverifiable": {
        state.model.unverifiable.push(fact.item);
        const list = state.unverifiableByUrn.get(fact.item.provenance.urn) ?? [];
        list.push(fact.item);
        state.unverifiableByUrn.set(fact.item.provenance.urn, list);
        return;
      }
    }
  }

  /** The whole model, with every advisory in `unverifiable` (a one-off build). */
  finish(): MailFlowModel {
    this.settle();
    const m = this.state.model;
    m.unverifiable = [...m.unverifiable, ...[...this.state.advisories.values()].flat()];
    return m;
  }

  /**
   * The model as it stands, for a builder that goes on growing: a new object over the same entity
   * lists, whose `unverifiable` is put together only when read.
   */
  view(): MailFlowModel {
    const { unverifiable: fromFacts, ...lists } = this.state.model;
    const advisories = this.state.advisories;
    const view = { ...lists } as MailFlowModel;
    // Read as it stands: resources outside mail flow add what they could not verify without a new view.
    Object.defineProperty(view, "unverifiable", { enumerable: true, get: () => [...fromFacts, ...[...advisories.values()].flat()] });
    return view;
  }

  /**
   * Brings what depends on changed entities up to date (resolved certificate references, the
   * model's advisories) and returns the entities changed since the last call, removed ones included.
   */
  settle(): object[] {
    return settle(this.state);
  }
}
