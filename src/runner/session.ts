/**
 * One policy-pack process serves one engine run. The session remembers every resource analysed so
 * far, in registration order, so a resource policy sees the whole picture up to the resource being
 * registered: a cross-resource conflict is reported on the resource that completes it, before that
 * resource is created (`pulumi up --skip-preview` stops there).
 */
import { configFacts } from "../extractors/config-facts";
import type { InventoryConfig } from "../config/schema";
import { extractResource, isBystander, linkResources, loadExtractors } from "../extractors";
import { CERTIFICATE_TYPES } from "../extractors/certificates";
import type { ResourceInput } from "../extractors/types";
import type { Fact } from "../model/facts";
import type { Finding } from "../findings/types";
import { IncrementalModel } from "../engine/incremental";
import { buildModel } from "../model/build";
import type { MailFlowModel, Unverifiable } from "../model/types";
import { checkRule, type Rule } from "../rules/utils/define-rule";
import { SameFindings } from "./same-findings";

interface Entry {
  /** Registration index (re-analysis keeps it). */
  order: number;
  /** The resource's name (kept for a bystander too: it can order others). */
  name: string;
  identity: Identity;
  facts: readonly Fact[];
  /** The resource as read; absent for a bystander, which is neither snapshotted nor extracted. */
  input?: ResourceInput;
  /** It has Pulumi dependencies, which can link facts across resources. */
  linked: boolean;
}

/**
 * A bystander's identity stands for any props that keep it a bystander (see isBystander): its facts
 * are none whatever they say, so its props are not kept.
 */
const BYSTANDER_PROPS = Symbol("bystander props");
const NO_FACTS: readonly Fact[] = Object.freeze([]);

const isLinked = (input: ResourceInput): boolean => input.dependencies.length > 0 || Object.keys(input.propertyDependencies).length > 0;

/**
 * What a resource's facts depend on: same identity, same facts. `props` as the policy received them
 * (unknowns still as @pulumi/policy's sentinels): compared in place, so a policy that receives a
 * resource already read neither snapshots nor serializes it again.
 */
export interface Identity {
  type: string;
  props: unknown;
  dependencies: readonly string[];
}

/** Certificate resources can be completed by another resource (a LocallySignedCert by its CertRequest). */
const LINKABLE_TYPES = new Set<string>(Object.values(CERTIFICATE_TYPES));

export class Session {
  private readonly resources = new Map<string, Entry>();
  private config: InventoryConfig = {};
  private configSignature = "";
  private cached: MailFlowModel | undefined;
  /**
   * The resource pass's model, grown by each new resource instead of rebuilt (what keeps that pass
   * linear); dropped when a resource is analysed again with other inputs, the configuration changes,
   * or a new fact would change how earlier ones landed — the next read starts it again from all facts.
   */
  private growing: IncrementalModel | undefined;
  /** What was reported, and on which resource: a finding is reported once (the resource pass of an update). */
  private readonly reported = new SameFindings();

  /**
   * `wholeStack`: the session holds a whole stack (the stack pass), not the resources registered so
   * far. `grow: false`: no model is grown as resources arrive (a preview leaves every verdict to the
   * stack pass, so the resource pass only reads).
   */
  constructor(private readonly options: { wholeStack?: boolean; grow?: boolean } = {}) {}

  markReported(f: Finding, urn: string): void {
    this.reported.add(f, urn);
  }

  /** The resource a finding was already reported on, if any (see SameFindings). */
  reportedOn(f: Finding): string | undefined {
    return this.reported.recordedOn(f);
  }

  /** Loads what extraction needs (the PowerShell grammar) once. */
  ready(): Promise<void> {
    return loadExtractors();
  }

  setConfig(config: InventoryConfig | undefined): void {
    // The configuration gate hands the same object back while the configuration is the same.
    if (config !== undefined && config === this.config) return;
    const signature = JSON.stringify(config ?? {});
    if (signature === this.configSignature) return;
    this.config = config ?? {};
    this.configSignature = signature;
    this.cached = undefined;
    this.growing = undefined;
  }

  getConfig(): InventoryConfig {
    return this.config;
  }

  /**
   * Adds or refreshes a resource; re-analysis of the same URN keeps its place in registration order.
   * `reuse`: another session whose facts for the same URN and inputs are taken as they are (the
   * whole-stack pass does not parse again what the resource pass has read).
   */
  ingest(input: ResourceInput, reuse?: Session): void {
    this.admit(input.urn, input.name, { type: input.type, props: input.props, dependencies: input.dependencies }, () => input, reuse);
  }

