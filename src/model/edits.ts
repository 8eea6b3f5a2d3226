/**
 * A fix as the model sees it: edits of the mail-flow configuration (set a connector's field, pin a
 * Send connector to a certificate, remove a name from a certificate, add an accepted domain, introduce
 * a dedicated certificate, store the hybrid certificate). A plan of such edits is proven by applying it
 * to the facts a model is built from and judging again (src/runner/prove.ts); where an edit lands in
 * the facts (`changesOf`) is also where a reporter shows the user what to change: the statement that
 * set the value, the descriptor that declared it, or something to add.
 */
import type { Fact, InboundConnectorFact, SendConnectorFact } from "./facts";
import { identityName, lower } from "./normalize";
import type { Certificate, CertificateIdentifier, MailFlowModel, Provenance } from "./types";

/** A connector as a plan names it: its kind, its owner (a tenant's id or an organisation's id), its name. */
export interface ConnectorRef {
  kind: "inbound" | "send";
  owner: string;
  name: string;
}

/** The certificate a plan introduces: named from what the stack declares, issued by a public CA. */
export interface NewCertificate {
  name: string;
  /** The organisation that installs it (an Exchange organisation or a gateway). */
  org: string;
  /** Its issuer, when the stack declares one; otherwise nobody has (a placeholder when shown). */
  issuer?: string;
}

export type ModelEdit =
  | { kind: "set-connector-field"; connector: ConnectorRef; field: string; value: unknown }
  | { kind: "pin-send-connector"; connector: ConnectorRef; certificate: { name: string; issuer?: string; id?: string } }
  | { kind: "remove-certificate-name"; certificate: string; name: string }
  | { kind: "add-accepted-domain"; tenant: string; domain: string }
  | { kind: "add-certificate"; certificate: NewCertificate }
  | { kind: "store-hybrid-certificate"; org: string; identifier: CertificateIdentifier }
  | { kind: "add-inbound-connector"; tenant: string; name: string; tlsSenderCertificateName: string };

/** Where facts a plan adds come from: no resource states them yet. */
export const PLANNED: Provenance = Object.freeze({ urn: "", resourceName: "(fix)", resourceType: "", property: "fix" });

/** The id of a certificate a plan introduces. */
export const plannedCertificateId = (name: string): string => `fix:${lower(name)}`;

/**
 * The issuer of a certificate nobody declared yet: a named placeholder, written the same on the
 * certificate and where a connector pins it, and proven so (the user writes the CA's name in both).
 */
export const placeholderIssuer = (name: string): string => `<issuer of ${lower(name)}>`;

/** The certificate identifier a pin writes: issuer and `CN=<name>`. */
export function pinIdentifier(certificate: { name: string; issuer?: string }): CertificateIdentifier {
  const issuer = certificate.issuer ?? placeholderIssuer(certificate.name);
  const subject = `CN=${lower(certificate.name)}`;
  return { issuer, subject, raw: `<I>${issuer}<S>${subject}` };
}

/** One fact a plan changes: as it was, as the plan leaves it, and which fields it sets. */
export interface ChangedFact {
  before: Fact;
  after: Fact;
  fields: string[];
}

/** What a plan does to a stack's facts: facts replaced (by identity) and facts added after all others. */
export interface FactChanges {
  replace: Map<Fact, ChangedFact>;
  append: Fact[];
}

type ConnectorFactKind = "inbound-connector" | "send-connector";
const FACT_KIND: Record<ConnectorRef["kind"], ConnectorFactKind> = { inbound: "inbound-connector", send: "send-connector" };

function connectorOf(model: MailFlowModel, ref: ConnectorRef): { provenance: Provenance[]; name: string } | undefined {
  const name = identityName(ref.name);
  if (ref.kind === "inbound") return model.inboundConnectors.find((c) => c.tenant === ref.owner && identityName(c.name) === name);
  return model.sendConnectors.find((c) => c.org === ref.owner && identityName(c.name) === name);
}

