/**
 * `npx tsx scripts/windows-fixtures.ts`: writes test/audit/fixtures/windows/{ps51,clixml}/ from the
 * PowerShell 7 exports in test/audit/fixtures/windows/utf8/ — the same objects as Windows PowerShell 5.1
 * (the Exchange Management Shell) writes them:
 * - `… | ConvertTo-Json -Depth 4 > file.json`: UTF-16LE with a BOM, CRLF; 5.1's layout (four spaces, two
 *   after the colon, a nested list or object indented from the column its bracket opens at, an empty
 *   list across two lines); `<`, `>`, `&` and `'` escaped as \u003c…; dates as `\/Date(ms)\/`; one object
 *   written bare, not in a list; enums of the Exchange Management Shell as numbers (Exchange Online's
 *   cmdlets return names);
 * - `… | Export-Clixml file.xml`: UTF-16LE with a BOM, CRLF, two-space indentation; type names, lists
 *   as `<LST>`, enums as `<Obj>` with `<ToString>` and `<I32>`, `<Nil>`, `<DT>`, strings with `_xHHHH_`
 *   escapes; certificates as Select-Object writes them (members in `<MS>`).
 * test/audit/windows-formats.test.ts checks the committed files equal what this writes, and that all
 * three folders give the same findings.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

export const WINDOWS_FIXTURES = resolve(__dirname, "..", "test", "audit", "fixtures", "windows");

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface EnumField {
  type: string;
  /** Numbers of the members. Only AllowedServices' are documented (src/extractors/exports/enums.ts); the others are illustrative: the audit reads any number of them as not verified. */
  values: Record<string, number>;
  flags?: boolean;
}

const ENUMS: Record<string, EnumField> = {
  Services: { type: "Microsoft.Exchange.Management.SystemConfigurationTasks.AllowedServices", values: { None: 0, IMAP: 1, POP: 2, UM: 4, IIS: 8, SMTP: 16, Federation: 32, UMCallRouter: 64 }, flags: true },
  RootCAType: { type: "Microsoft.Exchange.Management.SystemConfigurationTasks.CertificateAuthorityType", values: { None: 0, ThirdParty: 1, Enterprise: 2, Registry: 3, GroupPolicy: 4, Unknown: 5 } },
  TlsAuthLevel: { type: "Microsoft.Exchange.Data.TlsAuthLevel", values: { EncryptionOnly: 1, CertificateValidation: 2, DomainValidation: 4 } },
  PermissionGroups: { type: "Microsoft.Exchange.Data.PermissionGroups", values: { None: 0, AnonymousUsers: 1, ExchangeUsers: 2, ExchangeServers: 4, ExchangeLegacyServers: 8, Partners: 16, Custom: 32 }, flags: true },
  Features: { type: "HybridFeature", values: { FreeBusy: 0, MoveMailbox: 1, Mailtips: 2, MessageTracking: 3, OwaRedirection: 4, OnlineArchive: 5, SecureMail: 6, Photos: 8 } },
  ConnectorType: { type: "Microsoft.Exchange.Data.TenantConnectorType", values: { Partner: 1, OnPremises: 2 } },
  ConnectorSource: { type: "Microsoft.Exchange.Data.TenantConnectorSource", values: { Default: 0, HybridWizard: 1, Migrated: 2 } },
  TlsSettings: { type: "Microsoft.Exchange.Data.TlsAuthLevel", values: { EncryptionOnly: 1, CertificateValidation: 2, DomainValidation: 4 } },
  DomainType: { type: "Microsoft.Exchange.Data.Directory.SystemConfiguration.AcceptedDomainType", values: { Authoritative: 0, ExternalRelay: 1, InternalRelay: 2 } },
};

const DATES = new Set(["NotAfter", "NotBefore", "WhenChanged"]);

/** Each cmdlet's type, and whether its objects come from Exchange Online (names, not numbers, in 5.1's JSON) or the Exchange Management Shell. */
const CMDLETS: Record<string, { types: string[]; online: boolean; selected?: boolean }> = {
  "Get-AcceptedDomain": { types: ["Deserialized.Microsoft.Exchange.Data.Directory.SystemConfiguration.AcceptedDomain"], online: true },
  "Get-InboundConnector": { types: ["Deserialized.Microsoft.Exchange.Data.Directory.SystemConfiguration.TenantInboundConnector"], online: true },
  "Get-OutboundConnector": { types: ["Deserialized.Microsoft.Exchange.Data.Directory.SystemConfiguration.TenantOutboundConnector"], online: true },
  "Get-SendConnector": { types: ["Microsoft.Exchange.Data.Directory.SystemConfiguration.SmtpSendConnectorConfig", "Microsoft.Exchange.Data.Directory.SystemConfiguration.SendConnector"], online: false },
  "Get-ReceiveConnector": { types: ["Microsoft.Exchange.Data.Directory.SystemConfiguration.ReceiveConnector"], online: false },
  "Get-ExchangeCertificate": { types: ["Selected.Microsoft.Exchange.Management.SystemConfigurationTasks.ExchangeCertificate", "System.Management.Automation.PSCustomObject"], online: false, selected: true },
  "Get-HybridConfiguration": { types: ["Microsoft.Exchange.Data.Directory.SystemConfiguration.HybridConfiguration"], online: false },
  "Get-TransportService": { types: ["Microsoft.Exchange.Data.Directory.SystemConfiguration.TransportServer"], online: false },
};

