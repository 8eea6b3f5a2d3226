/**
 * Candidate fixes, as plans of model edits, named from what the stack declares (issue 22): the name of
 * an existing dedicated hybrid certificate, the exact host name the connector already trusts or the
 * hybrid Send connector already uses — when it is, or can be, an accepted domain of the tenant — and only
 * then a new name under the tenant's own domain. Never a name under onmicrosoft.com (no public CA issues
 * one to a customer), never one the internet path presents. The runner proves each plan and keeps the
 * smallest that works: rules propose, they do not decide.
 */
import { effectiveCertificates } from "../../engine/certificates";
import { inboundConnectorsOfTenant, tenantById } from "../../engine/lookups";
import { acceptedDomainCheck, certificateNames } from "../../engine/names";
import { hybridConnectorsTo } from "../../engine/reverse";
import type { FixPlan } from "../../findings/types";
import type { ConnectorRef, ModelEdit } from "../../model/edits";
import { lower } from "../../model/normalize";
import { UNKNOWN_TENANT, UNNAMED_TENANT, type Certificate, type InboundConnector, type MailFlowModel, type SendConnector, type Tenant } from "../../model/types";
import { internetIdentityNames } from "./internet-identity";
import { isKnownOnPremises } from "./support";

export const inboundRef = (ic: InboundConnector): ConnectorRef => ({ kind: "inbound", owner: ic.tenant, name: ic.name });
export const sendRef = (s: SendConnector): ConnectorRef => ({ kind: "send", owner: s.org, name: s.name });

const isWildcard = (n: string): boolean => n.startsWith("*.");
const ROUTING = /(^|\.)onmicrosoft\.com$/;

/** Names Exchange Online sees on the internet path: a dedicated hybrid name is none of them. */
const internetNames = (model: MailFlowModel): Set<string> => new Set(internetIdentityNames(model).map((n) => n.name));

/** Whether `name` is an accepted domain of the tenant, or can become one: under one of its own (not routing) domains, claimed by no other tenant. */
function acceptable(model: MailFlowModel, tenant: Tenant, name: string): "accepted" | "can-be" | "no" {
  if (isWildcard(name) || ROUTING.test(name) || tenant.id === UNKNOWN_TENANT || tenant.id === UNNAMED_TENANT) return "no";
  const check = acceptedDomainCheck(name, tenant);
  if (check.accepted) return "accepted";
  const elsewhere = model.tenants.some((t) => t !== tenant && t.acceptedDomains.some((d) => name === d.name || name.endsWith(`.${d.name}`)));
  if (elsewhere) return "no";
  // A tenant whose own domains nobody declared may own it: the user verifies it in Microsoft 365.
  return !check.tenantDomainsKnown || tenant.acceptedDomains.some((d) => !ROUTING.test(d.name) && name.endsWith(`.${d.name}`)) ? "can-be" : "no";
}

/**
 * A host name nothing in the model uses, under the tenant's first own domain (else the domain its
 * connectors' wildcards name): the last resort, said to be new.
 */
function freshName(model: MailFlowModel, tenant: Tenant, inbound: readonly InboundConnector[]): string | undefined {
  const wildcardBase = inbound.map((ic) => ic.tlsSenderCertificateName).find((n) => n && isWildcard(n) && !ROUTING.test(n))?.slice(2);
  const domain = tenant.acceptedDomains.find((d) => !ROUTING.test(d.name))?.name ?? wildcardBase;
  if (!domain) return undefined;
  const used = new Set<string>([...model.certificates.flatMap(certificateNames), ...model.sendConnectors.flatMap((s) => (s.fqdn ? [s.fqdn] : [])), ...model.organizations.flatMap((o) => o.servers)]);
  return ["hybrid", "smtp-hybrid", "exo-hybrid"].map((h) => `${h}.${domain}`).find((n) => !used.has(n));
}

interface Candidate {
  name: string;
  /** A certificate the stack declares with exactly this name, when one may serve the hybrid path. */
  certificate?: Certificate;
  why: string;
}

/**
 * Exact host names for the hybrid path to `tenant`, preferred first: certificates the hybrid connectors
 * present that the internet path does not, the connectors' exact names, the hybrid Send connectors' FQDN,
 * then a new name. `avoid`: a certificate the hybrid path must stop presenting (it is shared or untrusted).
 */
