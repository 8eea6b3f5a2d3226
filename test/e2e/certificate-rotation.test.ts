/**
 * Issue 16 through the real engine: a certificate-rotation hook that re-pins the renewed wildcard on
 * every Send connector (`Get-SendConnector | Set-SendConnector`) is blocked by R1 before it runs; the
 * rotation of the dedicated hybrid certificate only passes. Program: examples/certificate-rotation.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { previewWithPack, toolchain, violationsOf, workspace, type Workspace } from "./harness";

let ws: Workspace;
beforeAll(() => {
  toolchain();
  ws = workspace("certificate-rotation");
});
afterAll(() => ws?.dispose());

function preview(variant: "incident" | "fixed") {
  const set = ws.run(["config", "set", "variant", variant]);
  if (set.status !== 0) throw new Error(set.stderr);
  return previewWithPack(ws);
}

describe("certificate rotation", () => {
  it("incident: the hook re-pins every Send connector to the wildcard — blocked by R1 on the hook", () => {
    const r = preview("incident");
    expect({ status: r.status === 0 ? 0 : "non-zero", mandatory: violationsOf(r, "mandatory") }).toEqual({
      status: "non-zero",
      // The wildcard now on the internet connector also matches the hybrid inbound connector's name
      // (smtpo365.contoso.com): internet mail from it would be attributed to the tenant.
      mandatory: [
        "ambiguous-connector-grants-internal-trust -> certificate-rotation",
        "internet-identity-matches-onpremises-connector -> certificate-rotation",
        "shared-certificate-hybrid-and-internet -> certificate-rotation",
      ],
    });
    const r1 = r.policyEvents.find((e) => e.policyName === "shared-certificate-hybrid-and-internet");
    expect(r1?.message).toContain("'Internet'");
    const advisory = r.policyEvents.filter((e) => e.policyName === "mailflow-inventory" && e.resourceUrn.endsWith("::certificate-rotation"));
    expect(advisory.map((e) => e.message).join("\n")).toContain("changes every send connector that Get-sendconnector finds");
  });
  it("fixed: only the hybrid connector is re-pinned, to its dedicated certificate — passes", () => {
    const r = preview("fixed");
    expect({ status: r.status, mandatory: violationsOf(r, "mandatory") }).toEqual({ status: 0, mandatory: [] });
  });
});
