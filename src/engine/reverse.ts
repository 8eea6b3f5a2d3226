/**
 * Who uses what — the reverse of effective certificates, relays and paths — for rules that answer
 * for the entities one resource states (the resource pass). Each answer is gathered through lookups
 * that may over-approximate and then checked with the forward computation, so it is exactly what a
 * scan of the whole model gives, in model order.
 */
import type { Certificate, MailFlowModel, SendConnector } from "../model/types";
import { effectiveCertificates, presentedIdentities, relaysOf } from "./certificates";
import { certificateDnKey, indexesOf, inModelOrder } from "./indexes";
import { isInternetPath, pathsOf } from "./paths";

/** Send connectors whose effective certificates include `c`. */
export function sendConnectorsUsing(model: MailFlowModel, c: Certificate): SendConnector[] {
  const ix = indexesOf(model);
  const candidates: SendConnector[] = [];
  const add = (list: readonly SendConnector[] | undefined) => void (list && candidates.push(...list));
  // The ways effectiveCertificates finds a certificate: TlsCertificateName, a reference, the organisation's or its servers'.
  const dn = certificateDnKey(c);
  if (dn) add(ix.sendByDn.get(dn));
  add(ix.sendByCertRef.get(c.id));
  if (c.thumbprint) add(ix.sendByCertRef.get(c.thumbprint.toUpperCase()));
  if (c.org) add(ix.sendByOrg.get(c.org));
  for (const server of c.servers) {
    add(ix.sendBySourceServer.get(server));
    for (const o of ix.orgsByServer.get(server) ?? []) add(ix.sendByOrg.get(o.id));
  }
  return inModelOrder(model, candidates).filter((s) => effectiveCertificates(model, s).certificates.includes(c));
}

/** Send connectors that present a certificate with the same identity as `c` (itself or another reading of it). */
export function sendConnectorsUsingKeyOf(model: MailFlowModel, key: string): SendConnector[] {
  const ix = indexesOf(model);
  const certificates = ix.certificatesByKey.get(key) ?? [];
  if (certificates.length === 1) return sendConnectorsUsing(model, certificates[0]!);
  return inModelOrder(model, certificates.flatMap((c) => sendConnectorsUsing(model, c)));
}

/** Whether Exchange Online sees `s` itself for internet mail: an internet-path connector that relays through nobody. */
export const presentsItself = (model: MailFlowModel, s: SendConnector): boolean => isInternetPath(model, s) && relaysOf(s).length === 0;

/** Internet-path connectors whose mail Exchange Online sees as presented by `p`: itself, and those relaying through its organisation. */
export function originsPresentedBy(model: MailFlowModel, p: SendConnector): SendConnector[] {
  const ix = indexesOf(model);
  const found = new Set<SendConnector>([p]);
  let frontier = [p];
  // presentedIdentities follows at most four relays.
  for (let depth = 0; depth <= 4 && frontier.length > 0; depth++) {
    const next: SendConnector[] = [];
    for (const c of frontier) {
      for (const host of [c.org, ...(ix.orgById.get(c.org)?.servers ?? [])]) {
        for (const s of ix.sendBySmartHost.get(host) ?? []) if (!found.has(s)) next.push((found.add(s), s));
      }
    }
    frontier = next;
  }
  return inModelOrder(model, [...found]).filter((s) => isInternetPath(model, s) && presentedIdentities(model, s).some((i) => i.connector === p));
}

/** Send connectors on the hybrid path to `tenant`. */
export function hybridConnectorsTo(model: MailFlowModel, tenant: string): SendConnector[] {
  const ix = indexesOf(model);
  // Address spaces that can make a hybrid path to the tenant: its domains (and under them), its routing domains.
  const label = tenant.replace(/\.onmicrosoft\.com$/, "");
  const domains = new Set([tenant, `${label}.onmicrosoft.com`, `${label}.mail.onmicrosoft.com`]);
  for (const d of ix.tenantById.get(tenant)?.acceptedDomains ?? []) domains.add(d.name);
  const candidates = [...domains].flatMap((d) => ix.sendByAddressSuffix.get(d) ?? []);
  return inModelOrder(model, candidates).filter((s) => pathsOf(model, s).some((p) => p.kind === "hybrid" && p.tenant === tenant));
}
