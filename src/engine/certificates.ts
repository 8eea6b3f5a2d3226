/**
 * Which certificate a sending connector presents (research §3.1): the certificate named by
 * `TlsCertificateName` (issuer + subject; latest expiry wins), else one bound to it directly, else
 * best match on the connector's FQDN, else the certificate last enabled for SMTP on its servers
 * (Enable-ExchangeCertificate -Services SMTP), else every SMTP certificate of its organisation (conservative).
 * Sources: learn.microsoft.com/powershell/module/exchangepowershell/new-sendconnector;
 * techcommunity.microsoft.com/blog/exchange/tls-certificates-in-exchange-hybrid---common-issues--how-to-fix-them/4420592
 */
import { thumbprintLookup } from "../model/certificate-ref";
import type { Certificate, CertificateIdentifier, MailFlowModel, SendConnector } from "../model/types";
import { nameMatches } from "./names";
import { dnKey, indexesOf } from "./indexes";
import { organizationOfHost, pathsOf } from "./paths";

export interface EffectiveCertificates {
  certificates: Certificate[];
  how: "tls-certificate-name" | "certificate-link" | "fqdn" | "server-default-smtp" | "server-smtp" | "none";
  ambiguous: boolean;
  explanation: string;
}

const latestExpiry = (certs: Certificate[]): Certificate => [...certs].sort((a, b) => (b.notAfter ?? "").localeCompare(a.notAfter ?? ""))[0]!;

const effectiveCache = new WeakMap<MailFlowModel, Map<SendConnector, EffectiveCertificates>>();

export function effectiveCertificates(model: MailFlowModel, s: SendConnector): EffectiveCertificates {
  let byConnector = effectiveCache.get(model);
  if (!byConnector) effectiveCache.set(model, (byConnector = new Map()));
  let result = byConnector.get(s);
  if (!result) byConnector.set(s, (result = computeEffectiveCertificates(model, s)));
  return result;
}

function computeEffectiveCertificates(model: MailFlowModel, s: SendConnector): EffectiveCertificates {
  const ix = indexesOf(model);
  const linked = s.certificateIds.map((id) => ix.certificateById.get(id) ?? ix.certificateByThumbprint.get(thumbprintLookup(id))).filter((c): c is Certificate => !!c);
  if (s.tlsCertificateName) {
    const named = certificatesNamedBy(model, s.tlsCertificateName);
    if (named.length > 0) {
      return { certificates: [latestExpiry(named), ...linked.filter((c) => !named.includes(c))], how: "tls-certificate-name", ambiguous: false, explanation: `TlsCertificateName ${s.tlsCertificateName.raw}` };
    }
  }
  if (linked.length > 0) return { certificates: linked, how: "certificate-link", ambiguous: linked.length > 1, explanation: "bound to the connector" };
  if (s.tlsCertificateName) return { certificates: [], how: "none", ambiguous: false, explanation: `TlsCertificateName ${s.tlsCertificateName.raw} names a certificate the stack does not describe` };
  const org = ix.orgById.get(s.org);
  const orgCerts = [
    ...new Set([
      ...(ix.certificatesByOrg.get(s.org) ?? []),
      ...[...(org?.servers ?? []), ...s.sourceTransportServers].flatMap((srv) => ix.certificatesByServer.get(srv) ?? []),
    ]),
  ];
  if (s.fqdn) {
    const byFqdn = orgCerts.filter((c) => [c.subjectCN, ...c.sanDns].some((n) => n && nameMatches(n, s.fqdn!)));
    if (byFqdn.length > 0) return { certificates: byFqdn, how: "fqdn", ambiguous: byFqdn.length > 1, explanation: `best match for Fqdn ${s.fqdn}` };
  }
  // The certificate last enabled for SMTP is what the servers present when nothing else selects one.
  const defaults = orgCerts.filter((c) => c.smtpDefault);
  if (defaults.length > 0) {
    return { certificates: defaults, how: "server-default-smtp", ambiguous: defaults.length > 1, explanation: `the certificate enabled for SMTP on the organisation's servers (${defaults.map((c) => c.label).join(", ")}), as no TlsCertificateName selects one` };
  }
  const smtp = orgCerts.filter((c) => c.services.includes("SMTP"));
  if (smtp.length > 0) return { certificates: smtp, how: "server-smtp", ambiguous: true, explanation: "any SMTP certificate of the organisation (no TlsCertificateName)" };
  return { certificates: [], how: "none", ambiguous: false, explanation: "no certificate is known for this connector" };
}

