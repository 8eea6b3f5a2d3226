/**
 * Certificates in the model: described, installed or enabled on servers (bindings), removed, and
 * found again by the ways scripts and descriptors refer to them (id, thumbprint, label, resource
 * name); the hybrid configuration's certificate name.
 */
import { thumbprintKey, thumbprintOf, thumbprintRef } from "../certificate-ref";
import { lower, unique } from "../normalize";
import type { Certificate, Provenance, SendConnector } from "../types";
import { orgId } from "./owners";
import type { BuildState, FactOf } from "./state";

export function applyCertificate(state: BuildState, fact: FactOf<"certificate">): void {
  const certificate = fact.certificate.org ? { ...fact.certificate, org: orgId(state, fact.certificate.org) } : fact.certificate;
  const existing = state.certificates.get(certificate.id);
  if (existing) {
    // A later, more complete reading of the same certificate wins; bindings and provenance add up.
    Object.assign(existing, certificate, {
      servers: unique([...existing.servers, ...certificate.servers]),
      services: unique([...existing.services, ...certificate.services]),
      provenance: [...existing.provenance, ...certificate.provenance],
    });
    for (const p of certificate.provenance) state.note(existing, p);
    if (certificate.smtpDefault) makeSmtpDefault(state, existing);
  } else {
    const created = { ...certificate, unknown: [...certificate.unknown] };
    adoptPlaceholder(state, created);
    state.place(state.certificates, state.model.certificates, certificate.id, created, "certificate");
    indexCertificateRefs(state, created);
    for (const p of certificate.provenance) state.note(created, p);
    // Send connectors that named it before it was described can now resolve it.
    for (const s of state.pendingRefs) state.note(s);
    if (certificate.smtpDefault) makeSmtpDefault(state, created);
  }
}

/** Import-/Enable-ExchangeCertificate: the certificate a reference names is installed on, or enabled for services on, servers. */
export function applyCertificateBinding(state: BuildState, fact: FactOf<"certificate-binding">): void {
  const cert = certificateByRef(state, fact.certificate, fact.provenance);
  cert.servers = unique([...cert.servers, ...fact.servers.map(lower)]);
  cert.services = unique([...cert.services, ...fact.services.map((s) => s.toUpperCase())]);
  if (fact.org && !cert.org) cert.org = orgId(state, fact.org);
  // The enabling resource states the certificate too: a conflict it completes is reported on it.
  if (!cert.provenance.some((p) => p.urn === fact.provenance.urn && p.line === fact.provenance.line)) cert.provenance.push(fact.provenance);
  state.note(cert, fact.provenance);
  if (fact.services.some((x) => x.toUpperCase() === "SMTP")) makeSmtpDefault(state, cert);
}

/** Set-HybridConfiguration -TlsCertificateName: the certificate name the hybrid wizard writes to connectors. */
export function applyHybridConfiguration(state: BuildState, fact: FactOf<"hybrid-configuration">): void {
  const org = orgId(state, fact.org ?? state.defaultOrg);
  const existing = state.hybridConfigurations.get(org);
  if (existing) {
    if (fact.tlsCertificateName) existing.tlsCertificateName = fact.tlsCertificateName;
    existing.provenance.push(fact.provenance);
    state.note(existing, fact.provenance);
  } else {
    const created = { org, ...(fact.tlsCertificateName ? { tlsCertificateName: fact.tlsCertificateName } : {}), provenance: [fact.provenance] };
    state.place(state.hybridConfigurations, state.model.hybridConfigurations, org, created, "hybrid-configuration");
    state.note(created, fact.provenance);
  }
}

/**
 * `c` is now what its servers (its organisation's, when no server is named) present for STARTTLS:
 * the certificate enabled for SMTP before it there stops being the default (research §3.1).
 */
function makeSmtpDefault(state: BuildState, c: Certificate): void {
  c.smtpDefault = true;
  state.note(c);
  for (const other of state.certificates.values()) {
    if (other === c || !other.smtpDefault) continue;
    const sameServers = c.servers.length > 0 ? other.servers.some((srv) => c.servers.includes(srv)) : other.org === c.org;
    if (sameServers) state.note(Object.assign(other, { smtpDefault: false }));
  }
}

