/**
 * On-premises Exchange exports: `Get-SendConnector`, `Get-ReceiveConnector`, `Get-ExchangeCertificate`
 * and `Get-HybridConfiguration` piped to ConvertTo-Json. The organisation is the server the export
 * names (`PSComputerName` of a remote session, the connector's source server) or the folder's name.
 */
import { normalizeThumbprint, thumbprintRef } from "../../model/certificate-ref";
import { commonNameOf } from "../../model/normalize";
import { readPemCertificates } from "../pem";
import type { Certificate, CertificateTrust } from "../../model/types";
import { parseCertificateIdentifier } from "../../model/fields";
import type { Fact, ReceiveConnectorFields, SendConnectorFields } from "../../model/facts";
import { assign, fieldKey, missingName, nameOf, unknownFields, type ExportScope } from "./exchange-online";
import { ALLOWED_SERVICES, CERTIFICATE_AUTHORITY_TYPE, TLS_AUTH_LEVEL } from "./enums";
import { exportProvenance, exportUrn, FieldReader, type ExportObject, type ExportOrigin } from "./fields";

/** The on-premises organisation key of an exported object. */
function orgOf(read: FieldReader, scope: ExportScope): string | undefined {
  if (scope.org) return scope.org;
  for (const field of ["PSComputerName", "Server", "ServerName"]) {
    const v = read.text(field);
    if (v) return v.toLowerCase();
  }
  const sources = read.raw("SourceTransportServers");
  const first = Array.isArray(sources) ? sources[0] : undefined;
  return typeof first === "string" && first.trim() ? first.trim().toLowerCase() : undefined;
}

/** A `<I>issuer<S>subject` field; anything else is recorded as unreadable. */
function certificateIdentifier(read: FieldReader, field: string) {
  const raw = read.text(field);
  if (raw === undefined || raw === null || raw === "") return raw === undefined ? undefined : null;
  const id = parseCertificateIdentifier(raw);
  if (!id) read.problems.push({ field, reason: `not in the "<I>issuer<S>subject" form` });
  return id;
}

const SEND_EXPECTED = ["AddressSpaces", "SmartHosts", "DNSRoutingEnabled", "TlsCertificateName", "Enabled"];

export function sendConnectorFacts(object: ExportObject, origin: ExportOrigin, scope: ExportScope): Fact[] {
  const read = new FieldReader(object, origin);
  const name = nameOf(read);
  if (!name) return [missingName(origin, "send connector")];
  const unknown = read.requireAll(SEND_EXPECTED).map(fieldKey);
  const fields: Partial<SendConnectorFields> = {};
  assign(fields, "addressSpaces", read.texts("AddressSpaces"));
  assign(fields, "smartHosts", read.texts("SmartHosts"));
  assign(fields, "dnsRoutingEnabled", read.bool("DNSRoutingEnabled"));
  const fqdn = read.text("Fqdn");
  if (fqdn !== undefined) fields.fqdn = fqdn || null;
  const certificate = certificateIdentifier(read, "TlsCertificateName");
  if (certificate !== undefined) fields.tlsCertificateName = certificate;
  assign(fields, "requireTls", read.bool("RequireTLS"));
  const authLevel = read.raw("TlsAuthLevel") === null ? null : read.choice("TlsAuthLevel", TLS_AUTH_LEVEL);
  if (authLevel !== undefined) fields.tlsAuthLevel = authLevel;
  const tlsDomain = read.text("TlsDomain");
  if (tlsDomain !== undefined) fields.tlsDomain = tlsDomain || null;
  assign(fields, "cloudServicesMailEnabled", read.bool("CloudServicesMailEnabled"));
  assign(fields, "sourceTransportServers", read.texts("SourceTransportServers"));
  assign(fields, "enabled", read.bool("Enabled"));
  const org = orgOf(read, scope);
  return [
    ...read.unverifiable(`send connector '${name}'`),
    { kind: "send-connector", op: "new", identity: name, fields, unknown: unknownFields(read, unknown), provenance: exportProvenance(read.origin), ...(org ? { org } : {}) },
  ];
}

export function receiveConnectorFacts(object: ExportObject, origin: ExportOrigin, scope: ExportScope): Fact[] {
  const read = new FieldReader(object, origin);
  const name = nameOf(read);
  if (!name) return [missingName(origin, "receive connector")];
  const fields: Partial<ReceiveConnectorFields> = {};
  const fqdn = read.text("Fqdn");
  if (fqdn !== undefined) fields.fqdn = fqdn || null;
  const certificate = certificateIdentifier(read, "TlsCertificateName");
  if (certificate !== undefined) fields.tlsCertificateName = certificate;
  assign(fields, "tlsDomainCapabilities", read.texts("TlsDomainCapabilities"));
  const org = orgOf(read, scope);
  return [
    ...read.unverifiable(`receive connector '${name}'`),
    { kind: "receive-connector", op: "new", identity: name, fields, unknown: unknownFields(read, []), provenance: exportProvenance(read.origin), ...(org ? { org } : {}) },
  ];
}

/** `RootCAType` as Get-ExchangeCertificate reports it: ThirdParty is a public CA, Enterprise/GroupPolicy a private one. */
function trustOf(read: FieldReader): CertificateTrust {
  if (read.bool("IsSelfSigned") === true) return "self-signed";
  const root = (read.choice("RootCAType", CERTIFICATE_AUTHORITY_TYPE) ?? "").toLowerCase();
  if (root === "thirdparty") return "public";
  if (root === "enterprise" || root === "grouppolicy") return "private-ca";
  return "unknown";
}

