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

/** `today` is `YYYY-MM-DD` in UTC; an exemption is valid through its `expires` day. */
export function exemptionFor(
  exemptions: readonly ExemptionConfig[],
  policy: string,
  resource: { name: string; urn: string },
  today: string,
): ExemptionVerdict {
  let expired: ExemptionConfig | undefined;
  for (const e of exemptions) {
    if (e.policy !== "*" && e.policy !== policy) continue;
    const re = globToRegExp(e.resource);
    if (!re.test(resource.name) && !re.test(resource.urn)) continue;
    if (e.expires && e.expires < today) {
      expired ??= e;
      continue;
    }
    return { kind: "exempt", exemption: e };
  }
  return expired ? { kind: "expired", exemption: expired } : { kind: "none" };
}

export const todayUtc = (now = new Date()): string => now.toISOString().slice(0, 10);
