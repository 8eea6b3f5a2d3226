/**
 * Exchange enumerations as exports carry them. One value comes in every form the tools write:
 * - its name (`OnPremises`; a flags value as `IMAP, POP, SMTP`), from PowerShell 7's
 *   `ConvertTo-Json -EnumsAsStrings`, a `.ToString()` in `Select-Object`, Microsoft365DSC and ScubaGear;
 * - its number (`27`), from `ConvertTo-Json` in Windows PowerShell 5.1 (and PowerShell 7 without
 *   `-EnumsAsStrings`), or as text (`"27"`);
 * - a list of names;
 * - a deserialised object: `Export-Clixml` writes an enum as `<Obj>` with its `<ToString>` name and
 *   its `<I32>` number (read by clixml.ts as `{ ToString, value }`), and ConvertTo-Json of a
 *   deserialised value in 5.1 writes `{ "value": 27, … }`.
 * A number is read only where Microsoft gives the enumeration's numbers; otherwise it is named as not
 * verified with what to export instead. A name or bit no table knows is named too, never dropped.
 */
import { CONNECTOR_SOURCES, CONNECTOR_TYPE_VALUES, TLS_LEVELS } from "../../model/fields";

export interface ExchangeEnum {
  /** The .NET type's name, as messages name it. */
  type: string;
  /** Member names as Microsoft documents them (case-insensitive on read); absent: any name is kept as written. */
  members?: readonly string[];
  /** Flag values, where Microsoft gives them: a number is decoded bit by bit. */
  flags?: Readonly<Record<string, number>>;
  /** Where the values come from. */
  source: string;
}

/**
 * Get-ExchangeCertificate `Services`. Member names: AllowedServices enumeration,
 * https://learn.microsoft.com/previous-versions/office/exchange-server-api/ff319670(v=exchg.150); the
 * flag values IMAP 1, POP 2, UM 4, IIS 8, SMTP 16, Federation 32, UMCallRouter 64 as Exchange stores
 * them (Microsoft's Health Checker test data, microsoft/CSS-Exchange
 * Diagnostics/HealthChecker/Tests/DataCollection/E19/Exchange/GetExchangeCertificate.xml: the
 * Exchange auth certificate holds 16 = SMTP, a server's self-signed one 27 = IMAP, POP, IIS, SMTP).
 */
export const ALLOWED_SERVICES: ExchangeEnum = {
  type: "AllowedServices",
  members: ["None", "IMAP", "POP", "UM", "IIS", "SMTP", "Federation", "UMCallRouter"],
  flags: { IMAP: 1, POP: 2, UM: 4, IIS: 8, SMTP: 16, Federation: 32, UMCallRouter: 64 },
  source: "https://learn.microsoft.com/previous-versions/office/exchange-server-api/ff319670(v=exchg.150)",
};

/** `ConnectorType` of Get-InboundConnector / Get-OutboundConnector: TenantConnectorType (names only documented). */
export const TENANT_CONNECTOR_TYPE: ExchangeEnum = {
  type: "TenantConnectorType",
  members: CONNECTOR_TYPE_VALUES,
  source: "https://learn.microsoft.com/previous-versions/office/exchange-server-api/jj957434(v=exchg.150)",
};

/** `ConnectorSource` of Get-InboundConnector: TenantConnectorSource (names only documented), as the connector schema spells them. */
export const TENANT_CONNECTOR_SOURCE: ExchangeEnum = {
  type: "TenantConnectorSource",
  members: CONNECTOR_SOURCES,
  source: "https://learn.microsoft.com/previous-versions/office/exchange-server-api/jj940056(v=exchg.150)",
};

/** `TlsAuthLevel` of Get-SendConnector (New-SendConnector -TlsAuthLevel: EncryptionOnly, CertificateValidation, DomainValidation). */
export const TLS_AUTH_LEVEL: ExchangeEnum = {
  type: "TlsAuthLevel",
  members: TLS_LEVELS,
  source: "https://learn.microsoft.com/powershell/module/exchangepowershell/new-sendconnector#-tlsauthlevel",
};