/**
 * The certificates, from any source (New-ExchangeCertificate, certificate resources, descriptors), that
 * a Send or Receive connector's `TlsCertificateName "<I>issuer<S>subject"` selects: issuer and subject
 * compared as distinguished names (case-insensitive, spaces around `,` and `=` ignored, RDN order as
 * written); a self-signed certificate is its own issuer.
 */
export function certificatesNamedBy(model: MailFlowModel, identifier: CertificateIdentifier): Certificate[] {
  return indexesOf(model).certificatesByDn.get(dnKey(identifier.issuer, identifier.subject)) ?? [];
}

export interface PresentedIdentity {
  /** The connector whose TLS client identity Exchange Online sees (the last hop). */
  connector: SendConnector;
  certificates: Certificate[];
  /** Names Exchange Online sees: certificate names, or the FQDN when no certificate is known. */
  names: string[];
  egressIps: string[];
  explanation: string;
}

/**
 * What Exchange Online sees when mail leaves through `s`: `s` itself when it delivers by MX (or
 * straight to Exchange Online); when it smart-hosts to a relay, that relay's internet connectors if
 * the relay is in the model, and nothing it can know otherwise.
 */
const presentedCache = new WeakMap<MailFlowModel, Map<SendConnector, PresentedIdentity[]>>();

export function presentedIdentities(model: MailFlowModel, s: SendConnector): PresentedIdentity[] {
  let byConnector = presentedCache.get(model);
  if (!byConnector) presentedCache.set(model, (byConnector = new Map()));
  let result = byConnector.get(s);
  if (!result) byConnector.set(s, (result = computePresentedIdentities(model, s, 0)));
  return result;
}

function computePresentedIdentities(model: MailFlowModel, s: SendConnector, depth: number): PresentedIdentity[] {
  const relays = relaysOf(s);
  if (relays.length > 0) {
    // Exchange Online sees the last hop: a smart host's identity, never this connector's.
    const gateways = relays.map((h) => organizationOfHost(model, h)).filter((o): o is NonNullable<typeof o> => o !== undefined && o.id !== s.org);
    const ix = indexesOf(model);
    const next = depth < 4 ? [...new Set(gateways)].flatMap((g) => ix.sendByOrg.get(g.id) ?? []).filter((c) => c.enabled && pathsOf(model, c).some((p) => p.kind === "internet")) : [];
    return next.flatMap((c) => computePresentedIdentities(model, c, depth + 1));
  }
  const effective = effectiveCertificates(model, s);
  const names = new Set<string>();
  for (const c of effective.certificates) for (const n of [c.subjectCN, ...c.sanDns]) if (n) names.add(n);
  if (effective.certificates.length === 0 && s.fqdn) names.add(s.fqdn);
  const org = indexesOf(model).orgById.get(s.org);
  return [{ connector: s, certificates: effective.certificates, names: [...names], egressIps: [...s.egressIps, ...(org?.egressIps ?? [])], explanation: effective.explanation }];
}

const EXO_MX_HOST = /\.mail\.protection\.outlook\.com$/;

/** The relays a connector smart-hosts to (a smart host in Exchange Online is not a relay). */
export const relaysOf = (s: SendConnector): string[] => s.smartHosts.filter((h) => !EXO_MX_HOST.test(h));
