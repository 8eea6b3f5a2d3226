/**
 * Exchange cmdlets → facts. One table says, per cmdlet, which entity it touches and how each
 * parameter maps onto the model; one mechanism converts values. Semantics follow the cmdlet
 * reference (learn.microsoft.com/powershell/module/exchangepowershell/<cmdlet>).
 */
import { thumbprintRef } from "../model/certificate-ref";
import { commonNameOf, normalizeHostName } from "../model/normalize";
import { parameterFields, parseCertificateIdentifier, type FieldKind, type FieldSchema } from "../model/fields";
import { UNKNOWN_ORG, UNKNOWN_TENANT, type CertificateIdentifier, type Provenance } from "../model/types";
import { certificateRefOf, EXCHANGE_ONLINE_HOST, type CmdletCall, type PsValue } from "./powershell/evaluate";
import { describeFilters, type ConnectorSelection } from "../model/selection";
import type { Fact, MultiValue, Op } from "../model/facts";

const inboundFields = parameterFields("inbound");
const outboundFields = parameterFields("outbound");
const sendFields = parameterFields("send");
const receiveFields = parameterFields("receive");

const CONNECTORS: Record<string, { kind: "inbound-connector" | "outbound-connector" | "send-connector" | "receive-connector"; op: Op; fields: ReadonlyArray<FieldSchema & { parameter: string }>; identity: "Name" | "Identity" }> = {
  "new-inboundconnector": { kind: "inbound-connector", op: "new", fields: inboundFields, identity: "Name" },
  "set-inboundconnector": { kind: "inbound-connector", op: "set", fields: inboundFields, identity: "Identity" },
  "remove-inboundconnector": { kind: "inbound-connector", op: "remove", fields: [], identity: "Identity" },
  "new-outboundconnector": { kind: "outbound-connector", op: "new", fields: outboundFields, identity: "Name" },
  "set-outboundconnector": { kind: "outbound-connector", op: "set", fields: outboundFields, identity: "Identity" },
  "remove-outboundconnector": { kind: "outbound-connector", op: "remove", fields: [], identity: "Identity" },
  "new-sendconnector": { kind: "send-connector", op: "new", fields: sendFields, identity: "Name" },
  "set-sendconnector": { kind: "send-connector", op: "set", fields: sendFields, identity: "Identity" },
  "remove-sendconnector": { kind: "send-connector", op: "remove", fields: [], identity: "Identity" },
  "new-receiveconnector": { kind: "receive-connector", op: "new", fields: receiveFields, identity: "Name" },
  "set-receiveconnector": { kind: "receive-connector", op: "set", fields: receiveFields, identity: "Identity" },
};

type Converted = { ok: true; value: unknown } | { ok: false; reason: string; certificates?: string[] };

