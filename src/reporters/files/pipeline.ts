/**
 * The hook the Pulumi reporter calls: decides whether a finding is waived (configured exemption or
 * inline suppression), records it, and rewrites the configured report files after every policy call
 * that changed the run — the pack cannot know which call is the last, so each file on disk is always
 * a complete document of everything so far, and final once the stack policies ran.
 */
import { exemptionFor, expiredExemptionNote } from "../../config/exemptions";
import type { ExemptionConfig, InventoryConfig } from "../../config/schema";
import type { Finding } from "../../findings/types";
import type { MailFlowModel } from "../../model/types";
import { defaultEnforcement, type Rule } from "../../rules/utils/define-rule";
import { PACK_NAME, packVersion } from "../pulumi/pack-metadata";
import { toJsonReport } from "./json";
import { toMarkdown } from "./markdown";
import { RunReport, type Enforcement, type ReportPolicy, type Waiver } from "./run-report";
import { toSarif } from "./sarif";
import { inlineSuppressionFor, suppressionNote, type ScriptLookup } from "./suppressions";
import type { FixText } from "../fix/render";
import { programLocator, type LocateDeclaration } from "./program-location";
import { removeQuietly, reportTargets, runDirectory, writeAtomically, type ReportFormat, type ReportTargets } from "./write";

export interface WaiverDecision {
  waiver?: Waiver;
  /** Lines the violation gains: an exemption or suppression that was found but does not apply. */
  notes: string[];
  /** The waiver (or the expired or malformed one noted) this decision used: an exemption's index, or a comment's place. */
  used?: WaiverUse;
}

export type WaiverUse = { exemption: number } | { comment: string };

export const waiverKey = (use: WaiverUse): string => ("exemption" in use ? `exemption ${use.exemption}` : `comment ${use.comment}`);

/** A comment's place, as the waiver ledger files it. */
export const commentPlace = (urn: string, property: string, line: number): string => `${urn}\u0000${property}\u0000${line}`;

/**
 * A configured exemption (on any of the finding's resources) or an inline suppression (on any of its
 * PowerShell lines) of `policy` waives the finding; expired or malformed ones are noted.
 */
export function waiverFor(
  exemptions: readonly ExemptionConfig[],
  policy: string,
  f: Finding,
  resource: { name: string; urn: string },
  scripts: ScriptLookup,
  today: string,
): WaiverDecision {
  const involved = [resource, ...f.provenance.map((p) => ({ name: p.resourceName, urn: p.urn }))];
  const exemption = exemptionFor(exemptions, [policy], involved, today);
  const exemptionUse = exemption.kind === "none" ? undefined : { exemption: exemptions.indexOf(exemption.exemption) };
  if (exemption.kind === "exempt") {
    const e = exemption.exemption;
    return { waiver: { source: "config", reason: e.reason, resource: e.resource, ...(e.expires ? { expires: e.expires } : {}) }, notes: [], used: exemptionUse! };
  }
  const inline = inlineSuppressionFor(f, policy, scripts, today);
  const notes = exemption.kind === "expired" ? [expiredExemptionNote(exemption.exemption)] : [];
  const commentUse = inline.kind === "none" ? undefined : { comment: commentPlace(inline.suppression.urn, inline.suppression.property, inline.suppression.line) };
  if (inline.kind === "suppressed") {
    const s = inline.suppression;
    return { waiver: { source: "inline", reason: s.reason, where: s.where, ...(s.expires ? { expires: s.expires } : {}) }, notes, used: commentUse! };
  }
  const note = suppressionNote(inline);
  const used = commentUse ?? exemptionUse;
  return { notes: note ? [...notes, note] : notes, ...(used ? { used } : {}) };
}

/** Every policy that can report a finding: one per rule, named by the rule id. */
function reportPolicies(rules: readonly Rule[]): ReportPolicy[] {
  return rules.map((rule) => ({ name: rule.meta.id, rule: rule.meta, enforcement: defaultEnforcement(rule.meta.severity) }));
}

