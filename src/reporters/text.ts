/** Renders findings as text: the violation message shown by `pulumi preview` and by the demo. */
import type { Finding } from "../findings/types";
import type { Unverifiable } from "../model/types";
import { scrubExpression, scrubSecrets } from "../extractors/powershell/redact";

const indent = (text: string, prefix = "    "): string =>
  text
    .split("\n")
    .map((line) => (line.length ? prefix + line : line))
    .join("\n");

function where(f: Finding): string {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const p of f.provenance) {
    const label = `${p.resourceName}${p.property ? `.${p.property}` : ""}${p.line ? `:${p.line}` : ""}`;
    if (!seen.has(label)) {
      seen.add(label);
      parts.push(label);
    }
  }
  return parts.join(", ");
}

/** What is wrong, the flow it breaks, the consequence, then the fix — in that order. */
export function renderFinding(f: Finding): string {
  const lines = [`What: ${f.what}`];
  if (f.flow) lines.push(`Flow: ${f.flow}`);
  lines.push(`Consequence: ${f.consequence}`);
  lines.push(`Fix: ${f.fix.summary}`);
  lines.push("  PowerShell:", indent(f.fix.powershell));
  lines.push("  Pulumi:", indent(f.fix.pulumi));
  lines.push(`Declared at: ${where(f)}`);
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

export function renderUnverifiable(unverifiable: Unverifiable): string {
  const u = safeUnverifiable(unverifiable);
  const expr = u.expression ? ` (written as ${u.expression})` : "";
  const line = u.provenance.line ? ` line ${u.provenance.line}` : "";
  return (
    `Could not verify ${u.property} of ${u.subject}${expr} in ${u.provenance.resourceName}` +
    `${u.provenance.property ? `.${u.provenance.property}` : ""}${line}: ${u.reason}. ` +
    (u.remedy !== undefined
      ? u.remedy
      : u.known === "never"
      ? "It will not be known at pulumi up either (the pack does not run scripts): write the value into the script, pass it through the command's `environment`, or declare the fact in policy configuration."
      : "It is checked again when the value is known (pulumi up).")
  );
}