/** `Services` in any exported form: `"IMAP, POP, SMTP"`, a list, the flags number (27), a deserialised enum. */
function servicesOf(read: FieldReader): string[] {
  return (read.enumNames("Services", ALLOWED_SERVICES) ?? []).map((s) => s.toUpperCase());
}

const CERTIFICATE_EXPECTED = ["Thumbprint", "Subject", "Issuer", "CertificateDomains", "Services"];

/**
 * The certificate itself, when the export carries its bytes: Export-Clixml of Get-ExchangeCertificate in
 * the Exchange Management Shell holds `RawData` (the DER certificate, base64) and none of the other
 * fields (Microsoft's Health Checker data, microsoft/CSS-Exchange
 * Diagnostics/HealthChecker/Tests/DataCollection/E19/Exchange/GetExchangeCertificate.xml).
 */
function rawCertificate(read: FieldReader) {
  const raw = read.raw("RawData");
  if (typeof raw !== "string" || !/^[A-Za-z0-9+/=\s]+$/.test(raw)) return undefined;
  const parsed = readPemCertificates(`-----BEGIN CERTIFICATE-----\n${raw.replace(/\s+/g, "")}\n-----END CERTIFICATE-----`);
  if (parsed.kind === "error") {
    read.problems.push({ field: "RawData", reason: parsed.reason });
    return undefined;
  }
  return parsed.certificates[0];
}

/** The server a certificate is installed on: the `Server` column docs/audit.md adds, else the session's server. */
const serverOf = (read: FieldReader): string | undefined => read.text("Server") || read.text("ServerName") || read.text("PSComputerName") || undefined;

export function exchangeCertificateFacts(object: ExportObject, origin: ExportOrigin, scope: ExportScope): Fact[] {
  const read = new FieldReader(object, origin);
  const bytes = rawCertificate(read);
  read.requireAll(bytes ? ["Services"] : CERTIFICATE_EXPECTED);
  const exported = read.text("Thumbprint");
  const thumbprint = exported ? normalizeThumbprint(exported) : bytes?.thumbprint;
  const subject = read.text("Subject") ?? bytes?.subjectDN;
  const issuer = read.text("Issuer") ?? bytes?.issuerDN;
  const cn = subject ? commonNameOf(subject) : undefined;
  const org = orgOf(read, scope);
  const server = serverOf(read);
  const services = servicesOf(read);
  const notAfter = notAfterOf(read.raw("NotAfter")) ?? bytes?.notAfter;
  const label = read.text("FriendlyName") || cn || thumbprint || origin.place;
  read.named(label);
  const trust = trustOf(read);
  const certificate: Certificate = {
    id: thumbprint ? thumbprintRef(thumbprint) : exportUrn(origin),
    label,
    ...(cn ? { subjectCN: cn.toLowerCase() } : {}),
    ...(subject ? { subjectDN: subject } : {}),
    sanDns: (read.texts("CertificateDomains") ?? bytes?.sanDns ?? []).map((d) => d.toLowerCase()),
    ...(issuer ? { issuerDN: issuer } : {}),
    trust: trust === "unknown" && bytes ? bytes.trust : trust,
    ...(thumbprint ? { thumbprint } : {}),
    ...(notAfter ? { notAfter } : {}),
    servers: server ? [server.toLowerCase()] : [],
    services,
    ...(org ? { org } : {}),
    unknown: read.problems.map((p) => p.field),
    provenance: [exportProvenance(read.origin)],
  } as Certificate;
  return [...read.unverifiable(`certificate '${label}'`), { kind: "certificate", certificate }];
}

/**
 * ConvertTo-Json writes dates as `/Date(1767225600000)/` (Windows PowerShell; `{"value": "/Date(…)/",
 * "DateTime": …}` for a date PowerShell wrapped) or ISO text (PowerShell 7, Export-Clixml's `<DT>`).
 */
function notAfterOf(v: unknown): string | undefined {
  if (v !== null && typeof v === "object" && !Array.isArray(v)) return notAfterOf((v as Record<string, unknown>)["value"]);
  if (typeof v !== "string") return undefined;
  const ms = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/.exec(v.trim());
  const date = ms ? new Date(Number(ms[1])) : new Date(v);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export function hybridConfigurationFacts(object: ExportObject, origin: ExportOrigin, scope: ExportScope): Fact[] {
  const read = new FieldReader(object, origin);
  const certificate = certificateIdentifier(read, "TlsCertificateName");
  if (!read.has("TlsCertificateName")) read.problems.push({ field: "TlsCertificateName", reason: "the Get-HybridConfiguration export has no TlsCertificateName field" });
  const servers = read.texts("SendingTransportServers") ?? [];
  const org = scope.org ?? read.text("PSComputerName")?.toLowerCase() ?? servers[0]?.toLowerCase();
  return [
    ...read.unverifiable("hybrid configuration"),
    { kind: "hybrid-configuration", provenance: exportProvenance(read.origin), ...(org ? { org } : {}), ...(certificate ? { tlsCertificateName: certificate } : {}) },
  ];
}
