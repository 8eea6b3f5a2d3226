/**
 * Reads exported configuration into the facts the other extractors produce. One entry point per
 * file: the format is told from the file's content (and, for a bare ConvertTo-Json list, from the
 * cmdlet named in its file name, else from the fields of each object). Never throws: a file that
 * cannot be read is one problem naming the file and the place.
 */
import { checkInventoryConfig } from "../../config/validate";
import type { InventoryConfig } from "../../config/schema";
import type { ResourceInput } from "../types";
import type { Fact } from "../../model/facts";
import { acceptedDomainFacts, inboundConnectorFacts, outboundConnectorFacts, type ExportScope } from "./exchange-online";
import { isExportObject, type ExportObject, type ExportOrigin } from "./fields";
import { m365dscFacts } from "./m365dsc";
import { exchangeCertificateFacts, hybridConfigurationFacts, receiveConnectorFacts, sendConnectorFacts } from "./on-premises";
import { scubaGearFacts, isScubaGearExport } from "./scubagear";
import { isStackExport, stackExportResources } from "./stack-export";

export type { ExportScope } from "./exchange-online";

/** A file the audit could not read (or read only in part): the file, the place, what is wrong. */
export interface ExportProblem {
  file: string;
  place: string;
  problem: string;
}

export interface ExportRead {
  facts: Fact[];
  /** Resources of `pulumi stack export` files, for the pack's own extractors. */
  resources: ResourceInput[];
  /** Policy configuration (`mailflow-inventory`) found among the inputs: gateways, tenants… */
  config?: InventoryConfig;
  problems: ExportProblem[];
}

export type ExportKind = "inbound-connector" | "outbound-connector" | "accepted-domain" | "send-connector" | "receive-connector" | "exchange-certificate" | "hybrid-configuration" | "transport-service";

type ObjectReader = (o: ExportObject, origin: ExportOrigin, scope: ExportScope) => Fact[];

