/**
 * What the Exchange cmdlet readers share: the script context a call runs in, converting a script's
 * value to a field of the connector field schema, and the unverifiable fact for what cannot be read.
 */
import type { Fact, MultiValue } from "../model/facts";
import { parseCertificateIdentifier, type FieldKind } from "../model/fields";
import { normalizeHostName } from "../model/normalize";
import type { Provenance } from "../model/types";
import type { PsValue } from "./powershell/evaluate";

type Converted = { ok: true; value: unknown } | { ok: false; reason: string; certificates?: string[] };

export function texts(v: PsValue): string[] | undefined {
  if (v.kind === "string") return [v.value];
  if (v.kind === "array") {
    const out: string[] = [];
    for (const item of v.items) {
      const t = texts(item);
      if (!t) return undefined;
      out.push(...t);
    }
    return out;
  }
  return undefined;
}

/** A script's value for a field of that kind, as the fact holds it. */
export function convert(v: PsValue, conversion: FieldKind, allowed?: readonly string[]): Converted {
  if (v.kind === "unresolved") return { ok: false, reason: v.reason, ...(v.certificates ? { certificates: v.certificates } : {}) };
  switch (conversion) {
    case "bool":
      if (v.kind === "bool") return { ok: true, value: v.value };
      if (v.kind === "switch") return { ok: true, value: true };
      if (v.kind === "string" && /^(true|false)$/i.test(v.value)) return { ok: true, value: v.value.toLowerCase() === "true" };
      return { ok: false, reason: "not a Boolean ($true or $false)" };
    case "enum": {
      if (v.kind === "null") return { ok: true, value: null };
      if (v.kind !== "string") return { ok: false, reason: "not a single text value" };
      // PowerShell binds enum values case-insensitively; the model keeps the canonical spelling.
      const canonical = allowed?.find((a) => a.toLowerCase() === v.value.trim().toLowerCase());
      if (allowed && !canonical) return { ok: false, reason: `not one of ${allowed.join(", ")}: PowerShell would refuse the value` };
      return { ok: true, value: canonical ?? v.value.trim() };
    }
    case "host":
      if (v.kind === "null") return { ok: true, value: null };
      // Host names and name patterns: IDNA to ASCII, lower case, no trailing dot.
      if (v.kind === "string") return { ok: true, value: normalizeHostName(v.value) };
      return { ok: false, reason: "not a single text value" };
    case "certificate-identifier": {
      if (v.kind === "null") return { ok: true, value: null };
      if (v.kind !== "string") return { ok: false, reason: "not a single text value" };
      const id = parseCertificateIdentifier(v.value);
      return id ? { ok: true, value: id } : { ok: false, reason: `not in the "<I>issuer<S>subject" form` };
    }
    case "multi": {
      if (v.kind === "null") return { ok: true, value: [] };
      if (v.kind === "hashtable") {
        const edit: { add: string[]; remove: string[] } = { add: [], remove: [] };
        for (const [k, item] of v.entries) {
          const t = texts(item);
          if (!t) return { ok: false, reason: `the ${k} entry is only known when the script runs` };
          if (/^add$/i.test(k)) edit.add.push(...t);
          else if (/^remove$/i.test(k)) edit.remove.push(...t);
          else return { ok: false, reason: `@{${k}=…} is not Add or Remove` };
        }
        return { ok: true, value: edit satisfies MultiValue };
      }
      const t = texts(v);
      return t ? { ok: true, value: t } : { ok: false, reason: "an element is only known when the script runs" };
    }
  }
}

export interface ScriptContext {
  /** Tenant named by the latest Connect-ExchangeOnline -Organization. */
  tenant?: string;
  /** On-premises organisation the script acts on. */
  org?: string;
  provenance: (line: number) => Provenance;
  subjectPrefix: string;
}

/**
 * What could not be verified in a call. `source`: the value as the evaluator left it, for the safe
 * rendering of the expression and whether it becomes known at deploy time (an unknown `environment`
 * value) or never (the pack does not run the script).
 */
export const unverifiable = (ctx: ScriptContext, line: number, subject: string, property: string, reason: string, source?: PsValue): Fact => ({
  kind: "unverifiable",
  item: {
    subject,
    property,
    reason,
    ...(source?.kind === "unresolved" ? { expression: source.expression, known: source.atDeploy ? "at-deploy" : "never" } : {}),
    provenance: ctx.provenance(line),
  },
});
