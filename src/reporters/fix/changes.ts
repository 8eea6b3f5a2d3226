/**
 * Where a proven plan lands, said for the user's own code: the statement that set a value and the place
 * the evaluator read it from (resource, script line, columns, the literal as written → the new one), the
 * descriptor input that declared it, or what is to be added. A script edit is shown at a place only when
 * the script has the recorded literal there, and when reading the edited script again gives exactly the
 * facts the proof judged (a literal assigned to a variable that two statements use would change both):
 * what is shown is what was proven.
 */
import { extractResource } from "../../extractors";
import type { ResourceInput } from "../../extractors/types";
import type { ChangedFact, FactChanges, ModelEdit } from "../../model/edits";
import type { Fact, TextPosition, ValueSpan } from "../../model/facts";
import { parameterFields, type ConnectorKind } from "../../model/fields";
import type { CertificateIdentifier, Provenance } from "../../model/types";
import { psQuote } from "../../sdk/scripts";

/** One value of one statement in a resource's script. */
export interface ScriptChange {
  kind: "script";
  resource: { urn: string; name: string };
  property: string;
  /** The statement's line, its cmdlet and the connector it names. */
  line: number;
  statement: string;
  /** The connector the statement names (empty for Set-HybridConfiguration), and the model field the parameter sets. */
  identity: string;
  field: string;
  /** The new value as the model holds it. */
  value: unknown;
  parameter: string;
  /** The new value, as PowerShell reads it written here. */
  replacement: string;
  /** The old value as the script writes it (quotes removed) and the new value, when both are text: what a program's literal holds. */
  from?: string;
  to?: string;
  /** Where the old value is written (verified against the script), or where the statement ends (to add the parameter). */
  at?: { span: ValueSpan } | { end: TextPosition };
}

/** An input of a descriptor resource, or an entry of the policy configuration. */
export interface InputChange {
  kind: "input";
  provenance: Provenance;
  /** The input property, e.g. `acceptedDomains`, `connectors[1].certificate`, `dnsNames`. */
  property: string;
  describe: string;
  before: unknown;
  after: unknown;
}

export type Change = ScriptChange | InputChange;

const CONNECTOR_KIND: Record<string, ConnectorKind> = { "inbound-connector": "inbound", "send-connector": "send", "outbound-connector": "outbound", "receive-connector": "receive" };
const CMDLET_NOUN: Record<string, string> = { "inbound-connector": "InboundConnector", "send-connector": "SendConnector", "outbound-connector": "OutboundConnector", "receive-connector": "ReceiveConnector" };

/** A value as a PowerShell literal: quoted text, `$true`, a certificate identifier, a list. */
export function psLiteral(value: unknown): string {
  if (typeof value === "boolean") return value ? "$true" : "$false";
  if (typeof value === "number") return String(value);
  if (Array.isArray(value)) return value.length ? value.map(psLiteral).join(",") : "@()";
  if (value !== null && typeof value === "object" && "raw" in value) return psQuote((value as CertificateIdentifier).raw);
  return psQuote(String(value));
}

const parameterOf = (kind: ConnectorKind, field: string): string | undefined => parameterFields(kind).find((f) => f.field === field)?.parameter;

/** A descriptor's changed fact, as the input it declares. */
function inputChanges(changed: ChangedFact): InputChange[] {
  const { before, after } = changed;
  const p = before.kind === "certificate" ? before.certificate.provenance[0]! : (before as { provenance: Provenance }).provenance;
  if (before.kind === "tenant" && after.kind === "tenant") {
    const added = (after.acceptedDomains ?? []).filter((d) => !(before.acceptedDomains ?? []).some((b) => b.name === d.name)).map((d) => d.name);
    return [{ kind: "input", provenance: p, property: "acceptedDomains", describe: `add ${added.join(", ")}`, before: before.acceptedDomains?.map((d) => d.name), after: after.acceptedDomains?.map((d) => d.name) }];
  }
  if (before.kind === "certificate" && after.kind === "certificate") {
    // A certificate a script requests (New-ExchangeCertificate) is reissued there: said at its statement.
    const path = p.line !== undefined ? `${p.property}:${p.line}` : p.property ? `${p.property}.dnsNames` : "dnsNames";
    const removed = before.certificate.sanDns.filter((n) => !after.certificate.sanDns.includes(n));
    const describe = `${p.line !== undefined ? `certificate '${before.certificate.label}': ` : ""}remove ${removed.join(", ")}${p.line !== undefined ? " from its names" : ""}`;
    return [{ kind: "input", provenance: p, property: path, describe, before: before.certificate.sanDns, after: after.certificate.sanDns }];
  }
  if (before.kind === "send-connector" && after.kind === "send-connector" && changed.fields.includes("certificateIds")) {
    const path = p.property ? `${p.property}.certificate` : "certificate";
    return [{ kind: "input", provenance: p, property: path, describe: `present the certificate ${String((after.fields.certificateIds as string[])[0]).replace(/^fix:/, "for ")}`, before: before.fields.certificateIds, after: after.fields.certificateIds }];
  }
  if (before.kind === "hybrid-configuration" && after.kind === "hybrid-configuration") {
    return [{ kind: "input", provenance: p, property: "tlsCertificateName", describe: `set to ${after.tlsCertificateName?.raw}`, before: before.tlsCertificateName?.raw, after: after.tlsCertificateName?.raw }];
  }
  return [];
}

