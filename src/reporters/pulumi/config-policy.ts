/**
 * `mailflow-config` (mandatory): an invalid policy configuration blocks the deployment, reported once
 * per run on the first resource analysed. @pulumi/policy makes a report mandatory only in a mandatory
 * policy, and gives each policy only its own configuration: the `mailflow-inventory` policy (which
 * runs first on each resource) hands the configuration to the gate, this policy reports what it found.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { renderConfigProblems, type ConfigGate } from "../../config/validate";
import { docsPath } from "../../rules/utils/define-rule";

export const CONFIG_POLICY = "mailflow-config";

export function configPolicy(gate: ConfigGate): ResourceValidationPolicy {
  return {
    name: CONFIG_POLICY,
    description: "The mailflow-inventory policy configuration must be valid: an invalid part would silently drop facts or exemptions.",
    enforcementLevel: "mandatory",
    severity: "high",
    url: docsPath(CONFIG_POLICY),
    remediationSteps: "Fix each listed part of the mailflow-inventory configuration (its JSON path, what is expected and what was found); docs/rules/mailflow-inventory.md lists every key.",
    validateResource: (_args, report) => {
      const problems = gate.takeUnreportedProblems();
      if (problems.length) report(renderConfigProblems(problems));
    },
  };
}
