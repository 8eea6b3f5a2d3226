/**
 * The runner's passes, as the Pulumi engine drives them. Each resource policy call reads its resource
 * into the session. The stack pass judges the whole stack (one verdict per run, shared by every
 * policy's stack part, ./stack-verdict.ts): the same stack gives the same findings on the same
 * resources whatever order the engine registered or lists them in. During an update, the resource
 * pass also reports each finding on the resource that completes it as it registers, so the update
 * stops before that resource is created; the stack pass then adds only what it did not report. A
 * failure is never a pass: it becomes a message naming the policy that ran and the resource, for the
 * reporter to report as that policy's violation.
 */
import type { PolicyResource, ResourceValidationArgs } from "@pulumi/policy";
import { writeFileSync } from "node:fs";
import type { InventoryConfig } from "../config/schema";
import { scrubSecrets } from "../extractors/powershell/redact";
import type { ResourceInput } from "../extractors/types";
import type { Finding } from "../findings/types";
import type { Rule } from "../rules/utils/define-rule";
import { Session, type Identity } from "./session";
import { rawProps, snapshotProps } from "./snapshot";
import { StackVerdict, type StackFinding } from "./stack-verdict";

/**
 * What the engine runs: a preview (`pulumi preview`, the preview of `pulumi up`, `pulumi policy
 * analyze`), where the whole stack is judged once, or an update, where the resource that completes a
 * conflict must be stopped before it is created. The engine tells a Node.js policy pack in
 * PULUMI_NODEJS_DRY_RUN (pkg/resource/plugin/analyzer_plugin.go, constructEnv); `policy analyze` sets
 * nothing and analyzes what exists, as a preview.
 */
export type RunMode = "preview" | "update";
export const runModeOf = (env: NodeJS.ProcessEnv = process.env): RunMode => (env.PULUMI_NODEJS_DRY_RUN === "false" ? "update" : "preview");

/**
 * Runs a policy's work; a failure becomes one message (naming the policy, the resource and the error,
 * secrets masked) through `fail`, never swallowed: a check that crashed has not passed.
 */
export function guarded<T>(policy: string, resource: string, fail: (message: string) => void, work: () => T[]): T[] {
  try {
    return work();
  } catch (e) {
    const error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    fail(
      `mailflow-guard could not run ${policy} on ${resource}: ${scrubSecrets(error.split("\n")[0]!.slice(0, 200))}. ` +
        "The check did not pass; it failed. Report this with the resource's type (not its secrets) and exempt the policy only while it is investigated.",
    );
    return [];
  }
}

function resourceInput(args: ResourceValidationArgs): ResourceInput {
  // Dependencies are not part of ResourceValidationArgs; Pulumi links come from stack resources.
  return { urn: args.urn, name: args.name, type: args.type, props: snapshotProps(args.props), dependencies: [], propertyDependencies: {} };
}

/** `props`: already snapshotted for the same inputs (by the resource pass), else snapshotted here. */
function stackResourceInput(r: PolicyResource, props?: Record<string, unknown>): ResourceInput {
  const propertyDependencies: Record<string, string[]> = {};
  for (const [k, deps] of Object.entries(r.propertyDependencies ?? {})) propertyDependencies[k] = deps.map((d) => d.urn);
  return {
    urn: r.urn,
    name: r.name,
    type: r.type,
    props: props ?? snapshotProps(r.props),
    dependencies: (r.dependencies ?? []).map((d) => d.urn),
    propertyDependencies,
  };
}

const NO_DEPENDENCIES: readonly string[] = Object.freeze([]);

const stackIdentity = (r: PolicyResource): Identity => ({ type: r.type, props: rawProps(r.props), dependencies: r.dependencies?.length ? r.dependencies.map((d) => d.urn) : NO_DEPENDENCIES });

/**
 * Reads a resource policy's resource into the session, unless the session holds it with the same
 * inputs: then nothing else is made (most calls; for a bystander, a look at its props for a PEM certificate).
 */
export function admit(session: Session, args: ResourceValidationArgs): void {
  const identity: Identity = { type: args.type, props: rawProps(args.props), dependencies: NO_DEPENDENCIES };
  if (session.holdsAsIs(args.urn, identity)) return;
  session.admit(args.urn, args.name, identity, () => resourceInput(args));
}

/** The resource whose registration completes a finding: the latest registered among its resources. */
export function completingUrn(session: Session, f: Finding): string | undefined {
  let best: { urn: string; order: number } | undefined;
  for (const p of f.provenance) {
    const order = session.order(p.urn);
    if (order >= 0 && (!best || order > best.order)) best = { urn: p.urn, order };
  }
  return best?.urn;
}

/**
 * The resource pass of one rule on one resource: the findings this resource completes that no other
 * resource was reported for. `fail` receives the message of a failure (see guarded).
 */
export function findingsCompletedBy(session: Session, rule: Rule, policy: string, args: ResourceValidationArgs, fail: (message: string) => void): Finding[] {
  admit(session, args);
  if (!session.canCompleteFindings(args.urn)) return [];
  return guarded(policy, args.name, fail, () => session.findingsNaming(rule, args.urn)).filter((f) => {
    const reportedOn = session.reportedOn(f);
    return (reportedOn === undefined || reportedOn === args.urn) && completingUrn(session, f) === args.urn;
  });
}

/**
 * The whole stack's verdict, shared by every policy's stack part in one run (each receives its own
 * copy of the same resources): extracted once, reusing what the resource pass already read.
 */
export class WholeStack {
  private whole: { config: InventoryConfig; verdict: StackVerdict } | undefined;

  constructor(private readonly resourcePass: Session) {}

  of(resources: readonly PolicyResource[]): StackVerdict {
    const config = this.resourcePass.getConfig();
    // Props compared as deserialized: a stack policy that finds the same stack reads nothing again.
    const held = this.whole && this.whole.config === config && this.whole.verdict.session.holds(resources.length, (i) => resources[i]!.urn, (i) => stackIdentity(resources[i]!));
    if (held) return this.whole!.verdict;
    const s = new Session({ wholeStack: true });
    s.setConfig(config);
    for (const r of resources) s.admit(r.urn, r.name, stackIdentity(r), (props) => stackResourceInput(r, props), this.resourcePass);
    const verdict = new StackVerdict(s, config);
    this.whole = { config, verdict };
    return verdict;
  }

  /**
   * The stack pass of one rule: each of its findings that the resource pass has not reported, with
   * the resource to report it on. Lazy: a finding reported while the caller walks them hides the
   * later ones it covers.
   */
  *findings(verdict: StackVerdict, rule: Rule, policy: string, fail: (message: string) => void): Generator<StackFinding> {
    for (const found of guarded(policy, "(stack)", fail, () => verdict.findings(rule))) {
      if (this.resourcePass.reportedOn(found.finding) !== undefined) continue;
      yield found;
    }
  }
}

/**
 * MAILFLOW_GUARD_DUMP_MODEL=<file>: write the mail-flow model as the pack sees it (the whole stack's,
 * once the stack pass ran) — for debugging a stack and for end-to-end tests.
 */
export function dumpModel(model: () => unknown): void {
  const path = process.env.MAILFLOW_GUARD_DUMP_MODEL;
  if (!path) return;
  try {
    writeFileSync(path, JSON.stringify(model(), null, 2));
  } catch (e) {
    console.error(`mailflow-guard: cannot write the model to ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
