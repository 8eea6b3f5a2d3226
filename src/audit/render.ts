/** The audit's text output (as the pack words each finding, in the audit's words), and its exit code. */
import { AUDIT_WORDING, renderFinding, renderUnverifiable } from "../reporters/text";
import { rules } from "../rules";
import type { AuditResult } from "./audit";
import type { Judged } from "./policy";

export const EXIT = { passed: 0, failed: 1, usage: 2, incomplete: 3 } as const;

/**
 * 1: an open finding fails the audit (a mandatory rule's, or at the --fail-on severity; against a
 * baseline, only a new one). 3: nothing fails, but an input could not be read or something expected
 * was not read (the audit does not pass on what it did not see). 0: otherwise.
 */
export function exitCodeOf(result: AuditResult): number {
  if (result.blocking) return EXIT.failed;
  return result.problems.length > 0 || result.coverage.gaps.length > 0 ? EXIT.incomplete : EXIT.passed;
}

const codeOf = (ruleId: string): string => rules.find((r) => r.meta.id === ruleId)?.meta.code ?? "";

function heading(j: Judged): string {
  const verdict = j.status === "waived" ? "waived" : j.fails ? "BLOCKED" : j.level === "mandatory" ? "mandatory" : "advisory";
  return `[${verdict}] ${j.finding.ruleId} (${codeOf(j.finding.ruleId)}, ${j.finding.severity})${j.baselineState === "new" ? " — new since the baseline" : ""}`;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * Text for a terminal: control characters an export may carry in a name (an escape sequence, a NUL)
 * are shown by their code point, never written raw. Line breaks stay.
 */
export const visible = (text: string): string =>
  text.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, (c) => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`);

function readLines(result: AuditResult): string[] {
  const { tenants, organizations } = result.coverage;
  if (tenants.length + organizations.length === 0) return [];
  return [
    "",
    "Read:",
    ...tenants.map((t) => `  tenant ${t.tenant}: ${plural(t.inboundConnectors, "inbound connector")}, ${plural(t.outboundConnectors, "outbound connector")}, ${plural(t.acceptedDomains, "accepted domain")}`),
    ...organizations.map(
      (o) =>
        `  ${o.kind === "gateway" ? "gateway" : `organisation`} ${o.organization}: ${plural(o.sendConnectors, "Send connector")}` +
        (o.kind === "gateway" ? "" : `, ${plural(o.receiveConnectors, "Receive connector")}, ${plural(o.certificates, "certificate")}${o.hybridConfiguration ? ", hybrid configuration" : ""}`),
    ),
  ];
}

export function renderText(result: AuditResult): string {
  const out: string[] = [];
  for (const p of result.problems) out.push(`Input problem: ${p.file} (${p.place}): ${p.problem}`);
  for (const f of result.inputs.filter((i) => i.status === "skipped")) out.push(`Skipped: ${f.file}: ${f.why}`);
  // Against a baseline only what is new is shown; the rest is counted.
  const shown = result.judged.filter((j) => j.baselineState !== "unchanged");
  for (const j of shown) out.push("", heading(j), renderFinding(j.finding, AUDIT_WORDING, result.fixes.get(j.finding.fingerprint)), ...(j.waiver ? [`Waived: ${j.waiver.reason} (exemption ${j.waiver.resource}${j.waiver.expires ? `, until ${j.waiver.expires}` : ""})`] : []), ...j.notes);
  if (result.unverifiable.length) out.push("", "Not verified:", ...result.unverifiable.map((u) => `  - ${renderUnverifiable(u, AUDIT_WORDING)}`));
  out.push(...readLines(result));
  if (result.coverage.gaps.length) out.push("", "Not read:", ...result.coverage.gaps.map((g) => `  - ${g.message}`));
  if (result.unusedExemptions.length) {
    out.push("", "Exemptions that matched no finding (check the rule id and the resource pattern):", ...result.unusedExemptions.map((e) => `  - ${e.policy} on ${e.resource}: ${e.reason}`));
  }
  if (result.baseline) {
    const unchanged = result.judged.length - shown.length;
    out.push("", `Baseline ${result.baseline.file}: ${plural(unchanged, "finding")} unchanged (not shown), ${plural(result.judged.length - unchanged, "new finding")}, ${plural(result.baseline.resolved.length, "finding")} gone since:`);
    out.push(...result.baseline.resolved.map((f) => `  - ${f.ruleId}: ${f.what}`));
  }
  const read = result.inputs.filter((i) => i.status === "read").length;
  const skipped = result.inputs.filter((i) => i.status === "skipped").length;
  const blocking = result.judged.filter((j) => j.fails).length;
  const waived = result.judged.filter((j) => j.status === "waived").length;
  out.push(
    "",
    `${plural(read, "file")} read, ${skipped} skipped: ${plural(result.findings.length, "finding")}, ${blocking} blocking, ${waived} waived, ` +
      `${plural(result.unverifiable.length, "value")} not verified, ${plural(result.problems.length, "input problem")}, ${plural(result.coverage.gaps.length, "expected export")} not read.`,
  );
  return visible(out.join("\n").replace(/^\n/, ""));
}
