/** Issue 16's corpus (test/corpus/corpus.ts): what the pack reads from each script, and the verdict. */
import { beforeAll, describe, expect, it } from "vitest";
import { extractResource, loadExtractors } from "../../src/extractors";
import { buildModel } from "../../src/model/build";
import { rules } from "../../src/rules";
import { resourceInput } from "../unit/support/resources";
import { SUMMARY_POLICY } from "../../src/reporters/pulumi/run-summary";
import { runStack } from "../unit/support/rule-tester";
import { hybridSend, internetDirect, publicCert, tenant } from "../unit/support/scenarios";
import { exo, onPrem, urnOf, type TestResource } from "../unit/support/stack";
import { CORPUS, type CorpusCase } from "./corpus";

beforeAll(loadExtractors);

const HOST = "ex01.contoso.com";
/** The stack every script runs beside: dedicated hybrid and internet certificates, as after the fix of the seed incidents. */
const STACK: TestResource[] = [
  tenant("contoso.onmicrosoft.com", ["contoso.com", "smtpo365.contoso.com"]),
  publicCert("hybrid-cert", "smtpo365.contoso.com"),
  publicCert("wildcard-cert", "*.contoso.com"),
  publicCert("internet-cert", "mx01.contoso.com", { issuer: "CN=R11, O=Let's Encrypt, C=US" }),
  hybridSend("hybrid-send", HOST, "contoso.mail.onmicrosoft.com", "smtpo365.contoso.com"),
  internetDirect("internet-send", HOST, "mx01.contoso.com", "mx01.contoso.com"),
];

const scriptResource = (c: CorpusCase): TestResource => (c.runs === "onprem" ? onPrem("script", HOST, c.script) : exo("script", c.script));

/** The connectors and certificates the script states, as a reader writes them down. */
function summarize(c: CorpusCase): string[] {
  const resource = scriptResource(c);
  const urn = urnOf(resource);
  const model = buildModel([...STACK, resource].flatMap((r) => extractResource(resourceInput(r.type, r.props, r.name))));
  const byScript = (e: { provenance: Array<{ urn: string }> }) => e.provenance.some((p) => p.urn === urn);
  const certificateLabel = (id: string) => model.certificates.find((x) => x.id === id)?.label ?? id;
  return [
    ...model.sendConnectors.filter(byScript).map((s) => `send '${s.name}' of ${s.org}: ${s.tlsCertificateName ? s.tlsCertificateName.subject : "no name"}${s.certificateIds.length ? ` [${s.certificateIds.map(certificateLabel).join(", ")}]` : ""}`),
    ...model.receiveConnectors.filter(byScript).map((r) => `receive '${r.name}' of ${r.org}: ${r.tlsCertificateName?.subject ?? "no name"}`),
    ...model.inboundConnectors.filter(byScript).map((i) => `inbound '${i.name}' of ${i.tenant}: ${i.connectorType} ${i.tlsSenderCertificateName ?? "(no certificate name)"}`),
    ...model.outboundConnectors.filter(byScript).map((o) => `outbound '${o.name}' of ${o.tenant}: ${o.connectorType}`),
    ...model.certificates.filter(byScript).map((x) => `certificate '${x.label}': ${x.trust}${x.unknown.includes("names") ? ", names unknown" : ""}${x.services.length ? ` for ${x.services.join(", ")}` : ""}`),
  ];
}

async function verdict(c: CorpusCase): Promise<string[]> {
  // The script runs after the stack it changes exists (it depends on it, as a re-pinning hook does).
  const violations = await runStack(rules, [...STACK, scriptResource(c)], {}, { chain: true });
  // The minimal stack has no inbound hybrid path, so that rule fires on every case: it is not what the corpus is about.
  // The run's summary line is not what the corpus is about either.
  const relevant = violations.filter((v) => !v.policy.startsWith("tenant-domain-missing-from-hybrid-path") && v.policy !== SUMMARY_POLICY);
  return [...new Set(relevant.map((v) => `${v.level} ${v.policy} -> ${v.resource}`))].sort();
}

describe("the corpus: scripts administrators run", () => {
  it("has 20 scripts or more", () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(20);
  });
  it.each(CORPUS.map((c) => [c.name, c] as const))("%s: read as a human reads it", (_name, c) => {
    expect(summarize(c)).toEqual(c.reads);
  });
  it.each(CORPUS.map((c) => [c.name, c] as const))("%s: verdict", async (_name, c) => {
    expect(await verdict(c)).toEqual(c.verdict);
  });
});
