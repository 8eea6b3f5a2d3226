/**
 * One root cause, one plan (issue 22): the plan is printed on the first finding of its group in the
 * order the Pulumi engine lists violations — enforcement level (mandatory first), severity (critical
 * first), policy name, resource URN (pkg/backend/display/progress.go) — never on a waived one, and the
 * others refer to it by the fix's number, which follows the same order.
 */
import { describe, expect, it } from "vitest";
import type { Finding, Severity } from "../../src/findings/types";
import { FixBook, type BookEntry } from "../../src/runner/fix-book";
import type { ProvenFix } from "../../src/runner/prove";

const finding = (ruleId: string, severity: Severity): Finding => ({ ruleId, severity, what: "w", consequence: "c", plans: [], provenance: [], fingerprint: `${ruleId}|fp` });
const entry = (f: Finding, urn: string, level: "mandatory" | "advisory" = "mandatory", waived = false): BookEntry => ({ finding: f, urn, level, waived });
const fixOf = (...clears: Finding[]): ProvenFix => ({ plan: { summary: "s", edits: [] }, cost: 1, clears });

describe("FixBook", () => {
  const r11 = finding("ambiguous-connector-grants-internal-trust", "critical");
  const r2 = finding("internet-identity-matches-onpremises-connector", "critical");
  const r3 = finding("wildcard-onpremises-certificate-name", "high");
  const r12 = finding("hybrid-wizard-will-revert-certificate", "low");

  it("prints the plan on the first finding the engine lists: severity, then policy name", () => {
    const fix = fixOf(r2, r3, r11);
    const book = new FixBook([entry(r3, "u:inbound"), entry(r2, "u:inbound"), entry(r11, "u:inbound")], new Map([r2, r3, r11].map((f) => [f.fingerprint, fix])));
    expect(book.of(r2)!.carrier).toBe(r11);
    expect([r11, r2, r3].map((f) => book.placeOf(f))).toEqual([1, 2, 3]);
    expect(book.of(r3)!.shownOn).toBe(3);
  });

  it("mandatory before advisory whatever the severity; a waived finding never carries the plan", () => {
    const fix = fixOf(r12, r3, r2);
    const fixes = new Map([r12, r3, r2].map((f) => [f.fingerprint, fix]));
    const book = new FixBook([entry(r12, "u:a"), entry(r3, "u:b", "advisory"), entry(r2, "u:a", "advisory", true)], fixes);
    // r12 (low, mandatory as configured) before r3 (high, advisory); r2 waived: no fix shown on it.
    expect(book.of(r12)!.carrier).toBe(r12);
    expect(book.of(r2)).toBeUndefined();
  });

  it("numbers fixes in the order their carriers are listed; the URN breaks ties", () => {
    const a = finding("wildcard-onpremises-certificate-name", "high");
    const b = { ...finding("wildcard-onpremises-certificate-name", "high"), fingerprint: "other" };
    const book = new FixBook([entry(b, "u:z"), entry(a, "u:a")], new Map([[a.fingerprint, fixOf(a)], [b.fingerprint, fixOf(b)]]));
    expect([book.of(a)!.id, book.of(b)!.id]).toEqual(["#1", "#2"]);
  });
});
