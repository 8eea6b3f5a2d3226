/**
 * mailflow-guard: the policy pack entry. It constructs the PolicyPack and nothing else
 * (constructing it starts the gRPC server the Pulumi engine talks to; never import this file).
 * Compiled to dist/index.js (package.json `main`), which the policy runner loads; the package's
 * `exports` never point here, so importing `mailflow-guard` or `mailflow-guard/sdk` starts no server.
 */
import { PolicyPack } from "@pulumi/policy";
import { mailflowGuardPolicies } from "./policies";
import { PACK_NAME, packMetadataAt, packRoot } from "./src/reporters/pulumi/pack-metadata";

new PolicyPack(PACK_NAME, {
  ...packMetadataAt(packRoot()),
  policies: mailflowGuardPolicies(),
});
