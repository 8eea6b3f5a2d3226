/**
 * Runs a stack through the pack's policies in process, the way the Pulumi engine's analyzer does:
 * each resource through every resource policy in registration order (props behind @pulumi/policy's
 * own unknown-checking proxy, a fresh copy per policy as the server deserializes them), then every
 * stack policy, with the stack listed in an order of the caller's choosing and each resource's
 * dependencies as the engine resolves them. For tests and the benchmark: no gRPC server is started.
 */
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import type { InventoryConfig } from "../../config/schema";
import type { Rule } from "../../rules/utils/define-rule";
import type { RunMode } from "../../runner/passes";
import { setEngineConfiguration, type EngineLevel } from "./engine-config";
import { createPolicies, INVENTORY_POLICY } from "./policies";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { unknownCheckingProxy } = require("@pulumi/policy/proxy") as { unknownCheckingProxy<T>(v: T): T };

export interface StackResource {
  urn: string;
  name: string;
  type: string;
  props: Record<string, unknown>;
  /** URNs of the resources it depends on (`dependsOn` and the outputs its inputs use). */
  dependencies?: readonly string[];
}

export interface InProcessOptions {
  /** Adds up the time spent inside the pack's policies (not making the copies), for the benchmark. */
  clock?: { packMs: number };
  /** A preview (the default, as `pulumi preview` and `policy analyze`) or an update. */
  mode?: RunMode;
  /** The order the stack policies receive the resources in (default: registration order). */
  listing?: readonly StackResource[];
  /**
   * Levels set in the policy-pack configuration (`--policy-pack-config`), by policy name (`all` too;
   * unknown names as well): the engine's reconciled configuration, as the pack would observe it.
   */
  levels?: Readonly<Record<string, EngineLevel>>;
}

export interface Violation {
  policy: string;
  /** Resource name, or `(stack)` for a stack-level violation not tied to a resource. */
  resource: string;
  /** As @pulumi/policy's server shows it: the policy description, then the message. */
  message: string;
  /** The policy's enforcement level (its own: pack-level configuration is not modelled here). */
  level: string;
}

const asServerMessage = (description: string, message: unknown): string => (message ? `${description}\n${String(message)}` : description);

/**
 * A violation as @pulumi/policy's server records it (makeReportViolationFun): a string gains the
 * policy's description and level; the report object sets its own message and level.
 */
function serverViolation(p: { name: string; description: string; enforcementLevel?: string }, message: unknown, urn?: string): { message: string; level: string; urn?: string } {
  if (typeof message === "object" && message !== null) {
    const o = message as { message?: string; enforcementLevel?: string; urn?: string };
    return { message: o.message ?? p.description, level: o.enforcementLevel ?? p.enforcementLevel ?? "advisory", ...(o.urn ? { urn: o.urn } : {}) };
  }
  return { message: asServerMessage(p.description, message), level: p.enforcementLevel ?? "advisory", ...(urn ? { urn } : {}) };
}

function notApplicable(reason?: string): never {
  throw new Error(`notApplicable: ${reason}`);
}

// Made once, not per call: what the harness makes per call is not the pack's time.
const isNoType = (): boolean => false;
const asNoType = (): undefined => undefined;
const RESOURCE_OPTIONS = Object.freeze({ protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] });

/**
 * Every violation of the given rules' policies on the stack, inventory advisories included. Each
 * policy call gets its own copy of the resource when it is made, as the policy server deserializes
 * one per call. `clock`: adds up the time spent inside the pack's policies (not making the copies),
 * for the benchmark.
 */
export function analyzeInProcess(rules: readonly Rule[], resources: readonly StackResource[], config: InventoryConfig = {}, options: InProcessOptions = {}): Promise<Violation[]> {
  return analyzeWithPolicies(createPolicies(rules, { mode: options.mode ?? "preview" }), resources, config, options);
}

/** As analyzeInProcess, with any policies (the benchmark measures an empty pack of as many policies through the same harness). */
export async function analyzeWithPolicies(
  policies: ReadonlyArray<ResourceValidationPolicy | StackValidationPolicy>,
  resources: readonly StackResource[],
  config: InventoryConfig = {},
  { clock, listing = resources, levels }: InProcessOptions = {},
): Promise<Violation[]> {
  // As the engine reconciles it: every policy at its configured level (`all` first), unknown names kept.
  const configured = new Map<string, EngineLevel>();
  if (levels) {
    for (const p of policies) configured.set(p.name, levels[p.name] ?? levels.all ?? ((p.enforcementLevel ?? "advisory") as EngineLevel));
    for (const [name, level] of Object.entries(levels)) if (!configured.has(name)) configured.set(name, level);
  }
  setEngineConfiguration(levels ? { names: [...configured.keys()], levels: configured } : undefined);
  try {
    return await analyze(policies, resources, config, clock, listing, (p) => configured.get(p.name) ?? p.enforcementLevel ?? "advisory");
  } finally {
    setEngineConfiguration(undefined);
  }
}

