/**
 * `mailflow-config` (mandatory): an invalid policy configuration blocks the deployment, reported once
 * per run: for the stack in a preview (it concerns no one resource, and the first resource the engine
 * happens to analyse differs from run to run), on the first resource analysed in an update (so the
 * update stops before anything is created). @pulumi/policy makes a report mandatory only in a
 * mandatory policy, and gives each policy only its own configuration: the `mailflow-inventory` policy
 * (which runs first on each resource) hands the configuration to the gate, this policy reports what it
 * found.
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import type { RunMode } from "../../runner/passes";
import { renderConfigProblems, type ConfigGate } from "../../config/validate";
import { docsPath } from "../../rules/utils/define-rule";

export const CONFIG_POLICY = "mailflow-config";

export function configPolicy(gate: ConfigGate, mode: RunMode): ResourceValidationPolicy & StackValidationPolicy {
  const reportProblems = (report: (message: string) => void): void => {
    const problems = gate.takeUnreportedProblems();
    if (problems.length) report(renderConfigProblems(problems));
  };
  return {
    name: CONFIG_POLICY,
    description: "The mailflow-inventory policy configuration must be valid: an invalid part would silently drop facts or exemptions.",
    enforcementLevel: "mandatory",
    severity: "high",
    url: docsPath(CONFIG_POLICY),
    remediationSteps: "Fix each listed part of the mailflow-inventory configuration (its JSON path, what is expected and what was found); docs/rules/mailflow-inventory.md lists every key.",
    validateResource: (_args, report) => {
      if (mode === "update") reportProblems(report);
    },
    validateStack: (_args, report) => reportProblems(report),
  };
}
