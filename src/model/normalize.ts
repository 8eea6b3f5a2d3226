/** Small pure normalisers shared by the model builder and the engine. */
import { normalizeHostName } from "./hostnames";

export { normalizeHostName } from "./hostnames";

export const lower = (s: string): string => s.trim().toLowerCase();

/**
 * `SMTP:contoso.com;1` → `contoso.com`; `smtp:*;1` → `*`. Exchange writes address spaces and HCW's
 * SenderDomains with a type prefix and a cost suffix; attribution only cares about the domain
 * (host-name normalised: `SMTP:Bücher.example.;1` → `xn--bcher-kva.example`).
 */
export function addressSpaceDomain(value: string): string {
  let v = lower(value);
  const colon = v.indexOf(":");
  if (colon > 0 && /^[a-z0-9]+$/.test(v.slice(0, colon))) v = v.slice(colon + 1);
  const semi = v.indexOf(";");
  if (semi >= 0) v = v.slice(0, semi);
  return normalizeHostName(v);
}

/** `contoso.onmicrosoft.com` → `contoso.mail.onmicrosoft.com`. */
export function coexistenceDomainOf(initialDomain: string): string | undefined {
  const m = /^([a-z0-9-]+)\.onmicrosoft\.com$/.exec(lower(initialDomain));
  return m ? `${m[1]}.mail.onmicrosoft.com` : undefined;
}

/** `contoso.mail.onmicrosoft.com` or `contoso.onmicrosoft.com` → `contoso.onmicrosoft.com`. */
export function initialDomainOf(domain: string): string | undefined {
  const m = /^([a-z0-9-]+)\.(?:mail\.)?onmicrosoft\.com$/.exec(lower(domain));
  return m ? `${m[1]}.onmicrosoft.com` : undefined;
}

/** The connector name part of an identity such as `EX01\Default Frontend EX01`. */
export function identityName(identity: string): string {
  const trimmed = identity.trim();
  const slash = trimmed.lastIndexOf("\\");
  return lower(slash >= 0 ? trimmed.slice(slash + 1) : trimmed);
}

/**
 * Normalise an X.500 distinguished name for comparison: case-insensitive, spaces around `,` and `=`
 * ignored, RDN order kept as written (Exchange compares `<I>issuer<S>subject` as written). A comma
 * escaped (`\,`) or inside quotes belongs to the value.
 */
export function normalizeDn(dn: string): string {
  return splitUnescaped(dn, ",")
    .map((rdn) => {
      const [key, ...value] = splitUnescaped(rdn, "=");
      return value.length === 0 ? key!.trim() : `${key!.trim()}=${value.join("=").trim()}`;
    })
    .filter((rdn) => rdn.length > 0)
    .join(",")
    .toLowerCase();
}

/** Whether two distinguished names name the same issuer or subject, as Exchange compares them. */
export const sameDn = (a: string, b: string): boolean => normalizeDn(a) === normalizeDn(b);

function splitUnescaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "\\" && i + 1 < text.length) {
      current += ch + text[++i];
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (ch === separator && !quoted) {
      parts.push(current);
      current = "";
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

/** `CN=mx01.contoso.com, O=Contoso` → `mx01.contoso.com`; a bare host stays as it is. Host-name normalised. */
export function commonNameOf(subject: string): string | undefined {
  const trimmed = subject.trim();
  if (!trimmed.includes("=")) return trimmed ? normalizeHostName(trimmed) : undefined;
  for (const rdn of trimmed.split(",")) {
    const [key, ...rest] = rdn.split("=");
    if (key !== undefined && key.trim().toLowerCase() === "cn") return normalizeHostName(rest.join("="));
  }
  return undefined;
}

export function unique<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}
