/**
 * Which cmdlet an exported object came from: its serialised type (Export-Clixml names it), else the
 * fields only that cmdlet emits (ConvertTo-Json names no type), else the cmdlet the file is named
 * after (`Get-InboundConnector.json`) — and the reader of each.
 */
import type { Fact } from "../../model/facts";
import { acceptedDomainFacts, inboundConnectorFacts, outboundConnectorFacts, type ExportScope } from "./exchange-online";
import type { ExportObject, ExportOrigin } from "./fields";
import { exchangeCertificateFacts, hybridConfigurationFacts, receiveConnectorFacts, sendConnectorFacts } from "./on-premises";

export type ExportKind = "inbound-connector" | "outbound-connector" | "accepted-domain" | "send-connector" | "receive-connector" | "exchange-certificate" | "hybrid-configuration" | "transport-service";

type ObjectReader = (o: ExportObject, origin: ExportOrigin, scope: ExportScope) => Fact[];

export const OBJECT_READERS: Record<ExportKind, { source: string; read: ObjectReader }> = {
  "inbound-connector": { source: "Get-InboundConnector", read: inboundConnectorFacts },
  "outbound-connector": { source: "Get-OutboundConnector", read: outboundConnectorFacts },
  "accepted-domain": { source: "Get-AcceptedDomain", read: acceptedDomainFacts },
  "send-connector": { source: "Get-SendConnector", read: sendConnectorFacts },
  "receive-connector": { source: "Get-ReceiveConnector", read: receiveConnectorFacts },
  "exchange-certificate": { source: "Get-ExchangeCertificate", read: exchangeCertificateFacts },
  "hybrid-configuration": { source: "Get-HybridConfiguration", read: hybridConfigurationFacts },
  // What a Transport service states (its servers) adds nothing the rules read yet: recognised, not guessed at.
  "transport-service": { source: "Get-TransportService", read: () => [] },
};

/** The cmdlets the audit reads, for messages. */
export const READ_CMDLETS = Object.values(OBJECT_READERS).map((r) => r.source);

const FILE_NAME_HINTS: Array<[string, ExportKind]> = [
  ["inboundconnector", "inbound-connector"],
  ["outboundconnector", "outbound-connector"],
  ["accepteddomain", "accepted-domain"],
  ["sendconnector", "send-connector"],
  ["receiveconnector", "receive-connector"],
  ["exchangecertificate", "exchange-certificate"],
  ["hybridconfiguration", "hybrid-configuration"],
  ["transportservice", "transport-service"],
];

/** The cmdlet a file name points at (`Get-InboundConnector.json`, `inboundconnectors.xml`). */
export function kindOfFileName(fileName: string): ExportKind | undefined {
  const n = fileName.toLowerCase().replace(/[^a-z]/g, "");
  return FILE_NAME_HINTS.find(([hint]) => n.includes(hint))?.[1];
}

/**
 * The serialised types of the cmdlets' objects (the last part of the type name; `Deserialized.` and
 * `Selected.` prefixes, which remoting and Select-Object add, do not matter).
 */
const TYPE_KINDS: Record<string, ExportKind> = {
  tenantinboundconnector: "inbound-connector",
  tenantoutboundconnector: "outbound-connector",
  accepteddomain: "accepted-domain",
  smtpsendconnectorconfig: "send-connector",
  receiveconnector: "receive-connector",
  exchangecertificate: "exchange-certificate",
  hybridconfiguration: "hybrid-configuration",
  transportservice: "transport-service",
  transportserver: "transport-service",
};

export function kindOfTypeNames(typeNames: readonly string[]): ExportKind | undefined {
  for (const t of typeNames) {
    const kind = TYPE_KINDS[t.slice(t.lastIndexOf(".") + 1).toLowerCase()];
    if (kind) return kind;
  }
  return undefined;
}

const hasAny = (o: ExportObject, fields: readonly string[]): boolean => {
  const keys = new Set(Object.keys(o).map((k) => k.toLowerCase()));
  return fields.some((f) => keys.has(f.toLowerCase()));
};

/** The cmdlet an object came from, by the fields only that cmdlet emits. */
export function kindOfObject(o: ExportObject): ExportKind | undefined {
  if (hasAny(o, ["TlsSenderCertificateName", "SenderDomains", "RestrictDomainsToCertificate", "SenderIPAddresses"])) return "inbound-connector";
  if (hasAny(o, ["RecipientDomains", "RouteAllMessagesViaOnPremises", "UseMXRecord"])) return "outbound-connector";
  if (hasAny(o, ["DomainName"]) && hasAny(o, ["DomainType", "InitialDomain"])) return "accepted-domain";
  if (hasAny(o, ["AddressSpaces"])) return "send-connector";
  if (hasAny(o, ["Bindings", "RemoteIPRanges", "PermissionGroups"])) return "receive-connector";
  if ((hasAny(o, ["Thumbprint"]) && hasAny(o, ["CertificateDomains", "Services", "IsSelfSigned"])) || hasAny(o, ["RawData"])) return "exchange-certificate";
  if (hasAny(o, ["SendingTransportServers", "ReceivingTransportServers", "OnPremisesSmartHost", "Features"]) && hasAny(o, ["TlsCertificateName"])) return "hybrid-configuration";
  if (hasAny(o, ["MessageTrackingLogPath", "ReceiveProtocolLogPath"])) return "transport-service";
  return undefined;
}
