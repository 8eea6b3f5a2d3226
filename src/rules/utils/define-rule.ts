/**
 * A rule is one module: `meta` (id, severity, description, docs page, remediation, sources) and one
 * pure `check` over the mail-flow model, made by `defineRule`. Modelled on ESLint core rules: a check
 * calls `context.report(...)` and the framework stamps the rule's identity (id, severity, fingerprint
 * prefix) from `meta`, so no rule writes it by hand. Reporters turn rules into Pulumi policies.
 */
import type { Finding, FixPlan, Severity } from "../../findings/types";
import type { Focus, MailFlowModel, Provenance } from "../../model/types";
import { provenanceOf } from "./support";

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

/** What a check reports: everything of a finding except the identity the framework stamps. */
export interface Report {
  /** The entities the finding names, in order: its provenance is theirs (duplicates dropped). */
  at: ReadonlyArray<{ provenance: Provenance[] } | undefined>;
  /** What identifies this finding within the rule; the fingerprint is the rule code followed by it. */
  key: readonly string[];
  what: string;
  flow?: string;
  consequence: string;
  /** Fixes to prove, the preferred first (see FixPlan). */
  plans: FixPlan[];
}

export interface CheckContext extends RuleContext {
  /** Records a finding; a second report with the same key is dropped (the first one stands). */
  report(finding: Report): void;
  /** Whether a finding with this key was reported already: lets a check skip building its fix again. */
  reported(key: readonly string[]): boolean;
}

const fingerprintOf = (meta: RuleMeta, key: readonly string[]): string => [meta.code, ...key].join("|");

const definedRules = new WeakSet<Rule>();

/** Whether `value` is a rule made by `defineRule` (its findings carry its identity). */
export const isDefinedRule = (value: unknown): value is Rule => typeof value === "object" && value !== null && definedRules.has(value as Rule);

/** A rule whose findings carry `meta`'s id, severity and fingerprint prefix. */
export function defineRule(meta: RuleMeta, check: (context: CheckContext) => void): Rule {
  const rule: Rule = {
    meta,
    check(context) {
      const findings = new Map<string, Finding>();
      check({
        ...context,
        reported: (key) => findings.has(fingerprintOf(meta, key)),
        report({ at, key, what, flow, consequence, plans }) {
          const fingerprint = fingerprintOf(meta, key);
          if (findings.has(fingerprint)) return;
          findings.set(fingerprint, {
            ruleId: meta.id,
            severity: meta.severity,
            what,
            ...(flow !== undefined ? { flow } : {}),
            consequence,
            plans,
            provenance: provenanceOf(...at),
            subjectStatements: provenanceOf(at[0]).length,
            fingerprint,
          });
        },
      });
      return [...findings.values()];
    },
  };
  definedRules.add(rule);
  return rule;
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
