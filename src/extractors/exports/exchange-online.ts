/**
 * Exchange Online exports as administrators make them: `Get-InboundConnector | ConvertTo-Json`,
 * `Get-OutboundConnector`, `Get-AcceptedDomain` (field names as the cmdlets emit them). Each object
 * becomes the fact the same `New-*` statement in a script would give, so the model and rules cannot
 * tell an export from a Pulumi program.
 */
import type { AcceptedDomainFact, Fact, InboundConnectorFields, OutboundConnectorFields, TenantFact } from "../../model/facts";
import { fieldOfParameter } from "../../model/fields";
import type { InboundConnectorType } from "../../model/types";
import { TENANT_CONNECTOR_SOURCE, TENANT_CONNECTOR_TYPE, TLS_SETTINGS } from "./enums";
import { exportProvenance, FieldReader, type ExportObject, type ExportOrigin } from "./fields";

/** Where the tenant comes from when the object does not name it: the folder, or the file's initial domain. */
export interface ExportScope {
  tenant?: string;
  org?: string;
}

/** The tenant an exported EXO object belongs to: its own fields first, else the scope (folder name). */
function tenantOf(read: FieldReader, scope: ExportScope): string | undefined {
  for (const field of ["OrganizationalUnitRoot", "Organization", "OrganizationId"]) {
    const t = read.raw(field);
    if (typeof t === "string" && t.trim() && !t.includes(" ") && t.includes(".")) return t.trim().toLowerCase();
  }
  const identity = read.raw("Identity");
  if (typeof identity === "string" && identity.includes("\\")) {
    const prefix = identity.slice(0, identity.indexOf("\\")).trim();
    if (prefix.includes(".")) return prefix.toLowerCase();
  }
  return scope.tenant;
}

/** The connector's name: `Name`, else the last part of `Identity`. */
export function nameOf(read: FieldReader): string | undefined {
  const name = read.raw("Name");
  if (typeof name === "string" && name.trim()) return read.named(name.trim()).object;
  const identity = read.raw("Identity");
  if (typeof identity === "string" && identity.trim()) return read.named(identity.slice(identity.lastIndexOf("\\") + 1).trim()).object;
  return undefined;
}

const INBOUND_EXPECTED = ["ConnectorType", "TlsSenderCertificateName", "SenderIPAddresses", "SenderDomains", "Enabled"];

export function inboundConnectorFacts(object: ExportObject, origin: ExportOrigin, scope: ExportScope): Fact[] {
  const read = new FieldReader(object, origin);
  const name = nameOf(read);
  if (!name) return [missingName(origin, "inbound connector")];
  const unknown = read.requireAll(INBOUND_EXPECTED).map(fieldKey);
  const fields: Partial<InboundConnectorFields> = {};
  const connectorType = read.choice("ConnectorType", TENANT_CONNECTOR_TYPE) as InboundConnectorType | undefined;
  if (connectorType) fields.connectorType = connectorType;
  assign(fields, "enabled", read.bool("Enabled"));
  const certificateName = read.text("TlsSenderCertificateName");
  if (certificateName !== undefined) fields.tlsSenderCertificateName = certificateName || null;
  assign(fields, "senderIpAddresses", read.texts("SenderIPAddresses"));
  assign(fields, "senderDomains", read.texts("SenderDomains"));
  assign(fields, "requireTls", read.bool("RequireTls"));
  assign(fields, "restrictDomainsToCertificate", read.bool("RestrictDomainsToCertificate"));
  assign(fields, "restrictDomainsToIPAddresses", read.bool("RestrictDomainsToIPAddresses"));
  assign(fields, "cloudServicesMailEnabled", read.bool("CloudServicesMailEnabled"));
  assign(fields, "treatMessagesAsInternal", read.bool("TreatMessagesAsInternal"));
  const source = read.choice("ConnectorSource", TENANT_CONNECTOR_SOURCE);
  if (source) fields.connectorSource = source;
  assign(fields, "associatedAcceptedDomains", read.texts("AssociatedAcceptedDomains"));
  const tenant = tenantOf(read, scope);
  const subject = `inbound connector '${name}'`;
  return [
    ...read.unverifiable(subject),
    { kind: "inbound-connector", op: "new", identity: name, fields, unknown: unknownFields(read, unknown), provenance: exportProvenance(read.origin), ...(tenant ? { tenant } : {}) },
  ];
}

const OUTBOUND_EXPECTED = ["ConnectorType", "RecipientDomains", "SmartHosts", "UseMXRecord", "Enabled"];