function candidates(model: MailFlowModel, tenant: Tenant, inbound: readonly InboundConnector[], hybrids: readonly SendConnector[], avoid?: Certificate): Candidate[] {
  const internet = internetNames(model);
  const out: Candidate[] = [];
  const add = (name: string | undefined, why: string, certificate?: Certificate): void => {
    if (!name || isWildcard(name) || ROUTING.test(name) || internet.has(name) || out.some((c) => c.name === name)) return;
    const declared = certificate ?? model.certificates.find((c) => c !== avoid && c.trust === "public" && certificateNames(c).includes(name) && !certificateNames(c).some((n) => internet.has(n)));
    out.push({ name, why, ...(declared ? { certificate: declared } : {}) });
  };
  for (const s of hybrids) {
    for (const c of effectiveCertificates(model, s).certificates) {
      if (c === avoid || c.trust !== "public" || certificateNames(c).some((n) => internet.has(n))) continue;
      for (const n of certificateNames(c)) add(n, `the hybrid certificate '${c.label}'`, c);
    }
  }
  for (const ic of inbound) add(ic.tlsSenderCertificateName, `the exact name connector '${ic.name}' trusts`);
  // A host name the tenant has already made an accepted domain (FAQ #6(b)'s step) is the hybrid name it meant.
  for (const d of tenant.acceptedDomains) if (d.name.split(".").length > 2) add(d.name, `already an accepted domain of ${tenant.id}`);
  for (const s of hybrids) add(s.fqdn, `the host name of the hybrid connector '${s.name}' (its -Fqdn)`);
  const fresh = freshName(model, tenant, inbound);
  add(fresh, `a new name under ${fresh?.slice(fresh.indexOf(".") + 1)}: the certificate of the hybrid servers must carry exactly it`);
  return out.filter((c) => acceptable(model, tenant, c.name) !== "no");
}

export interface DedicatedOptions {
  /** The OnPremises connectors to narrow to the exact name (default: those of the tenant that trust a name). */
  inbound?: readonly InboundConnector[];
  /** The connectors that must present the dedicated certificate (default: the tenant's hybrid connectors). */
  hybrids?: readonly SendConnector[];
  /** A certificate the hybrid path must stop presenting. */
  avoid?: Certificate;
  /** The connectors to narrow are identified by IP: they become certificate-based (their IPs cleared). */
  fromIps?: boolean;
  /** Pin the hybrid connectors even where they present the certificate already (by best match). */
  pin?: boolean;
  /** More edits the plan needs for a name (a connector per forest, fields the rule also wants set). */
  extra?: (name: string) => { edits: ModelEdit[]; says?: string };
}

/**
 * The dedicated-certificate fix, one plan per candidate name: the hybrid connectors present a
 * certificate with exactly that name (the one declared, else a new one from a public CA, pinned), the
 * OnPremises connectors trust exactly that name, and it is an accepted domain of the tenant.
 */
