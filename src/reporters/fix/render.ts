/**
 * A proven fix, rendered once for every output (log, SARIF, JSON, Markdown): what it changes, in the
 * user's own code first (resource, script line, columns, old → new, from the positions the evaluator
 * recorded), then PowerShell for the live configuration, then Pulumi for the program; and, when the plan
 * is one value in one script, that value machine-readable (the JSON report's valueFix, SARIF `fixes`).
 */
import type { ResourceInput } from "../../extractors/types";
import type { Finding } from "../../findings/types";
import { placeholderIssuer, type FactChanges, type ModelEdit } from "../../model/edits";
import type { Fact } from "../../model/facts";
import type { MailFlowModel } from "../../model/types";
import { rules } from "../../rules";
import type { FixEntry } from "../../runner/fix-book";
import type { ProgramSources } from "../files/program-location";
import { planChanges, type PlanChanges } from "./changes";
import { planPowerShell } from "./powershell";
import { planPulumi, type PulumiFix } from "./pulumi";

/** The one value a one-value plan changes in a script, as a tool replaces it. */
export interface ValueFix {
  urn: string;
  resourceName: string;
  property: string;
  line: number;
  /** 1-based column of the value as written in the script (UTF-16 code units). */
  startColumn: number;
  /** 1-based column just after it (equal to startColumn: the parameter is added there). */
  endColumn: number;
  parameter: string;
  /** What is written there instead (a parameter added: ` -Name value`). */
  replacement: string;
}

export interface RenderedFix {
  id: string;
  summary: string;
  /** Rule ids of the findings it clears. */
  clears: string[];
  /** How many of the findings shown it clears (the one that prints it among them). */
  clearedFindings: number;
  change: string[];
  /** Where it lands, as structured changes (what `change` says). */
  changes: PlanChanges;
  powershell: string;
  pulumi: PulumiFix;
  placeholders: string[];
  valueFix?: ValueFix;
}

export interface FixRenderContext {
  model: MailFlowModel;
  facts: readonly Fact[];
  resource: (urn: string) => ResourceInput | undefined;
  program?: ProgramSources;
  /** Names of the stack's resources. */
  names: ReadonlySet<string>;
}

function changeLines(changes: PlanChanges): string[] {
  const out: string[] = [];
  for (const c of changes.scripts) {
    const where = `${c.resource.name}.${c.property}:`;
    if (c.at && "span" in c.at) out.push(`${where}${c.at.span.line}, columns ${c.at.span.column}–${c.at.span.endColumn - 1}: ${c.at.span.written} → ${c.replacement}`);
    else if (c.at) out.push(`${where}${c.at.end.line}, after column ${c.at.end.column - 1} (${c.statement}): add -${c.parameter} ${c.replacement}`);
    else out.push(`${where}${c.line} (${c.statement}): set -${c.parameter} ${c.replacement}`);
  }
  for (const c of changes.inputs) out.push(`${c.provenance.resourceName}.${c.property}: ${c.describe}`);
  for (const e of changes.additions) {
    if (e.kind === "add-certificate") out.push(`add: a certificate for ${e.certificate.name} only (public CA), for ${e.certificate.org}`);
    if (e.kind === "add-inbound-connector") out.push(`add: OnPremises inbound connector '${e.name}' in ${e.tenant}, trusting exactly ${e.tlsSenderCertificateName}`);
    if (e.kind === "add-accepted-domain") out.push(`add: accepted domain ${e.domain} of ${e.tenant} (verified in Microsoft 365)`);
  }
  return out;
}

function valueFixOf(changes: PlanChanges): ValueFix | undefined {
  if (changes.scripts.length !== 1 || changes.inputs.length > 0 || changes.additions.length > 0) return undefined;
  const c = changes.scripts[0]!;
  if (!c.at) return undefined;
  const base = { urn: c.resource.urn, resourceName: c.resource.name, property: c.property, parameter: c.parameter };
  if ("span" in c.at) return { ...base, line: c.at.span.line, startColumn: c.at.span.column, endColumn: c.at.span.endColumn, replacement: c.replacement };
  return { ...base, line: c.at.end.line, startColumn: c.at.end.column, endColumn: c.at.end.column, replacement: ` -${c.parameter} ${c.replacement}` };
}

