/**
 * A proven plan as Pulumi code for the user's own program (issue 22): edits of the resources the
 * program already declares — same resource, same name, so no duplicate URN — as diff hunks of the
 * program where its declaration is found, else as the input's new value; and declarations of what the
 * plan adds, under names no resource of the stack has, using only the identifiers they import.
 */
import type { ResourceInput } from "../../extractors/types";
import { placeholderIssuer, plannedCertificateId, type ModelEdit } from "../../model/edits";
import { lower } from "../../model/normalize";
import type { MailFlowModel } from "../../model/types";
import type { ProgramSources } from "../files/program-location";
import { editedScript, type InputChange, type PlanChanges, type ScriptChange } from "./changes";
import { calleeName, declarationOf, elementPropertyEdit, helperArgumentEdit, hunk, listEdit, literalEdit, propertyEdit, type ProgramEdit } from "./program";

/** How a program imports this package's helpers: the compiled SDK, by package name (README, "Install"). */
export const SDK_IMPORT = `import * as mailflow from "mailflow-guard/sdk";`;

export interface PulumiFix {
  /** The section's text, line by line. */
  lines: string[];
  /** Program edits as structured hunks (the same as the text shows). */
  edits: ProgramEdit[];
  /** Values given to an input where no declaration was found: `{ type, property, code }`, for type checks. */
  values: Array<{ type: string; property: string; code: string }>;
  /** Declarations of added resources (one TypeScript snippet, importing what it uses). */
  declarations?: string;
}

/** A value as TypeScript: JSON, laid out as a person writes it. */
export const tsLiteral = (value: unknown): string => JSON.stringify(value, null, 1)?.replace(/\n\s*/g, " ").replace(/\[ /g, "[").replace(/ \]/g, "]") ?? "undefined";

/** A TypeScript template literal of `text`. */
const template = (text: string): string => `\`${text.replace(/\\/g, "\\\\").replace(/`/g, "\\`").replace(/\$\{/g, "\\${")}\``;
const slug = (s: string): string => lower(s).replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");

/** What `mailflow.exchangeOnlineCommand` puts before its script: the script a program passes is what follows. */
function withoutPreamble(create: string): string | undefined {
  const lines = create.split("\n");
  return lines[0] === "$ErrorActionPreference = 'Stop'" && lines[1]?.startsWith("Connect-ExchangeOnline ") ? lines.slice(2).join("\n") : undefined;
}

interface Context {
  model: MailFlowModel;
  resource: (urn: string) => ResourceInput | undefined;
  program?: ProgramSources;
  /** Names of the stack's resources: an added one takes a name none has. */
  names: ReadonlySet<string>;
}

/** Names for the resources a plan adds, by the id the plan gives them. */
export function addedNames(edits: readonly ModelEdit[], names: ReadonlySet<string>): Map<string, string> {
  const taken = new Set(names);
  const out = new Map<string, string>();
  const take = (key: string, base: string): void => {
    let name = base;
    for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
    taken.add(name);
    out.set(key, name);
  };
  for (const e of edits) {
    if (e.kind === "add-certificate") take(plannedCertificateId(e.certificate.name), `${slug(e.certificate.name)}-certificate`);
    if (e.kind === "add-inbound-connector") take(`inbound:${e.tenant}:${e.name}`, `${slug(e.name)}-${slug(e.tenant.replace(/\.onmicrosoft\.com$/, ""))}-inbound`);
    if (e.kind === "add-accepted-domain") take(`tenant:${e.tenant}`, `${slug(e.tenant.replace(/\.onmicrosoft\.com$/, ""))}-accepted-domains`);
  }
  return out;
}

/** The SDK's argument for a model field, where the two spell it differently. */
const SDK_KEYS: Record<string, string> = { restrictDomainsToIPAddresses: "restrictDomainsToIpAddresses" };

/** A model value as TypeScript for an SDK argument: a certificate identifier by its parts. */
function tsValue(value: unknown): string {
  if (value !== null && typeof value === "object" && "raw" in value) {
    const id = value as unknown as { issuer: string; subject: string };
    return `{ issuer: ${JSON.stringify(id.issuer)}, subject: ${JSON.stringify(id.subject)} }`;
  }
  return JSON.stringify(value);
}

