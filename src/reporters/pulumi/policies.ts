/**
 * The Pulumi reporter: turns rules into @pulumi/policy policies. One mechanism serves every rule:
 * - `mailflow-inventory` (first, advisory) reads each resource into the session, holds the shared
 *   configuration, and reports values it could not verify;
 * - each rule is a resource policy named by its id, reporting a finding on the resource that
 *   completes it (all facts registered so far, plus configuration);
 * - each cross-resource rule also has a stack policy `<id>-stack` that re-checks the full stack and
 *   reports only what the resource pass could not see.
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
import { stackUnverifiable } from "../../engine/stack-unverifiable";
import type { Finding } from "../../findings/types";
import { defaultEnforcement, type Rule } from "../../rules/utils/define-rule";
import { docsUrl } from "../files/docs-url";
import { PipelineReports, waiverFor } from "../files/pipeline";
import type { ScriptLookup } from "../files/suppressions";
import { renderFinding, renderUnverifiable } from "../text";
import { CONFIG_POLICY, configPolicy } from "./config-policy";
import { admit, dumpModel, findingsCompletedBy, guarded, WholeStack } from "../../runner/passes";
import { Session } from "../../runner/session";

export const INVENTORY_POLICY = "mailflow-inventory";
export const UNVERIFIABLE_POLICY = "mailflow-unverifiable";
export const stackPolicyName = (ruleId: string): string => `${ruleId}-stack`;
/** The inventory's advisories: on each resource, and what only the whole stack shows. */
export const isInventoryPolicy = (policy: string): boolean => policy === INVENTORY_POLICY || policy === stackPolicyName(INVENTORY_POLICY);

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

type Policy = ResourceValidationPolicy | StackValidationPolicy;

/** The text of a resource's script property as the session read it (for inline suppressions and one-value fixes). */
const scriptsOf =
  (session: Session): ScriptLookup =>
  (urn, property) => {
    const value = session.resource(urn)?.props[property];
    return typeof value === "string" ? value : undefined;
  };

/**
 * Reports a finding unless a valid exemption or inline suppression covers it (an expired one is named
 * in the message), and records it for the report files either way. An exemption of the rule (either of
 * its policies) on any of the finding's resources covers it: which resource completes a finding
 * depends on the registration order, the exemption must not.
 */
function reportFinding(
  session: Session,
  reports: PipelineReports,
  policy: string,
  rule: Rule,
  f: Finding,
  resource: { name: string; urn: string },
  report: ReportViolation,
  scripts: ScriptLookup,
  urn?: string,
): void {
  session.markReported(f, resource.urn);
  const policies = [rule.meta.id, stackPolicyName(rule.meta.id)];
  const config = session.getConfig();
  const decision = waiverFor(config.exemptions ?? [], policies, f, resource, scripts, todayUtc());
  reports.record(config, policy, rule, f, resource, decision, scripts);
  if (decision.waiver) return;
  report([renderFinding(f), ...decision.notes].join("\n"), urn);
}

