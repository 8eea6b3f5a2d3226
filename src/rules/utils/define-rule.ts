/**
 * A rule is one module: `meta` (id, severity, description, docs page, remediation, sources) and one
 * pure `check` over the mail-flow model. Modelled on ESLint core rules; reporters turn rules into
 * Pulumi policies.
 */
import type { Finding, Severity } from "../../findings/types";
import type { Focus, MailFlowModel } from "../../model/types";

export type { Focus };

export interface RuleMeta {
  /** Stable kebab-case id; also the Pulumi policy name. */
  id: string;
  /** Rule number in the domain research (R1–R12). */
  code: string;
  severity: Severity;
  /** One sentence; the first line of every violation message. */
  description: string;
  /** Generic remediation steps (the finding's own fix is concrete). */
  remediationSteps: string;
  /** Microsoft (or vendor) sources the rule follows. */
  sources: string[];
  /** Needs facts from more than one resource: checked on the completing resource and at stack level. */
  crossResource: boolean;
}

export interface RuleContext {
  model: MailFlowModel;
  /**
   * The model holds only the resources registered so far (resource-level check). Rules whose
   * verdict an exception could reverse once more resources arrive leave such cases to the
   * whole-stack check.
   */
  partial: boolean;
  /**
   * The resource pass asks only about one resource: the entities it states. A rule then needs to
   * return only the findings that name one of them (more is harmless: the caller keeps those that
   * name the resource), and must find them through lookups, not scans, to keep that pass linear.
   */
  about?: Focus;
}


export interface Rule {
  meta: RuleMeta;
  check(context: RuleContext): Finding[];
}

const findingsMemo = new WeakMap<MailFlowModel, Map<string, Finding[]>>();
const focusIds = new WeakMap<Focus, number>();
let focusCount = 0;

/** A rule's findings on a model and view, computed once: the session and rules that build on others share them. */
export function checkRule(rule: Rule, context: RuleContext): Finding[] {
  let byRule = findingsMemo.get(context.model);
  if (!byRule) findingsMemo.set(context.model, (byRule = new Map()));
  let focus = "";
  if (context.about) {
    if (!focusIds.has(context.about)) focusIds.set(context.about, ++focusCount);
    focus = String(focusIds.get(context.about));
  }
  const key = `${rule.meta.id}|${context.partial}|${focus}`;
  let findings = byRule.get(key);
  if (!findings) byRule.set(key, (findings = rule.check(context)));
  return findings;
}

/** Path of the rule's docs page inside this repository. */
export const docsPath = (id: string): string => `docs/rules/${id}.md`;

/** Critical and High block by default; Medium and Low advise. */
export function defaultEnforcement(severity: Severity): "mandatory" | "advisory" {
  return severity === "critical" || severity === "high" ? "mandatory" : "advisory";
}
