/**
 * Turns the props a policy receives into plain data for extractors: unknown leaves become
 * `UnknownValue` instead of throwing. @pulumi/policy wraps props in a proxy that throws
 * `UnknownValueError` when an unknown is read, and its server then downgrades the whole policy to
 * an advisory "can't run during preview". We read the proxy's target instead, so the pack can say
 * exactly which value it could not verify and still check everything else.
 */
import { UnknownValue } from "../extractors/types";

// Sentinels of @pulumi/policy/proxy (1.21.0): unknown values arrive as these GUID strings.
const UNKNOWN_SENTINELS = new Set([
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
  "030794c1-ac77-496b-92df-f27374a8bd58", // asset
  "e48ece36-62e2-4504-bad9-02848725956a", // archive
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);
const PROXY_TARGET = "__getSpecialProxyTarget";

export function isUnknownSentinel(v: unknown): boolean {
  return typeof v === "string" && UNKNOWN_SENTINELS.has(v);
}

function unwrapProxy(v: unknown): unknown {
  if (v === null || typeof v !== "object") return v;
  try {
    const target = (v as Record<string, unknown>)[PROXY_TARGET];
    return target === undefined ? v : target;
  } catch {
    return v;
  }
}

/** The deserialized props behind the policy proxy, as they are (unknowns still sentinels): cheap to compare. */
export function rawProps(props: unknown): unknown {
  return unwrapProxy(props);
}

export function snapshotValue(value: unknown, path: string, depth = 0): unknown {
  const v = unwrapProxy(value);
  if (isUnknownSentinel(v)) return new UnknownValue(path);
  if (depth > 32 || v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map((item, i) => snapshotValue(item, `${path}[${i}]`, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
    out[k] = snapshotValue(item, path ? `${path}.${k}` : k, depth + 1);
  }
  return out;
}

export function snapshotProps(props: unknown): Record<string, unknown> {
  const v = snapshotValue(props, "");
  return v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof UnknownValue)
    ? (v as Record<string, unknown>)
    : {};
}
