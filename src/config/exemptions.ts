/** Exemptions: a rule, a resource pattern, a reason and an expiry. An expired one stops exempting and says so. */
import { isCalendarDate } from "./dates";
import { globMatches } from "./glob";
import { cutText, quoteText } from "./quote";
import type { ExemptionConfig } from "./schema";

export type ExemptionVerdict =
  | { kind: "none" }
  | { kind: "exempt"; exemption: ExemptionConfig }
  | { kind: "expired"; exemption: ExemptionConfig };

/**
 * `today` is `YYYY-MM-DD` in UTC; an exemption is valid through its `expires` day. It covers a finding
 * when it names one of `policies` (the rule's policy) and matches one of `resources`
 * (the finding's resources, whichever completed it). An `expires` that is not a calendar date never
 * exempts (configuration validation reports it); it is not read as "never expires".
 */
export function exemptionFor(
  exemptions: readonly ExemptionConfig[],
  policies: readonly string[],
  resources: ReadonlyArray<{ name: string; urn: string }>,
  today: string,
): ExemptionVerdict {
  let expired: ExemptionConfig | undefined;
  for (const e of exemptions) {
    if (e.policy !== "*" && !policies.includes(e.policy)) continue;
    if (e.expires !== undefined && !isCalendarDate(e.expires)) continue;
    if (!resources.some((r) => globMatches(e.resource, r.name) || globMatches(e.resource, r.urn))) continue;
    if (e.expires !== undefined && e.expires < today) {
      expired ??= e;
      continue;
    }
    return { kind: "exempt", exemption: e };
  }
  return expired ? { kind: "expired", exemption: expired } : { kind: "none" };
}

/** The line a violation gains when an exemption covering it has expired (configured values cut short). */
export function expiredExemptionNote(exemption: ExemptionConfig): string {
  return `Exemption expired: ${quoteText(exemption.reason)} (${cutText(exemption.resource)}) ended on ${exemption.expires} and no longer applies.`;
}

export const todayUtc = (now = new Date()): string => now.toISOString().slice(0, 10);
