/**
 * The run as a Markdown summary fit for $GITHUB_STEP_SUMMARY: the verdict, a table per policy, the
 * wrong-tenant flows, the mail-flow picture (Mermaid, wrong-tenant flows in red) when the model is
 * given, then each fix (collapsed, so the summary stays readable).
 */
import { fixLines, renderedFixOf } from "../fix/render";
import type { MailFlowModel } from "../../model/types";
import { hasMailFlow, renderMermaid } from "../mermaid";
import { docsUrl } from "./docs-url";
import { isBlocked, type ReportedFinding, type RunSnapshot } from "./run-report";

/** A table cell: one line, pipes escaped. */
const cell = (text: string): string => text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
/** Text inside the HTML of a <details> summary: markup in names or reasons is shown, not interpreted. */
const html = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
/** A code fence longer than any backtick run inside. */
const fence = (text: string): string => "`".repeat(Math.max(3, ...[...text.matchAll(/`+/g)].map((m) => m[0].length + 1)));

function verdictRows(run: RunSnapshot): string[] {
  const rows: string[] = [];
  for (const p of run.policies) {
    const mine = run.findings.filter((r) => r.policy === p.name);
    if (mine.length === 0) continue;
    const open = mine.filter((r) => r.status === "open").length;
    const verdict = open === 0 ? "waived" : p.enforcement === "mandatory" ? "**blocked**" : "advisory";
    rows.push(`| [${p.name}](${docsUrl(p.rule.id)}) | ${p.rule.severity} | ${p.enforcement} | ${open} | ${mine.length - open} | ${verdict} |`);
  }
  return rows;
}

/**
 * The proven fix in full on the first finding of the file that it clears (the file lists findings in its
 * own order, not the log's), a reference on the others; else why there is none.
 */
function fixMarkdown(r: ReportedFinding, printed: Set<string>): string[] {
  const fix = renderedFixOf(r.fix);
  if (fix && printed.has(fix.id)) return [`**Fix:** cleared by fix ${fix.id} (in full on the first finding above that it clears).`, ""];
  if (!fix) return [`**Fix:** ${fixLines(r.finding, r.fix).join(" ").replace(/^Fix: /, "")}`, ""];
  printed.add(fix.id);
  const pulumi = fix.pulumi.lines.join("\n");
  return [
    `**Fix ${fix.id}** (proven: clears ${fix.clears.join(", ")}): ${fix.summary}`,
    "",
    ...fix.change.map((c) => `- ${c}`),
    "",
    `${fence(fix.powershell)}powershell`,
    fix.powershell,
    fence(fix.powershell),
    "",
    ...(pulumi ? [`${fence(pulumi)}diff`, pulumi, fence(pulumi), ""] : []),
  ];
}

function fixSection(r: ReportedFinding, printed: Set<string>): string[] {
  const f = r.finding;
  const status = r.waiver ? ` — waived (${r.waiver.source === "inline" ? `inline at ${r.waiver.where}` : "configured exemption"}${r.waiver.expires ? ` until ${r.waiver.expires}` : ""}: ${r.waiver.reason})` : "";
  return [
    `<details><summary><code>${html(r.policy)}</code> on <code>${html(r.resource.name)}</code>${html(cell(status))}</summary>`,
    "",
    `**What:** ${f.what}`,
    "",
    ...(f.flow ? [`**Flow:** ${f.flow}`, ""] : []),
    `**Consequence:** ${f.consequence}`,
    "",
    ...r.notes.map((n) => `> ${n}\n`),
    ...fixMarkdown(r, printed),
    "</details>",
    "",
  ];
}

/** The picture of the model's flows as a Mermaid block, or nothing when the model has no mail flow. */
export function pictureSection(model: MailFlowModel | undefined): string[] {
  if (!model || !hasMailFlow(model)) return [];
  return ["### Mail flows", "", "Wrong-tenant flows are drawn in red.", "", "```mermaid", renderMermaid(model), "```", ""];
}

export function toMarkdown(run: RunSnapshot, model?: MailFlowModel): string {
  const blocked = isBlocked(run.findings);
  const open = run.findings.filter((r) => r.status === "open");
  const lines = [
    `## mailflow-guard: ${blocked ? "❌ blocked" : "✅ passed"}`,
    "",
    `${open.length} open finding(s), ${run.findings.length - open.length} waived (exempted or suppressed). Run started ${run.startedAt}.`,
    "",
  ];
  const rows = verdictRows(run);
  if (rows.length) lines.push("| policy | severity | enforcement | open | waived | verdict |", "|---|---|---|---|---|---|", ...rows, "");
  const flows = open.filter((r) => r.finding.flow);
  if (flows.length) {
    lines.push("### Wrong-tenant flows", "");
    for (const r of flows) lines.push(`- **${cell(r.resource.name)}** (${r.policy}): ${cell(r.finding.flow!)}`);
    lines.push("");
  }
  lines.push(...pictureSection(model));
  const printed = new Set<string>();
  if (run.findings.length) lines.push("### Fixes", "", ...run.findings.flatMap((r) => fixSection(r, printed)));
  return lines.join("\n");
}
