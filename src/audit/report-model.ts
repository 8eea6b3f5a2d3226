/**
 * `mailflow-guard flows --report <file>`: the mail-flow model the pack wrote into its JSON report
 * (src/reporters/files/json.ts `mailFlowModel`), so the flows of a preview are printed without the
 * exports. A report that lacks the model (written before it was added, or by a run that checked no
 * stack) is named as such, never guessed at.
 */
import { JSON_REPORT_FORMAT, MODEL_FORMAT, READABLE_REPORT_FORMATS } from "../reporters/files/json";
import type { MailFlowModel } from "../model/types";

const MODEL_LISTS = ["tenants", "inboundConnectors", "outboundConnectors", "sendConnectors", "receiveConnectors", "organizations", "certificates", "hybridConfigurations", "unverifiable"] as const;

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** The model of a pack JSON report's text, or why there is none (naming the file). */
export function modelFromReport(file: string, text: string): MailFlowModel | string {
  let report: unknown;
  try {
    report = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    return `${file} is not JSON: ${e instanceof Error ? e.message : String(e)}`;
  }
  if (!isRecord(report) || !READABLE_REPORT_FORMATS.includes(String(report.format))) return `${file} is not a mailflow-guard JSON report (format ${JSON_REPORT_FORMAT})`;
  const model = report.mailFlowModel;
  if (!isRecord(model)) return `${file} has no mailFlowModel: write the report with a pack that records it, from a run that reached the stack policies`;
  if (model.format !== MODEL_FORMAT) return `${file} holds a mailFlowModel of format ${String(model.format)}; this version reads ${MODEL_FORMAT}`;
  const missing = MODEL_LISTS.filter((key) => !Array.isArray(model[key]));
  if (missing.length) return `${file}: mailFlowModel lacks ${missing.join(", ")}`;
  const { format: _format, ...lists } = model;
  return lists as unknown as MailFlowModel;
}