/** A script statement's changed fields, each at the place the evaluator read it (not yet verified). */
function scriptChanges(changed: ChangedFact): ScriptChange[] {
  const { before, after } = changed;
  const kind = CONNECTOR_KIND[before.kind];
  if (before.kind === "certificate" || before.kind === "unverifiable") return [];
  const p = before.provenance;
  if (p.line === undefined || p.property === undefined) return [];
  const isHybridConfiguration = before.kind === "hybrid-configuration";
  if (!kind && !isHybridConfiguration) return [];
  const identity = "identity" in before ? before.identity : "";
  const statement = isHybridConfiguration ? "Set-HybridConfiguration" : `${"op" in before && before.op === "new" ? "New" : "Set"}-${CMDLET_NOUN[before.kind]} '${identity}'`;
  const out: ScriptChange[] = [];
  for (const field of changed.fields) {
    const parameter = isHybridConfiguration ? "TlsCertificateName" : parameterOf(kind!, field);
    // A field no parameter writes (the certificates a run-time pin bound) follows from those that do.
    if (!parameter) continue;
    const value = isHybridConfiguration ? (after as Extract<Fact, { kind: "hybrid-configuration" }>).tlsCertificateName : (after as { fields: Record<string, unknown> }).fields[field];
    // Set with a value the pack could not read counts as set: the parameter is there, to be written again (not added twice).
    const wasSet = isHybridConfiguration || (before as { fields: Record<string, unknown> }).fields[field] !== undefined || (before as { unknown: string[] }).unknown.includes(field);
    const span = (before as { spans?: Record<string, ValueSpan> }).spans?.[field];
    const end = (before as { end?: TextPosition }).end;
    const at = wasSet ? (span ? { span } : undefined) : end ? { end } : undefined;
    const from = span ? unquoted(span.written) : undefined;
    const to = typeof value === "string" ? value : value !== null && typeof value === "object" && "raw" in value ? (value as CertificateIdentifier).raw : undefined;
    out.push({
      kind: "script",
      resource: { urn: p.urn, name: p.resourceName },
      property: p.property,
      line: p.line,
      statement,
      identity,
      field,
      value,
      parameter,
      replacement: psLiteral(value),
      ...(at ? { at } : {}),
      ...(from !== undefined && to !== undefined ? { from, to } : {}),
    });
  }
  return out;
}

/** A literal as written → the text it holds, for the quoted forms a value can be written in without expansion. */
function unquoted(written: string): string | undefined {
  if (written.startsWith("'") && written.endsWith("'")) return written.slice(1, -1).replace(/''/g, "'");
  if (written.startsWith('"') && written.endsWith('"')) return /[`$]/.test(written) ? undefined : written.slice(1, -1);
  return /^[^'"`$]+$/.test(written) ? written : undefined;
}

