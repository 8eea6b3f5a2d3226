/**
 * The CISA ScubaGear provider export (`ProviderSettingsExport.json`): its `inbound_connectors`,
 * `outbound_connectors` and `accepted_domains` are the cmdlets' own objects (Get-InboundConnector…
 * through ConvertTo-Json), read by the same object readers.
 */
import type { Fact } from "../../model/facts";
import { acceptedDomainFacts, inboundConnectorFacts, outboundConnectorFacts, type ExportScope } from "./exchange-online";
import { isExportObject, type ExportObject, type ExportOrigin } from "./fields";
import type { JsonLocations } from "./json-text";
import type { ExportKind } from "./kinds";

type ObjectReader = (o: ExportObject, origin: ExportOrigin, scope: ExportScope) => Fact[];

const SECTIONS: Array<[string, string, ObjectReader, ExportKind]> = [
  ["accepted_domains", "Get-AcceptedDomain", acceptedDomainFacts, "accepted-domain"],
  ["inbound_connectors", "Get-InboundConnector", inboundConnectorFacts, "inbound-connector"],
  ["outbound_connectors", "Get-OutboundConnector", outboundConnectorFacts, "outbound-connector"],
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

/** The facts of a ScubaGear export, the sections it holds (read even when empty) and the tenant it names. */
export function scubaGearFacts(
  file: string,
  v: ExportObject,
  scope: ExportScope,
  problems: Array<{ file: string; place: string; problem: string }>,
  locations?: JsonLocations,
): { facts: Fact[]; objects: number; sections: ExportKind[]; scope: ExportScope } {
  const tenant = scope.tenant ?? scubaTenant(v);
  const inScope: ExportScope = { ...scope, ...(tenant ? { tenant } : {}) };
  const facts: Fact[] = [];
  const sections: ExportKind[] = [];
  let objects = 0;
  for (const [key, source, read, kind] of SECTIONS) {
    const section = v[key];
    if (section === undefined || section === null) {
      problems.push({ file, place: key, problem: `the ScubaGear export has no ${key}: not audited` });
      continue;
    }
    sections.push(kind);
    const items = Array.isArray(section) ? section : [section];
    items.forEach((item, i) => {
      const place = `${key}[${i}]`;
      const line = locations?.lineOf(Array.isArray(section) ? place : key);
      objects++;
      if (!isExportObject(item)) problems.push({ file, place, problem: "not an object" });
      else facts.push(...read(item, { file, place, source: `ScubaGear ${source}`, ...(line ? { line } : {}) }, inScope));
    });
  }
  return { facts, objects, sections, scope: inScope };
}