const cmdletOf = (file: string): string | undefined => Object.keys(CMDLETS).find((c) => file.endsWith(`${c}.json`));

const utf16 = (text: string): Buffer => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.replace(/\r?\n/g, "\r\n"), "utf16le")]);

function enumNumber(e: EnumField, name: string): number {
  return name.split(/,\s*/).reduce((n, part) => (e.flags ? n | (e.values[part] ?? 0) : (e.values[part] ?? n)), 0);
}

/** The value as 5.1's ConvertTo-Json has it before formatting: dates as \/Date\/, the Management Shell's enums as numbers. */
function as51(key: string, v: Json, online: boolean): Json {
  if (typeof v === "string" && DATES.has(key)) return `\\/Date(${Date.parse(v)})\\/`;
  const e = ENUMS[key];
  if (e && !online && typeof v === "string") return enumNumber(e, v);
  if (e && !online && Array.isArray(v) && !e.flags) return v.map((item) => (typeof item === "string" ? enumNumber(e, item) : item));
  return v;
}

/** A string as JavaScriptSerializer writes it (5.1's ConvertTo-Json). `\/` stays as written (dates). */
const jsonString = (s: string): string =>
  `"${s.replace(/\\(?!\/)/g, "\\\\").replace(/"/g, '\\"').replace(/[\u0000-\u001f<>&']/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)}"`;

/** 5.1's layout: a container's members indented four from the column its bracket opens at. */
function layout51(v: Json, column: number): string {
  const pad = (n: number) => " ".repeat(n);
  if (Array.isArray(v)) {
    if (v.length === 0) return `[\n\n${pad(column)}]`;
    return `[\n${v.map((item) => `${pad(column + 4)}${layout51(item, column + 4)}`).join(",\n")}\n${pad(column)}]`;
  }
  if (v !== null && typeof v === "object") {
    const entries = Object.entries(v);
    if (entries.length === 0) return `{\n\n${pad(column)}}`;
    return `{\n${entries.map(([k, item]) => `${pad(column + 4)}"${k}":  ${layout51(item, column + 4 + k.length + 5)}`).join(",\n")}\n${pad(column)}}`;
  }
  return typeof v === "string" ? jsonString(v) : JSON.stringify(v);
}

export function convertToJson51(value: Json, cmdlet: string | undefined): string {
  const online = cmdlet ? CMDLETS[cmdlet]!.online : true;
  const convert = (o: Json): Json => (o !== null && typeof o === "object" && !Array.isArray(o) ? Object.fromEntries(Object.entries(o).map(([k, v]) => [k, as51(k, v, online)])) : o);
  // The pipeline writes one object bare, several as a list.
  const objects = Array.isArray(value) && cmdlet ? value.map(convert) : convert(value);
  return layout51(Array.isArray(objects) && objects.length === 1 ? objects[0]! : objects, 0);
}

