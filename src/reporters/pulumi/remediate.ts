/**
 * The `remediate` level (issue 22): where a rule's proven fix is one value in the script of the
 * resource being registered — the resource that completes the conflict, as the engine remediates each
 * resource before analysing it — the pack writes that value there (`remediateResource`), at the place
 * the evaluator read it, and the rule's stack part says what it changed. Where it is not, the engine
 * reports the violation as mandatory, and the message says why the value was not written.
 */
import type { PolicyResource, ResourceValidationArgs } from "@pulumi/policy";
import type { Finding } from "../../findings/types";
import { FixBook } from "../../runner/fix-book";
import { admit } from "../../runner/passes";
import { prove } from "../../runner/prove";
import type { Session } from "../../runner/session";
import { StackVerdict } from "../../runner/stack-verdict";
import type { Rule } from "../../rules/utils/define-rule";
import { editedScript, planChanges, type ScriptChange } from "../fix/changes";
import type { FixText } from "../fix/render";

export interface Remediation {
  urn: string;
  resource: string;
  rule: string;
  change: ScriptChange;
}

/** Why a proven fix cannot be written by `remediate`, or undefined when it is one value in one script. */
export function notOneValue(fix: FixText | undefined): string | undefined {
  if (!fix || "none" in fix) return "no proven fix";
  const r = "carries" in fix ? fix.carries : fix.fix;
  if (r.valueFix) return undefined;
  const { scripts, inputs, additions } = r.changes;
  if (scripts.length + inputs.length + additions.length > 1) return `its proven fix (${r.id}) makes ${scripts.length + inputs.length + additions.length} changes, not one value`;
  return `its proven fix (${r.id}) is not one value the script writes in place`;
}

export class Remediations {
  private readonly applied: Remediation[] = [];

  constructor(private readonly blocks: (ruleId: string) => boolean) {}

  /**
   * The props of resource `args` with the one value `rule`'s proven fix changes in its own script,
   * proven on the resources registered so far; undefined when there is none to write.
   */
  remediate(session: Session, rule: Rule, args: ResourceValidationArgs): Record<string, unknown> | undefined {
    admit(session, args);
    const verdict = new StackVerdict(session, session.getConfig());
    const own = verdict.findings(rule).filter((f) => f.finding.provenance.some((p) => p.urn === args.urn));
    if (own.length === 0) return undefined;
    const findings = own.map((f) => f.finding);
    const proof = prove(findings, (edits) => verdict.judge(edits), this.blocks);
    const book = new FixBook(findings.map((finding) => ({ finding, urn: args.urn, level: "mandatory", waived: false })), proof.fixes);
    let props: Record<string, unknown> | undefined;
    for (const f of findings) {
      const entry = book.of(f);
      const changes = entry && verdict.changes(entry.fix.plan.edits);
      if (!entry || !changes) continue;
      const planned = planChanges(entry.fix.plan.edits, changes, verdict.facts(), (urn) => verdict.session.resource(urn));
      const [change] = planned.scripts;
      if (planned.scripts.length !== 1 || planned.inputs.length || planned.additions.length || !change?.at || change.resource.urn !== args.urn) continue;
      const current = (props ?? args.props)[change.property];
      const text = typeof current === "string" ? editedScript(current, [change]) : undefined;
      if (text === undefined) continue;
      props = { ...(props ?? args.props), [change.property]: text };
      if (!this.applied.some((a) => a.urn === args.urn && a.change.line === change.line && a.change.parameter === change.parameter)) this.applied.push({ urn: args.urn, resource: args.name, rule: rule.meta.id, change });
    }
    return props;
  }

  /** What `rule`'s remediation changed, one line each, for its stack part to report. */
  said(rule: Rule, resources: readonly PolicyResource[]): Array<{ message: string; urn: string }> {
    return this.applied
      .filter((a) => a.rule === rule.meta.id && resources.some((r) => r.urn === a.urn))
      .map((a) => {
        const at = a.change.at && "span" in a.change.at ? `${a.change.line}, columns ${a.change.at.span.column}–${a.change.at.span.endColumn - 1}: ${a.change.at.span.written} → ${a.change.replacement}` : `${a.change.line}: added -${a.change.parameter} ${a.change.replacement}`;
        return { urn: a.urn, message: `Remediated (the remediate level): ${a.resource}.${a.change.property}:${at} (${a.change.statement}), the proven fix of ${a.rule}. The deployment runs the script so changed: write the same value in the program.` };
      });
  }
}

/** The line a finding's message gains when its rule is configured `remediate` and its fix was not written. */
export const notRemediated = (f: Finding, fix: FixText | undefined): string =>
  `Remediate: not applied to ${f.ruleId}'s finding, so it blocks as mandatory: ${notOneValue(fix) ?? "the resource that holds the value registered before the others the finding names (order them with dependsOn)"}.`;
