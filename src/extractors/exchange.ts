/**
 * Exchange cmdlets → facts. One table says, per cmdlet, which connector it touches; the connector
 * field schema (model/fields.ts) says how each parameter maps onto the model; one mechanism
 * (exchange-values.ts) converts values. Certificate cmdlets: exchange-certificates.ts. Semantics
 * follow the cmdlet reference (learn.microsoft.com/powershell/module/exchangepowershell/<cmdlet>).
 */
import type { Fact, Op } from "../model/facts";
import { parameterFields, type FieldSchema } from "../model/fields";
import { describeFilters, type ConnectorSelection } from "../model/selection";
import { UNKNOWN_ORG, UNKNOWN_TENANT, type CertificateIdentifier } from "../model/types";
import { certificateIdOf, enableExchangeCertificateFacts, importExchangeCertificateFacts, newExchangeCertificateFacts, removeExchangeCertificateFacts } from "./exchange-certificates";
import { convert, unverifiable, type ScriptContext } from "./exchange-values";
import { EXCHANGE_ONLINE_HOST, type CmdletCall, type ValueSpan } from "./powershell/evaluate";

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

/** Facts of one script's cmdlet calls, in order. `Connect-ExchangeOnline` changes the tenant for what follows. */
export function factsOfCalls(calls: readonly CmdletCall[], scriptCtx: ScriptContext): Fact[] {
  const facts: Fact[] = [];
  let sessionTenant = scriptCtx.tenant;
  for (const call of calls) {
    // A call run in a remote session (Invoke-Command, Enter-/Import-PSSession) acts on that server's organisation.
    const ctx: ScriptContext = call.server !== undefined ? { ...scriptCtx, org: call.server } : scriptCtx;
    // A wrapper that names its tenant (New-ExoRequest -tenantid) acts there for this call alone.
    const tenant = call.tenant ?? sessionTenant;
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
      if (org?.kind === "string") sessionTenant = org.value.toLowerCase();
      else if (org?.kind === "unresolved") {
        // Known only at deploy time: not the stack's default tenant, and not known to differ from any.
        sessionTenant = UNKNOWN_TENANT;
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
      const spans: Record<string, ValueSpan> = {};
      for (const { field, parameter: param, kind, values } of connector.fields) {
        const v = p.get(param);
        if (v === undefined) continue;
        const c = convert(v, kind, values);
        if (c.ok) {
          fields[field] = c.value;
          const span = spanIn(ctx, call.spans?.get(param));
          if (span) spans[field] = span;
        } else {
          unknown.push(field);
          if (c.certificates?.length && field === "tlsCertificateName") fields.certificateIds = c.certificates.map((ref) => certificateIdOf(ref, ctx));
          facts.push(unverifiable(ctx, call.line, subject, param, c.reason, v));
        }
      }
      const end = call.end && spanIn(ctx, { ...call.end, endColumn: call.end.column, written: "" });
      const base = {
        op: connector.op,
        identity,
        fields,
        unknown,
        provenance: ctx.provenance(call.line),
        ...(selection ? { selection } : {}),
        ...(Object.keys(spans).length ? { spans } : {}),
        ...(end ? { end: { line: end.line, column: end.column } } : {}),
      };
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
      case "import-exchangecertificate":
        facts.push(...importExchangeCertificateFacts(call, ctx));
        break;
      case "set-hybridconfiguration": {
        const v = p.get("TlsCertificateName");
        if (!v) break;
        const c = convert(v, "certificate-identifier");
        const span = c.ok ? spanIn(ctx, call.spans?.get("TlsCertificateName")) : undefined;
        facts.push({
          kind: "hybrid-configuration",
          ...(ctx.org ? { org: ctx.org } : {}),
          ...(c.ok && c.value ? { tlsCertificateName: c.value as CertificateIdentifier } : {}),
          provenance: ctx.provenance(call.line),
          ...(span ? { spans: { tlsCertificateName: span } } : {}),
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

/** A span of the evaluated text on the line of the property it was read from (the text may start further down it). */
function spanIn(ctx: ScriptContext, span: ValueSpan | undefined): ValueSpan | undefined {
  if (!span) return undefined;
  const line = ctx.provenance(span.line).line;
  return line === undefined ? undefined : { ...span, line };
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

/** What a pipeline from `Get-*Connector` changes: every connector of that kind the stack knows, as filtered, and not those made elsewhere. */
function everyConnectorAdvisory(ctx: ScriptContext, call: CmdletCall, kind: string, selection: ConnectorSelection): Fact {
  const what = `every ${kind.replace("-", " ")}${selection.filters.length ? ` whose ${describeFilters(selection.filters)}` : ""}`;
  const reason = selection.unreadableFilter
    ? `${selection.unreadableFilter}: which connectors ${call.written} changes is not known, so none is checked; name the connector (-Identity) or filter on its name`
    : `${call.written} changes ${what} that Get-${selection.noun} finds: the pack applies it to each such connector the stack (or configuration) knows of; connectors made outside the stack are not known to it`;
  return unverifiable(ctx, call.line, `${call.written} (pipeline)`, "Identity", reason);
}