/** XML text with PowerShell's `_xHHHH_` escapes for control characters (and for a literal `_x`). */
const xmlText = (s: string): string =>
  s
    .replace(/_x/g, "_x005F_x")
    .replace(/[\u0000-\u001f]/g, (c) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}_`)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");

class CliXmlWriter {
  private refId = 0;
  private readonly typeRefs = new Map<string, number>();

  private typeNames(names: string[], indent: string): string[] {
    const key = names.join("|");
    const known = this.typeRefs.get(key);
    if (known !== undefined) return [`${indent}<TNRef RefId="${known}" />`];
    const id = this.typeRefs.size;
    this.typeRefs.set(key, id);
    return [`${indent}<TN RefId="${id}">`, ...names.map((t) => `${indent}  <T>${xmlText(t)}</T>`), `${indent}</TN>`];
  }

  member(key: string | undefined, v: Json, indent: string): string[] {
    const n = key === undefined ? "" : ` N="${xmlText(key)}"`;
    const e = key !== undefined ? ENUMS[key] : undefined;
    if (e && typeof v === "string") return this.enumObject(n, e, v, indent);
    if (v === null) return [`${indent}<Nil${n} />`];
    if (typeof v === "boolean") return [`${indent}<B${n}>${v}</B>`];
    if (typeof v === "number") return [`${indent}<I32${n}>${v}</I32>`];
    if (typeof v === "string") {
      if (key !== undefined && DATES.has(key)) return [`${indent}<DT${n}>${xmlText(v)}</DT>`];
      if (key === "TlsCertificateName") return this.certificateIdentifier(n, v, indent);
      if (key === "Fqdn" || key === "OnPremisesSmartHost") return this.object(n, ["Microsoft.Exchange.Data.Fqdn", "Microsoft.Exchange.Data.SmtpDomain", "System.Object"], v, { Domain: v }, indent);
      return [`${indent}<S${n}>${xmlText(v)}</S>`];
    }
    if (Array.isArray(v)) {
      const itemType = e ? e.type : "System.String";
      return [
        `${indent}<Obj${n} RefId="${this.refId++}">`,
        ...this.typeNames([`Microsoft.Exchange.Data.MultiValuedProperty\`1[[${itemType}]]`, "Microsoft.Exchange.Data.MultiValuedPropertyBase", "System.Object"], `${indent}  `),
        v.length === 0 ? `${indent}  <LST />` : `${indent}  <LST>`,
        ...(v.length === 0 ? [] : [...v.flatMap((item) => (e && typeof item === "string" ? this.enumObject("", e, item, `${indent}    `) : this.member(undefined, item, `${indent}    `))), `${indent}  </LST>`]),
        `${indent}</Obj>`,
      ];
    }
    return this.object(n, ["System.Management.Automation.PSCustomObject", "System.Object"], undefined, v, indent);
  }

  private enumObject(n: string, e: EnumField, name: string, indent: string): string[] {
    return [
      `${indent}<Obj${n} RefId="${this.refId++}">`,
      ...this.typeNames([e.type, "System.Enum", "System.ValueType", "System.Object"], `${indent}  `),
      `${indent}  <ToString>${xmlText(name)}</ToString>`,
      `${indent}  <I32>${enumNumber(e, name)}</I32>`,
      `${indent}</Obj>`,
    ];
  }

  private certificateIdentifier(n: string, text: string, indent: string): string[] {
    const m = /^<I>(.*)<S>(.*)$/.exec(text);
    if (!m) return [`${indent}<S${n}>${xmlText(text)}</S>`];
    const cn = /CN=([^,]+)/.exec(m[2]!)?.[1] ?? "";
    return this.object(n, ["Microsoft.Exchange.Data.SmtpX509Identifier", "System.Object"], text, { CertificateSubject: m[2]!, CertificateIssuer: m[1]!, SubjectCommonName: cn }, indent);
  }

  object(n: string, types: string[], toString: string | undefined, props: { [key: string]: Json }, indent: string, ms: { [key: string]: Json } = {}): string[] {
    const section = (tag: string, members: { [key: string]: Json }) =>
      Object.keys(members).length ? [`${indent}  <${tag}>`, ...Object.entries(members).flatMap(([k, v]) => this.member(k, v, `${indent}    `)), `${indent}  </${tag}>`] : [];
    return [
      `${indent}<Obj${n} RefId="${this.refId++}">`,
      ...this.typeNames(types, `${indent}  `),
      ...(toString !== undefined ? [`${indent}  <ToString>${xmlText(toString)}</ToString>`] : []),
      ...section("Props", props),
      ...section("MS", ms),
      `${indent}</Obj>`,
    ];
  }
}

export function exportClixml(value: Json, cmdlet: string): string {
  const spec = CMDLETS[cmdlet]!;
  const writer = new CliXmlWriter();
  const objects = (Array.isArray(value) ? value : [value]) as Array<{ [key: string]: Json }>;
  const lines = objects.flatMap((o) => {
    const { PSComputerName, ...rest } = o;
    const ms: { [key: string]: Json } = PSComputerName !== undefined ? { PSComputerName } : {};
    const name = typeof o["Name"] === "string" ? o["Name"] : typeof o["Subject"] === "string" ? o["Subject"] : undefined;
    // Select-Object makes a PSCustomObject: its properties are note properties, serialised in <MS>.
    if (spec.selected) return writer.object("", [...spec.types, "System.Object"], undefined, {}, "  ", { ...rest, ...ms });
    return writer.object("", [...spec.types, "Microsoft.Exchange.Data.Directory.ADObject", "System.Object"], name, rest, "  ", ms);
  });
  return ['<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">', ...lines, "</Objs>"].join("\n");
}

/** Every file of the UTF-8 folder, relative to it. */
function filesOf(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => (statSync(join(dir, e)).isDirectory() ? filesOf(join(dir, e)).map((f) => join(e, f)) : [e])).sort();
}

/** The files to write: path (relative to the windows fixtures) → bytes. */
export function windowsFixtures(): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const source = join(WINDOWS_FIXTURES, "utf8");
  for (const file of filesOf(source).filter((f) => f.endsWith(".json"))) {
    const value = JSON.parse(readFileSync(join(source, file), "utf8")) as Json;
    const cmdlet = cmdletOf(file);
    out.set(join("ps51", file), utf16(convertToJson51(value, cmdlet)));
    out.set(join("clixml", cmdlet ? file.replace(/\.json$/, ".xml") : file), cmdlet ? utf16(exportClixml(value, cmdlet)) : readFileSync(join(source, file)));
  }
  return out;
}

if (require.main === module) {
  for (const variant of ["ps51", "clixml"]) rmSync(join(WINDOWS_FIXTURES, variant), { recursive: true, force: true });
  for (const [file, bytes] of windowsFixtures()) {
    mkdirSync(dirname(join(WINDOWS_FIXTURES, file)), { recursive: true });
    writeFileSync(join(WINDOWS_FIXTURES, file), bytes);
    console.log(relative(process.cwd(), join(WINDOWS_FIXTURES, file)));
  }
}
