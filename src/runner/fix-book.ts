/**
 * One root cause, one plan (issue 22): findings the same proven plan clears are one group; the plan is
 * shown once, on the group's first finding in the order the Pulumi engine prints violations — by
 * enforcement level (mandatory first), then severity (critical first), then policy name, then resource
 * URN (pkg/backend/display/progress.go) — and the group's other findings say "cleared by fix #N above".
 * Fixes are numbered in that order too, so the same stack prints the same log on every run.
 */
import { SEVERITY_ORDER, type Finding, type Severity } from "../findings/types";
import type { ProvenFix } from "./prove";

export interface BookEntry {
  finding: Finding;
  /** The resource it is reported on ("" for the stack). */
  urn: string;
  /** The level the engine shows it at: a waived finding is advisory and shows no fix. */
  level: "mandatory" | "advisory";
  waived: boolean;
}

export interface FixEntry {
  /** `#1`, `#2`…: in the order the engine prints the findings that carry them. */
  id: string;
  fix: ProvenFix;
  /** The finding the plan is printed on. */
  carrier: Finding;
  /** How many findings shown (not waived) it clears: the carrier and those that refer to it. */
  shownOn: number;
}

const severityRank = (s: Severity): number => SEVERITY_ORDER.length - 1 - SEVERITY_ORDER.indexOf(s);

/** The order the engine lists violations in. */
export const displayOrder = (a: BookEntry, b: BookEntry): number =>
  (a.level === "mandatory" ? 0 : 1) - (b.level === "mandatory" ? 0 : 1) ||
  severityRank(a.finding.severity) - severityRank(b.finding.severity) ||
  a.finding.ruleId.localeCompare(b.finding.ruleId) ||
  a.urn.localeCompare(b.urn) ||
  a.finding.fingerprint.localeCompare(b.finding.fingerprint);

export class FixBook {
  private readonly byFingerprint = new Map<string, FixEntry>();
  /** Each finding's place among those its fix clears (1: the one that prints it). */
  private readonly places = new Map<string, number>();

  /** `order`: the order the findings are read in (default: the engine's display order; the audit prints its own). */
  constructor(entries: readonly BookEntry[], fixes: ReadonlyMap<string, ProvenFix>, order: ((a: BookEntry, b: BookEntry) => number) | "as-given" = displayOrder) {
    const byPlan = new Map<ProvenFix, FixEntry>();
    for (const e of order === "as-given" ? entries : [...entries].sort(order)) {
      const fix = fixes.get(e.finding.fingerprint);
      if (!fix || e.waived) continue;
      let entry = byPlan.get(fix);
      if (!entry) byPlan.set(fix, (entry = { id: `#${byPlan.size + 1}`, fix, carrier: e.finding, shownOn: 0 }));
      entry.shownOn++;
      this.places.set(e.finding.fingerprint, entry.shownOn);
      this.byFingerprint.set(e.finding.fingerprint, entry);
    }
  }

  /** The proven fix of a finding and whether its message prints it; undefined when no plan is proven. */
  of(f: Finding): FixEntry | undefined {
    return this.byFingerprint.get(f.fingerprint);
  }

  /** A finding's place among the findings its fix clears, in the order they are read (1: the one that prints it). */
  placeOf(f: Finding): number {
    return this.places.get(f.fingerprint) ?? 1;
  }
}
