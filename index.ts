/**
 * mailflow-guard: the policy pack entry. It constructs the PolicyPack and nothing else
 * (constructing it starts the gRPC server the Pulumi engine talks to; never import this file).
 * Compiled to dist/index.js (package.json `main`), which the policy runner loads; the package's
 * `exports` never point here, so importing `mailflow-guard` or `mailflow-guard/sdk` starts no server.
 */
import { PolicyPack } from "@pulumi/policy";
import { mailflowGuardPolicies } from "./policies";
import { observeEngineConfiguration } from "./src/reporters/pulumi/engine-config";
import { PACK_NAME, packMetadataAt, packRoot } from "./src/reporters/pulumi/pack-metadata";

// Before the pack's gRPC server starts: the engine's whole configuration (every name, every level).
observeEngineConfiguration();

new PolicyPack(PACK_NAME, {
  ...packMetadataAt(packRoot()),
  policies: mailflowGuardPolicies(),
});