  /**
   * `ingest` for a policy call: `read` (the props snapshot) runs only when the resource is new or
   * its inputs changed, and not for a bystander. Every policy receives its own copy of a resource, so
   * most calls find the resource already read. `read(props)`: the props already snapshotted (by the
   * `reuse` session) for the same inputs, to take instead of snapshotting again.
   */
  admit(urn: string, name: string, identity: Identity, read: (props?: Record<string, unknown>) => ResourceInput, reuse?: Session): void {
    const existing = this.resources.get(urn);
    if (existing && sameIdentity(existing.identity, identity)) return;
    const entry = readEntry(existing?.order ?? this.resources.size, name, identity, read, reuse?.resources.get(urn));
    // Setting an existing key keeps its place in registration order.
    this.resources.set(urn, entry);
    const grows = !entry.linked && this.options.wholeStack !== true && this.options.grow !== false;
    // A resource without facts adds nothing to a growing model.
    const grown = !existing && grows && this.growing !== undefined && (entry.facts.length === 0 || safeAdd(this.growing, entry.facts));
    if (!grown) this.growing = undefined;
    // Facts that add only values the pack could not verify leave connectors and certificates as they
    // are: the model is kept (rebuilding it for every unrelated resource would be quadratic).
    if (existing || contributes(entry)) this.cached = undefined;
    else if (!grown) for (const f of entry.facts) if (f.kind === "unverifiable") this.cached?.unverifiable.push(f.item);
  }

  /**
   * Whether a resource can be part of a finding: it states something about mail flow, or it is a
   * certificate another resource may complete. Findings name the resources their facts come from,
   * so a resource that does neither cannot complete one, and rules need not run for it.
   */
  canCompleteFindings(urn: string): boolean {
    const entry = this.resources.get(urn);
    return entry !== undefined && contributes(entry);
  }

  /**
   * What could not be verified in one resource: from its own inputs, and (`fromModel`, for a resource
   * that states mail flow) what only the model shows, such as a connector no tenant can be given.
   */
  unverifiableOf(urn: string, fromModel = true): Unverifiable[] {
    const entry = this.resources.get(urn);
    if (!entry) return [];
    if (fromModel && contributes(entry)) {
      const model = this.model();
      return this.growing ? this.growing.unverifiableOf(urn) : model.unverifiable.filter((u) => u.provenance.urn === urn);
    }
    return entry.facts.flatMap((f) => (f.kind === "unverifiable" ? [f.item] : []));
  }

  /** Whether the session holds this resource with these inputs: a policy call need not read it again. */
  holdsAsIs(urn: string, identity: Identity): boolean {
    const entry = this.resources.get(urn);
    return entry !== undefined && sameIdentity(entry.identity, identity);
  }

  /**
   * Whether the session holds exactly these resources, in this order: `count` of them, the i-th one's
   * URN and identity read only when it is compared (a stack policy's whole stack is not copied into a list).
   */
  holds(count: number, urnAt: (i: number) => string, identityAt: (i: number) => Identity): boolean {
    if (count !== this.resources.size) return false;
    let i = 0;
    for (const [urn, entry] of this.resources) {
      if (urnAt(i) !== urn || !sameIdentity(entry.identity, identityAt(i))) return false;
      i++;
    }
    return true;
  }

  /** The resources held, with their dependencies (bystanders too: they can order others), in the order held. */
  stackNodes(): Array<{ urn: string; name: string; dependencies: readonly string[] }> {
    return [...this.resources].map(([urn, e]) => ({
      urn,
      name: e.name,
      dependencies: e.input ? [...e.input.dependencies, ...Object.values(e.input.propertyDependencies).flat()] : e.identity.dependencies,
    }));
  }

  /** The facts a resource states (none for a bystander). */
  factsOf(urn: string): readonly Fact[] {
    return this.resources.get(urn)?.facts ?? NO_FACTS;
  }

  /** Every resource as read (bystanders are not: they link nothing). */
  inputs(): ResourceInput[] {
    return [...this.resources.values()].flatMap((e) => (e.input ? [e.input] : []));
  }

  /** Registration index of a URN (config facts have none). */
  order(urn: string): number {
    return this.resources.get(urn)?.order ?? -1;
  }

  /** The resource as read (undefined for a bystander, which no finding names). */
  resource(urn: string): ResourceInput | undefined {
    return this.resources.get(urn)?.input;
  }