export function outboundConnectorFacts(object: ExportObject, origin: ExportOrigin, scope: ExportScope): Fact[] {
  const read = new FieldReader(object, origin);
  const name = nameOf(read);
  if (!name) return [missingName(origin, "outbound connector")];
  const unknown = read.requireAll(OUTBOUND_EXPECTED).map(fieldKey);
  const fields: Partial<OutboundConnectorFields> = {};
  const connectorType = read.choice("ConnectorType", TENANT_CONNECTOR_TYPE) as InboundConnectorType | undefined;
  if (connectorType) fields.connectorType = connectorType;
  assign(fields, "enabled", read.bool("Enabled"));
  assign(fields, "recipientDomains", read.texts("RecipientDomains"));
  assign(fields, "smartHosts", read.texts("SmartHosts"));
  assign(fields, "useMxRecord", read.bool("UseMXRecord"));
  const tlsSettings = read.raw("TlsSettings") === null ? null : read.choice("TlsSettings", TLS_SETTINGS);
  if (tlsSettings !== undefined) fields.tlsSettings = tlsSettings;
  const tlsDomain = read.text("TlsDomain");
  if (tlsDomain !== undefined) fields.tlsDomain = tlsDomain || null;
  assign(fields, "routeAllMessagesViaOnPremises", read.bool("RouteAllMessagesViaOnPremises"));
  assign(fields, "cloudServicesMailEnabled", read.bool("CloudServicesMailEnabled"));
  const tenant = tenantOf(read, scope);
  return [
    ...read.unverifiable(`outbound connector '${name}'`),
    { kind: "outbound-connector", op: "new", identity: name, fields, unknown: unknownFields(read, unknown), provenance: exportProvenance(read.origin), ...(tenant ? { tenant } : {}) },
  ];
}

/** `Get-AcceptedDomain`: a tenant's accepted domain; the `InitialDomain` one names the tenant. */
export function acceptedDomainFacts(object: ExportObject, origin: ExportOrigin, scope: ExportScope): Fact[] {
  const read = new FieldReader(object, origin);
  const domain = read.text("DomainName") ?? nameOf(read);
  if (!domain) return [missingName(origin, "accepted domain", "DomainName")];
  read.named(domain);
  const tenant = tenantOf(read, scope);
  const facts: Fact[] = [...read.unverifiable(`accepted domain '${domain}'`)];
  if (read.bool("InitialDomain") === true || (!tenant && /\.onmicrosoft\.com$/i.test(domain) && !/\.mail\.onmicrosoft\.com$/i.test(domain))) {
    const t: TenantFact = { kind: "tenant", tenant: tenant ?? domain.toLowerCase(), initialDomain: domain.toLowerCase(), provenance: exportProvenance(read.origin) };
    facts.push(t);
  }
  const matchSubDomains = read.bool("MatchSubDomains");
  const fact: AcceptedDomainFact = {
    kind: "accepted-domain",
    scope: "tenant",
    domain: domain.toLowerCase(),
    provenance: exportProvenance(read.origin, "DomainName"),
    ...(tenant ? { owner: tenant } : {}),
    ...(matchSubDomains !== undefined ? { matchSubDomains } : {}),
  };
  facts.push(fact);
  return facts;
}

/**
 * The fields a connector fact leaves unknown: those the export lacks, and those it holds in a form
 * that cannot be read (an enum exported as an undocumented number, a list item that is no text) —
 * unknown, never "not set".
 */
export function unknownFields(read: FieldReader, missing: readonly string[]): string[] {
  return [...new Set([...missing, ...read.problems.map((p) => fieldKey(p.field))])];
}

/** `SenderIPAddresses` → `senderIpAddresses`: the fact's field names (the connector field schema) for what the export lacks. */
export const fieldKey = (exportField: string): string => fieldOfParameter(exportField) ?? exportField.charAt(0).toLowerCase() + exportField.slice(1);

export function assign<F extends object, K extends keyof F>(fields: F, key: K, value: F[K] | undefined): void {
  if (value !== undefined) fields[key] = value;
}

export function missingName(origin: ExportOrigin, what: string, field = "Name or Identity"): Fact {
  return {
    kind: "unverifiable",
    item: { subject: `${what} at ${origin.place}`, property: field, reason: `the ${origin.source} export has no ${field}: the ${what} is left out of the audit`, known: "never", provenance: exportProvenance(origin) },
  };
}
