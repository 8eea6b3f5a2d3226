/**
 * One schema of connector fields: the model's field name, the PowerShell parameter (also the name
 * `Get-*Connector | ConvertTo-Json` exports it under), what kind of value it holds and how the model
 * normalises it. The script extractor (parameter → field, value conversion), the export readers
 * (export field → fact field) and the model builder (field → normaliser) all read this table.
 * Semantics follow learn.microsoft.com/powershell/module/exchangepowershell/<cmdlet>.
 */
import { addressSpaceDomain, lower } from "./normalize";
import type { CertificateIdentifier } from "./types";

/**
 * - `bool`, `enum`, `certificate-identifier`: kept as given (enums in the spelling `values` give).
 * - `host`: a host name or name pattern: lower case (scripts also IDNA-normalise it).
 * - `multi`: a multi-valued property, replaced or edited with @{Add=…; Remove=…}; `element` normalises each item.
 */
export type FieldKind = "bool" | "enum" | "host" | "certificate-identifier" | "multi";

/** How each element of a multi-valued field is compared: lower case, as a domain (address space), or as written. */
export type ElementKind = "lower" | "domain" | "name";

export interface FieldSchema {
  field: string;
  /** The cmdlet parameter that sets it; absent for fields only descriptors or the model set. */
  parameter?: string;
  kind: FieldKind;
  /** For `enum`: the values, as the cmdlet reference spells them. */
  values?: readonly string[];
  /** For `multi`. */
  element?: ElementKind;
}

export type ConnectorKind = "inbound" | "outbound" | "send" | "receive";

export const CONNECTOR_TYPE_VALUES = ["OnPremises", "Partner"] as const;
export const TLS_LEVELS = ["EncryptionOnly", "CertificateValidation", "DomainValidation"] as const;
export const CONNECTOR_SOURCES = ["Default", "Migrated", "HybridWizard", "AdminUI"] as const;

const bool = (field: string, parameter: string): FieldSchema => ({ field, parameter, kind: "bool" });
const host = (field: string, parameter: string): FieldSchema => ({ field, parameter, kind: "host" });
const choice = (field: string, parameter: string, values: readonly string[]): FieldSchema => ({ field, parameter, kind: "enum", values });
const multi = (field: string, parameter: string | undefined, element: ElementKind): FieldSchema => ({ field, ...(parameter ? { parameter } : {}), kind: "multi", element });
const certificateIdentifier = (field: string, parameter: string): FieldSchema => ({ field, parameter, kind: "certificate-identifier" });

export const CONNECTOR_FIELDS: Record<ConnectorKind, readonly FieldSchema[]> = {
  inbound: [
    choice("connectorType", "ConnectorType", CONNECTOR_TYPE_VALUES),
    bool("enabled", "Enabled"),
    host("tlsSenderCertificateName", "TlsSenderCertificateName"),
    multi("senderIpAddresses", "SenderIPAddresses", "lower"),
    multi("senderDomains", "SenderDomains", "domain"),
    bool("requireTls", "RequireTls"),
    bool("restrictDomainsToCertificate", "RestrictDomainsToCertificate"),
    bool("restrictDomainsToIPAddresses", "RestrictDomainsToIPAddresses"),
    bool("cloudServicesMailEnabled", "CloudServicesMailEnabled"),
    bool("treatMessagesAsInternal", "TreatMessagesAsInternal"),
    choice("connectorSource", "ConnectorSource", CONNECTOR_SOURCES),
    multi("associatedAcceptedDomains", "AssociatedAcceptedDomains", "lower"),
  ],
  outbound: [
    choice("connectorType", "ConnectorType", CONNECTOR_TYPE_VALUES),
    bool("enabled", "Enabled"),
    multi("recipientDomains", "RecipientDomains", "domain"),
    multi("smartHosts", "SmartHosts", "lower"),
    bool("useMxRecord", "UseMXRecord"),
    choice("tlsSettings", "TlsSettings", TLS_LEVELS),
    host("tlsDomain", "TlsDomain"),
    bool("routeAllMessagesViaOnPremises", "RouteAllMessagesViaOnPremises"),
    bool("cloudServicesMailEnabled", "CloudServicesMailEnabled"),
  ],
  send: [
    multi("addressSpaces", "AddressSpaces", "domain"),
    multi("smartHosts", "SmartHosts", "lower"),
    bool("dnsRoutingEnabled", "DNSRoutingEnabled"),
    host("fqdn", "Fqdn"),
    certificateIdentifier("tlsCertificateName", "TlsCertificateName"),
    bool("requireTls", "RequireTLS"),
    choice("tlsAuthLevel", "TlsAuthLevel", TLS_LEVELS),
    host("tlsDomain", "TlsDomain"),
    bool("cloudServicesMailEnabled", "CloudServicesMailEnabled"),
    multi("sourceTransportServers", "SourceTransportServers", "lower"),
    bool("enabled", "Enabled"),
    // Not cmdlet parameters: egress addresses come from descriptors, certificate ids from resolved references.
    multi("egressIps", undefined, "lower"),
    multi("certificateIds", undefined, "name"),
  ],
  receive: [
    host("fqdn", "Fqdn"),
    certificateIdentifier("tlsCertificateName", "TlsCertificateName"),
    multi("tlsDomainCapabilities", "TlsDomainCapabilities", "lower"),
  ],
};

/** The fields a cmdlet parameter sets, for the script extractor. */
export const parameterFields = (kind: ConnectorKind): Array<FieldSchema & { parameter: string }> =>
  CONNECTOR_FIELDS[kind].filter((f): f is FieldSchema & { parameter: string } => f.parameter !== undefined);

/** `SenderIPAddresses` → `senderIpAddresses`: the field a parameter (or exported member) of any connector kind sets, case-insensitively. */
export function fieldOfParameter(parameter: string): string | undefined {
  const wanted = parameter.toLowerCase();
  for (const fields of Object.values(CONNECTOR_FIELDS)) {
    const found = fields.find((f) => f.parameter?.toLowerCase() === wanted);
    if (found) return found.field;
  }
  return undefined;
}

const ELEMENT_NORMALISERS: Record<ElementKind, (s: string) => string> = {
  lower,
  domain: addressSpaceDomain,
  name: (s) => s.trim(),
};

/** How the model normalises one element of a multi-valued field. */
export const elementNormaliser = (schema: FieldSchema): ((s: string) => string) => ELEMENT_NORMALISERS[schema.element ?? "lower"];

/** `<I>issuer<S>subject` → its parts; undefined when the text is not in that form. */
export function parseCertificateIdentifier(raw: string): CertificateIdentifier | undefined {
  const i = raw.indexOf("<I>");
  const s = raw.indexOf("<S>");
  if (i !== 0 || s < 0) return undefined;
  return { issuer: raw.slice(3, s).trim(), subject: raw.slice(s + 3).trim(), raw };
}
