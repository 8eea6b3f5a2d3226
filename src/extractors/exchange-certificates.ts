/**
 * Exchange certificate cmdlets → facts: New-, Import-, Enable- and Remove-ExchangeCertificate
 * (learn.microsoft.com/powershell/module/exchangepowershell/<cmdlet>). A certificate's content is
 * never read; what only the server knows is said as an unverifiable fact.
 */
import type { Fact } from "../model/facts";
import { thumbprintRef } from "../model/certificate-ref";
import { commonNameOf, normalizeHostName } from "../model/normalize";
import { texts, unverifiable, type ScriptContext } from "./exchange-values";
import { certificateRefOf, type CmdletCall, type PsValue } from "./powershell/evaluate";

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
export function newExchangeCertificateFacts(call: CmdletCall, ctx: ScriptContext): Fact[] {
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
export function certificateIdOf(ref: string, ctx: ScriptContext): string {
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

/** The certificate an Enable-/Remove-ExchangeCertificate names (-Thumbprint, or -Identity `Server\thumbprint`). */
function certificateNamed(call: CmdletCall, ctx: ScriptContext): { ref?: string; facts: Fact[] } {
  const v = call.parameters.get("Thumbprint") ?? call.parameters.get("Identity");
  if (v?.kind === "certificate") return { ref: certificateIdOf(certificateRefOf(v), ctx), facts: [] };
  if (v?.kind === "string" && v.value.trim()) return { ref: thumbprintRef(v.value), facts: [] };
  const reason = v?.kind === "unresolved" ? v.reason : "the certificate is not named (-Thumbprint or -Identity)";
  return { facts: [unverifiable(ctx, call.line, `${call.written}`, "Thumbprint", `${reason}; which certificate it acts on is not known`, v)] };
}

/** Enable-ExchangeCertificate -Services SMTP: the certificate its servers present for STARTTLS by default. */
export function enableExchangeCertificateFacts(call: CmdletCall, ctx: ScriptContext): Fact[] {
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
export function removeExchangeCertificateFacts(call: CmdletCall, ctx: ScriptContext): Fact[] {
  const { ref, facts } = certificateNamed(call, ctx);
  if (!ref) return facts;
  return [{ kind: "certificate-removal", certificate: ref, provenance: ctx.provenance(call.line) }];
}

/** Import-ExchangeCertificate: the certificate, and an advisory that its names are only known on the server. */
export function importExchangeCertificateFacts(call: CmdletCall, ctx: ScriptContext): Fact[] {
  // The certificate's content (-FileData) is never read: it may hold a private key.
  const written = call.parameters.get("Server");
  const server = written?.kind === "string" ? written.value : undefined;
  return [
    importedCertificate(call, ctx, server),
    unverifiable(
      ctx,
      call.line,
      `certificate imported${server ? ` on ${server}` : ""}`,
      "FileData",
      "its names and issuer are only known on the server; declare it with a Certificate descriptor (subject, issuer, dnsNames and its thumbprint, which Enable-ExchangeCertificate -Thumbprint and connectors refer to) or under mailflow-inventory.certificates, so its names can be checked",
    ),
  ];
}