function texts(v: PsValue): string[] | undefined {
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
function convert(v: PsValue, conversion: FieldKind, allowed?: readonly string[]): Converted {
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
const unverifiable = (ctx: ScriptContext, line: number, subject: string, property: string, reason: string, source?: PsValue): Fact => ({
  kind: "unverifiable",
  item: {
    subject,
    property,
    reason,
    ...(source?.kind === "unresolved" ? { expression: source.expression, known: source.atDeploy ? "at-deploy" : "never" } : {}),
    provenance: ctx.provenance(line),
  },
});

/** Facts of one script's cmdlet calls, in order. `Connect-ExchangeOnline` changes the tenant for what follows. */
export function factsOfCalls(calls: readonly CmdletCall[], scriptCtx: ScriptContext): Fact[] {
  const facts: Fact[] = [];
  let tenant = scriptCtx.tenant;
  for (const call of calls) {
    // A call run in a remote session (Invoke-Command, Enter-/Import-PSSession) acts on that server's organisation.
    const ctx: ScriptContext = call.server !== undefined ? { ...scriptCtx, org: call.server } : scriptCtx;
    const p = call.parameters;
    const str = (name: string): string | undefined => {
      const v = p.get(name);
      return v?.kind === "string" ? v.value : undefined;
    };
    for (const a of call.ambiguous) {
      facts.push(unverifiable(ctx, call.line, `${call.written}`, a.written, `the parameter prefix is ambiguous (${a.candidates.join(", ")}); PowerShell would refuse it`));
    }
    if (call.cmdlet === "connect-exchangeonline") {
      const org = p.get("Organization") ?? p.get("DelegatedOrganization");
      if (org?.kind === "string") tenant = org.value.toLowerCase();
      else if (org?.kind === "unresolved") {
        // Known only at deploy time: not the stack's default tenant, and not known to differ from any.
        tenant = UNKNOWN_TENANT;
        facts.push(unverifiable(ctx, call.line, "Connect-ExchangeOnline", "Organization", org.reason, org));
      }
      continue;
    }
    const connector = CONNECTORS[call.cmdlet];
    if (connector) {
      const identityValue = p.get(connector.identity);
      const selection = identityValue === undefined && connector.op === "set" ? call.every : undefined;
      if (selection) facts.push(everyConnectorAdvisory(ctx, call, connector.kind, selection));
      if (selection?.unreadableFilter) continue;
      if (identityValue?.kind !== "string" && !selection) {
        facts.push(unverifiable(ctx, call.line, `${call.written}`, connector.identity, identityValue?.kind === "unresolved" ? identityValue.reason : "the connector is not named", identityValue));
        continue;
      }
      const identity = selection ? `every ${connector.kind.replace("-", " ")}` : (identityValue as { value: string }).value;
      const subject = selection ? `every ${connector.kind.replace("-", " ")} the pipeline finds` : `${connector.kind.replace("-", " ")} '${identity}'`;
      const fields: Record<string, unknown> = {};
      const unknown: string[] = [];
      for (const { field, parameter: param, kind, values } of connector.fields) {
        const v = p.get(param);
        if (v === undefined) continue;
        const c = convert(v, kind, values);
        if (c.ok) {
          fields[field] = c.value;
        } else {
          unknown.push(field);
          if (c.certificates?.length && field === "tlsCertificateName") fields.certificateIds = c.certificates.map((ref) => certificateIdOf(ref, ctx));
          facts.push(unverifiable(ctx, call.line, subject, param, c.reason, v));
        }
      }
      const base = { op: connector.op, identity, fields, unknown, provenance: ctx.provenance(call.line), ...(selection ? { selection } : {}) };
      if (connector.kind === "inbound-connector" || connector.kind === "outbound-connector") {
        facts.push({ kind: connector.kind, ...base, ...(tenant ? { tenant } : {}) } as Fact);
      } else {
        facts.push({ kind: connector.kind, ...base, ...(ctx.org ? { org: ctx.org } : {}) } as Fact);
      }
      continue;
    }
    switch (call.cmdlet) {
      case "new-exchangecertificate":
        facts.push(...newExchangeCertificateFacts(call, ctx));
        break;
      case "enable-exchangecertificate":
        facts.push(...enableExchangeCertificateFacts(call, ctx));
        break;
      case "remove-exchangecertificate":
        facts.push(...removeExchangeCertificateFacts(call, ctx));
        break;
      case "import-exchangecertificate": {
        // The certificate's content (-FileData) is never read: it may hold a private key.
        const server = str("Server");
        facts.push(importedCertificate(call, ctx, server));
        facts.push(
          unverifiable(
            ctx,
            call.line,
            `certificate imported${server ? ` on ${server}` : ""}`,
            "FileData",
            "its names and issuer are only known on the server; declare it with a Certificate descriptor (subject, issuer, dnsNames and its thumbprint, which Enable-ExchangeCertificate -Thumbprint and connectors refer to) or under mailflow-inventory.certificates, so its names can be checked",
          ),
        );
        break;
      }
      case "set-hybridconfiguration": {
        const v = p.get("TlsCertificateName");
        if (!v) break;
        const c = convert(v, "certificate-identifier");
        facts.push({
          kind: "hybrid-configuration",
          ...(ctx.org ? { org: ctx.org } : {}),
          ...(c.ok && c.value ? { tlsCertificateName: c.value as CertificateIdentifier } : {}),
          provenance: ctx.provenance(call.line),
        });
        // A name only known when the script runs is said by the unverifiable fact.
        if (!c.ok) facts.push(unverifiable(ctx, call.line, "hybrid configuration", "TlsCertificateName", c.reason, v));
        break;
      }
      case "set-accepteddomain":
      case "new-accepteddomain": {
        const domain = str("DomainName") ?? str("Identity") ?? str("Name");
        if (!domain) break;
        const match = p.get("MatchSubDomains");
        const inTenant = call.cmdlet === "set-accepteddomain" && tenant !== undefined;
        facts.push({
          kind: "accepted-domain",
          scope: inTenant ? "tenant" : "org",
          ...(inTenant ? { owner: tenant } : ctx.org ? { owner: ctx.org } : {}),
          domain,
          ...(match?.kind === "bool" ? { matchSubDomains: match.value } : {}),
          provenance: ctx.provenance(call.line),
        });
        break;
      }
      default:
        break;
    }
  }
  return facts;
}

/**
 * `New-PSSession -ConfigurationName Microsoft.Exchange -ConnectionUri http://ex01.corp.contoso.com/PowerShell/`
 * → its host; a session to a host only known at deploy time → UNKNOWN_ORG.
 */
export function exchangeOrgOfSession(calls: readonly CmdletCall[]): string | undefined {
  let unknown = false;
  for (const call of calls) {
    if (call.cmdlet !== "new-pssession") continue;
    const uri = call.parameters.get("ConnectionUri");
    if (uri?.kind === "unresolved") unknown = true;
    if (uri?.kind !== "string") continue;
    try {
      const host = new URL(uri.value).hostname.toLowerCase();
      // A session to Exchange Online's own endpoint acts on a tenant, not an on-premises organisation.
      if (EXCHANGE_ONLINE_HOST.test(host)) continue;
      return host;
    } catch {
      continue;
    }
  }
  return unknown ? UNKNOWN_ORG : undefined;
}

// ---- Exchange certificate cmdlets (learn.microsoft.com/powershell/module/exchangepowershell/<cmdlet>) ----

/** What New-ExchangeCertificate enables a self-signed certificate for when -Services is not given. */
const DEFAULT_SELF_SIGNED_SERVICES = ["IMAP", "POP", "SMTP"];

/**
 * `-Services SMTP`, `"POP, IMAP, SMTP, IIS"`, `SMTP,IIS` or an array → upper-case service names;
 * undefined when not given, "unknown" when only known when the script runs.
 */
function exchangeServices(v: PsValue | undefined): string[] | "unknown" | undefined {
  if (v === undefined) return undefined;
  if (v.kind === "null") return [];
  const t = texts(v);
  if (!t) return "unknown";
  return [...new Set(t.flatMap((s) => s.split(",")).map((s) => s.trim().toUpperCase()).filter((s) => s.length > 0))];
}

const serverOf = (call: CmdletCall): string[] => {
  const v = call.parameters.get("Server");
  return v?.kind === "string" ? [v.value.trim().toLowerCase()] : [];
};

/** Services the call states, and an advisory when they are only known when the script runs. */
function servicesStated(call: CmdletCall, ctx: ScriptContext, subject: string): { services?: string[]; facts: Fact[] } {
  const v = call.parameters.get("Services");
  const services = exchangeServices(v);
  if (services !== "unknown") return { ...(services ? { services } : {}), facts: [] };
  const reason = v?.kind === "unresolved" ? v.reason : "an element is only known when the script runs";
  return { facts: [unverifiable(ctx, call.line, subject, "Services", reason, v)] };
}

/**
 * New-ExchangeCertificate: a self-signed certificate (issuer = subject) unless -GenerateRequest, whose
 * subject is -SubjectName (else CN=<first -DomainName>) and SANs -DomainName. With -Services SMTP it
 * becomes the certificate its server presents for STARTTLS when a connector names none.
 */
function newExchangeCertificateFacts(call: CmdletCall, ctx: ScriptContext): Fact[] {
  const p = call.parameters;
  const subjectName = p.get("SubjectName")?.kind === "string" ? (p.get("SubjectName") as { value: string }).value.trim() : undefined;
  const domains = texts(p.get("DomainName") ?? { kind: "null" }) ?? [];
  const cn = subjectName ? commonNameOf(subjectName) : domains[0] !== undefined ? normalizeHostName(domains[0]) : undefined;
  const subjectDN = subjectName ?? (cn ? `CN=${cn}` : undefined);
  const request = p.get("GenerateRequest") !== undefined;
  const friendly = p.get("FriendlyName");
  const where = ctx.provenance(call.line);
  const subject = `certificate of New-ExchangeCertificate${cn ? ` ${cn}` : ""}`;
  const { services, facts } = servicesStated(call, ctx, subject);
  const explicitSmtp = !request && !!services?.includes("SMTP");
  // Names only known when the script runs: the certificate is in the model, its names are not checked.
  const unknownNames = ["SubjectName", "DomainName"].filter((name) => p.get(name) !== undefined && p.get(name)!.kind !== "string" && texts(p.get(name)!) === undefined);
  for (const name of unknownNames) {
    const v = p.get(name)!;
    facts.push(unverifiable(ctx, call.line, subject, name, v.kind === "unresolved" ? v.reason : "not a text value", v));
  }
  facts.unshift({
    kind: "certificate",
    certificate: {
      id: `${where.urn}#line${call.line}`,
      label: (friendly?.kind === "string" ? friendly.value : undefined) ?? cn ?? "New-ExchangeCertificate",
      ...(cn ? { subjectCN: cn } : {}),
      ...(subjectDN ? { subjectDN } : {}),
      // A self-signed certificate is its own issuer; a request is signed elsewhere, by an issuer not known here.
      ...(!request && subjectDN ? { issuerDN: subjectDN } : {}),
      sanDns: domains.map((d) => normalizeHostName(d)),
      trust: request ? "unknown" : "self-signed",
      servers: serverOf(call),
      services: request ? [] : (services ?? (p.get("Services") === undefined ? DEFAULT_SELF_SIGNED_SERVICES : [])),
      ...(explicitSmtp ? { smtpDefault: true } : {}),
      ...(ctx.org ? { org: ctx.org } : {}),
      unknown: unknownNames.length > 0 ? ["names"] : [],
      provenance: [where],
    },
  });
  return facts;
}

/**
 * The certificate id a value's reference stands for: `line:<n>` is what New-/Import-ExchangeCertificate
 * at line n of this script made (the id its certificate fact has); a thumbprint reference stays one.
 */
function certificateIdOf(ref: string, ctx: ScriptContext): string {
  const line = /^line:(\d+)$/.exec(ref);
  return line ? `${ctx.provenance(Number(line[1])).urn}#line${line[1]}` : ref;
}

/** Import-ExchangeCertificate: a certificate the stack makes, whose names only the server knows (the file is never read). */
function importedCertificate(call: CmdletCall, ctx: ScriptContext, server: string | undefined): Fact {
  const where = ctx.provenance(call.line);
  const friendly = call.parameters.get("FriendlyName");
  return {
    kind: "certificate",
    certificate: {
      id: `${where.urn}#line${call.line}`,
      label: friendly?.kind === "string" ? friendly.value : `certificate imported at line ${call.line}`,
      sanDns: [],
      trust: "unknown",
      servers: server ? [server.trim().toLowerCase()] : [],
      services: [],
      ...(ctx.org ? { org: ctx.org } : {}),
      unknown: ["names"],
      provenance: [where],
    },
  };
}

/** What a pipeline from `Get-*Connector` changes: every connector of that kind the stack knows, as filtered, and not those made elsewhere. */
function everyConnectorAdvisory(ctx: ScriptContext, call: CmdletCall, kind: string, selection: ConnectorSelection): Fact {
  const what = `every ${kind.replace("-", " ")}${selection.filters.length ? ` whose ${describeFilters(selection.filters)}` : ""}`;
  const reason = selection.unreadableFilter
    ? `${selection.unreadableFilter}: which connectors ${call.written} changes is not known, so none is checked; name the connector (-Identity) or filter on its name`
    : `${call.written} changes ${what} that Get-${selection.noun} finds: the pack applies it to each such connector the stack (or configuration) knows of; connectors made outside the stack are not known to it`;
  return unverifiable(ctx, call.line, `${call.written} (pipeline)`, "Identity", reason);
}

/** The certificate an Enable-/Remove-ExchangeCertificate names (-Thumbprint, or -Identity `Server\thumbprint`). */
function certificateNamed(call: CmdletCall, ctx: ScriptContext): { ref?: string; facts: Fact[] } {
  const v = call.parameters.get("Thumbprint") ?? call.parameters.get("Identity");
  if (v?.kind === "certificate") return { ref: certificateIdOf(certificateRefOf(v), ctx), facts: [] };
  if (v?.kind === "string" && v.value.trim()) return { ref: thumbprintRef(v.value), facts: [] };
  const reason = v?.kind === "unresolved" ? v.reason : "the certificate is not named (-Thumbprint or -Identity)";
  return { facts: [unverifiable(ctx, call.line, `${call.written}`, "Thumbprint", `${reason}; which certificate it acts on is not known`, v)] };
}

/** Enable-ExchangeCertificate -Services SMTP: the certificate its servers present for STARTTLS by default. */
function enableExchangeCertificateFacts(call: CmdletCall, ctx: ScriptContext): Fact[] {
  const { ref, facts } = certificateNamed(call, ctx);
  if (!ref) return facts;
  const stated = servicesStated(call, ctx, `certificate ${ref}`);
  return [
    {
      kind: "certificate-binding",
      certificate: ref,
      ...(ctx.org ? { org: ctx.org } : {}),
      servers: serverOf(call),
      services: stated.services ?? [],
      provenance: ctx.provenance(call.line),
    },
    ...facts,
    ...stated.facts,
  ];
}

/** Remove-ExchangeCertificate: the certificate leaves the model (connectors naming it name nothing the stack makes). */
function removeExchangeCertificateFacts(call: CmdletCall, ctx: ScriptContext): Fact[] {
  const { ref, facts } = certificateNamed(call, ctx);
  if (!ref) return facts;
  return [{ kind: "certificate-removal", certificate: ref, provenance: ctx.provenance(call.line) }];
}
