/**
 * `mailflow-summary`: the end of the pack's part of the log. Waivers that waived nothing are named, as
 * linters name unused suppressions: a comment or exemption that names a policy the pack does not have,
 * has a pattern with characters it does not support, matches no resource, or covers no finding of this
 * run; a top-level name of the policy configuration that is no policy of the pack. Then one line a
 * person reads first: how many findings block, advise and were waived (and by what), and where the
 * report files are. Advisory, with no severity, so the engine lists it after every other violation.
 */
import type { StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { closestName } from "../../config/closest";
import { globMatches } from "../../config/glob";
import { cutText, quoteText } from "../../config/quote";
import type { ExemptionConfig, InventoryConfig } from "../../config/schema";
import type { ResourceInput } from "../../extractors/types";
import { commentPlace, waiverKey, type PipelineReports } from "../files/pipeline";
import { isBlocked, type ReportedFinding } from "../files/run-report";
import { suppressionComments } from "../files/suppressions";
import type { ReportTargets } from "../files/write";
import { engineConfiguration } from "./engine-config";

export const SUMMARY_POLICY = "mailflow-summary";

/** The properties of a command resource that hold the script its interpreter runs. */
const SCRIPT_PROPERTIES = ["create", "update"] as const;

/** Characters a user may take for pattern syntax: only `*` is special, these match themselves. */
const LITERAL_LOOKALIKES = /[?[\]{}()|^$+\\]/;

export interface SummaryInputs {
  reports: PipelineReports;
  /** The policies the pack has (rule ids and its own). */
  policies: readonly string[];
  config: () => InventoryConfig;
  /** The stack's resources as read (scripts and names), from the whole-stack check; undefined when it did not run. */
  resources: (args: StackValidationArgs) => readonly ResourceInput[] | undefined;
  targets: () => ReportTargets;
}

export function summaryPolicy(inputs: SummaryInputs): StackValidationPolicy {
  return {
    name: SUMMARY_POLICY,
    description: "What mailflow-guard found, waived and wrote in this run, in one line; waivers that waived nothing.",
    enforcementLevel: "advisory",
    remediationSteps: "Remove or correct each waiver the summary names; read the violations above for what blocked.",
    validateStack: (args, report) => {
      const resources = inputs.resources(args) ?? [];
      for (const problem of waiverProblems(inputs, resources)) report(problem.message, problem.urn);
      const line = summaryLine(inputs.reports.run.snapshot().findings, inputs.targets());
      if (line) report(line);
    },
  };
}

interface Problem {
  message: string;
  urn?: string;
}

function waiverProblems(inputs: SummaryInputs, resources: readonly ResourceInput[]): Problem[] {
  const known = new Set(inputs.policies);
  const used = inputs.reports.usedWaivers;
  const unknown = (policy: string): string => {
    // The <rule>-stack policies of earlier versions are their rule's policy now.
    const base = policy.replace(/-stack$/i, "");
    const near = base !== policy && known.has(base) ? base : closestName(policy, inputs.policies);
    return `${quoteText(policy)} is not a policy of mailflow-guard${near ? ` (did you mean ${quoteText(near)}?)` : ""}`;
  };
  const problems: Problem[] = [];
  // In name order: the engine sends the configuration as a map, in no fixed order.
  for (const name of [...(engineConfiguration()?.names ?? [])].sort()) {
    if (name !== "all" && !known.has(name)) problems.push({ message: `Policy configuration: ${unknown(name)}; it configures nothing.` });
  }
  (inputs.config().exemptions ?? []).forEach((e, i) => {
    const problem = exemptionProblem(e, i, known, used, resources, unknown);
    if (problem) problems.push({ message: `Exemption #${i + 1} (${quoteText(e.reason)}): ${problem}.` });
  });
  // In URN order: the engine lists the stack's resources in no fixed order.
  for (const r of [...resources].sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0))) {
    for (const property of SCRIPT_PROPERTIES) {
      const script = r.props[property];
      if (typeof script !== "string") continue;
      for (const c of suppressionComments(script)) {
        const where = `${cutText(r.name)}.${property}:${c.line}`;
        const strangers = c.policies.filter((p) => !known.has(p));
        if (strangers.length > 0) problems.push({ urn: r.urn, message: `Inline suppression at ${where} names ${strangers.map(unknown).join("; ")}: it suppresses nothing for it.` });
        else if (!used.has(waiverKey({ comment: commentPlace(r.urn, property, c.line) })))
          problems.push({
            urn: r.urn,
            message: `Unused inline suppression at ${where}: ${c.problem ? `it does not apply (${c.problem})` : `no finding of ${c.policies.join(", ")} at the statement below it or on its line`}; remove it, or correct it.`,
          });
      }
    }
  }
  return problems;
}

function exemptionProblem(e: ExemptionConfig, index: number, known: ReadonlySet<string>, used: ReadonlySet<string>, resources: readonly ResourceInput[], unknown: (p: string) => string): string | undefined {
  if (e.policy !== "*" && !known.has(e.policy)) return `${unknown(e.policy)}; it exempts nothing`;
  if (LITERAL_LOOKALIKES.test(e.resource)) return `its resource pattern ${quoteText(e.resource)} has characters that match only themselves (only * is a wildcard); it exempts what those characters match literally`;
  if (!resources.some((r) => globMatches(e.resource, r.name) || globMatches(e.resource, r.urn))) return `its resource pattern ${quoteText(e.resource)} matches no resource of this stack; it exempts nothing`;
  if (!used.has(waiverKey({ exemption: index }))) return `no finding of ${e.policy === "*" ? "any policy" : quoteText(e.policy)} on ${quoteText(e.resource)} in this run; it exempts nothing`;
  return undefined;
}

/** The run in one line: what blocks, what advises, what was waived and by what, where the reports are. */
export function summaryLine(findings: readonly ReportedFinding[], targets: ReportTargets): string | undefined {
  const open = findings.filter((f) => f.status === "open");
  const blocking = open.filter((f) => f.enforcement === "mandatory");
  const waived = findings.filter((f) => f.status === "waived");
  const files = Object.entries(targets).map(([format, path]) => `${format === "markdown" ? "Markdown" : format.toUpperCase()} ${path}`);
  if (findings.length === 0 && files.length === 0) return undefined;
  const count = (n: number, what: string): string => `${n} finding${n === 1 ? "" : "s"} ${what}`;
  const rules = (fs: readonly ReportedFinding[]): string => (fs.length ? ` (${[...new Set(fs.map((f) => f.policy))].join(", ")})` : "");
  const by = waived.map((f) => (f.waiver?.source === "config" ? `exemption ${quoteText(f.waiver.resource)}` : `inline at ${f.waiver?.source === "inline" ? f.waiver.where : "?"}`));
  const waivedBy = [...new Set(by)]
    .sort()
    .map((b) => `${by.filter((x) => x === b).length} by ${b}`)
    .join(", ");
  return (
    `mailflow-guard ${isBlocked(findings) ? "blocked this deployment" : "passed this deployment"}: ` +
    `${count(blocking.length, "block")}${rules(blocking)}, ${count(open.length - blocking.length, "advise")}${rules(open.filter((f) => f.enforcement !== "mandatory"))}, ` +
    `${count(waived.length, "waived")}${waived.length ? ` (${waivedBy})` : ""}.` +
    (files.length ? ` Reports: ${files.join(", ")}.` : "")
  );
}
