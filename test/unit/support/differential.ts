/**
 * The differential check behind the resource pass's speed: after every resource, what the pack
 * answers from its growing model must equal what a model rebuilt from every fact so far answers —
 * the model itself, what could not be verified, and each rule's findings that resource completes.
 * A difference would let `pulumi up --skip-preview` create a connector the rebuild would have stopped.
 */
import { configFacts } from "../../../src/extractors/config-facts";
import type { InventoryConfig } from "../../../src/config/schema";
import { extractResource } from "../../../src/extractors";
import type { ResourceInput } from "../../../src/extractors/types";
import { buildModel } from "../../../src/model/build";
import type { MailFlowModel } from "../../../src/model/types";
import { Session } from "../../../src/runner/session";
import { snapshotProps } from "../../../src/runner/snapshot";
import type { Rule } from "../../../src/rules/utils/define-rule";
import { checkRule } from "../../../src/rules/utils/define-rule";
import { urnOf, type TestResource } from "./stack";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { unknownCheckingProxy } = require("@pulumi/policy/proxy") as { unknownCheckingProxy<T>(v: T): T };

/** A test resource as a resource policy reads it (props through @pulumi/policy's proxy; no dependencies). */
export const policyInput = (r: TestResource): ResourceInput => ({
  urn: urnOf(r),
  name: r.name,
  type: r.type,
  props: snapshotProps(unknownCheckingProxy(structuredClone(r.props))),
  dependencies: [],
  propertyDependencies: {},
});

/** The model as data, in a form two models can be compared in (what could not be verified, as a set). */
function canonical(model: MailFlowModel): string {
  const { unverifiable, ...lists } = model;
  const items = unverifiable.map((u) => JSON.stringify(u)).sort();
  return JSON.stringify({ ...lists, unverifiable: items }, null, 1);
}

/** Every difference between the growing model's answers and a rebuild's, resource by resource; empty when none. */
export function incrementalDifferences(rules: readonly Rule[], resources: readonly TestResource[], config: InventoryConfig = {}): string[] {
  const session = new Session();
  session.setConfig(config);
  const inputs: ResourceInput[] = [];
  const out: string[] = [];
  for (const r of resources) {
    const input = policyInput(r);
    inputs.push(input);
    session.ingest(input);
    const grown = session.model();
    const facts = [...configFacts(config), ...inputs.flatMap(extractResource)];
    const rebuilt = buildModel(facts, { defaultTenant: config.defaultTenant, defaultOrganization: config.defaultOrganization, inferDefaults: false });
    const [a, b] = [canonical(grown), canonical(rebuilt)];
    if (a !== b) out.push(`after ${r.name}: the growing model differs from the rebuilt one\n${firstDifference(a, b)}`);
    const ownAdvisories = (m: MailFlowModel) => m.unverifiable.filter((u) => u.provenance.urn === input.urn).map((u) => JSON.stringify(u)).sort();
    const [ua, ub] = [session.unverifiableOf(input.urn).map((u) => JSON.stringify(u)).sort(), ownAdvisories(rebuilt)];
    if (JSON.stringify(ua) !== JSON.stringify(ub)) out.push(`after ${r.name}: what could not be verified differs\n  grown:   ${ua.join("\n           ")}\n  rebuilt: ${ub.join("\n           ")}`);
    for (const rule of rules) {
      const completed = (findings: ReturnType<typeof checkRule>) =>
        findings.filter((f) => f.provenance.some((p) => p.urn === input.urn)).map((f) => `${f.fingerprint} ${f.what} ${f.flow ?? ""} [${[...new Set(f.provenance.map((p) => p.urn.split("::").pop()))].join(", ")}]`).sort();
      const [fa, fb] = [completed(session.findingsNaming(rule, input.urn)), completed(checkRule(rule, { model: rebuilt, partial: true }))];
      if (JSON.stringify(fa) !== JSON.stringify(fb)) out.push(`after ${r.name}: ${rule.meta.id} differs\n  grown:   ${fa.join("\n           ")}\n  rebuilt: ${fb.join("\n           ")}`);
    }
  }
  return out;
}

function firstDifference(a: string, b: string): string {
  const [la, lb] = [a.split("\n"), b.split("\n")];
  const i = la.findIndex((line, k) => line !== lb[k]);
  return `  line ${i}:\n  grown:   ${la.slice(Math.max(0, i - 3), i + 3).join("\n           ")}\n  rebuilt: ${lb.slice(Math.max(0, i - 3), i + 3).join("\n           ")}`;
}