export function dedicatedPlans(model: MailFlowModel, tenantId: string, options: DedicatedOptions = {}): FixPlan[] {
  const tenant = tenantById(model, tenantId);
  if (!tenant) return [];
  const hybrids = (options.hybrids ?? hybridConnectorsTo(model, tenantId)).filter((s) => s.enabled);
  const inbound = options.inbound ?? inboundConnectorsOfTenant(model, tenantId).filter((ic) => isKnownOnPremises(ic) && ic.tlsSenderCertificateName);
  const plans: FixPlan[] = [];
  for (const c of candidates(model, tenant, inbound, hybrids, options.avoid)) {
    const edits: ModelEdit[] = [];
    const says: string[] = [];
    // Without a hybrid connector in the stack, whatever presents the name is outside it: only the trusting side changes.
    const presenting = hybrids.filter((s) => options.pin || !c.certificate || !effectiveCertificates(model, s).certificates.includes(c.certificate));
    if (!c.certificate && hybrids.length > 0) {
      edits.push({ kind: "add-certificate", certificate: { name: c.name, org: hybrids[0]!.org } });
      says.push(`give the hybrid path a dedicated certificate for ${c.name} (${c.why}; public CA, no other names)`);
    }
    for (const s of presenting) {
      edits.push({ kind: "pin-send-connector", connector: sendRef(s), certificate: { name: c.name, ...(c.certificate?.issuerDN ? { issuer: c.certificate.issuerDN } : {}), ...(c.certificate ? { id: c.certificate.id } : {}) } });
    }
    if (presenting.length > 0) says.push(`pin ${presenting.map((s) => `'${s.name}'`).join(" and ")} to ${c.certificate ? `'${c.certificate.label}'` : "it"}`);
    // The name is an accepted domain before a connector trusts it (FAQ #6(b)): in that order.
    const accept = acceptable(model, tenant, c.name) === "can-be";
    if (accept) edits.push({ kind: "add-accepted-domain", tenant: tenant.id, domain: c.name });
    const narrowed = inbound.filter((ic) => ic.tlsSenderCertificateName !== c.name || (options.fromIps && ic.senderIpAddresses.length > 0));
    for (const ic of narrowed) {
      if (ic.tlsSenderCertificateName !== c.name) edits.push({ kind: "set-connector-field", connector: inboundRef(ic), field: "tlsSenderCertificateName", value: c.name });
      if (options.fromIps && ic.senderIpAddresses.length > 0) edits.push({ kind: "set-connector-field", connector: inboundRef(ic), field: "senderIpAddresses", value: [] });
    }
    const saidWhy = !c.certificate && hybrids.length > 0;
    if (narrowed.length > 0) says.push(`trust exactly ${c.name}${saidWhy ? "" : ` (${c.why})`}${narrowed.length > 1 ? ` in ${narrowed.length} OnPremises connectors` : ""}${accept ? " and make it an accepted domain" : ""}`);
    else if (accept) says.push(`make ${c.name} an accepted domain of ${tenant.id}`);
    const extra = options.extra?.(c.name);
    if (extra) {
      edits.push(...extra.edits);
      if (extra.says) says.push(extra.says);
    }
    if (edits.length === 0) continue;
    plans.push({ summary: sentence(says), edits });
  }
  return plans;
}

/** The exact-name fix for one OnPremises connector (a wildcard, a name that is no accepted domain). */
export const exactNamePlans = (model: MailFlowModel, ic: InboundConnector): FixPlan[] => dedicatedPlans(model, ic.tenant, { inbound: [ic] });

/**
 * An internet certificate that carries the exact name an OnPremises connector trusts among its other
 * names: the smaller change is to reissue it without that name.
 */
export function dropNamePlans(model: MailFlowModel, certificate: Certificate | undefined, name: string, presenter: SendConnector): FixPlan[] {
  if (!certificate || isWildcard(name) || certificate.subjectCN === lower(name) || !certificate.sanDns.includes(lower(name))) return [];
  return [
    {
      summary: sentence([`reissue certificate '${certificate.label}', which '${presenter.name}' presents on the internet path, without ${name} (keep ${certificateNames(certificate).filter((n) => n !== lower(name)).join(", ")})`]),
      edits: [{ kind: "remove-certificate-name", certificate: certificate.id, name }],
    },
  ];
}

/** A sentence of the parts: the first capitalised, joined with "; ", a full stop at the end. */
export function sentence(parts: readonly string[]): string {
  const text = parts.join("; ");
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/**
 * A wildcard certificate an internet presenter shows covers any exact hybrid name under its domain: the
 * hybrid path can only be told apart when that presenter gets a certificate of its own, for the host
 * name it declares (its FQDN, else its first server). Each plan, and each plan with that change too.
 */
export function withOwnCertificate(model: MailFlowModel, plans: readonly FixPlan[], presenter: SendConnector, certificate: Certificate | undefined): FixPlan[] {
  if (!certificate || !certificateNames(certificate).some(isWildcard)) return [...plans];
  const servers = model.organizations.find((o) => o.id === presenter.org)?.servers ?? [];
  const name = [presenter.fqdn, ...servers].find((n): n is string => !!n && !isWildcard(n) && !ROUTING.test(n));
  if (!name) return [...plans];
  const own: ModelEdit[] = [
    { kind: "add-certificate", certificate: { name, org: presenter.org } },
    { kind: "pin-send-connector", connector: sendRef(presenter), certificate: { name } },
  ];
  const says = `give '${presenter.name}' its own certificate for ${name} (its host name) instead of '${certificate.label}'`;
  return [...plans, ...plans.map((p) => ({ summary: `${p.summary.slice(0, -1)}; ${says}.`, edits: [...p.edits, ...own] }))];
}
