/**
 * The CISA ScubaGear provider export (`ProviderSettingsExport.json`): its `inbound_connectors`,
 * `outbound_connectors` and `accepted_domains` are the cmdlets' own objects (Get-InboundConnector…
 * through ConvertTo-Json), read by the same object readers.
 */
import type { Fact } from "../../model/facts";
import { acceptedDomainFacts, inboundConnectorFacts, outboundConnectorFacts, type ExportScope } from "./exchange-online";
import { isExportObject, type ExportObject, type ExportOrigin } from "./fields";

type ObjectReader = (o: ExportObject, origin: ExportOrigin, scope: ExportScope) => Fact[];

const SECTIONS: Array<[string, string, ObjectReader]> = [
  ["accepted_domains", "Get-AcceptedDomain", acceptedDomainFacts],
  ["inbound_connectors", "Get-InboundConnector", inboundConnectorFacts],
  ["outbound_connectors", "Get-OutboundConnector", outboundConnectorFacts],
];

export const isScubaGearExport = (v: unknown): v is ExportObject => isExportObject(v) && SECTIONS.some(([key]) => key in v);

/** The tenant ScubaGear names in its tenant details, when the objects do not. */
function scubaTenant(v: ExportObject): string | undefined {
  const details = v["tenant_details"];
  const first = Array.isArray(details) ? details[0] : details;
  if (!isExportObject(first)) return undefined;
  for (const key of ["Domain", "InitialDomain", "TenantDomain"]) {
    const t = first[key];
    if (typeof t === "string" && t.includes(".")) return t.toLowerCase();
  }
  return undefined;
}

export function scubaGearFacts(file: string, v: ExportObject, scope: ExportScope, problems: Array<{ file: string; place: string; problem: string }>): Fact[] {
  const tenant = scope.tenant ?? scubaTenant(v);
  const inScope: ExportScope = { ...scope, ...(tenant ? { tenant } : {}) };
  const facts: Fact[] = [];
  for (const [key, source, read] of SECTIONS) {
    const section = v[key];
    if (section === undefined || section === null) {
      problems.push({ file, place: key, problem: `the ScubaGear export has no ${key}: not audited` });
      continue;
    }
    const items = Array.isArray(section) ? section : [section];
    items.forEach((item, i) => {
      const place = `${key}[${i}]`;
      if (!isExportObject(item)) problems.push({ file, place, problem: "not an object" });
      else facts.push(...read(item, { file, place, source: `ScubaGear ${source}` }, inScope));
    });
  }
  return facts;
}
