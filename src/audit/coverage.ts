/**
 * What the audit read, per tenant and per organisation, and what it expected to read and did not: a
 * tenant it knows of with no inbound connector read, an Exchange organisation with no Send connector
 * or certificate. Such a gap is said (and the audit does not pass silently), unless an export of that
 * cmdlet was read for it — an empty one says "none", which is an answer.
 */
import { CONFIG_URN_PREFIX } from "../extractors/config-facts";
import type { ExportCoverage, ExportKind } from "../extractors/exports";
import { OBJECT_READERS } from "../extractors/exports/kinds";
import { UNKNOWN_ORG, UNKNOWN_TENANT, UNNAMED_ORG, UNNAMED_TENANT, type MailFlowModel, type OrganizationKind } from "../model/types";

export interface TenantSummary {
  tenant: string;
  inboundConnectors: number;
  outboundConnectors: number;
  acceptedDomains: number;
}

export interface OrganizationSummary {
  organization: string;
  kind: OrganizationKind;
  sendConnectors: number;
  receiveConnectors: number;
  certificates: number;
  hybridConfiguration: boolean;
}

export interface CoverageGap {
  tenant?: string;
  organization?: string;
  /** The cmdlet whose output was expected. */
  cmdlet: string;
  message: string;
}

export interface Coverage {
  tenants: TenantSummary[];
  organizations: OrganizationSummary[];
  gaps: CoverageGap[];
}

const PLACEHOLDERS = new Set([UNNAMED_TENANT, UNKNOWN_TENANT, UNNAMED_ORG, UNKNOWN_ORG]);

const count = <T>(items: readonly T[], pick: (item: T) => string | undefined, id: string): number => items.filter((i) => pick(i) === id).length;

/** Whether an export of `kind` was read for this tenant or organisation, or for any (a file whose folder names none). */
function covered(covers: readonly ExportCoverage[], kind: ExportKind, scope: { tenant?: string; org?: string }): boolean {
  return covers.some((c) => c.kind === kind && ((!c.tenant && !c.org) || (scope.tenant !== undefined && c.tenant === scope.tenant) || (scope.org !== undefined && c.org === scope.org)));
}

const HOW: Record<string, string> = {
  "inbound-connector": "or declare them under mailflow-inventory.inboundConnectors",
  "accepted-domain": "or declare them under mailflow-inventory.tenants[].acceptedDomains",
  "send-connector": "or declare the organisation's connectors as a gateway under mailflow-inventory.gateways",
  "exchange-certificate": "or declare them under mailflow-inventory.certificates",
};

function gap(kind: ExportKind, what: string, subject: { tenant?: string; organization?: string }): CoverageGap {
  const cmdlet = OBJECT_READERS[kind].source;
  const name = subject.tenant ? `tenant ${subject.tenant}` : `organisation ${subject.organization}`;
  return { ...subject, cmdlet, message: `${name}: no ${what} read. Export ${cmdlet} for it (an export with no objects says it has none), ${HOW[kind]}.` };
}

export function coverageOf(model: MailFlowModel, covers: readonly ExportCoverage[]): Coverage {
  const tenants = model.tenants
    .filter((t) => !PLACEHOLDERS.has(t.id))
    .map((t) => ({
      tenant: t.id,
      inboundConnectors: count(model.inboundConnectors, (c) => c.tenant, t.id),
      outboundConnectors: count(model.outboundConnectors, (c) => c.tenant, t.id),
      acceptedDomains: t.acceptedDomains.length,
    }));
  const organizations = model.organizations
    .filter((o) => !PLACEHOLDERS.has(o.id))
    .map((o) => ({
      organization: o.id,
      kind: o.kind,
      sendConnectors: count(model.sendConnectors, (c) => c.org, o.id),
      receiveConnectors: count(model.receiveConnectors, (c) => c.org, o.id),
      certificates: count(model.certificates, (c) => c.org, o.id),
      hybridConfiguration: model.hybridConfigurations.some((h) => h.org === o.id),
    }));
  const gaps: CoverageGap[] = [];
  for (const t of tenants) {
    if (t.inboundConnectors === 0 && !covered(covers, "inbound-connector", { tenant: t.tenant })) gaps.push(gap("inbound-connector", "inbound connectors were", { tenant: t.tenant }));
    if (t.acceptedDomains === 0 && !covered(covers, "accepted-domain", { tenant: t.tenant })) gaps.push(gap("accepted-domain", "accepted domains were", { tenant: t.tenant }));
  }
  // Exchange organisations the inputs themselves show (not only declared in the configuration, as a
  // relay's hosted client is): their Send connectors and certificates are expected.
  const shown = new Set(model.organizations.filter((o) => o.kind !== "gateway" && o.provenance.some((p) => !p.urn.startsWith(CONFIG_URN_PREFIX))).map((o) => o.id));
  for (const o of organizations) {
    const related = o.sendConnectors + o.receiveConnectors + o.certificates + (o.hybridConfiguration ? 1 : 0);
    if (o.kind === "gateway" || (!shown.has(o.organization) && related === 0)) continue;
    if (o.sendConnectors === 0 && !covered(covers, "send-connector", { org: o.organization })) gaps.push(gap("send-connector", "Send connectors were", { organization: o.organization }));
    if (o.certificates === 0 && !covered(covers, "exchange-certificate", { org: o.organization })) gaps.push(gap("exchange-certificate", "certificates were", { organization: o.organization }));
  }
  return { tenants, organizations, gaps };
}
