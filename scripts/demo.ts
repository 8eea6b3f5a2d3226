/**
 * `npm run demo`: replays the seed incidents through the real Pulumi engine with this policy pack,
 * and shows what the pack says: which mail goes to which tenant, why, and the fix.
 */
import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deriveFlows } from "../src/engine/flows";
import type { MailFlowModel } from "../src/model/types";
import { REPO, workspace } from "../test/e2e/harness";

interface Scenario {
  example: string;
  title: string;
  variant: "incident" | "fixed";
}

const scenarios: Scenario[] = [
  { example: "msp-wildcard-journaling", title: "Managed service provider: HCW wildcard matches the gateway (journaling leak)", variant: "incident" },
  { example: "gateway-self-signed-shared", title: "Gateway: one self-signed certificate on both connectors (silent discard)", variant: "incident" },
  { example: "shared-wildcard-certificate", title: "Exchange and spam filter share a wildcard certificate (NDRs to other tenants)", variant: "incident" },
  { example: "one-org-two-tenants", title: "One on-premises organisation, two tenants, one certificate (MC1226222)", variant: "incident" },
  { example: "dedicated-hybrid", title: "Correct dedicated-certificate hybrid: passes", variant: "fixed" },
];

/** The human `Policies:` section of the preview output: what a user sees in their terminal. */
function policiesSection(stdout: string): string {
  const start = stdout.indexOf("Policies:");
  if (start < 0) return "(no policy output)";
  const end = stdout.indexOf("\nResources:", start);
  return stdout.slice(start, end > 0 ? end : undefined).trimEnd();
}

const only = process.argv.slice(2);
let unexpected = 0;
for (const s of scenarios.filter((x) => only.length === 0 || only.includes(x.example))) {
  console.log(`\n${"=".repeat(100)}\n${s.title}\n  examples/${s.example} (variant: ${s.variant})\n${"=".repeat(100)}`);
  const ws = workspace(s.example);
  try {
    ws.run(["config", "set", "variant", s.variant]);
    const dump = join(tmpdir(), `mailflow-guard-demo-${process.pid}.json`);
    const r = ws.run(["preview", "--policy-pack", REPO], { env: { MAILFLOW_GUARD_DUMP_MODEL: dump } });
    console.log(policiesSection(r.stdout));
    console.log("\nMail flows, as Exchange Online will attribute them:");
    const model = JSON.parse(readFileSync(dump, "utf8")) as MailFlowModel;
    for (const flow of deriveFlows(model).filter((f) => f.destination !== "non-microsoft")) {
      console.log(`  ${flow.misattributed ? "✗ WRONG TENANT" : "✓"}  ${flow.explanation}`);
    }
    rmSync(dump, { force: true });
    const blocked = r.status !== 0;
    console.log(`\n→ pulumi preview exit code ${r.status}: ${blocked ? "BLOCKED by mailflow-guard" : "passed"}`);
    if (blocked !== (s.variant === "incident")) {
      unexpected++;
      console.log(r.stderr);
    }
  } finally {
    ws.dispose();
  }
}
process.exit(unexpected === 0 ? 0 : 1);
