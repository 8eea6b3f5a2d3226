/**
 * When two findings are the same finding: the same fingerprint, or the same rule about the same
 * subject on statements one of which holds the other's. Names in a fingerprint can change as more of
 * the stack is known (a Send connector's organisation is its server until an organisation descriptor
 * claims that server), and a fuller view can add statements (the certificate a connector names, once
 * it is described); the statements stay. The subject (a finding's first statement: the connector or
 * certificate it is about) must be the same: two connectors of one tenant share the tenant's
 * statements, and one connector's finding must not hide the other's.
 */
import type { Finding } from "../findings/types";
import type { Provenance } from "../model/types";

export class SameFindings {
  private readonly byFingerprint = new Map<string, string>();
  /** Statement sets filed under `rule|subject statement`: a lookup reads only findings about the same subject. */
  private readonly bySubject = new Map<string, Array<{ statements: Set<string>; urn: string }>>();

  add(f: Finding, urn = ""): void {
    this.byFingerprint.set(f.fingerprint, urn);
    const statements = statementsOf(f);
    if (statements.size === 0) return;
    const key = `${f.ruleId}|${subjectStatement(f)}`;
    const filed = this.bySubject.get(key) ?? [];
    filed.push({ statements, urn });
    this.bySubject.set(key, filed);
  }

  /**
   * The URN recorded with the same finding, if one was added: same fingerprint, or the same subject
   * on fewer statements (`eitherWay`: or on more — states of one stack judged side by side).
   */
  recordedOn(f: Finding, eitherWay = false): string | undefined {
    const byFingerprint = this.byFingerprint.get(f.fingerprint);
    if (byFingerprint !== undefined) return byFingerprint;
    const statements = statementsOf(f);
    for (const r of this.bySubject.get(`${f.ruleId}|${subjectStatement(f)}`) ?? []) {
      if ([...r.statements].every((s) => statements.has(s))) return r.urn;
      if (eitherWay && [...statements].every((s) => r.statements.has(s))) return r.urn;
    }
    return undefined;
  }

  covers(f: Finding, eitherWay = false): boolean {
    return this.recordedOn(f, eitherWay) !== undefined;
  }
}

const statementOf = (p: Provenance): string => `${p.urn}|${p.property ?? ""}|${p.line ?? ""}`;

/** The statement a finding is about: its first provenance (rules list their subject first). */
const subjectStatement = (f: Finding): string => (f.provenance[0] ? statementOf(f.provenance[0]) : "");

const statementsOf = (f: Finding): Set<string> => new Set(f.provenance.map(statementOf));
