/**
 * The verdict on a whole stack: a pure function of the stack (its resources, their inputs and their
 * dependencies, and the configuration), whatever order the engine registers or lists them in. Facts
 * are applied in the canonical deployment order; every order the stack leaves undefined is judged
 * (./stack-states.ts); each finding is reported once, on the resource its conflict completes with in
 * the canonical order — the resource the deployment reaches last among those it names, which, when
 * dependencies order them, is the one every deployment reaches last.
 */
import { configFacts } from "../extractors/config-facts";
import { linkResources } from "../extractors";
import type { InventoryConfig } from "../config/schema";
import { stackUnverifiable } from "../engine/stack-unverifiable";
import type { Finding } from "../findings/types";
import { buildModel } from "../model/build";
import type { MailFlowModel, Unverifiable } from "../model/types";
import { changesOf, withChanges, type FactChanges, type ModelEdit } from "../model/edits";
import type { Fact } from "../model/facts";
import { rules as everyRule } from "../rules";
import { checkRule, type Rule } from "../rules/utils/define-rule";
import { prove, type Proof } from "./prove";
import { DeploymentOrder } from "./deployment-order";
import { SameFindings } from "./same-findings";
import type { Session } from "./session";
import { stackStates, type StackStates } from "./stack-states";

export interface StackFinding {
  finding: Finding;
  /** The resource it is reported on; undefined when none of the stack's resources is among those it names. */
  urn?: string;
}

export class StackVerdict {
  readonly order: DeploymentOrder;
  private statesMemo: StackStates | undefined;
  private readonly models: MailFlowModel[] = [];
  private readonly byRule = new Map<string, StackFinding[]>();
  private proofMemo: Proof | undefined;

  /**
   * `session`: the stack's resources, read (a whole-stack session); `config`: the inventory's
   * configuration; `rules`: every rule a fix is proven against (all of the pack's, whichever are enabled).
   */
  constructor(
    readonly session: Session,
    private readonly config: InventoryConfig,
    private readonly rules: readonly Rule[] = everyRule,
  ) {
    this.order = new DeploymentOrder(session.stackNodes());
  }

  private states(): StackStates {
    if (!this.statesMemo) {
      const resources = this.session.stackNodes().map((n) => ({ urn: n.urn, name: n.name, facts: this.session.factsOf(n.urn) }));
      const options = { defaultTenant: this.config.defaultTenant, defaultOrganization: this.config.defaultOrganization, inferDefaults: true };
      this.statesMemo = stackStates(configFacts(this.config), resources, linkResources(this.session.inputs(), (r) => this.session.factsOf(r.urn)), this.order, options);
    }
    return this.statesMemo;
  }

  private modelOf(i: number): MailFlowModel {
    let model = this.models[i];
    if (!model) {
      const { states, options } = this.states();
      // Defaults as the whole stack settles them: a state part way names fewer tenants, and must not infer others.
      model = buildModel(states[i]!.facts, options);
      this.models[i] = model;
    }
    return model;
  }

  /** The model the stack leaves in the canonical order: what the files picture and what advisories are read from. */
  model(): MailFlowModel {
    return this.modelOf(0);
  }

  /** Every finding of `rule`, once, over every state judged; in a stable order. */
  findings(rule: Rule): StackFinding[] {
    let found = this.byRule.get(rule.meta.id);
    if (found) return found;
    found = [];
    const same = new SameFindings();
    const { states } = this.states();
    for (let i = 0; i < states.length; i++) {
      for (const finding of checkRule(rule, { model: this.modelOf(i), partial: states[i]!.partial })) {
        if (same.covers(finding, true)) continue;
        same.add(finding);
        const urn = this.target(finding);
        found.push({ finding, ...(urn !== undefined ? { urn } : {}) });
      }
    }
    this.byRule.set(rule.meta.id, found);
    return found;
  }

  /** The facts of the stack in the canonical order: what the model is built from, and what a fix changes. */
  facts(): readonly Fact[] {
    return this.states().states[0]!.facts;
  }

  /** Where a plan lands in the stack's facts (undefined: it cannot be applied). */
  changes(edits: readonly ModelEdit[]): FactChanges | undefined {
    return changesOf(this.model(), this.facts(), edits);
  }

  /**
   * Every rule's findings over every state judged, with a plan's edits made (none: as the stack is);
   * undefined when the plan cannot be applied. How a fix is proven.
   */
  judge(edits: readonly ModelEdit[]): Finding[] | undefined {
    if (edits.length === 0) return this.rules.flatMap((r) => this.findings(r).map((f) => f.finding));
    const changes = this.changes(edits);
    if (!changes) return undefined;
    const { states, options } = this.states();
    return states.flatMap((state) => {
      const model = buildModel(withChanges(state.facts, changes), options);
      return this.rules.flatMap((rule) => checkRule(rule, { model, partial: state.partial }));
    });
  }

  /** The proven fix of every finding of every rule (`blocks`: whether a rule's finding blocks, as configured). Computed once. */
  proof(blocks: (ruleId: string) => boolean): Proof {
    this.proofMemo ??= prove(
      this.rules.flatMap((r) => this.findings(r).map((f) => f.finding)),
      (edits) => this.judge(edits),
      blocks,
    );
    return this.proofMemo;
  }

  /**
   * The resource a finding is reported on: the one the deployment reaches last among those it names
   * (when dependencies order them, every deployment completes the conflict there). Where several may
   * come last, the latest statement of the finding's subject among them (the connector's change that
   * made the conflict), else the last in the canonical order.
   */
  private target(f: Finding): string | undefined {
    const urns = [...new Set(f.provenance.map((p) => p.urn))].filter((u) => this.order.has(u));
    const last = urns.filter((u) => !urns.some((v) => v !== u && this.order.dependsOn(v, u)));
    if (last.length <= 1) return last[0];
    const subject = f.provenance.slice(0, f.subjectStatements ?? 1);
    for (let i = subject.length - 1; i >= 0; i--) if (last.includes(subject[i]!.urn)) return subject[i]!.urn;
    return this.order.last(last);
  }

  /**
   * What the stack's model cannot place (connectors no tenant can be given, changed but created
   * outside the stack, accepted domains nobody declared): advisories of the model, not of one
   * resource's inputs, so only the whole stack can say them.
   */
  modelAdvisories(): Unverifiable[] {
    const model = this.model();
    const fromFacts = new Set<Unverifiable>();
    for (const f of this.states().states[0]!.facts) if (f.kind === "unverifiable") fromFacts.add(f.item);
    return [...model.unverifiable.filter((u) => !fromFacts.has(u)), ...stackUnverifiable(model)];
  }

  /** Changes of one object that nothing orders, or that are ordered before the object's creation. */
  orderAdvisories(): Unverifiable[] {
    return this.states().orderAdvisories;
  }
}