/** `TlsSettings` of Get-OutboundConnector (New-OutboundConnector -TlsSettings): the same enumeration. */
export const TLS_SETTINGS: ExchangeEnum = {
  ...TLS_AUTH_LEVEL,
  source: "https://learn.microsoft.com/powershell/module/exchangepowershell/new-outboundconnector#-tlssettings",
};

/**
 * `RootCAType` of Get-ExchangeCertificate (CertificateAuthorityType): Microsoft documents neither its
 * members nor their numbers; its names are kept as written (ThirdParty is a public CA, Enterprise and
 * GroupPolicy a private one, see on-premises.ts) and a number is named as not verified.
 */
export const CERTIFICATE_AUTHORITY_TYPE: ExchangeEnum = {
  type: "CertificateAuthorityType",
  source: "https://learn.microsoft.com/powershell/module/exchangepowershell/get-exchangecertificate",
};

export type EnumRead = { names: string[] } | { problem: string };

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Up to 40 characters of a value for a message (never the raw bytes of a file: the value came out of a parser). */
const shown = (v: unknown): string => {
  const text = typeof v === "string" ? JSON.stringify(v) : String(v);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
};

function fromNumber(n: number, e: ExchangeEnum): EnumRead {
  if (!Number.isSafeInteger(n) || n < 0) return { problem: `${shown(n)} is not a value of ${e.type}` };
  if (!e.flags) {
    return { problem: `exported as the number ${n}, and Microsoft does not document the numbers of ${e.type}: export it as text (\`$_.<field>.ToString()\`, or PowerShell 7's ConvertTo-Json -EnumsAsStrings)` };
  }
  const names = Object.entries(e.flags).filter(([, bit]) => (n & bit) !== 0).map(([name]) => name);
  const known = Object.values(e.flags).reduce((all, bit) => all | bit, 0);
  const unknown = n & ~known;
  if (unknown !== 0) return { problem: `${n} has bits Microsoft does not document for ${e.type} (${unknown}): read as ${names.join(", ") || "none"} and unknown` };
  return { names };
}

function fromName(text: string, e: ExchangeEnum): EnumRead {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return fromNumber(Number(trimmed), e);
  const parts = trimmed.split(/[,;\s]+/).filter(Boolean);
  const names: string[] = [];
  for (const part of parts) {
    if (!e.members) {
      names.push(part);
      continue;
    }
    const member = e.members.find((m) => m.toLowerCase() === part.toLowerCase());
    if (!member) return { problem: `${shown(part)} is not a value of ${e.type} (${e.members.join(", ")})` };
    if (member !== "None") names.push(member);
  }
  return { names };
}

/** Reads one enumeration value in any of its exported forms; `undefined` when absent or null. */
export function readEnum(raw: unknown, e: ExchangeEnum, depth = 0): EnumRead | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === "number") return fromNumber(raw, e);
  if (typeof raw === "string") return fromName(raw, e);
  if (Array.isArray(raw) && depth === 0) {
    const names: string[] = [];
    for (const item of raw) {
      const read = readEnum(item, e, 1);
      if (read && "problem" in read) return read;
      if (read) names.push(...read.names);
    }
    return { names: [...new Set(names)] };
  }
  if (isRecord(raw) && depth < 2) {
    // A deserialised enum: its name (ToString) where it reads, else its number.
    const text = [raw["ToString"], raw["Value"], raw["value"]].find((v): v is string => typeof v === "string");
    const number = [raw["value"], raw["Value"]].find((v): v is number => typeof v === "number");
    const byName = text !== undefined ? fromName(text, e) : undefined;
    if (byName && "names" in byName) return byName;
    if (number !== undefined) return fromNumber(number, e);
    if (byName) return byName;
  }
  return { problem: `${Array.isArray(raw) ? "a list" : isRecord(raw) ? "an object" : shown(raw)} is not a value of ${e.type}` };
}