const RENDERERS: Record<ReportFormat, (report: RunReport, model: MailFlowModel | undefined, locate: LocateDeclaration | undefined) => string> = {
  sarif: (r, _model, locate) => JSON.stringify(toSarif(r.snapshot(), locate ? { locate } : {}), null, 2),
  json: (r, model) => JSON.stringify(toJsonReport(r.snapshot(), model), null, 2),
  markdown: (r, model) => toMarkdown(r.snapshot(), model),
};

export class PipelineReports {
  readonly run: RunReport;
  private written = new Map<string, string>();
  /** The whole stack's model, for the picture (Markdown) and the flows (JSON); its own revision count. */
  private model?: MailFlowModel;
  private modelRevision = 0;
  private lastTargets?: { config: InventoryConfig; targets: ReportTargets };

  private locator: { located?: LocateDeclaration } | undefined;

  /** Where the program declares a resource (code scanning's anchor), found once per run. */
  private locate(): LocateDeclaration | undefined {
    this.locator ??= { located: programLocator(runDirectory(this.env)) };
    return this.locator.located;
  }

  /** Waivers that applied (or were noted) this run: an exemption's index, a comment's place. */
  readonly usedWaivers = new Set<string>();

  /** `levelOf`: the level the engine applies to a policy, given its default (see engine-config.ts). */
  constructor(
    rules: readonly Rule[],
    private readonly env: NodeJS.ProcessEnv = process.env,
    levelOf?: (policy: string, byDefault: Enforcement) => Enforcement,
  ) {
    this.run = new RunReport(reportPolicies(rules), { name: PACK_NAME, version: packVersion() }, levelOf);
  }

  /** The files asked for: read once per configuration (every policy call asks; the engine makes many). */
  private targetsOf(config: InventoryConfig): ReportTargets {
    if (this.lastTargets?.config !== config) this.lastTargets = { config, targets: reportTargets(config.report, this.env) };
    return this.lastTargets.targets;
  }

  private asked(config: InventoryConfig): boolean {
    return Object.keys(this.targetsOf(config)).length > 0;
  }

  /** Records a finding as reported by `policy` (waived or not) for the run's summary and files, with its proven fix as its message shows it. */
  record(config: InventoryConfig, policy: string, rule: Rule, f: Finding, resource: { name: string; urn: string }, decision: WaiverDecision, fix?: FixText): void {
    if (decision.used) this.usedWaivers.add(waiverKey(decision.used));
    this.run.record({
      policy,
      rule: rule.meta,
      enforcement: defaultEnforcement(rule.meta.severity),
      finding: f,
      // Field by field: a caller's resource object may carry its inputs (secrets among them).
      resource: { name: resource.name, urn: resource.urn },
      status: decision.waiver ? "waived" : "open",
      ...(decision.waiver ? { waiver: decision.waiver } : {}),
      notes: decision.notes,
      ...(fix && this.asked(config) ? { fix } : {}),
    });
  }

  /**
   * Keeps the whole stack's model for the files (when a report file is asked for). Never throws: a
   * model that cannot be built is reported by the policy that asked for it, the files go without it.
   */
  showModel(config: InventoryConfig, source: () => MailFlowModel): void {
    if (!this.asked(config)) return;
    let model: MailFlowModel;
    try {
      model = source();
    } catch {
      return;
    }
    if (model === this.model) return;
    this.model = model;
    this.modelRevision++;
  }

  /** Writes each configured file whose content may have changed since it was last written; never throws. */
  flush(config: InventoryConfig): ReportTargets {
    const targets = this.targetsOf(config);
    for (const [format, path] of Object.entries(targets) as Array<[ReportFormat, string]>) {
      const key = `${format}|${path}`;
      const revision = `${this.run.revision}/${this.modelRevision}`;
      if (this.written.get(key) === revision) continue;
      let error: string | undefined;
      // A run that will write a file first removes what an earlier run left there.
      if (!this.written.has(key)) removeQuietly(path);
      try {
        error = writeAtomically(path, RENDERERS[format](this.run, this.model, this.locate()));
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
      if (error === undefined) this.written.set(key, revision);
      else console.error(`mailflow-guard: cannot write the ${format} report to ${path}: ${error}`);
    }
    return targets;
  }
}
