/**
 * Fixes are proven before they are shown (issue 22): each candidate plan the rules propose is applied to
 * the stack (its facts, in every state the stack pass judges) and every rule runs again. A plan is
 * proven when it clears every finding that proposed it and adds no finding of a rule that blocks; among
 * the proven plans that clear a finding the smallest wins (one value in the user's own script before a
 * new certificate), then the one that clears the most. A finding no proven plan clears has none.
 */
import type { Finding, FixPlan } from "../findings/types";
import { buildModel, type BuildOptions } from "../model/build";
import { changesOf, withChanges, type ModelEdit } from "../model/edits";
import type { Fact } from "../model/facts";
import type { MailFlowModel } from "../model/types";
import { checkRule, type Rule } from "../rules/utils/define-rule";
import { SameFindings } from "./same-findings";

/** What one plan costs the user: a value in a script is the least, a new certificate the most. */
const EDIT_COST: Record<ModelEdit["kind"], number> = {
  "set-connector-field": 1,
  "store-hybrid-certificate": 1,
  "pin-send-connector": 2,
  "add-accepted-domain": 2,
  "remove-certificate-name": 3,
  "add-inbound-connector": 5,
  "add-certificate": 8,
};

export const planCost = (plan: FixPlan): number => plan.edits.reduce((sum, e) => sum + EDIT_COST[e.kind], 0);

export interface ProvenFix {
  plan: FixPlan;
  cost: number;
  /** Every finding (of those judged) the plan clears, in the order given. */
  clears: Finding[];
}

/** Judges the stack with a plan's edits made (none: as it is): every rule's findings, or undefined when the plan cannot be applied. */
export type Judge = (edits: readonly ModelEdit[]) => Finding[] | undefined;

/** Plans proven at most per run: each is a model built and every rule run per state judged. */
export const MAX_PROOFS = 48;

export interface Proof {
  /** The proven fix of each finding (by fingerprint); absent when none is. */
  fixes: Map<string, ProvenFix>;
  /** Candidate plans left unproven because the run reached MAX_PROOFS. */
  unproven: number;
}

const planKey = (plan: FixPlan): string => JSON.stringify(plan.edits);

export function prove(findings: readonly Finding[], judge: Judge, blocks: (ruleId: string) => boolean): Proof {
  const fixes = new Map<string, ProvenFix>();
  const before = judge([]);
  if (!before) return { fixes, unproven: 0 };
  const known = new SameFindings();
  for (const f of before) known.add(f);
  // Each distinct plan once, with the findings that propose it (what it claims to clear).
  const candidates = new Map<string, { plan: FixPlan; claims: Finding[]; order: number }>();
  for (const f of findings) {
    for (const plan of f.plans) {
      const key = planKey(plan);
      const c = candidates.get(key) ?? { plan, claims: [], order: candidates.size };
      c.claims.push(f);
      candidates.set(key, c);
    }
  }
  const ordered = [...candidates.values()].map((c) => ({ ...c, cost: planCost(c.plan) })).sort((a, b) => a.cost - b.cost || a.order - b.order);
  const proven: ProvenFix[] = [];
  let proofs = 0;
  let unproven = 0;
  for (const c of ordered) {
    // Every finding has a fix already, and none cheaper can come: the rest cannot win.
    const open = findings.filter((f) => !proven.some((p) => p.clears.includes(f)));
    const cheapestNeeded = Math.max(...findings.map((f) => proven.find((p) => p.clears.includes(f))?.cost ?? Infinity));
    if (open.length === 0 && c.cost > cheapestNeeded) break;
    if (proofs >= MAX_PROOFS) {
      unproven++;
      continue;
    }
    proofs++;
    const after = judge(c.plan.edits);
    if (!after) continue;
    const remaining = new SameFindings();
    for (const f of after) remaining.add(f);
    const clears = findings.filter((f) => !remaining.covers(f, true));
    if (!c.claims.every((f) => clears.includes(f))) continue;
    if (after.some((f) => blocks(f.ruleId) && !known.covers(f, true))) continue;
    proven.push({ plan: c.plan, cost: c.cost, clears });
  }
  for (const f of findings) {
    const best = proven.filter((p) => p.clears.includes(f)).sort((a, b) => a.cost - b.cost || b.clears.length - a.clears.length)[0];
    if (best) fixes.set(f.fingerprint, best);
  }
  return { fixes, unproven };
}

/**
 * A judge for a model built from facts at once (the audit's exports): the facts with the plan's
 * changes, built again, every rule checked on the whole of it.
 */
export function factsJudge(facts: readonly Fact[], options: BuildOptions, rules: readonly Rule[]): { judge: Judge; model: MailFlowModel } {
  const model = buildModel(facts, options);
  const judge: Judge = (edits) => {
    const changes = edits.length ? changesOf(model, facts, edits) : undefined;
    if (edits.length && !changes) return undefined;
    const judged = changes ? buildModel(withChanges(facts, changes), options) : model;
    return rules.flatMap((rule) => checkRule(rule, { model: judged, partial: false }));
  };
  return { judge, model };
}
