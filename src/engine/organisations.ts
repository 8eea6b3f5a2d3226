/**
 * Which on-premises organisation a Send connector belongs to, when no descriptor says: inferred from
 * what the stack already states. The Hybrid Configuration Wizard names its connectors after the
 * on-premises OrganizationGuid (`Outbound to Office 365 - <guid>` on premises, `Inbound from <guid>`
 * and `Outbound to <guid>` in Exchange Online), and a server's FQDN carries its forest's domain.
 * Source: learn.microsoft.com/exchange/hybrid-deployment/hybrid-with-multiple-forests (one HCW run,
 * one set of connectors, per forest).
 */
import { UNKNOWN_ORG, UNNAMED_ORG, type MailFlowModel, type Organization, type SendConnector } from "../model/types";
import { indexesOf } from "./indexes";

const GUID = "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})";
const HCW_NAMES = [new RegExp(`^outbound to office 365 - ${GUID}$`, "i"), new RegExp(`^inbound from ${GUID}$`, "i"), new RegExp(`^outbound to ${GUID}$`, "i")];

/** The OrganizationGuid an HCW connector name carries (`Outbound to Office 365 - 6fc3a33e-…`), lower-case. */
export function hcwOrganizationGuid(connectorName: string): string | undefined {
  const name = connectorName.trim();
  for (const pattern of HCW_NAMES) {
    const m = pattern.exec(name);
    if (m) return m[1]!.toLowerCase();
  }
  return undefined;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** `ex01.corp.contoso.com` → `corp.contoso.com`; none for a bare host name, an IP address or a one-label domain. */
export function serverDomainOf(host: string): string | undefined {
  const h = host.trim().toLowerCase().replace(/\.$/, "");
  if (IPV4.test(h) || h.includes(":") || h.includes(" ")) return undefined;
  const dot = h.indexOf(".");
  const domain = dot < 0 ? "" : h.slice(dot + 1);
  return domain.includes(".") ? domain : undefined;
}

/** One domain is the other or under it: possibly one forest (a child domain), never evidence of two. */
const related = (a: string, b: string): boolean => a === b || a.endsWith(`.${b}`) || b.endsWith(`.${a}`);

const PLACEHOLDERS = new Set([UNNAMED_ORG, UNKNOWN_ORG]);

export interface OrganisationDistinction {
  distinct: boolean;
  /** How two organisations were told apart when no descriptor says so, for the finding to state. */
  inferred?: string;
}

/** The forest domains an organisation's servers carry: a descriptor's servers, else the host a script ran on. */
function serverDomains(org: Organization | undefined, key: string): string[] {
  if (org?.described) return [...new Set(org.servers.map(serverDomainOf).filter((d): d is string => !!d))];
  const own = PLACEHOLDERS.has(key) ? undefined : serverDomainOf(key);
  return own ? [own] : [];
}

/**
 * Whether the Send connectors `a` and `b` belong to two on-premises organisations. A descriptor (or
 * the configuration) describing both decides; else two different HCW OrganizationGuids do; else one
 * organisation key is one organisation; else servers in unrelated domains (ex01.corp.contoso.com,
 * ex01.fabrikam.local) are two forests. Anything less (one forest's two servers, a GUID connector
 * beside a non-GUID one, a host unknown until deploy) is not evidence of two.
 */
export function organisationsDistinct(model: MailFlowModel, a: SendConnector, b: SendConnector, tenant?: string): OrganisationDistinction {
  const ix = indexesOf(model);
  const oa = ix.orgById.get(a.org);
  const ob = ix.orgById.get(b.org);
  if (oa?.described && ob?.described) return { distinct: a.org !== b.org };
  const ga = hcwOrganizationGuid(a.name);
  const gb = hcwOrganizationGuid(b.name);
  if (ga && gb) {
    if (ga === gb) return { distinct: false };
    const inExchangeOnline = tenant ? hcwInboundNames(model, tenant, [ga, gb]) : [];
    const also = inExchangeOnline.length > 0 ? `; in ${tenant}: ${inExchangeOnline.map((n) => `'${n}'`).join(", ")}` : "";
    return { distinct: true, inferred: `inferred from the HCW connector names '${a.name}' and '${b.name}' (two on-premises OrganizationGuids${also})` };
  }
  if (a.org === b.org) return { distinct: false };
  const da = serverDomains(oa, a.org);
  const db = serverDomains(ob, b.org);
  if (da.length === 0 || db.length === 0 || da.some((x) => db.some((y) => related(x, y)))) return { distinct: false };
  return { distinct: true, inferred: `inferred from the server domains ${da.join(", ")} and ${db.join(", ")} (no Organization descriptor claims these servers)` };
}

/** The tenant's HCW inbound connectors (`Inbound from <guid>`) for these OrganizationGuids, in model order. */
function hcwInboundNames(model: MailFlowModel, tenant: string, guids: string[]): string[] {
  const inbound = indexesOf(model).inboundByTenant.get(tenant) ?? [];
  return inbound.filter((ic) => /^inbound from /i.test(ic.name.trim()) && guids.includes(hcwOrganizationGuid(ic.name) ?? "")).map((ic) => ic.name);
}