/**
 * Words that mark a credential (and credentials in URLs and headers): a script holding one is never
 * shown whole, since the pack prints no secret; its change is said in words instead.
 */
const CREDENTIAL = /password|passwd|secret|token|credential|securestring|asplaintext|apikey|api-key|privatekey|pfx|\b(?:bearer|basic)\s+\S|\/\/[^\s/@]+@/i;
const mayShow = (text: string): boolean => !CREDENTIAL.test(text);

/** All or nothing: each change's edit, or undefined when one has none. */
function every(list: readonly ScriptChange[], one: (c: ScriptChange) => ProgramEdit | undefined): ProgramEdit[] | undefined {
  const edits = list.map(one);
  return edits.every((e): e is ProgramEdit => e !== undefined) ? dedupe(edits) : undefined;
}

/**
 * A script's changes in the program, the smallest way that is exact: the one literal that holds each old
 * value; else each value as the argument of the SDK renderer that writes the statement; else (nothing in
 * it looking like a credential) the script as a whole; else said in words, the script not shown.
 */
function scriptEdits(ctx: Context, changes: readonly ScriptChange[], out: PulumiFix): void {
  const byResource = new Map<string, ScriptChange[]>();
  for (const c of changes) byResource.set(`${c.resource.urn}\u0000${c.property}`, [...(byResource.get(`${c.resource.urn}\u0000${c.property}`) ?? []), c]);
  for (const list of byResource.values()) {
    const { resource, property } = list[0]!;
    const input = ctx.resource(resource.urn);
    const script = input?.props[property];
    const text = typeof script === "string" ? editedScript(script, list) : undefined;
    const d = ctx.program ? declarationOf(ctx.program, resource.name) : undefined;
    const once = (c: ScriptChange): boolean => typeof script === "string" && c.from !== undefined && script.split(c.from).length - 1 === list.filter((x) => x.from === c.from).length;
    const found =
      d &&
      (every(list, (c) => (once(c) ? literalEdit(d, c.from!, c.to!) : undefined)) ??
        every(list, (c) => helperArgumentEdit(d, c.identity, SDK_KEYS[c.field] ?? c.field, tsValue(c.value))));
    if (found) {
      out.edits.push(...found);
      continue;
    }
    const helperScript = text !== undefined && input?.type === "command:local:Command" ? withoutPreamble(text) : undefined;
    const usesHelper = d ? ["exchangeOnlineCommand", "onPremisesCommand"].includes(calleeName(d)) : helperScript !== undefined;
    const value = text === undefined ? undefined : usesHelper && helperScript !== undefined ? helperScript : text;
    const names = usesHelper ? ["script"] : [property];
    if (value === undefined || !mayShow(value)) {
      out.lines.push(`"${resource.name}": in the script your program gives it, ${list.map((c) => `${c.statement} (line ${c.line}): -${c.parameter} ${c.replacement}`).join("; ")}`);
      continue;
    }
    const e = d ? propertyEdit(d, names, template(value)) : undefined;
    if (e) out.edits.push(e);
    else {
      out.lines.push(`"${resource.name}", ${names[0]}:`, ...template(value).split("\n").map((l) => `  ${l}`));
      out.values.push({ type: "string", property: names[0]!, code: template(value) });
    }
  }
}

const dedupe = (edits: ProgramEdit[]): ProgramEdit[] => edits.filter((e, i) => edits.findIndex((x) => x.uri === e.uri && x.line === e.line) === i);

/** The gateway's `connectors` with one connector's certificate replaced: the input as the plan leaves it. */
function gatewayConnectors(input: ResourceInput, path: string, certificate: string): unknown[] | undefined {
  const m = /^connectors\[(\d+)\]\.certificate$/.exec(path);
  const connectors = input.props.connectors;
  if (!m || !Array.isArray(connectors)) return undefined;
  return connectors.map((c, i) => (i === Number(m[1]) ? { ...(c as object), certificate } : c));
}

