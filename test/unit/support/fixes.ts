/**
 * A test stack's proven fixes, as the stack pass proves and renders them: the whole stack read into a
 * session (declared order, each resource depending on the one before, as the RuleTester's `chain`),
 * its verdict, every rule's findings proven together, grouped by plan, rendered.
 */
import type { InventoryConfig } from "../../../src/config/schema";
import type { Finding } from "../../../src/findings/types";
import { placeholderIssuer, plannedCertificateId, type ModelEdit } from "../../../src/model/edits";
import { editedScript, type ScriptChange } from "../../../src/reporters/fix/changes";
import { addedNames } from "../../../src/reporters/fix/pulumi";
import { renderFix, type RenderedFix } from "../../../src/reporters/fix/render";
import { connectExchangeOnline, exchangeOnlineScript, newInboundConnector } from "../../../src/sdk/scripts";
import { FixBook } from "../../../src/runner/fix-book";
import type { ProvenFix } from "../../../src/runner/prove";
import { Session } from "../../../src/runner/session";
import { StackVerdict } from "../../../src/runner/stack-verdict";
import { snapshotProps } from "../../../src/runner/snapshot";
import { rules } from "../../../src/rules";
import { defaultEnforcement } from "../../../src/rules/utils/define-rule";
import { stackResources } from "./rule-tester";
import { certificateDescriptor, exo, tenantDescriptor, type TestResource } from "./stack";

/** Whether a rule's findings block at its default level (critical and high). */
export const blocksByDefault = (ruleId: string): boolean => {
  const rule = rules.find((r) => r.meta.id === ruleId);
  return rule ? defaultEnforcement(rule.meta.severity) === "mandatory" : false;
};

/** The whole-stack verdict of a test stack, as the stack pass makes it. */
export function verdictOf(resources: readonly TestResource[], config: InventoryConfig = {}, chain = true): StackVerdict {
  const session = new Session({ wholeStack: true });
  session.setConfig(config);
  for (const r of stackResources(resources, chain)) {
    const dependencies = [...(r.dependencies ?? [])];
    session.admit(r.urn, r.name, { type: r.type, props: r.props, dependencies }, () => ({ urn: r.urn, name: r.name, type: r.type, props: snapshotProps(structuredClone(r.props)), dependencies, propertyDependencies: {} }));
  }
  return new StackVerdict(session, config);
}

export interface StackFix {
  finding: Finding;
  proven?: ProvenFix;
  rendered?: RenderedFix;
}

/** Every rule's findings on the stack, each with its proven fix rendered (the same one for a group). */
export function provenFixes(verdict: StackVerdict): StackFix[] {
  const findings = rules.flatMap((rule) => verdict.findings(rule).map((f) => ({ finding: f.finding, urn: f.urn ?? "" })));
  const proof = verdict.proof(blocksByDefault);
  const book = new FixBook(
    findings.map((f) => ({ ...f, level: blocksByDefault(f.finding.ruleId) ? ("mandatory" as const) : ("advisory" as const), waived: false })),
    proof.fixes,
  );
  const context = {
    model: verdict.model(),
    facts: verdict.facts(),
    resource: (urn: string) => verdict.session.resource(urn),
    names: new Set(verdict.session.stackNodes().map((n) => n.name)),
  };
  return findings.map(({ finding }) => {
    const entry = book.of(finding);
    if (!entry) return { finding };
    const changes = verdict.changes(entry.fix.plan.edits);
    return { finding, proven: entry.fix, ...(changes ? { rendered: renderFix(entry, changes, context) } : {}) };
  });
}

/**
 * A rendered fix pasted into a test stack, as a user would: each script edit made at the place it
 * names (resource, line, columns), each descriptor input given its new value, each added resource
 * declared after the others. `unplaced`: script changes the fix could only say (no place to edit).
 */
export function pasteFix(resources: readonly TestResource[], rendered: RenderedFix, edits: readonly ModelEdit[]): { resources: TestResource[]; unplaced: number } {
  const out = resources.map((r) => ({ ...r, props: structuredClone(r.props) }));
  const byName = (name: string) => out.find((r) => r.name === name);
  const changes = rendered.changes;
  let unplaced = 0;
  const scripts = new Map<string, ScriptChange[]>();
  for (const c of changes.scripts) scripts.set(`${c.resource.name}\u0000${c.property}`, [...(scripts.get(`${c.resource.name}\u0000${c.property}`) ?? []), c]);
  for (const list of scripts.values()) {
    const r = byName(list[0]!.resource.name)!;
    const text = editedScript(String(r.props[list[0]!.property]), list);
    if (text === undefined) unplaced += list.length;
    else r.props[list[0]!.property] = text;
  }
  const added = addedNames(edits, new Set(resources.map((r) => r.name)));
  for (const c of changes.inputs) {
    const r = byName(c.provenance.resourceName);
    if (!r) throw new Error(`the fix changes ${c.provenance.resourceName}, which the stack does not declare as a resource`);
    const certificate = /^connectors\[(\d+)\]\.certificate$/.exec(c.property);
    if (certificate) {
      const ref = (c.after as string[])[0]!;
      (r.props.connectors as Array<Record<string, unknown>>)[Number(certificate[1])]!.certificate = added.get(ref) ?? ref;
    } else if (c.property.includes(".")) {
      const [, i] = /^connectors\[(\d+)\]/.exec(c.property)!;
      ((r.props.connectors as Array<Record<string, unknown>>)[Number(i)]!.certificate as Record<string, unknown>).dnsNames = c.after;
    } else r.props[c.property] = c.after;
  }
  for (const e of changes.additions) {
    if (e.kind === "add-certificate") {
      const c = e.certificate;
      out.push(certificateDescriptor(added.get(plannedCertificateId(c.name))!, { subject: `CN=${c.name}`, dnsNames: [c.name], issuer: c.issuer ?? placeholderIssuer(c.name), trust: "public", organization: c.org }));
    }
    if (e.kind === "add-inbound-connector") {
      const script = exchangeOnlineScript([connectExchangeOnline({ organization: e.tenant }), newInboundConnector({ name: e.name, connectorType: "OnPremises", senderDomains: ["*"], requireTls: true, tlsSenderCertificateName: e.tlsSenderCertificateName })]);
      out.push(exo(added.get(`inbound:${e.tenant}:${e.name}`)!, script));
    }
    if (e.kind === "add-accepted-domain") {
      const name = added.get(`tenant:${e.tenant}`)!;
      const declared = out.find((r) => r.name === name);
      if (declared) (declared.props.acceptedDomains as string[]).push(e.domain);
      else out.push(tenantDescriptor(name, { initialDomain: e.tenant, acceptedDomains: [e.domain] }));
    }
  }
  return { resources: out, unplaced };
}
