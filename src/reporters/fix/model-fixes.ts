/**
 * Proven fixes where a model is built from facts at once, not from a Pulumi stack (the audit's
 * exports): the same proof, grouping and rendering as the pack's, in the order the findings are read.
 */
import type { ResourceInput } from "../../extractors/types";
import type { Finding } from "../../findings/types";
import type { BuildOptions } from "../../model/build";
import { changesOf } from "../../model/edits";
import type { Fact } from "../../model/facts";
import { rules as everyRule } from "../../rules";
import { FixBook } from "../../runner/fix-book";
import { factsJudge, prove } from "../../runner/prove";
import { renderFix, type FixText, type RenderedFix } from "./render";

export interface ModelFinding {
  finding: Finding;
  level: "mandatory" | "advisory";
  waived: boolean;
}

/** Each finding's fix as it is shown, findings given in the order they are read. `resources`: inputs that are resources (stack exports). */
export function modelFixes(facts: readonly Fact[], options: BuildOptions, findings: readonly ModelFinding[], resources: readonly ResourceInput[] = []): Map<string, FixText> {
  const { judge, model } = factsJudge(facts, options, everyRule);
  const blocking = new Set(findings.filter((f) => f.level === "mandatory").map((f) => f.finding.ruleId));
  const proof = prove(
    findings.map((f) => f.finding),
    judge,
    (id) => blocking.has(id),
  );
  const book = new FixBook(findings.map((f) => ({ ...f, urn: f.finding.provenance[0]?.urn ?? "" })), proof.fixes, "as-given");
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const context = { model, facts, resource: (urn: string) => byUrn.get(urn), names: new Set(resources.map((r) => r.name)) };
  const rendered = new Map<object, RenderedFix | undefined>();
  const out = new Map<string, FixText>();
  for (const { finding, waived } of findings) {
    const entry = book.of(finding);
    if (waived) continue;
    if (!entry) {
      out.set(finding.fingerprint, { none: "no change mailflow-guard could prove clears this without another blocking finding" });
      continue;
    }
    if (!rendered.has(entry)) {
      const changes = changesOf(model, facts, entry.fix.plan.edits);
      rendered.set(entry, changes ? renderFix(entry, changes, context) : undefined);
    }
    const r = rendered.get(entry);
    out.set(finding.fingerprint, !r ? { none: "the proven fix could not be placed" } : entry.carrier.fingerprint === finding.fingerprint ? { carries: r } : { clearedBy: entry.id, fix: r, place: book.placeOf(finding) });
  }
  return out;
}