/** Values nobody declared that the fix names: the issuer of a certificate a CA has yet to issue. */
function placeholdersOf(edits: readonly ModelEdit[]): string[] {
  return edits.flatMap((e) =>
    e.kind === "add-certificate" && !e.certificate.issuer
      ? [`${placeholderIssuer(e.certificate.name)}: the issuer (distinguished name) of the certificate the CA issues for ${e.certificate.name}; write it the same wherever it appears`]
      : [],
  );
}

export function renderFix(entry: FixEntry, factChanges: FactChanges, ctx: FixRenderContext): RenderedFix {
  const { edits } = entry.fix.plan;
  const changes = planChanges(edits, factChanges, ctx.facts, ctx.resource);
  const valueFix = valueFixOf(changes);
  return {
    id: entry.id,
    summary: entry.fix.plan.summary,
    clears: [...new Set(entry.fix.clears.map((f) => f.ruleId))],
    clearedFindings: entry.shownOn,
    change: changeLines(changes),
    changes,
    powershell: planPowerShell(ctx.model, edits),
    pulumi: planPulumi(ctx, edits, changes),
    placeholders: placeholdersOf(edits),
    ...(valueFix ? { valueFix } : {}),
  };
}

const indent = (lines: readonly string[], prefix = "    "): string[] => lines.map((l) => (l.length ? prefix + l : l));

/** How a finding's message says its fix: the plan on the finding that carries it, a reference on the others, or why there is none. */
export type FixText = { carries: RenderedFix } | { clearedBy: string; fix: RenderedFix; place?: number } | { none: string };

/** A fix shown in full on a finding read on its own (a SARIF result): what it clears said by rule. */
export const standalone = (fix: FixText | undefined): FixText | undefined => (fix && "clearedBy" in fix ? { carries: fix.fix } : fix);

/** The proven fix a finding's text refers to, printed on it or above it. */
export const renderedFixOf = (fix: FixText | undefined): RenderedFix | undefined => (fix && "carries" in fix ? fix.carries : fix && "fix" in fix ? fix.fix : undefined);

/** What a fix clears, said from the finding that prints it: the others refer to it below. */
function clearsText(f: Finding, r: RenderedFix, alone: boolean): string {
  if (alone) return r.clears.join(", ");
  const others = r.clearedFindings - 1;
  return others > 0 ? `this and the ${others} finding${others > 1 ? "s" : ""} below` : "this finding";
}

/** The "Fix" part of a finding's message (`alone`: read on its own, as a SARIF result is, with no finding "below"). */
export function fixLines(f: Finding, fix: FixText | undefined, alone = false): string[] {
  if (fix && "carries" in fix) {
    const r = fix.carries;
    return [
      `Fix ${r.id} (proven: clears ${clearsText(f, r, alone)}, adds no blocking one): ${r.summary}`,
      ...(r.change.length ? ["  Change:", ...indent(r.change)] : []),
      ...(r.powershell ? ["  PowerShell:", ...indent(r.powershell.split("\n"))] : []),
      ...(r.pulumi.lines.length ? ["  Pulumi:", ...indent(r.pulumi.lines)] : []),
      ...(r.placeholders.length ? ["  Placeholders:", ...indent(r.placeholders)] : []),
    ];
  }
  // Each reference says which of the fix's findings this one is: no two lines of the log say the same.
  if (fix && "clearedBy" in fix) return [`Fix: cleared by fix ${fix.clearedBy} above${fix.place ? ` (finding ${fix.place} of ${fix.fix.clearedFindings})` : ""}.`];
  const steps = rules.find((r) => r.meta.id === f.ruleId)?.meta.remediationSteps ?? "";
  return [`Fix: ${fix?.none ?? "no change mailflow-guard could prove clears this without another blocking finding"}. By hand: ${steps}`];
}
