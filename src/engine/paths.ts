/**
 * Which path a sending connector is on (research §6 [analysis]): the hybrid path to one tenant, a
 * relay through the organisation's own tenant, the internet path (delivery to arbitrary domains, by
 * MX or through a gateway that does), or other (partner-specific routes).
 */
import type { MailFlowModel, Organization, SendConnector } from "../model/types";
import { indexesOf, tenantOwningDomain } from "./indexes";

export type Path =
  | { kind: "hybrid"; tenant: string; reason: string }
  | { kind: "relay-via-own-tenant"; tenant: string; reason: string }
  | { kind: "internet"; reason: string }
  | { kind: "other"; reason: string };

const EXO_MX = /^([a-z0-9-]+)\.mail\.protection\.outlook\.com$/;
const ROUTING_DOMAIN = /^([a-z0-9-]+)\.(?:mail\.)?onmicrosoft\.com$/;

/** `contoso-com.mail.protection.outlook.com` → the tenant owning contoso.com (MX host = domain with dots as dashes). */
export function tenantOfExoMx(model: MailFlowModel, host: string): string | undefined {
  const m = EXO_MX.exec(host.toLowerCase());
  return m ? indexesOf(model).tenantByMxLabel.get(m[1]!)?.id : undefined;
}

function tenantOfRoutingDomain(model: MailFlowModel, domain: string): string | undefined {
  const m = ROUTING_DOMAIN.exec(domain);
  if (!m) return undefined;
  const initial = `${m[1]}.onmicrosoft.com`;
  return indexesOf(model).tenantByDomain.get(domain)?.id ?? initial;
}

/** The organisation in the model that a smart host names (a gateway's server). */
export function organizationOfHost(model: MailFlowModel, host: string): Organization | undefined {
  const h = host.toLowerCase();
  const ix = indexesOf(model);
  return ix.orgByServer.get(h) ?? ix.orgById.get(h);
}

const cache = new WeakMap<MailFlowModel, Map<SendConnector, Path[]>>();

export function pathsOf(model: MailFlowModel, s: SendConnector): Path[] {
  let byConnector = cache.get(model);
  if (!byConnector) cache.set(model, (byConnector = new Map()));
  let paths = byConnector.get(s);
  if (!paths) byConnector.set(s, (paths = computePaths(model, s)));
  return paths;
}

function computePaths(model: MailFlowModel, s: SendConnector): Path[] {
  const paths: Path[] = [];
  const exoSmartHosts = s.smartHosts.filter((h) => EXO_MX.test(h));
  const viaDns = s.dnsRoutingEnabled !== false && s.smartHosts.length === 0;
  for (const space of s.addressSpaces) {
    if (space === "*") {
      if (exoSmartHosts.length > 0 && exoSmartHosts.length === s.smartHosts.length) {
        const tenant = tenantOfExoMx(model, exoSmartHosts[0]!) ?? exoSmartHosts[0]!;
        paths.push({ kind: "relay-via-own-tenant", tenant, reason: `all mail is smart-hosted to ${exoSmartHosts[0]} (relay through the own tenant)` });
      } else if (viaDns) {
        paths.push({ kind: "internet", reason: "address space * delivered by MX lookup" });
      } else {
        paths.push({ kind: "internet", reason: `address space * smart-hosted to ${s.smartHosts.join(", ")}` });
      }
      continue;
    }
    const routing = tenantOfRoutingDomain(model, space);
    if (routing) {
      paths.push({ kind: "hybrid", tenant: routing, reason: `address space ${space} is a tenant routing domain` });
      continue;
    }
    const owner = tenantOwningDomain(model, space);
    if (owner && (exoSmartHosts.length > 0 || s.cloudServicesMailEnabled)) {
      paths.push({ kind: "hybrid", tenant: owner.id, reason: `address space ${space} is hosted in ${owner.id}` });
      continue;
    }
    paths.push({ kind: "other", reason: `address space ${space}` });
  }
  // Deduplicate: one entry per kind and tenant.
  const seen = new Set<string>();
  return paths.filter((p) => {
    const key = `${p.kind}|${"tenant" in p ? p.tenant : ""}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** An enabled connector that delivers internet mail (by MX or through a gateway). */
export const isInternetPath = (model: MailFlowModel, s: SendConnector): boolean => s.enabled && pathsOf(model, s).some((p) => p.kind === "internet");
