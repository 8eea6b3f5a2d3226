/**
 * Reading one exported object (`Get-InboundConnector | ConvertTo-Json`, a ScubaGear or M365DSC entry):
 * field names are matched case-insensitively as PowerShell does, unknown fields are ignored, and a
 * field the export lacks or holds in a form the pack cannot read is recorded, so it becomes an
 * `unverifiable` fact naming the file and the field instead of a silent default.
 */
import type { Fact } from "../../model/facts";
import type { Provenance } from "../../model/types";
import { readEnum, type ExchangeEnum } from "./enums";

/** Where an exported object came from: the file, and its place in the file. */
export interface ExportOrigin {
  file: string;
  /** e.g. `[3]`, `inbound_connectors[0]`, `line 12`. */
  place: string;
  /** The cmdlet (or format) whose output this is, e.g. `Get-InboundConnector`. */
  source: string;
  /** 1-based line of the object in the file. */
  line?: number;
  /** The object's own name (a connector's Name, a certificate's label), once read: reports and exemptions name it. */
  object?: string;
}

export const exportUrn = (o: ExportOrigin): string => `export:${o.file}#${o.place}`;

export function exportProvenance(o: ExportOrigin, property?: string): Provenance {
  return {
    urn: exportUrn(o),
    resourceName: `${o.file} ${o.place}${o.object ? ` '${o.object}'` : ""}`,
    resourceType: `export:${o.source}`,
    ...(property ? { property } : {}),
    ...(o.line ? { line: o.line } : {}),
    location: { file: o.file, ...(o.line ? { line: o.line } : {}) },
  };
}

export type ExportObject = Record<string, unknown>;

export const isExportObject = (v: unknown): v is ExportObject => v !== null && typeof v === "object" && !Array.isArray(v);

/** Reads fields of one exported object; records what is missing or unreadable. */
export class FieldReader {
  private readonly keys = new Map<string, string>();
  readonly problems: Array<{ field: string; reason: string }> = [];

  constructor(readonly object: ExportObject, public origin: ExportOrigin) {
    for (const k of Object.keys(object)) this.keys.set(k.toLowerCase(), k);
  }

  has(field: string): boolean {
    return this.keys.has(field.toLowerCase());
  }

  /** The raw value; `undefined` when the export has no such field. */
  raw(field: string): unknown {
    const key = this.keys.get(field.toLowerCase());
    return key === undefined ? undefined : this.object[key];
  }

  /** Records a field the export lacks (a `Select-Object` that left it out, an older module). */
  requireAll(fields: readonly string[]): string[] {
    const missing = fields.filter((f) => !this.has(f));
    for (const f of missing) this.problems.push({ field: f, reason: `the ${this.origin.source} export has no ${f} field` });
    return missing;
  }

  /** A text, `null` when exported empty, `undefined` when absent or unreadable (recorded). */
  text(field: string): string | null | undefined {
    const v = this.raw(field);
    if (v === undefined) return undefined;
    if (v === null) return null;
    const t = textOf(v);
    if (t === undefined) this.problems.push({ field, reason: "not a text value" });
    return t === undefined ? undefined : t.trim();
  }

  bool(field: string): boolean | undefined {
    const v = this.raw(field);
    if (v === undefined || v === null) return undefined;
    if (typeof v === "boolean") return v;
    if (typeof v === "string" && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === "true";
    this.problems.push({ field, reason: "not true or false" });
    return undefined;
  }

  /** A multi-valued field: a list, one text, or Exchange's `a;b` / `{a, b}` spellings; `null` → empty. */
  texts(field: string): string[] | undefined {
    const v = this.raw(field);
    if (v === undefined) return undefined;
    if (v === null) return [];
    const items = Array.isArray(v) ? v : [v];
    const out: string[] = [];
    for (const item of items) {
      const t = textOf(item);
      if (t === undefined) {
        this.problems.push({ field, reason: "an item is not a text value" });
        return undefined;
      }
      if (t.trim()) out.push(t.trim());
    }
    return out;
  }

  /** An enumeration field in any form an export writes it (enums.ts): its member names; a form it cannot read is recorded. */
  enumNames(field: string, e: ExchangeEnum): string[] | undefined {
    const read = readEnum(this.raw(field), e);
    if (read === undefined) return undefined;
    if ("problem" in read) {
      this.problems.push({ field, reason: read.problem });
      return undefined;
    }
    return read.names;
  }

  /** A single-valued enumeration field: its member name, as Microsoft spells it. */
  choice(field: string, e: ExchangeEnum): string | undefined {
    const names = this.enumNames(field, e);
    if (names === undefined || names.length === 1) return names?.[0];
    this.problems.push({ field, reason: `holds ${names.length} values of ${e.type} where one is expected` });
    return undefined;
  }

  /** The object's name, once read: every provenance made from here on names it. */
  named(name: string): ExportOrigin {
    this.origin = { ...this.origin, object: name };
    return this.origin;
  }

  /** The recorded problems as facts about `subject`. */
  unverifiable(subject: string): Fact[] {
    return this.problems.map((p) => ({
      kind: "unverifiable" as const,
      item: { subject, property: p.field, reason: p.reason, known: "never" as const, provenance: exportProvenance(this.origin, p.field) },
    }));
  }
}

/**
 * A text as ConvertTo-Json writes Exchange values: a string, a number, or an object of a serialized
 * type (SmtpDomain, SmtpX509Identifier, AddressSpace…) whose text is in a known member.
 */
function textOf(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  if (!isExportObject(v)) return undefined;
  const issuer = v["CertificateIssuer"];
  const subject = v["CertificateSubject"];
  if (typeof issuer === "string" && typeof subject === "string") return `<I>${issuer}<S>${subject}`;
  // Deserialised Exchange values: an address space's Address, a host's HostnameString, an IP's
  // IPAddressToString, an SmtpDomain's Domain, an AD object's Name; else the object's own ToString (CliXml).
  for (const key of ["AddressString", "Address", "Domain", "SmtpDomain", "HostnameString", "IPAddressToString", "Name", "Value", "value", "ToString"]) {
    const inner = v[key];
    if (typeof inner === "string") return inner;
    if (isExportObject(inner)) {
      const t = textOf(inner);
      if (t !== undefined) return t;
    }
  }
  return undefined;
}

/** `contoso.com` or `contoso.onmicrosoft.com` — a name that can be a tenant or organisation key. */
export const looksLikeDomain = (name: string): boolean => /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(name);