async function analyze(
  policies: ReadonlyArray<ResourceValidationPolicy | StackValidationPolicy>,
  resources: readonly StackResource[],
  config: InventoryConfig,
  clock: { packMs: number } | undefined,
  listing: readonly StackResource[],
  levelOf: (p: { name: string; enforcementLevel?: string }) => string,
): Promise<Violation[]> {
  const timed = async (call: () => Promise<void> | void): Promise<void> => {
    const start = performance.now();
    await call();
    if (clock) clock.packMs += performance.now() - start;
  };
  const violations: Violation[] = [];
  const byUrn = new Map(resources.map((r) => [r.urn, r.name]));
  const getConfig = <T,>(name: string) => (() => (name === INVENTORY_POLICY ? config : {}) as T) as <U>() => U;
  const copy = (props: Record<string, unknown>) => unknownCheckingProxy(structuredClone(props));
  const resourcePolicies = policies.flatMap((p) => {
    if (!("validateResource" in p) || !p.validateResource || levelOf(p) === "disabled") return [];
    const validations = Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource];
    return validations.map((validate) => ({ p, validate, getConfig: getConfig(p.name) }));
  });
  const stackTags = new Map<string, string>();
  // As the engine does: a resource's remediations (policies at the remediate level) run before it is analysed, and what they return is what every policy sees of it.
  const remediated = new Map<string, Record<string, unknown>>();
  const propsOf = (r: StackResource): Record<string, unknown> => remediated.get(r.urn) ?? r.props;
  for (const r of resources) {
    for (const p of policies) {
      if (levelOf(p) !== "remediate" || !("remediateResource" in p) || !p.remediateResource) continue;
      const args = { type: r.type, props: copy(propsOf(r)), urn: r.urn, name: r.name, opts: RESOURCE_OPTIONS, stackTags, isType: isNoType, asType: asNoType, getConfig: getConfig(p.name), notApplicable };
      await timed(async () => {
        const out = await p.remediateResource!(args as never);
        // As the server serializes it: the proxy the props came in is not part of the result.
        if (out) remediated.set(r.urn, JSON.parse(JSON.stringify(out)) as Record<string, unknown>);
      });
    }
    const report = (p: (typeof policies)[number]) => (message: unknown) => {
      const v = serverViolation({ ...p, enforcementLevel: levelOf(p) }, message);
      violations.push({ policy: p.name, resource: r.name, message: v.message, level: v.level });
    };
    for (const { p, validate, getConfig } of resourcePolicies) {
      const args = { type: r.type, props: copy(propsOf(r)), urn: r.urn, name: r.name, opts: RESOURCE_OPTIONS, stackTags, isType: isNoType, asType: asNoType, getConfig, notApplicable };
      const reportViolation = report(p);
      await timed(() => validate(args as never, reportViolation as never));
    }
  }
  for (const p of policies as Array<ResourceValidationPolicy | StackValidationPolicy>) {
    if (!("validateStack" in p) || !p.validateStack || levelOf(p) === "disabled") continue;
    const stackResources = listing.map((r) => ({
      type: r.type,
      props: copy(propsOf(r)),
      urn: r.urn,
      name: r.name,
      opts: {},
      dependencies: [] as unknown[],
      propertyDependencies: {},
      isType: isNoType,
      asType: asNoType,
    }));
    // Dependencies as the policy server resolves them: references to the stack's own resource objects.
    const byUrnObject = new Map(stackResources.map((r) => [r.urn, r]));
    listing.forEach((r, i) => (stackResources[i]!.dependencies = (r.dependencies ?? []).flatMap((d) => byUrnObject.get(d) ?? [])));
    const validate = p.validateStack;
    await timed(() =>
      validate(
        { resources: stackResources as unknown as PolicyResource[], getConfig: getConfig(p.name), stackTags: new Map(), notApplicable } as never,
        (message, urn) => {
          const v = serverViolation({ ...p, enforcementLevel: levelOf(p) }, message, urn);
          violations.push({ policy: p.name, resource: (v.urn && byUrn.get(v.urn)) || "(stack)", message: v.message, level: v.level });
        },
      ),
    );
  }
  return violations;
}