export function createPolicies(rules: readonly Rule[], session = new Session(), reports = new PipelineReports(rules, stackPolicyName)): Policy[] {
  const wholeStack = new WholeStack(session);

  // Validates the configuration the inventory policy receives; mailflow-config reports it (mandatory).
  const configGate = new ConfigGate();
  const inventory: ResourceValidationPolicy = {
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
      dumpModel(session);
      reports.flush(session.getConfig());
      const config = session.getConfig();
      if (config.reportUnverifiable === false) return;
      // Without checks on each resource, no model is grown per resource either.
      for (const u of guarded(INVENTORY_POLICY, args.name, report, () => session.unverifiableOf(args.urn, config.checkEachResource !== false))) report(renderUnverifiable(u));
    },
  };

  // A strict gate: with `unverifiable: "mandatory"`, what the pack could not verify blocks too.
  const strict: ResourceValidationPolicy = {
    name: UNVERIFIABLE_POLICY,
    description: "Strict mode (mailflow-inventory `unverifiable: \"mandatory\"`): a mail-flow value the pack could not verify blocks the deployment.",
    enforcementLevel: "mandatory",
    severity: "medium",
    ...catalogueMetadata(INVENTORY_POLICY, "strict mode", ["inventory", "strict-mode"]),
    remediationSteps:
      "Make the value readable (write it into the script, or pass it through the command's `environment`), declare the fact in policy configuration, or leave strict mode for this stack.",
    validateResource: async (args, report) => {
      const config = session.getConfig();
      if (config.unverifiable !== "mandatory") return;
      await session.ready();
      admit(session, args);
      for (const u of guarded(UNVERIFIABLE_POLICY, args.name, report, () => session.unverifiableOf(args.urn, config.checkEachResource !== false))) report(renderUnverifiable(u));
    },
  };

  const resourcePolicies = rules.map(
    (rule): ResourceValidationPolicy => ({
      name: rule.meta.id,
      description: rule.meta.description,
      enforcementLevel: defaultEnforcement(rule.meta.severity) as EnforcementLevel,
      severity: rule.meta.severity,
      ...catalogueMetadata(rule.meta.id, rule.meta.code, ["tenant-attribution", rule.meta.code.toLowerCase()]),
      remediationSteps: rule.meta.remediationSteps,
      validateResource: async (args, report) => {
        // Configured by the inventory policy, which has then read the resource into the session already.
        if (session.getConfig().checkEachResource === false) return;
        await session.ready();
        for (const f of findingsCompletedBy(session, rule, rule.meta.id, args, report)) reportFinding(session, reports, rule.meta.id, rule, f, args, report, scriptsOf(session));
        reports.flush(session.getConfig());
      },
    }),
  );

  const stackPolicies = rules
    .filter((rule) => rule.meta.crossResource)
    .map(
      (rule): StackValidationPolicy => ({
        name: stackPolicyName(rule.meta.id),
        description: `${rule.meta.description} (whole-stack check)`,
        enforcementLevel: defaultEnforcement(rule.meta.severity) as EnforcementLevel,
        severity: rule.meta.severity,
        ...catalogueMetadata(rule.meta.id, rule.meta.code, ["tenant-attribution", rule.meta.code.toLowerCase(), "whole-stack"]),
        remediationSteps: rule.meta.remediationSteps,
        validateStack: async (args: StackValidationArgs, report) => {
          await session.ready();
          const policy = stackPolicyName(rule.meta.id);
          const whole = guarded(policy, "(stack)", report, () => [wholeStack.of(args.resources)])[0];
          if (!whole) return;
          for (const { finding, urn } of wholeStack.findings(whole, rule, policy, report)) {
            const target = urn ? whole.resource(urn) : undefined;
            reportFinding(session, reports, policy, rule, finding, target ?? { name: "(stack)", urn: "" }, report, scriptsOf(whole), urn);
          }
          // The files' picture and flows: the whole stack's model (cached by the shared session).
          reports.showModel(session.getConfig(), () => whole.model());
          reports.flush(session.getConfig());
        },
      }),
    );

  // What only the whole stack shows cannot be verified (advisory, like the inventory).
  const inventoryStack: StackValidationPolicy = {
    name: stackPolicyName(INVENTORY_POLICY),
    description: "Mail-flow values mailflow-guard could not verify that only the whole stack shows (advisory).",
    enforcementLevel: "advisory",
    severity: "low",
    ...catalogueMetadata(INVENTORY_POLICY, "inventory", ["inventory", "whole-stack"]),
    remediationSteps: "Declare the tenant's accepted domains with a Tenant descriptor or under mailflow-inventory.tenants.",
    validateStack: async (args: StackValidationArgs, report) => {
      if (session.getConfig().reportUnverifiable === false) return;
      await session.ready();
      for (const u of guarded(stackPolicyName(INVENTORY_POLICY), "(stack)", report, () => stackUnverifiable(wholeStack.of(args.resources).model()))) report(renderUnverifiable(u), u.provenance.urn);
    },
  };

  const config = { ...configPolicy(configGate), ...catalogueMetadata(CONFIG_POLICY, "configuration", ["configuration"]) };
  return [inventory, config, strict, ...resourcePolicies, ...stackPolicies, inventoryStack];
}
