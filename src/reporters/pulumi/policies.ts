/**
 * The Pulumi reporter: turns rules into @pulumi/policy policies, one per rule, named by the rule id
 * (its configured level governs both its parts). One mechanism serves every rule:
 * - `mailflow-inventory` (first, advisory) reads each resource into the session, holds the shared
 *   configuration, and reports values it could not verify: a resource's own on that resource, what
 *   only the whole stack shows (and orders the stack leaves undefined) in its stack part;
 * - each rule's stack part reports the whole stack's verdict (one per program, whatever the order);
 *   during an update, its resource part also reports a finding on the resource that completes it, so
 *   the update stops before creating that resource.
 */
import type {
  EnforcementLevel,
  Policy as PulumiPolicyMetadata,
  ReportViolation,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { todayUtc } from "../../config/exemptions";
import { inventoryConfigSchema } from "../../config/schema";
import { ConfigGate } from "../../config/validate";
import type { Finding } from "../../findings/types";
import { defaultEnforcement, type Rule } from "../../rules/utils/define-rule";
import { docsUrl } from "../files/docs-url";
import { PipelineReports, waiverFor } from "../files/pipeline";
import type { ScriptLookup } from "../files/suppressions";
import { PREVIEW_WORDING, renderFinding, renderUnverifiable } from "../text";
import type { FixText } from "../fix/render";
import { PackFixes } from "./fixes";
import { notRemediated, Remediations } from "./remediate";
import { CONFIG_POLICY, configPolicy } from "./config-policy";
import { engineConfiguration } from "./engine-config";
import { SUMMARY_POLICY, summaryPolicy } from "./run-summary";
import { quoteText } from "../../config/quote";
import { admit, dumpModel, findingsCompletedBy, guarded, runModeOf, WholeStack, type RunMode } from "../../runner/passes";
import { Session } from "../../runner/session";

export const INVENTORY_POLICY = "mailflow-inventory";
export const UNVERIFIABLE_POLICY = "mailflow-unverifiable";
/** The pack's own advisories, not a rule's: the inventory's (each resource, the whole stack) and the run's summary. */
export const isInventoryPolicy = (policy: string): boolean => policy === INVENTORY_POLICY || policy === SUMMARY_POLICY;

/** The pack's rule set as a Pulumi Cloud compliance framework: each policy references its rule (R1–R12) or its role. */
export const POLICY_FRAMEWORK = { name: "mailflow-guard Exchange Online tenant attribution", version: "1" } as const;

/**
 * Catalogue metadata shared by every policy (Pulumi Cloud shows and filters on it): an absolute docs
 * URL, tags, and the framework entry. `reference` is the rule code (R3) or the policy's role.
 */
export function catalogueMetadata(docsId: string, reference: string, tags: readonly string[]): Required<Pick<PulumiPolicyMetadata, "url" | "tags" | "framework">> {
  return {
    url: docsUrl(docsId),
    tags: ["exchange-online", "mail-flow", ...tags],
    framework: { ...POLICY_FRAMEWORK, reference, specification: docsUrl("README") },
  };
}

/** A policy with a resource part and a stack part: one name, one level, one configuration. */
type Policy = ResourceValidationPolicy | StackValidationPolicy | (ResourceValidationPolicy & StackValidationPolicy);

/** The level the engine applies to a policy, as its configuration says (a remediated violation is reported as mandatory). */
const engineLevelOf = (policy: string, byDefault: "mandatory" | "advisory"): "mandatory" | "advisory" => {
  const level = engineConfiguration()?.levels.get(policy);
  return level === "advisory" ? "advisory" : level === "mandatory" || level === "remediate" ? "mandatory" : byDefault;
};

/** The text of a resource's script property as the session read it (for inline suppressions and one-value fixes). */
const scriptsOf =
  (session: Session): ScriptLookup =>
  (urn, property) => {
    const value = session.resource(urn)?.props[property];
    return typeof value === "string" ? value : undefined;
  };

/**
 * Reports a finding unless a valid exemption or inline suppression covers it (an expired one is named
 * in the message), and records it for the report files either way. An exemption of the rule on any of
 * the finding's resources covers it: which resource a finding is reported on depends on the
 * dependencies between them, the exemption must not.
 */
function reportFinding(session: Session, reports: PipelineReports, rule: Rule, f: Finding, on: { name: string; urn: string }, report: ReportViolation, scripts: ScriptLookup, fix: () => FixText, urn?: string): void {
  // Only what identifies the resource: never its inputs (they may hold secrets).
  const resource = { name: on.name, urn: on.urn };
  session.markReported(f, resource.urn);
  const config = session.getConfig();
  const decision = waiverFor(config.exemptions ?? [], rule.meta.id, f, resource, scripts, todayUtc());
  if (!decision.waiver) {
    const shown = guarded(rule.meta.id, resource.name, (message) => report(message, urn), () => [fix()])[0] ?? { none: "the fix could not be proven (mailflow-guard's error is reported beside this finding)" };
    reports.record(config, rule.meta.id, rule, f, resource, decision, shown);
    // At the remediate level, a finding still here is one the pack could not write the fix of: it says why.
    const remediate = engineConfiguration()?.levels.get(rule.meta.id) === "remediate" ? [notRemediated(f, shown)] : [];
    report([renderFinding(f, PREVIEW_WORDING, shown), ...remediate, ...decision.notes].join("\n"), urn);
    return;
  }
  reports.record(config, rule.meta.id, rule, f, resource, decision);
  // A waived finding stays in the log, as advisory, saying what waived it (@pulumi/policy's report
  // object sets the level of one violation; its message is then taken as is).
  const w = decision.waiver;
  const by = w.source === "config" ? `exemption of ${quoteText(w.resource)}` : `inline suppression at ${w.where}`;
  const message = `${rule.meta.description}\nWaived by the ${by}${w.expires ? ` until ${w.expires}` : ""} (${quoteText(w.reason)}): ${f.what}`;
  (report as unknown as (violation: { message: string; urn?: string; enforcementLevel: "advisory" }) => void)({ message, enforcementLevel: "advisory", ...(urn ? { urn } : {}) });
}

export interface PackParts {
  /** The resource pass's session (one per engine run). */
  session?: Session;
  reports?: PipelineReports;
  /** Preview or update; by default as the engine says (PULUMI_NODEJS_DRY_RUN). */
  mode?: RunMode;
}

export function createPolicies(rules: readonly Rule[], parts: PackParts = {}): Policy[] {
  const mode = parts.mode ?? runModeOf();
  // A preview leaves every verdict to the stack pass: the resource pass only reads, and grows no model.
  const session = parts.session ?? new Session({ grow: mode === "update" });
  const reports = parts.reports ?? new PipelineReports(rules, process.env, engineLevelOf);
  const blocks = (id: string): boolean => {
    const rule = rules.find((r) => r.meta.id === id);
    return engineLevelOf(id, rule ? defaultEnforcement(rule.meta.severity) : "mandatory") === "mandatory";
  };
  const fixes = new PackFixes(rules, { blocks, enabled: (id) => engineConfiguration()?.levels.get(id) !== "disabled" });
  const remediations = new Remediations(blocks);
  const wholeStack = new WholeStack(session);
  const verdictOf = (policy: string, resources: StackValidationArgs["resources"], report: ReportViolation) => guarded(policy, "(stack)", report, () => [wholeStack.of(resources)])[0];

  // Validates the configuration the inventory policy receives; mailflow-config reports it (mandatory).
  const configGate = new ConfigGate();
  const inventory: ResourceValidationPolicy & StackValidationPolicy = {
    name: INVENTORY_POLICY,
    description: "Mail-flow values mailflow-guard could not verify (advisory); holds the pack's shared configuration.",
    enforcementLevel: "advisory",
    severity: "low",
    ...catalogueMetadata(INVENTORY_POLICY, "inventory", ["inventory"]),
    remediationSteps:
      "Pass values that are unknown until deploy through the command's `environment` (so the script text stays known), or declare external facts with descriptors or policy configuration.",
    configSchema: inventoryConfigSchema,
    validateResource: async (args, report) => {
      session.setConfig(configGate.accept(args.getConfig<object>()));
      await session.ready();
      admit(session, args);
      reports.flush(session.getConfig());
      if (session.getConfig().reportUnverifiable === false) return;
      for (const u of session.unverifiableOf(args.urn, false)) report(renderUnverifiable(u));
    },
    validateStack: async (args, report) => {
      await session.ready();
      const verdict = verdictOf(INVENTORY_POLICY, args.resources, report);
      if (!verdict) return;
      dumpModel(() => verdict.model());
      if (session.getConfig().reportUnverifiable === false) return;
      for (const u of guarded(INVENTORY_POLICY, "(stack)", report, () => [...verdict.modelAdvisories(), ...verdict.orderAdvisories()])) report(renderUnverifiable(u), u.provenance.urn);
    },
  };

  // A strict gate: with `unverifiable: "mandatory"`, what the pack could not verify blocks too.
  const strict: ResourceValidationPolicy & StackValidationPolicy = {
    name: UNVERIFIABLE_POLICY,
    description: "Strict mode (mailflow-inventory `unverifiable: \"mandatory\"`): a mail-flow value the pack could not verify blocks the deployment.",
    enforcementLevel: "mandatory",
    severity: "medium",
    ...catalogueMetadata(INVENTORY_POLICY, "strict mode", ["inventory", "strict-mode"]),
    remediationSteps:
      "Make the value readable (write it into the script, or pass it through the command's `environment`), declare the fact in policy configuration, or leave strict mode for this stack.",
    validateResource: async (args, report) => {
      if (session.getConfig().unverifiable !== "mandatory") return;
      await session.ready();
      admit(session, args);
      for (const u of session.unverifiableOf(args.urn, false)) report(renderUnverifiable(u));
    },
    validateStack: async (args, report) => {
      if (session.getConfig().unverifiable !== "mandatory") return;
      await session.ready();
      const verdict = verdictOf(UNVERIFIABLE_POLICY, args.resources, report);
      if (!verdict) return;
      for (const u of guarded(UNVERIFIABLE_POLICY, "(stack)", report, () => verdict.modelAdvisories())) report(renderUnverifiable(u), u.provenance.urn);
    },
  };

  const rulePolicies = rules.map(
    (rule): ResourceValidationPolicy & StackValidationPolicy => ({
      name: rule.meta.id,
      description: rule.meta.description,
      enforcementLevel: defaultEnforcement(rule.meta.severity) as EnforcementLevel,
      severity: rule.meta.severity,
      ...catalogueMetadata(rule.meta.id, rule.meta.code, ["tenant-attribution", rule.meta.code.toLowerCase()]),
      remediationSteps: rule.meta.remediationSteps,
      validateResource: async (args, report) => {
        // Configured by the inventory policy, which has then read the resource into the session already.
        if (mode !== "update" || session.getConfig().checkEachResource === false) return;
        await session.ready();
        for (const f of findingsCompletedBy(session, rule, rule.meta.id, args, report)) {
          reportFinding(session, reports, rule, f, args, report, scriptsOf(session), () => fixes.ofResource(session, session.getConfig(), f));
        }
        reports.flush(session.getConfig());
      },
      // Run by the engine only at the remediate level, before the resource is analysed.
      remediateResource: async (args) => {
        await session.ready();
        return guarded(rule.meta.id, args.name, () => undefined, () => [remediations.remediate(session, rule, args)])[0];
      },
      validateStack: async (args, report) => {
        await session.ready();
        const verdict = verdictOf(rule.meta.id, args.resources, report);
        if (!verdict) return;
        for (const r of remediations.said(rule, args.resources)) (report as unknown as (v: { message: string; urn: string; enforcementLevel: "advisory" }) => void)({ ...r, enforcementLevel: "advisory" });
        for (const { finding, urn } of wholeStack.findings(verdict, rule, rule.meta.id, report)) {
          const target = urn ? verdict.session.resource(urn) : undefined;
          const scripts = scriptsOf(verdict.session);
          reportFinding(session, reports, rule, finding, target ?? { name: "(stack)", urn: "" }, report, scripts, () => fixes.ofStack(verdict, session.getConfig(), scripts, finding), urn);
        }
        // The files' picture and flows: the whole stack's model (cached by the verdict).
        reports.showModel(session.getConfig(), () => verdict.model());
        reports.flush(session.getConfig());
      },
    }),
  );

  const config = { ...configPolicy(configGate, mode), ...catalogueMetadata(CONFIG_POLICY, "configuration", ["configuration"]) };
  const summary = {
    ...summaryPolicy({
      reports,
      policies: [INVENTORY_POLICY, CONFIG_POLICY, UNVERIFIABLE_POLICY, SUMMARY_POLICY, ...rules.map((r) => r.meta.id)],
      config: () => session.getConfig(),
      resources: (args) => guarded(SUMMARY_POLICY, "(stack)", () => undefined, () => [wholeStack.of(args.resources)])[0]?.session.inputs(),
      targets: () => reports.flush(session.getConfig()),
    }),
    // The catalogue's metadata, without a severity: the engine lists the summary after every other violation.
    ...catalogueMetadata(SUMMARY_POLICY, "summary", ["summary"]),
  };
  return [inventory, config, strict, ...rulePolicies, summary];
}
