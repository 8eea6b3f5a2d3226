/**
 * The pack's policy set: `mailflow-inventory`, one resource policy per rule (named by the rule id),
 * and one `<id>-stack` policy per cross-resource rule. Rules live in src/rules (one file each); the
 * Pulumi reporter in src/reporters/pulumi turns them into policies with one mechanism.
 */
import { createPolicies } from "../src/reporters/pulumi/policies";
import { rules } from "../src/rules";

export const mailflowGuardPolicies = () => createPolicies(rules);
