/** Exemptions: a rule, a resource pattern, a reason and an expiry. An expired one stops exempting and says so. */
import type { ExemptionConfig } from "./schema";

export type ExemptionVerdict =
  | { kind: "none" }
  | { kind: "exempt"; exemption: ExemptionConfig }
  | { kind: "expired"; exemption: ExemptionConfig };

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`, "i");
}

/**
 * `today` is `YYYY-MM-DD` in UTC; an exemption is valid through its `expires` day. It covers a finding
 * when it names one of `policies` (a rule's resource and stack policies) and matches one of `resources`
 * (the finding's resources, whichever completed it).
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
    const re = globToRegExp(e.resource);
    if (!resources.some((r) => re.test(r.name) || re.test(r.urn))) continue;
    if (e.expires && e.expires < today) {
      expired ??= e;
      continue;
    }
    return { kind: "exempt", exemption: e };
  }
  return expired ? { kind: "expired", exemption: expired } : { kind: "none" };
}

export const todayUtc = (now = new Date()): string => now.toISOString().slice(0, 10);
