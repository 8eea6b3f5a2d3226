/**
 * On-premises Exchange exports: `Get-SendConnector`, `Get-ReceiveConnector`, `Get-ExchangeCertificate`
 * and `Get-HybridConfiguration` piped to ConvertTo-Json. The organisation is the server the export
 * names (`PSComputerName` of a remote session, the connector's source server) or the folder's name.
 */
import { normalizeThumbprint, thumbprintRef } from "../../model/certificate-ref";
import { commonNameOf } from "../../model/normalize";
import type { Certificate, CertificateTrust } from "../../model/types";
import { parseCertificateIdentifier } from "../../model/fields";
import type { Fact, ReceiveConnectorFields, SendConnectorFields } from "../../model/facts";
import { assign, fieldKey, missingName, nameOf, type ExportScope } from "./exchange-online";
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
  const authLevel = read.text("TlsAuthLevel");
  if (authLevel !== undefined) fields.tlsAuthLevel = authLevel || null;
  const tlsDomain = read.text("TlsDomain");
  if (tlsDomain !== undefined) fields.tlsDomain = tlsDomain || null;
  assign(fields, "cloudServicesMailEnabled", read.bool("CloudServicesMailEnabled"));
  assign(fields, "sourceTransportServers", read.texts("SourceTransportServers"));
  assign(fields, "enabled", read.bool("Enabled"));
  const org = orgOf(read, scope);
  return [
    ...read.unverifiable(`send connector '${name}'`),
    { kind: "send-connector", op: "new", identity: name, fields, unknown, provenance: exportProvenance(origin), ...(org ? { org } : {}) },
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
    { kind: "receive-connector", op: "new", identity: name, fields, unknown: [], provenance: exportProvenance(origin), ...(org ? { org } : {}) },
  ];
}

/** `RootCAType` as Get-ExchangeCertificate reports it: ThirdParty is a public CA, Enterprise/GroupPolicy a private one. */
function trustOf(read: FieldReader): CertificateTrust {
  if (read.bool("IsSelfSigned") === true) return "self-signed";
  const root = (read.text("RootCAType") ?? "").toLowerCase();
  if (root === "thirdparty") return "public";
  if (root === "enterprise" || root === "grouppolicy") return "private-ca";
  return "unknown";
}

/** `Services` as exported: `"IMAP, POP, SMTP"`, a list, or the enum's number (not readable: recorded). */
function servicesOf(read: FieldReader): string[] {
  const v = read.raw("Services");
  if (v === undefined || v === null) return [];
  if (typeof v === "number") {
    read.problems.push({ field: "Services", reason: "exported as a number: export with `Select-Object *, @{n='Services';e={$_.Services.ToString()}}`" });
    return [];
  }
  return (read.texts("Services") ?? []).flatMap((s) => s.split(/[,\s]+/)).filter(Boolean).map((s) => s.toUpperCase());
}

const CERTIFICATE_EXPECTED = ["Thumbprint", "Subject", "Issuer", "CertificateDomains", "Services"];

export function exchangeCertificateFacts(object: ExportObject, origin: ExportOrigin, scope: ExportScope): Fact[] {
  const read = new FieldReader(object, origin);
  read.requireAll(CERTIFICATE_EXPECTED);
  const exported = read.text("Thumbprint");
  const thumbprint = exported ? normalizeThumbprint(exported) : undefined;
  const subject = read.text("Subject") ?? undefined;
  const issuer = read.text("Issuer") ?? undefined;
  const cn = subject ? commonNameOf(subject) : undefined;
  const org = orgOf(read, scope);
  const server = read.text("PSComputerName") ?? read.text("ServerName") ?? undefined;
  const services = servicesOf(read);
  const notAfter = notAfterOf(read.raw("NotAfter"));
  const label = read.text("FriendlyName") || cn || thumbprint || origin.place;
  const certificate: Certificate = {
    id: thumbprint ? thumbprintRef(thumbprint) : exportUrn(origin),
    label,
    ...(cn ? { subjectCN: cn.toLowerCase() } : {}),
    ...(subject ? { subjectDN: subject } : {}),
    sanDns: (read.texts("CertificateDomains") ?? []).map((d) => d.toLowerCase()),
    ...(issuer ? { issuerDN: issuer } : {}),
    trust: trustOf(read),
    ...(thumbprint ? { thumbprint } : {}),
    ...(notAfter ? { notAfter } : {}),
    servers: server ? [server.toLowerCase()] : [],
    services,
    ...(org ? { org } : {}),
    unknown: read.problems.map((p) => p.field),
    provenance: [exportProvenance(origin)],
  } as Certificate;
  return [...read.unverifiable(`certificate '${label}'`), { kind: "certificate", certificate }];
}

/** ConvertTo-Json writes dates as `/Date(1767225600000)/` (Windows PowerShell) or ISO text (PowerShell 7). */
function notAfterOf(v: unknown): string | undefined {
  if (typeof v !== "string") return undefined;
  const ms = /^\/Date\((-?\d+)\)\/$/.exec(v.trim());
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
    { kind: "hybrid-configuration", provenance: exportProvenance(origin), ...(org ? { org } : {}), ...(certificate ? { tlsCertificateName: certificate } : {}) },
  ];
}