function inputEdits(ctx: Context, changes: readonly InputChange[], added: ReadonlyMap<string, string>, out: PulumiFix): void {
  for (const c of changes) {
    const input = ctx.resource(c.provenance.urn);
    // A value a script states (a certificate New-ExchangeCertificate requests) changes in the script, said.
    if (!input || c.provenance.line !== undefined) {
      out.lines.push(input ? `"${input.name}": in the script your program gives it, line ${c.provenance.line}, ${c.describe}` : `${c.provenance.resourceName}${c.property ? `.${c.property}` : ""}: ${c.describe}`);
      continue;
    }
    const d = ctx.program ? declarationOf(ctx.program, input.name) : undefined;
    let property = c.property;
    let value: unknown = c.after;
    if (c.property.endsWith(".certificate")) {
      const reference = (c.after as string[])[0]!;
      value = gatewayConnectors(input, c.property, added.get(reference) ?? reference);
      property = "connectors";
    } else if (c.property.includes(".")) {
      // An inline certificate's names: the connectors as a whole.
      property = "connectors";
      value = input.props.connectors;
    }
    const code = tsLiteral(value);
    const list = d && Array.isArray(c.before) && Array.isArray(c.after) && property === c.property ? listEdit(d, property, c.before as string[], c.after as string[]) : undefined;
    // A gateway connector's certificate: that one property of that one connector, where it is written so.
    const at = /^connectors\[(\d+)\]\.certificate$/.exec(c.property);
    const certificate = d && at ? elementPropertyEdit(d, "connectors", Number(at[1]), "certificate", tsLiteral(added.get((c.after as string[])[0]!) ?? (c.after as string[])[0])) : undefined;
    const e = list ?? certificate ?? (d ? propertyEdit(d, [property], code) : undefined);
    if (e) out.edits.push(e);
    else {
      out.lines.push(`"${input.name}", ${property}: ${code}`);
      out.values.push({ type: input.type, property, code });
    }
  }
}

function declarations(ctx: Context, edits: readonly ModelEdit[], additions: readonly ModelEdit[], added: ReadonlyMap<string, string>): string | undefined {
  const code: string[] = [];
  for (const e of additions) {
    if (e.kind === "add-certificate") {
      const c = e.certificate;
      const fields = [`subject: ${JSON.stringify(`CN=${c.name}`)}`, `dnsNames: [${JSON.stringify(c.name)}]`, `issuer: ${JSON.stringify(c.issuer ?? placeholderIssuer(c.name))}`, `trust: "public"`, `organization: ${JSON.stringify(c.org)}`];
      code.push(`new mailflow.Certificate(${JSON.stringify(added.get(plannedCertificateId(c.name)))}, { ${fields.join(", ")} });`);
    }
    if (e.kind === "add-inbound-connector") {
      const args = `{ name: ${JSON.stringify(e.name)}, connectorType: "OnPremises", senderDomains: ["*"], requireTls: true, tlsSenderCertificateName: ${JSON.stringify(e.tlsSenderCertificateName)} }`;
      code.push(`mailflow.exchangeOnlineCommand(${JSON.stringify(added.get(`inbound:${e.tenant}:${e.name}`))}, { organization: ${JSON.stringify(e.tenant)}, script: mailflow.newInboundConnector(${args}) });`);
    }
    if (e.kind === "add-accepted-domain") {
      const domains = edits.filter((x): x is Extract<ModelEdit, { kind: "add-accepted-domain" }> => x.kind === "add-accepted-domain" && x.tenant === e.tenant).map((x) => x.domain);
      const name = added.get(`tenant:${e.tenant}`)!;
      if (!code.some((l) => l.includes(JSON.stringify(name)))) code.push(`new mailflow.Tenant(${JSON.stringify(name)}, { initialDomain: ${JSON.stringify(e.tenant)}, acceptedDomains: ${JSON.stringify(domains)} });`);
    }
  }
  return code.length ? [SDK_IMPORT, ...code].join("\n") : undefined;
}

/** The plan's Pulumi section. */
export function planPulumi(ctx: Context, edits: readonly ModelEdit[], changes: PlanChanges): PulumiFix {
  const out: PulumiFix = { lines: [], edits: [], values: [] };
  const added = addedNames(edits, ctx.names);
  scriptEdits(ctx, changes.scripts, out);
  inputEdits(ctx, changes.inputs, added, out);
  const declared = declarations(ctx, edits, changes.additions, added);
  if (declared) out.declarations = declared;
  out.lines.unshift(...out.edits.flatMap(hunk));
  if (declared) out.lines.push(...declared.split("\n"));
  return out;
}

export type { Context as PulumiContext };
