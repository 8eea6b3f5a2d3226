/**
 * Under which keys each entity of the model is filed: the one description of every lookup, used both
 * when a model is indexed at once and when a growing model is indexed again entity by entity.
 */
import { thumbprintLookup, thumbprintRef } from "../model/certificate-ref";
import { normalizeDn } from "../model/normalize";
import type { EntityKind } from "../model/build";
import { UNKNOWN_ORG, UNNAMED_ORG, type Certificate, type HybridConfiguration, type InboundConnector, type Organization, type SendConnector, type Tenant } from "../model/types";
import type { Filing } from "./index-structures";
import type { ModelIndexes } from "./index-shape";
import { isWildcard, wildcardBase } from "./names";

/** Identity key of a certificate: thumbprint, else issuer+subject, else id. Same key = same certificate to EXO. */
export function certificateKey(c: Certificate): string {
  if (c.thumbprint) return thumbprintRef(c.thumbprint);
  if (c.issuerDN && c.subjectDN) return `dn:${c.issuerDN.toLowerCase()}|${c.subjectDN.toLowerCase()}`;
  return `id:${c.id}`;
}

/** issuer|subject as Exchange compares a certificate identifier. */
export const dnKey = (issuer: string, subject: string): string => `${normalizeDn(issuer)}|${normalizeDn(subject)}`;

/** The identifier a TlsCertificateName must name to select `c`, when its issuer is known. */
export function certificateDnKey(c: Certificate): string | undefined {
  const subject = c.subjectDN ?? (c.subjectCN ? `CN=${c.subjectCN}` : undefined);
  return subject && c.issuerDN ? dnKey(c.issuerDN, subject) : undefined;
}

/** `a.b.c` → `a.b.c`, `b.c`, `c`. */
export function* domainSuffixes(name: string): Generator<string> {
  let rest = name;
  for (;;) {
    yield rest;
    const dot = rest.indexOf(".");
    if (dot < 0) return;
    rest = rest.slice(dot + 1);
  }
}

const PLACEHOLDER_ORGS = new Set([UNNAMED_ORG, UNKNOWN_ORG]);

/** Files one entity under every key it is found by, per its kind: the one description of every lookup. */
export function fileEntity(ix: ModelIndexes, e: object, kind: EntityKind, at: (index: Filing, key: string) => void): void {
  switch (kind) {
    case "tenant": {
      const t = e as Tenant;
      at(ix.tenantById, t.id);
      for (const d of t.acceptedDomains) {
        at(ix.tenantByDomain, d.name);
        if (d.matchSubDomains) at(ix.tenantBySubDomainParent, d.name);
        at(ix.tenantByMxLabel, d.name.replace(/\./g, "-"));
      }
      break;
    }
    case "inbound": {
      const ic = e as InboundConnector;
      const p = ic.tlsSenderCertificateName;
      if (p) {
        at(isWildcard(p) ? ix.inboundByWildcardBase : ix.inboundByExactName, wildcardBase(p));
        for (const suffix of domainSuffixes(wildcardBase(p))) at(ix.inboundByNameSuffix, suffix);
      }
      at(ix.inboundByTenant, ic.tenant);
      if (ic.senderIpAddresses.length > 0) at(ix.inboundWithSenderIps, "");
      for (const urn of new Set(ic.provenance.map((q) => q.urn))) at(ix.inboundByUrn, urn);
      break;
    }
    case "organization": {
      const o = e as Organization;
      at(ix.orgById, o.id);
      for (const s of o.servers) {
        at(ix.orgByServer, s);
        at(ix.orgsByServer, s);
      }
      for (const r of o.relaysFor) at(ix.relayedBy, r);
      if (!PLACEHOLDER_ORGS.has(o.id)) at(ix.namedOrganizations, "");
      break;
    }
    case "certificate": {
      const c = e as Certificate;
      const suffixes = new Set<string>();
      for (const n of [c.subjectCN, ...c.sanDns]) if (n && !isWildcard(n)) for (const suffix of domainSuffixes(n)) suffixes.add(suffix);
      for (const suffix of suffixes) at(ix.certificatesByNameSuffix, suffix);
      if ([c.subjectCN, ...c.sanDns].some((n) => n && isWildcard(n))) at(ix.wildcardCertificates, "");
      if (c.org) at(ix.certificatesByOrg, c.org);
      for (const s of new Set(c.servers)) at(ix.certificatesByServer, s);
      at(ix.certificateById, c.id);
      if (c.thumbprint) at(ix.certificateByThumbprint, c.thumbprint.toUpperCase());
      const dn = certificateDnKey(c);
      if (dn) at(ix.certificatesByDn, dn);
      at(ix.certificatesByKey, certificateKey(c));
      break;
    }
    case "send": {
      const sc = e as SendConnector;
      at(ix.sendByOrg, sc.org);
      if (sc.tlsCertificateName) at(ix.sendByDn, dnKey(sc.tlsCertificateName.issuer, sc.tlsCertificateName.subject));
      const refs = new Set<string>();
      for (const id of sc.certificateIds) refs.add(id).add(thumbprintLookup(id));
      for (const ref of refs) at(ix.sendByCertRef, ref);
      for (const server of new Set(sc.sourceTransportServers)) at(ix.sendBySourceServer, server);
      for (const host of new Set(sc.smartHosts)) at(ix.sendBySmartHost, host);
      const spaces = new Set<string>();
      for (const space of sc.addressSpaces) for (const suffix of domainSuffixes(space)) spaces.add(suffix);
      for (const suffix of spaces) at(ix.sendByAddressSuffix, suffix);
      if (sc.fqdn) for (const suffix of domainSuffixes(sc.fqdn)) at(ix.sendByFqdnSuffix, suffix);
      break;
    }
    case "hybrid-configuration":
      at(ix.hybridConfigurationByOrg, (e as HybridConfiguration).org);
      break;
  }
}
