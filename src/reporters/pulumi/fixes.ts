/**
 * The fixes the pack's messages show, per run: every rule's findings on the whole stack proven together
 * (src/runner/prove.ts), grouped by plan and printed once, on the group's first finding in the engine's
 * display order (src/runner/fix-book.ts) — which needs each finding's level and waiver first, as the
 * messages will show them. During an update, a finding the resource pass reports early has its fix
 * proven on the resources registered so far.
 */
import { todayUtc } from "../../config/exemptions";
import type { InventoryConfig } from "../../config/schema";
import type { Finding } from "../../findings/types";
import { FixBook, type BookEntry, type FixEntry } from "../../runner/fix-book";
import { MAX_PROOFS, prove } from "../../runner/prove";
import type { Session } from "../../runner/session";
import { StackVerdict } from "../../runner/stack-verdict";
import type { Rule } from "../../rules/utils/define-rule";
import { renderFix, type FixRenderContext, type FixText, type RenderedFix } from "../fix/render";
import { waiverFor } from "../files/pipeline";
import { programSources, type ProgramSources } from "../files/program-location";
import type { ScriptLookup } from "../files/suppressions";
import { runDirectory } from "../files/write";

interface VerdictFixes {
  book: FixBook;
  unproven: number;
  rendered: Map<FixEntry, RenderedFix | undefined>;
  context: FixRenderContext;
  verdict: StackVerdict;
}

export interface FixLevels {
  /** Whether a rule's findings block (its configured level, remediate as mandatory). */
  blocks(ruleId: string): boolean;
  /** Whether the engine runs the rule's policy at all. */
  enabled(ruleId: string): boolean;
}

const NOT_TRIED = `mailflow-guard proves at most ${MAX_PROOFS} candidate fixes per run and this stack had more: none proven for this one`;

export class PackFixes {
  private readonly byVerdict = new WeakMap<StackVerdict, VerdictFixes>();
  private program: { sources?: ProgramSources } | undefined;

  constructor(
    private readonly rules: readonly Rule[],
    private readonly levels: FixLevels,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** The program `pulumi` runs in, read once (undefined when there is none: `policy analyze --file`, tests). */
  private sources(): ProgramSources | undefined {
    this.program ??= { sources: programSources(runDirectory(this.env)) };
    return this.program.sources;
  }

  private contextOf(verdict: StackVerdict): FixRenderContext {
    const program = this.sources();
    return {
      model: verdict.model(),
      facts: verdict.facts(),
      resource: (urn) => verdict.session.resource(urn),
      names: new Set(verdict.session.stackNodes().map((n) => n.name)),
      ...(program ? { program } : {}),
    };
  }

  private fixesOf(verdict: StackVerdict, config: InventoryConfig, scripts: ScriptLookup): VerdictFixes {
    let fixes = this.byVerdict.get(verdict);
    if (fixes) return fixes;
    const entries: BookEntry[] = [];
    const today = todayUtc();
    for (const rule of this.rules) {
      if (!this.levels.enabled(rule.meta.id)) continue;
      for (const { finding, urn } of verdict.findings(rule)) {
        const resource = urn ? verdict.session.resource(urn) : undefined;
        const on = { name: resource?.name ?? "(stack)", urn: urn ?? "" };
        const waived = waiverFor(config.exemptions ?? [], rule.meta.id, finding, on, scripts, today).waiver !== undefined;
        entries.push({ finding, urn: on.urn, level: !waived && this.levels.blocks(rule.meta.id) ? "mandatory" : "advisory", waived });
      }
    }
    const proof = verdict.proof((id) => this.levels.blocks(id));
    fixes = { book: new FixBook(entries, proof.fixes), unproven: proof.unproven, rendered: new Map(), context: this.contextOf(verdict), verdict };
    this.byVerdict.set(verdict, fixes);
    return fixes;
  }

  private textOf(fixes: VerdictFixes, f: Finding): FixText {
    const entry = fixes.book.of(f);
    if (!entry) return { none: fixes.unproven > 0 ? NOT_TRIED : "no change mailflow-guard could prove clears this without another blocking finding" };
    if (!fixes.rendered.has(entry)) {
      const changes = fixes.verdict.changes(entry.fix.plan.edits);
      fixes.rendered.set(entry, changes ? renderFix(entry, changes, fixes.context) : undefined);
    }
    const rendered = fixes.rendered.get(entry);
    if (!rendered) return { none: "the proven fix could not be placed in the stack" };
    return entry.carrier.fingerprint === f.fingerprint ? { carries: rendered } : { clearedBy: entry.id, fix: rendered, place: fixes.book.placeOf(f) };
  }

  /** A finding of the whole stack's verdict, as its message shows its fix. */
  ofStack(verdict: StackVerdict, config: InventoryConfig, scripts: ScriptLookup, f: Finding): FixText {
    return this.textOf(this.fixesOf(verdict, config, scripts), f);
  }

  /**
   * A finding the resource pass of an update reports as the resource that completes it registers: its
   * fix proven on the resources registered so far (the update stops there).
   */
  ofResource(session: Session, config: InventoryConfig, f: Finding): FixText {
    const verdict = new StackVerdict(session, config);
    const proof = prove([f], (edits) => verdict.judge(edits), (id) => this.levels.blocks(id));
    const fix = proof.fixes.get(f.fingerprint);
    if (!fix) return { none: "no change mailflow-guard could prove clears this without another blocking finding" };
    const entry: FixEntry = { id: "#1", fix, carrier: f, shownOn: 1 };
    const changes = verdict.changes(fix.plan.edits);
    return changes ? { carries: renderFix(entry, changes, this.contextOf(verdict)) } : { none: "the proven fix could not be placed in the stack" };
  }
}
