/**
 * Renders findings as text: the violation message shown by `pulumi preview`, the audit's report and
 * the demo. One renderer, worded for where it is read (`Wording`): the preview says where in the
 * program a value was declared and what to write there; the audit says in which export file and line
 * it was found, and what to export or declare.
 */
import type { Finding } from "../findings/types";
import type { Provenance, Unverifiable } from "../model/types";
import { scrubExpression, scrubSecrets } from "../extractors/powershell/redact";
import { fixLines, type FixText } from "./fix/render";

/** The words that depend on where a message is read. */
export interface Wording {
  /** Label of the line that lists where the finding's facts come from. */
  declaredAt: string;
  /** How one fact's place is named. */
  place(p: Provenance): string;
  /** How the place of a value that could not be verified is named. */
  valuePlace(p: Provenance): string;
  /** What to do about a value that can never be known from this input. */
  neverKnown: string;
  /** What happens to a value that is only unknown for now. */
  knownLater: string;
}

const programPlace = (p: Provenance): string => `${p.resourceName}${p.property ? `.${p.property}` : ""}${p.line ? `:${p.line}` : ""}`;

/** `pulumi preview` / `up` / `policy analyze`: places in the program, fixes written there. */
export const PREVIEW_WORDING: Wording = {
  declaredAt: "Declared at",
  place: programPlace,
  valuePlace: (p) => `${p.resourceName}${p.property ? `.${p.property}` : ""}${p.line ? ` line ${p.line}` : ""}`,
  neverKnown:
    "It will not be known at pulumi up either (the pack does not run scripts): write the value into the script, pass it through the command's `environment`, or declare the fact in policy configuration.",
  knownLater: "It is checked again when the value is known (pulumi up).",
};

/** A place in the export files: the file and line once, then the object and its field. */
function exportPlace(p: Provenance): string {
  const at = p.location ? `${p.location.file}${p.location.line ? `:${p.location.line}` : ""}` : undefined;
  // An export's own name starts with its file: say the file and line once, then the object.
  let name = at && p.resourceName.startsWith(`${p.location!.file} `) ? p.resourceName.slice(p.location!.file.length + 1) : p.resourceName;
  // A place that is the line already said (a Microsoft365DSC block's `line 22`) is not said twice.
  if (p.location?.line !== undefined && name.startsWith(`line ${p.location.line}`)) name = name.slice(`line ${p.location.line}`.length).trim();
  return `${at ? `${at} ` : ""}${at && name === p.location!.file ? "" : name}${p.property ? ` (${p.property})` : ""}`.trim();
}

/** `mailflow-guard audit`: places in the export files (file:line), and what to export or declare. */
export const AUDIT_WORDING: Wording = {
  declaredAt: "Found in",
  place: exportPlace,
  valuePlace: exportPlace,
  neverKnown:
    "Export it again with this field (a Select-Object that leaves it out, or a value written as a number Microsoft does not document, cannot be read: see docs/audit.md for each cmdlet's export), or declare the fact in the configuration given with --config (mailflow-inventory).",
  knownLater: "It was unknown in what was exported: export it again once it is known, or declare the fact in the configuration given with --config (mailflow-inventory).",
};

function where(f: Finding, wording: Wording): string {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const p of f.provenance) {
    const label = wording.place(p);
    // `gateway.connectors[0].certificate` is part of `gateway.connectors[0]`, already said.
    if (parts.some((said) => label.startsWith(`${said}.`))) continue;
    if (!seen.has(label)) {
      seen.add(label);
      parts.push(label);
    }
  }
  return parts.join(", ");
}

/**
 * What is wrong, the flow it breaks, the consequence, then the fix — in that order. `fix`: the proven
 * fix as this finding shows it (the plan, a reference to the finding above that prints it, or why there is none).
 */
export function renderFinding(f: Finding, wording: Wording = PREVIEW_WORDING, fix?: FixText, alone = false): string {
  const lines = [`What: ${f.what}`];
  if (f.flow) lines.push(`Flow: ${f.flow}`);
  lines.push(`Consequence: ${f.consequence}`);
  lines.push(...fixLines(f, fix, alone));
  lines.push(`${wording.declaredAt}: ${where(f, wording)}`);
  return lines.join("\n");
}

/**
 * Last line of defence, for every output that shows what could not be verified (messages, the JSON
 * report's model): whatever an extractor put in the expression and the reason, one short line each,
 * secrets masked.
 */
export const safeUnverifiable = (u: Unverifiable): Unverifiable => ({
  ...u,
  reason: scrubSecrets(u.reason),
  ...(u.expression !== undefined ? { expression: scrubExpression(u.expression) } : {}),
});

export function renderUnverifiable(unverifiable: Unverifiable, wording: Wording = PREVIEW_WORDING): string {
  const u = safeUnverifiable(unverifiable);
  const expr = u.expression ? ` (written as ${u.expression})` : "";
  const at = wording.valuePlace(u.provenance);
  const next = u.remedy !== undefined ? u.remedy : u.known === "never" ? wording.neverKnown : wording.knownLater;
  return `Could not verify ${u.property} of ${u.subject}${expr} in ${at}: ${u.reason}. ${next}`;
}