const OBJECT_READERS: Record<ExportKind, { source: string; read: ObjectReader }> = {
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

/** The cmdlet a file name points at (`Get-InboundConnector.json`, `inboundconnectors.json`). */
function kindOfFileName(fileName: string): ExportKind | undefined {
  const n = fileName.toLowerCase().replace(/[^a-z]/g, "");
  const hints: Array<[string, ExportKind]> = [
    ["inboundconnector", "inbound-connector"],
    ["outboundconnector", "outbound-connector"],
    ["accepteddomain", "accepted-domain"],
    ["sendconnector", "send-connector"],
    ["receiveconnector", "receive-connector"],
    ["exchangecertificate", "exchange-certificate"],
    ["hybridconfiguration", "hybrid-configuration"],
    ["transportservice", "transport-service"],
  ];
  return hints.find(([hint]) => n.includes(hint))?.[1];
}

const hasAny = (o: ExportObject, fields: readonly string[]): boolean => {
  const keys = new Set(Object.keys(o).map((k) => k.toLowerCase()));
  return fields.some((f) => keys.has(f.toLowerCase()));
};

/** The cmdlet an object came from, by the fields only that cmdlet emits. */
function kindOfObject(o: ExportObject): ExportKind | undefined {
  if (hasAny(o, ["TlsSenderCertificateName", "SenderDomains", "RestrictDomainsToCertificate", "SenderIPAddresses"])) return "inbound-connector";
  if (hasAny(o, ["RecipientDomains", "RouteAllMessagesViaOnPremises", "UseMXRecord"])) return "outbound-connector";
  if (hasAny(o, ["DomainName"]) && hasAny(o, ["DomainType", "InitialDomain"])) return "accepted-domain";
  if (hasAny(o, ["AddressSpaces"])) return "send-connector";
  if (hasAny(o, ["Bindings", "RemoteIPRanges", "PermissionGroups"])) return "receive-connector";
  if (hasAny(o, ["Thumbprint"]) && hasAny(o, ["CertificateDomains", "Services", "IsSelfSigned"])) return "exchange-certificate";
  if (hasAny(o, ["SendingTransportServers", "ReceivingTransportServers", "OnPremisesSmartHost", "Features"]) && hasAny(o, ["TlsCertificateName"])) return "hybrid-configuration";
  if (hasAny(o, ["MessageTrackingLogPath", "ReceiveProtocolLogPath"])) return "transport-service";
  return undefined;
}

const CONFIG_KEYS = ["gateways", "tenants", "organizations", "certificates", "inboundConnectors", "sharedEgressIps", "defaultTenant", "defaultOrganization"];

/** A policy configuration file: `{"mailflow-inventory": {…}}` as in --policy-pack-config, or its content. */
function configOf(v: unknown): unknown {
  if (!isExportObject(v)) return undefined;
  if (isExportObject(v["mailflow-inventory"])) return v["mailflow-inventory"];
  return Object.keys(v).length > 0 && Object.keys(v).every((k) => CONFIG_KEYS.includes(k) || k === "exemptions" || k === "reportUnverifiable" || k === "unverifiable" || k === "checkEachResource") ? v : undefined;
}

/** `Unexpected token } in JSON at position 120` → `line 4, column 7`. */
function jsonErrorPlace(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lineCol = /line (\d+) column (\d+)/.exec(message);
  if (lineCol) return `line ${lineCol[1]}, column ${lineCol[2]}`;
  const position = /position (\d+)/.exec(message);
  if (!position) return "the whole file";
  const before = text.slice(0, Number(position[1]));
  const line = before.split("\n").length;
  return `line ${line}, column ${before.length - before.lastIndexOf("\n")}`;
}

/** Reads the objects of a ConvertTo-Json export: a list, or one object (one result). */
function objectFacts(file: string, value: unknown, scope: ExportScope, problems: ExportProblem[], placePrefix = ""): Fact[] {
  const objects = Array.isArray(value) ? value : [value];
  const byName = kindOfFileName(file);
  const facts: Fact[] = [];
  objects.forEach((o, i) => {
    const place = `${placePrefix}[${i}]`;
    if (!isExportObject(o)) {
      problems.push({ file, place, problem: "not an object: expected the output of `<cmdlet> | ConvertTo-Json`" });
      return;
    }
    const kind = kindOfObject(o) ?? byName;
    if (!kind) {
      problems.push({ file, place, problem: "not a recognised export (no field of Get-InboundConnector, Get-OutboundConnector, Get-AcceptedDomain, Get-SendConnector, Get-ReceiveConnector, Get-ExchangeCertificate or Get-HybridConfiguration)" });
      return;
    }
    const reader = OBJECT_READERS[kind];
    facts.push(...reader.read(o, { file, place, source: reader.source }, scope));
  });
  return facts;
}

/** Reads one input file's text. `scope`: tenant or organisation from the folder the file is in. */
export function readExport(file: string, text: string, scope: ExportScope = {}): ExportRead {
  const problems: ExportProblem[] = [];
  try {
    if (/\.ps1$/i.test(file)) return { facts: m365dscFacts(file, text, scope, problems), resources: [], problems };
    let value: unknown;
    try {
      value = JSON.parse(text.replace(/^\uFEFF/, ""));
    } catch (e) {
      return { facts: [], resources: [], problems: [{ file, place: jsonErrorPlace(text, e), problem: `not valid JSON (${e instanceof Error ? e.message.split("\n")[0] : String(e)})` }] };
    }
    if (isStackExport(value)) return { facts: [], resources: stackExportResources(value), problems };
    if (isScubaGearExport(value)) return { facts: scubaGearFacts(file, value, scope, problems), resources: [], problems };
    const rawConfig = configOf(value);
    if (rawConfig !== undefined) {
      const checked = checkInventoryConfig(rawConfig);
      for (const p of checked.problems) problems.push({ file, place: p.path, problem: p.problem });
      return { facts: [], resources: [], config: checked.config, problems };
    }
    return { facts: objectFacts(file, value, scope, problems), resources: [], problems };
  } catch (e) {
    return { facts: [], resources: [], problems: [...problems, { file, place: "the whole file", problem: `could not be read: ${e instanceof Error ? e.message : String(e)}` }] };
  }
}
