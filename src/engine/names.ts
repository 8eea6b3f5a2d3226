/**
 * Certificate names and connector patterns, as Exchange Online compares them.
 * Source: learn.microsoft.com/powershell/module/exchangepowershell/new-inboundconnector
 * (TlsSenderCertificateName: `*.contoso.com` means "a domain and all subdomains"; embedded wildcards are
 * invalid) and the 2019 attribution blog, step 1: the name or any SAN of the presented certificate.
 */
import { normalizeHostName } from "../model/normalize";
import type { Certificate, Tenant } from "../model/types";

export const isWildcard = (p: string): boolean => p.startsWith("*.");
export const wildcardBase = (p: string): string => (isWildcard(p) ? p.slice(2) : p);

/** CN ∪ SAN DNS names, host-name normalised (normalizeHostName), without duplicates or empties. */
export function certificateNames(c: Certificate): string[] {
  const names = new Set<string>();
  for (const n of [c.subjectCN ?? "", ...c.sanDns]) {
    const normalized = normalizeHostName(n);
    if (normalized) names.add(normalized);
  }
  return [...names];
}

const within = (name: string, base: string): boolean => name === base || name.endsWith(`.${base}`);

/**
 * Does connector pattern `pattern` accept presented name `name`? A presented wildcard certificate
 * (`*.c`) is matched conservatively, because how EOP compares it is undocumented: it matches a
 * pattern it equals, any pattern under `c`, and any wildcard pattern that covers `c`.
 */
export function nameMatches(pattern: string, name: string): boolean {
  const p = normalizeHostName(pattern);
  const n = normalizeHostName(name);
  if (!p || !n) return false;
  if (isWildcard(n)) {
    const c = wildcardBase(n);
    if (p === n) return true;
    if (within(wildcardBase(p), c)) return true;
    return isWildcard(p) && within(c, wildcardBase(p));
  }
  return isWildcard(p) ? within(n, wildcardBase(p)) : p === n;
}

/** Two connector patterns that some presented name could satisfy both. */
export function patternsOverlap(a: string, b: string): boolean {
  const x = normalizeHostName(a);
  const y = normalizeHostName(b);
  if (x === y) return true;
  if (isWildcard(x) && isWildcard(y)) return within(wildcardBase(x), wildcardBase(y)) || within(wildcardBase(y), wildcardBase(x));
  if (isWildcard(x)) return within(y, wildcardBase(x));
  if (isWildcard(y)) return within(x, wildcardBase(y));
  return false;
}

export interface AcceptedDomainCheck {
  accepted: boolean;
  /** The accepted domain that satisfied the check. */
  via?: string;
  /** Satisfied only through MatchSubDomains of a parent domain (behaviour unverified, research §9). */
  viaMatchSubDomains?: boolean;
  /** The tenant declares accepted domains beyond its .onmicrosoft.com routing domains. */
  tenantDomainsKnown: boolean;
}

/**
 * Attribution step 2: the domain of a connector's TlsSenderCertificateName (the wildcard base for
 * `*.b`) must be an accepted domain of the connector's tenant (2019 attribution blog; Microsoft Japan
 * 2017: "*.contoso.com passes if contoso.com … is registered").
 */
export function acceptedDomainCheck(pattern: string, tenant: Tenant): AcceptedDomainCheck {
  const domain = wildcardBase(normalizeHostName(pattern));
  const tenantDomainsKnown = tenant.acceptedDomainsComplete || tenant.acceptedDomains.some((d) => !normalizeHostName(d.name).endsWith(".onmicrosoft.com"));
  const exact = tenant.acceptedDomains.find((d) => normalizeHostName(d.name) === domain);
  if (exact) return { accepted: true, via: exact.name, tenantDomainsKnown };
  const parent = tenant.acceptedDomains.find((d) => d.matchSubDomains && domain.endsWith(`.${normalizeHostName(d.name)}`));
  if (parent) return { accepted: true, via: parent.name, viaMatchSubDomains: true, tenantDomainsKnown };
  return { accepted: false, tenantDomainsKnown };
}
