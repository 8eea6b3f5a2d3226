/**
 * One canonical form for DNS host names and connector name patterns, applied where names enter the
 * model, so `MX09.contoso.com.`, `mx09.contoso.com` and IDN spellings (`bücher.example` vs
 * `xn--bcher-kva.example`) compare equal.
 */
import { domainToASCII } from "node:url";

const NON_ASCII = /[^\x00-\x7f]/;
/** Lower-case ASCII host characters, not ending in a dot: what normalizeHostName returns unchanged. */
const CANONICAL = /^[a-z0-9_*.-]*[a-z0-9_*-]$/;

/**
 * Trimmed, lower-case, trailing (root) dots removed, Unicode labels as IDNA A-labels (Node's
 * WHATWG `domainToASCII`). A leading `*.` wildcard label is kept. Pure-ASCII names are only
 * lower-cased: WHATWG host parsing would rewrite number-like names (`0x7f.1` → `127.0.0.1`). A name
 * the conversion rejects stays lower-case. Idempotent; never throws.
 */
export function normalizeHostName(name: string): string {
  // Names are compared often (engine, rules); most are already canonical.
  if (CANONICAL.test(name)) return name;
  const host = withoutRootDots(name.trim());
  const wildcard = host.startsWith("*.") ? "*." : "";
  // Conversion can itself produce a root dot (`ü。` → `xn--tda.`).
  return wildcard + withoutRootDots(toAscii(host.slice(wildcard.length)));
}

const withoutRootDots = (host: string): string => host.replace(/\.+$/, "");

function toAscii(host: string): string {
  const lowered = host.toLowerCase();
  if (!NON_ASCII.test(host)) return lowered;
  try {
    return domainToASCII(host) || lowered;
  } catch {
    return lowered;
  }
}
