/**
 * One canonical form for DNS host names and connector name patterns, applied where names enter the
 * model, so `MX09.contoso.com.`, `mx09.contoso.com` and IDN spellings (`bücher.example` vs
 * `xn--bcher-kva.example`) compare equal.
 */
import { domainToASCII } from "node:url";

const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Trimmed, lower-case, one trailing (root) dot removed, Unicode labels as IDNA A-labels (Node's
 * WHATWG `domainToASCII`). A leading `*.` wildcard label is kept. Pure-ASCII names are only
 * lower-cased: WHATWG host parsing would rewrite number-like names (`0x7f.1` → `127.0.0.1`). A name
 * the conversion rejects stays lower-case. Never throws.
 */
export function normalizeHostName(name: string): string {
  const trimmed = name.trim();
  const rooted = trimmed.endsWith(".") ? trimmed.slice(0, -1) : trimmed;
  const wildcard = rooted.startsWith("*.") ? "*." : "";
  const host = rooted.slice(wildcard.length);
  return wildcard + toAscii(host);
}

function toAscii(host: string): string {
  const lowered = host.toLowerCase();
  if (!NON_ASCII.test(host)) return lowered;
  try {
    return domainToASCII(host) || lowered;
  } catch {
    return lowered;
  }
}