  model(): MailFlowModel {
    if (!this.cached) {
      // The growing model is asked once per new resource: nothing here may walk every resource then.
      if (this.growing) {
        this.cached = this.growing.model();
        return this.cached;
      }
      const entries = [...this.resources.values()];
      if (this.options.wholeStack !== true && this.options.grow !== false && entries.every((r) => !r.linked)) {
        this.growing = safeStart(this.config, [...configFacts(this.config), ...entries.flatMap((r) => r.facts)]);
      }
      if (this.growing) {
        this.cached = this.growing.model();
      } else {
        // Bystanders have no input: they link nothing (links join commands and certificates).
        const inputs = entries.flatMap((r) => (r.input ? [r.input] : []));
        const facts = [...configFacts(this.config), ...entries.flatMap((r) => r.facts), ...linkResources(inputs, (r) => this.factsOf(r.urn))];
        // A model that cannot be built is not a pass: the error reaches the policy that asked (policies.ts `guarded`).
        this.cached = buildModel(facts, { defaultTenant: this.config.defaultTenant, defaultOrganization: this.config.defaultOrganization, inferDefaults: this.options.wholeStack === true });
      }
    }
    return this.cached;
  }

  /** The findings of `rule` that name resource `urn`, on the resources registered so far (the resource pass). */
  findingsNaming(rule: Rule, urn: string): Finding[] {
    const model = this.model();
    // A growing model knows what the resource states: rules answer for those entities only.
    const about = this.growing?.focusOn(urn);
    // A rule that throws is reported by the policy that ran it (policies.ts `guarded`), never taken as a pass.
    return checkRule(rule, { model, partial: true, ...(about ? { about } : {}) }).filter((f) => f.provenance.some((p) => p.urn === urn));
  }
}

/** A growing model that cannot take a resource is rebuilt from all facts, where a failure is reported. */
function safeAdd(growing: IncrementalModel, facts: readonly Fact[]): boolean {
  try {
    return growing.add(facts);
  } catch {
    return false;
  }
}

function safeStart(config: InventoryConfig, facts: readonly Fact[]): IncrementalModel | undefined {
  try {
    return new IncrementalModel({ defaultTenant: config.defaultTenant, defaultOrganization: config.defaultOrganization }, facts);
  } catch {
    return undefined;
  }
}

/**
 * A resource's entry: taken from `known` (the same resource in another session) when its inputs are
 * the same, a bystander's without reading it, else read and extracted. The model grows with a
 * resource only when the resource has no Pulumi dependencies (they link facts across resources); a
 * bystander's link nothing.
 */
function readEntry(order: number, name: string, identity: Identity, read: (props?: Record<string, unknown>) => ResourceInput, known: Entry | undefined): Entry {
  // A resource's facts come from its type and props alone: the same inputs with other dependencies (the
  // stack pass sees them, the resource pass does not) are not read again.
  const reusable = known && sameIdentity(known.identity, { ...identity, dependencies: known.identity.dependencies }) ? known : undefined;
  if (reusable?.input) {
    const input = read(reusable.input.props);
    return { order, name, identity, facts: reusable.facts, input, linked: isLinked(input) };
  }
  if (reusable || isBystander(identity.type, identity.props)) {
    return { order, name, identity: { type: identity.type, props: BYSTANDER_PROPS, dependencies: identity.dependencies }, facts: NO_FACTS, linked: false };
  }
  const input = read();
  return { order, name, identity, facts: extractResource(input), input, linked: isLinked(input) };
}

function contributes(entry: Entry): boolean {
  return LINKABLE_TYPES.has(entry.identity.type) || entry.facts.some((f) => f.kind !== "unverifiable");
}

/** `held`: as the session holds it (a bystander's props stand for any that keep it one); `given`: as a policy received it. */
function sameIdentity(held: Identity, given: Identity): boolean {
  if (held.type !== given.type || held.dependencies.length !== given.dependencies.length) return false;
  for (let i = 0; i < held.dependencies.length; i++) if (held.dependencies[i] !== given.dependencies[i]) return false;
  return held.props === BYSTANDER_PROPS ? isBystander(given.type, given.props) : sameValue(held.props, given.props);
}

/**
 * Structural equality of deserialized values (plain data), without serializing them. Iterative: props
 * nested deeper than any recursion limit (the engine carries up to 100 levels) still compare equal, so
 * such a resource is read once, not again by every policy call.
 */
function sameValue(a: unknown, b: unknown): boolean {
  const pending: Array<[unknown, unknown]> = [[a, b]];
  while (pending.length > 0) {
    const [x, y] = pending.pop()!;
    if (x === y) continue;
    if (typeof x !== "object" || typeof y !== "object" || x === null || y === null) return false;
    if (Array.isArray(x) || Array.isArray(y)) {
      if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) pending.push([x[i], y[i]]);
      continue;
    }
    if (Object.getPrototypeOf(x) !== Object.getPrototypeOf(y)) return false;
    const keys = Object.keys(x);
    if (keys.length !== Object.keys(y).length) return false;
    for (const k of keys) {
      if (!Object.prototype.hasOwnProperty.call(y, k)) return false;
      pending.push([(x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k]]);
    }
  }
  return true;
}