/** The facts that state a connector of `model`, in the order given. */
function statementsOf(model: MailFlowModel, facts: readonly Fact[], ref: ConnectorRef): Array<InboundConnectorFact | SendConnectorFact> {
  const c = connectorOf(model, ref);
  if (!c) return [];
  const stated = new Set(c.provenance);
  const name = identityName(c.name);
  return facts.filter(
    (f): f is InboundConnectorFact | SendConnectorFact => f.kind === FACT_KIND[ref.kind] && stated.has(f.provenance) && !f.selection && identityName(f.identity) === name,
  );
}

const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

class Changes {
  readonly replace = new Map<Fact, ChangedFact>();
  readonly append: Fact[] = [];

  current(f: Fact): Fact {
    return this.replace.get(f)?.after ?? f;
  }

  set(f: Fact, after: Fact, fields: readonly string[]): void {
    const known = this.replace.get(f);
    this.replace.set(f, { before: f, after, fields: [...new Set([...(known?.fields ?? []), ...fields])] });
  }
}

/**
 * Sets a connector field where the stack sets it: in every statement that sets it to another value
 * (the last one decides the end state, an earlier one a state part way); where no statement sets it,
 * in the statement that creates the connector, else its last statement. False when no statement states it.
 */
function setField(changes: Changes, model: MailFlowModel, facts: readonly Fact[], ref: ConnectorRef, field: string, value: unknown): boolean {
  const statements = statementsOf(model, facts, ref);
  if (statements.length === 0) return false;
  const setting = statements.filter((f) => (changes.current(f) as { fields: Record<string, unknown> }).fields[field] !== undefined);
  const targets = setting.length > 0 ? setting : [statements.find((f) => "op" in f && f.op === "new") ?? statements.at(-1)!];
  for (const f of targets) {
    const now = changes.current(f) as Fact & { fields: Record<string, unknown>; unknown: string[] };
    if (sameValue(now.fields[field], value) && !now.unknown.includes(field)) continue;
    changes.set(f, { ...now, fields: { ...now.fields, [field]: value }, unknown: now.unknown.filter((u) => u !== field) } as Fact, [field]);
  }
  return true;
}

function certificateFactOf(facts: readonly Fact[], id: string): Extract<Fact, { kind: "certificate" }> | undefined {
  return facts.find((f): f is Extract<Fact, { kind: "certificate" }> => f.kind === "certificate" && f.certificate.id === id);
}

function plannedCertificate(c: NewCertificate): Certificate {
  const name = lower(c.name);
  return {
    id: plannedCertificateId(name),
    label: name,
    subjectCN: name,
    subjectDN: `CN=${name}`,
    sanDns: [name],
    issuerDN: c.issuer ?? placeholderIssuer(name),
    trust: "public",
    servers: [],
    // Pinned by the connectors that present it, not enabled as the servers' SMTP default: an unpinned connector would present it too.
    services: [],
    org: c.org,
    unknown: [],
    provenance: [PLANNED],
  };
}