/** A script with its changes made at their places; undefined when a place does not read as recorded. */
export function editedScript(script: string, changes: readonly ScriptChange[]): string | undefined {
  const lines = script.split("\n");
  // Right to left on each line: earlier columns stay valid.
  const placed = [...changes].sort((a, b) => lineOf(b) - lineOf(a) || columnOf(b) - columnOf(a));
  for (const c of placed) {
    const text = lines[lineOf(c) - 1];
    if (text === undefined || !c.at) return undefined;
    if ("span" in c.at) {
      const { column, endColumn, written } = c.at.span;
      if (text.slice(column - 1, endColumn - 1) !== written) return undefined;
      lines[lineOf(c) - 1] = `${text.slice(0, column - 1)}${c.replacement}${text.slice(endColumn - 1)}`;
    } else {
      const at = c.at.end.column - 1;
      if (at > text.length) return undefined;
      lines[lineOf(c) - 1] = `${text.slice(0, at)} -${c.parameter} ${c.replacement}${text.slice(at)}`;
    }
  }
  return lines.join("\n");
}

const lineOf = (c: ScriptChange): number => (c.at ? ("span" in c.at ? c.at.span.line : c.at.end.line) : c.line);
const columnOf = (c: ScriptChange): number => (c.at ? ("span" in c.at ? c.at.span.column : c.at.end.column) : 0);

/** A fact without what says where it was written, keys in one order: two readings of a script compare by what they state. */
function stated(f: Fact): string {
  const { spans: _spans, end: _end, ...rest } = f as Fact & { spans?: unknown; end?: unknown };
  return JSON.stringify(rest, (_key, value: unknown) =>
    value !== null && typeof value === "object" && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b))) : value,
  );
}

/**
 * Keeps a resource's script changes at their places only when the edited script, read again, states
 * exactly what the proof judged: `factsAfter` are the resource's facts with the plan's changes made.
 */
function verified(resource: ResourceInput, property: string, changes: ScriptChange[], factsAfter: readonly Fact[]): ScriptChange[] {
  const unplaced = (): ScriptChange[] => changes.map(({ at: _at, ...c }) => c);
  const script = resource.props[property];
  if (typeof script !== "string" || changes.some((c) => !c.at)) return unplaced();
  const text = editedScript(script, changes);
  if (text === undefined) return unplaced();
  const ofProperty = (f: Fact): boolean => f.kind !== "unverifiable" && f.kind !== "certificate" && f.provenance.property === property;
  const reread = extractResource({ ...resource, props: { ...resource.props, [property]: text } }).filter(ofProperty);
  const expected = factsAfter.filter(ofProperty);
  return reread.map(stated).join("\n") === expected.map(stated).join("\n") ? changes : unplaced();
}

export interface PlanChanges {
  scripts: ScriptChange[];
  inputs: InputChange[];
  /** Edits that add to the configuration (a certificate, a connector, an accepted domain nobody declares). */
  additions: ModelEdit[];
}

/** Where a plan lands, for the user: `facts` the stack's in canonical order, `resource` its inputs by URN. */
export function planChanges(edits: readonly ModelEdit[], changes: FactChanges, facts: readonly Fact[], resource: (urn: string) => ResourceInput | undefined): PlanChanges {
  const scripts: ScriptChange[] = [];
  const inputs: InputChange[] = [];
  for (const changed of changes.replace.values()) {
    const found = scriptChanges(changed);
    if (found.length > 0) scripts.push(...found);
    else inputs.push(...inputChanges(changed));
  }
  const byScript = new Map<string, ScriptChange[]>();
  for (const c of scripts) byScript.set(`${c.resource.urn}\u0000${c.property}`, [...(byScript.get(`${c.resource.urn}\u0000${c.property}`) ?? []), c]);
  const checked: ScriptChange[] = [];
  for (const list of byScript.values()) {
    const r = resource(list[0]!.resource.urn);
    const after = facts.filter((f) => provenanceUrn(f) === list[0]!.resource.urn).map((f) => changes.replace.get(f)?.after ?? f);
    checked.push(...(r ? verified(r, list[0]!.property, list, after) : list.map(({ at: _at, ...c }) => c)));
  }
  const additions = edits.filter((e) => e.kind === "add-certificate" || e.kind === "add-inbound-connector" || (e.kind === "add-accepted-domain" && changes.append.some((f) => f.kind === "accepted-domain" && f.domain === e.domain.toLowerCase())));
  return { scripts: checked, inputs, additions };
}

const provenanceUrn = (f: Fact): string | undefined => (f.kind === "certificate" ? f.certificate.provenance[0]?.urn : f.kind === "unverifiable" ? f.item.provenance.urn : f.provenance.urn);
