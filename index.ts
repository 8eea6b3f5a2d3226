/**
 * mailflow-guard: the policy pack entry. It constructs the PolicyPack and nothing else
 * (constructing it starts the gRPC server the Pulumi engine talks to; never import this file).
 */
import { PolicyPack } from "@pulumi/policy";
import { mailflowGuardPolicies } from "./policies";

new PolicyPack("mailflow-guard", {
  description:
    "Blocks Exchange Online hybrid mail-flow deployments that make Exchange Online attribute mail to the wrong tenant.",
  policies: mailflowGuardPolicies(),
});