function apply(changes: Changes, model: MailFlowModel, facts: readonly Fact[], edit: ModelEdit): boolean {
  switch (edit.kind) {
    case "set-connector-field":
      return setField(changes, model, facts, edit.connector, edit.field, edit.value);
    case "pin-send-connector": {
      const statements = statementsOf(model, facts, edit.connector);
      // A gateway's connector (a descriptor) presents the certificate bound to it; an Exchange connector the one TlsCertificateName names.
      if (statements.some((f) => f.kind === "send-connector" && f.fields.certificateIds !== undefined && f.provenance.property?.startsWith("connectors"))) {
        return setField(changes, model, facts, edit.connector, "certificateIds", [edit.certificate.id ?? plannedCertificateId(edit.certificate.name)]);
      }
      const name = lower(edit.certificate.name);
      const pinned = setField(changes, model, facts, edit.connector, "tlsCertificateName", pinIdentifier(edit.certificate)) && setField(changes, model, facts, edit.connector, "fqdn", name);
      // A certificate the statement bound by reference (a thumbprint read at run time) is no longer what it presents.
      const bound = (f: Fact): boolean => {
        const ids = (changes.current(f) as SendConnectorFact).fields.certificateIds;
        return Array.isArray(ids) ? ids.length > 0 : ids !== undefined;
      };
      if (pinned && statements.some(bound)) setField(changes, model, facts, edit.connector, "certificateIds", []);
      return pinned;
    }
    case "remove-certificate-name": {
      const f = certificateFactOf(facts, edit.certificate);
      const name = lower(edit.name);
      if (!f || f.certificate.subjectCN === name || !f.certificate.sanDns.includes(name)) return false;
      changes.set(f, { kind: "certificate", certificate: { ...f.certificate, sanDns: f.certificate.sanDns.filter((n) => n !== name) } }, ["dnsNames"]);
      return true;
    }
    case "add-accepted-domain": {
      const domain = lower(edit.domain);
      const tenant = model.tenants.find((t) => t.id === edit.tenant);
      if (!tenant) return false;
      if (tenant.acceptedDomains.some((d) => d.name === domain)) return true;
      const declaring = new Set(tenant.provenance);
      const f = [...facts].reverse().find((x): x is Extract<Fact, { kind: "tenant" }> => x.kind === "tenant" && declaring.has(x.provenance) && x.acceptedDomains !== undefined);
      if (f) {
        const now = changes.current(f) as typeof f;
        changes.set(f, { ...now, acceptedDomains: [...(now.acceptedDomains ?? []), { name: domain, matchSubDomains: false }] }, ["acceptedDomains"]);
      } else changes.append.push({ kind: "accepted-domain", scope: "tenant", owner: edit.tenant, domain, provenance: PLANNED });
      return true;
    }
    case "add-certificate":
      if (!certificateFactOf(changes.append, plannedCertificateId(edit.certificate.name))) changes.append.push({ kind: "certificate", certificate: plannedCertificate(edit.certificate) });
      return true;
    case "add-inbound-connector":
      changes.append.push({
        kind: "inbound-connector",
        op: "new",
        identity: edit.name,
        tenant: edit.tenant,
        fields: { connectorType: "OnPremises", senderDomains: ["*"], requireTls: true, tlsSenderCertificateName: lower(edit.tlsSenderCertificateName) },
        unknown: [],
        provenance: PLANNED,
      });
      return true;
    case "store-hybrid-certificate": {
      const stated = facts.filter((f): f is Extract<Fact, { kind: "hybrid-configuration" }> => f.kind === "hybrid-configuration" && lower(f.org ?? "") === edit.org && f.tlsCertificateName !== undefined);
      if (stated.length === 0) return false;
      for (const f of stated) changes.set(f, { ...(changes.current(f) as typeof f), tlsCertificateName: edit.identifier }, ["tlsCertificateName"]);
      return true;
    }
  }
}

/**
 * Where a plan lands in `facts` (the canonical order; `model` is built from them): the facts it
 * changes and those it adds. Undefined when an edit finds nothing to change (a connector no
 * statement states, a certificate name that is its subject).
 */
export function changesOf(model: MailFlowModel, facts: readonly Fact[], edits: readonly ModelEdit[]): FactChanges | undefined {
  const changes = new Changes();
  for (const edit of edits) if (!apply(changes, model, facts, edit)) return undefined;
  return { replace: changes.replace, append: changes.append };
}

/** The facts of one judged state with a plan's changes made: changed facts in their place, added ones last. */
export function withChanges(facts: readonly Fact[], changes: FactChanges): Fact[] {
  return [...facts.map((f) => changes.replace.get(f)?.after ?? f), ...changes.append];
}