/** Remove-ExchangeCertificate: the certificate a reference names leaves the model; connectors naming it wait for another. */
export function removeCertificate(state: BuildState, ref: string): void {
  const c = state.certificates.get(resolveCertificateRef(state, ref));
  if (c) dropCertificate(state, c);
}

function dropCertificate(state: BuildState, c: Certificate): void {
  state.drop(state.certificates, state.model.certificates, c.id);
  // Other certificates may now be the first under the references this one held.
  for (const [key, holder] of [...state.certificateRefs]) if (holder === c) state.certificateRefs.delete(key);
  for (const other of state.model.certificates) indexCertificateRefs(state, other);
  for (const s of state.model.sendConnectors) if (s.certificateIds.includes(c.id)) state.note(s);
}

/**
 * A certificate described after a script enabled it by thumbprint takes over what the placeholder
 * for that thumbprint gathered (servers, services, organisation, default for SMTP), in its place.
 */
function adoptPlaceholder(state: BuildState, c: Certificate): void {
  if (!c.thumbprint) return;
  const placeholder = state.certificates.get(thumbprintRef(c.thumbprint));
  if (!placeholder || placeholder === c || !placeholder.unknown.includes("names")) return;
  c.servers = unique([...placeholder.servers, ...c.servers]);
  c.services = unique([...placeholder.services, ...c.services]);
  if (!c.org && placeholder.org) c.org = placeholder.org;
  if (placeholder.smtpDefault) c.smtpDefault = true;
  c.provenance = [...c.provenance, ...placeholder.provenance];
  dropCertificate(state, placeholder);
  for (const p of c.provenance) state.note(c, p);
}

export function resolveRefs(state: BuildState, s: SendConnector): void {
  // Certificate references are written as ids (URNs), thumbprints or resource names: resolve to ids.
  s.certificateIds = unique(s.certificateIds.map((ref) => resolveCertificateRef(state, ref)));
  if (s.certificateIds.some((id) => !state.certificates.has(id))) state.pendingRefs.add(s);
  else state.pendingRefs.delete(s);
}

function resolveCertificateRef(state: BuildState, ref: string): string {
  if (state.certificates.has(ref)) return ref;
  // The first certificate (in model order) with that thumbprint, label or resource name.
  const candidates = [state.certificateRefs.get(thumbprintKey(ref)), state.certificateRefs.get(`label:${ref}`), state.certificateRefs.get(`name:${ref}`)];
  let first: Certificate | undefined;
  for (const c of candidates) if (c && (!first || state.orderOf(c) < state.orderOf(first))) first = c;
  if (!first && ref.includes("::")) first = [...state.certificates.values()].find((c) => c.id.endsWith(`::${ref}`));
  return first?.id ?? ref;
}

function indexCertificateRefs(state: BuildState, c: Certificate): void {
  const tail = c.id.lastIndexOf("::");
  const refs = [c.thumbprint && thumbprintRef(c.thumbprint), `label:${c.label}`, tail >= 0 && `name:${c.id.slice(tail + 2)}`];
  for (const r of refs) if (r && !state.certificateRefs.has(r)) state.certificateRefs.set(r, c);
}


function certificateByRef(state: BuildState, ref: string, provenance: Provenance): Certificate {
  const direct = state.certificates.get(ref);
  if (direct) return direct;
  const byThumbprint = state.certificateRefs.get(thumbprintKey(ref));
  if (byThumbprint) return byThumbprint;
    // A certificate the stack only refers to (e.g. Enable-ExchangeCertificate -Thumbprint): names unknown.
  const placeholder: Certificate = {
    id: ref,
    label: ref,
    sanDns: [],
    trust: "unknown",
    thumbprint: thumbprintOf(ref),
    servers: [],
    services: [],
    unknown: ["names"],
    provenance: [provenance],
  };
  state.place(state.certificates, state.model.certificates, ref, placeholder, "certificate");
  indexCertificateRefs(state, placeholder);
  for (const s of state.pendingRefs) state.note(s);
  return state.note(placeholder, provenance);
}
