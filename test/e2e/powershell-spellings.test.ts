/**
 * Issue 10 through the real engine: one wildcard OnPremises connector written the ways PowerShell
 * accepts it is blocked the same way in every spelling; a certificate made with New-ExchangeCertificate
 * and two organisations told apart by their HCW GUIDs are seen; what the pack cannot read is named, and
 * blocks in strict mode. Program: examples/powershell-spellings.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { previewWithPack, violationsOf, workspace, type Workspace } from "./harness";

let ws: Workspace;
beforeAll(() => {
  ws = workspace("powershell-spellings");
});
afterAll(() => ws?.dispose());

function preview(spelling: string, extra: string[] = []) {
  const set = ws.run(["config", "set", "spelling", spelling]);
  if (set.status !== 0) throw new Error(set.stderr);
  return previewWithPack(ws, extra);
}

const WILDCARD_BLOCK = ["internet-identity-matches-onpremises-connector -> inbound", "wildcard-onpremises-certificate-name -> inbound"];

describe("the same wildcard connector in every spelling is blocked the same way", () => {
  it.each(["plain", "enum-case", "invoke-command", "call-operator", "function", "prefix", "module-qualified", "posix-cd", "posix-env", "posix-exec"])("%s", (spelling) => {
    const r = preview(spelling);
    expect({ status: r.status === 0 ? 0 : "non-zero", mandatory: violationsOf(r, "mandatory") }).toEqual({ status: "non-zero", mandatory: WILDCARD_BLOCK });
  });
  it("the dedicated name passes, whatever the enum's case", () => {
    const r = preview("dedicated");
    expect({ status: r.status, mandatory: violationsOf(r, "mandatory") }).toEqual({ status: 0, mandatory: [] });
  });
});

describe("certificates and organisations from what the stack already says", () => {
  it("a New-ExchangeCertificate whose SAN carries the hybrid name, presented on the internet connector, is blocked", () => {
    const r = preview("exchange-certificate");
    expect(r.status).not.toBe(0);
    expect(violationsOf(r, "mandatory")).toEqual(expect.arrayContaining(["shared-certificate-hybrid-and-internet -> on-premises", "internet-identity-matches-onpremises-connector -> inbound"]));
  });
  it("two organisations (two HCW GUIDs, two forests) pinned to one certificate are blocked, the inference stated", () => {
    const r = preview("two-organisations");
    expect(r.status).not.toBe(0);
    // Reported once, on one of the resources it involves (which one the engine registers last varies).
    const r9 = r.policyEvents.filter((e) => e.policyName.startsWith("multi-forest-certificates-not-distinct"));
    expect(r9).toHaveLength(1);
    expect(["forest-a", "forest-b", "hybrid-certificate"]).toContain(r9[0]!.resourceUrn.split("::").pop());
    for (const text of ["inferred from", "ex01.corp.contoso.com", "ex01.fabrikam.local"]) expect(r9[0]!.message).toContain(text);
  });
});

describe("what cannot be read is named, and blocks in strict mode", () => {
  it("a dynamic invocation is an advisory naming the resource and the line", () => {
    const r = preview("dynamic");
    expect({ status: r.status, mandatory: violationsOf(r, "mandatory") }).toEqual({ status: 0, mandatory: [] });
    const advisory = r.policyEvents.filter((e) => e.policyName === "mailflow-inventory" && e.resourceUrn.endsWith("::inbound"));
    expect(advisory.map((e) => e.message).join("\n")).toContain("a dynamic invocation the pack cannot follow");
  });
  it("a script run by an interpreter the pack does not know is named, not passed silently", () => {
    const r = preview("unknown-interpreter");
    expect({ status: r.status, mandatory: violationsOf(r, "mandatory") }).toEqual({ status: 0, mandatory: [] });
    const advisory = r.policyEvents.filter((e) => e.policyName === "mailflow-inventory" && e.resourceUrn.endsWith("::inbound")).map((e) => e.message).join("\n");
    expect(advisory).toContain("an interpreter the pack does not know (python3)");
  });
  it("strict mode (unverifiable: mandatory) blocks it", () => {
    const dir = mkdtempSync(join(tmpdir(), "mailflow-guard-strict-"));
    try {
      const config = join(dir, "strict.json");
      writeFileSync(config, JSON.stringify({ "mailflow-inventory": { unverifiable: "mandatory" } }));
      const r = preview("dynamic", ["--policy-pack-config", config]);
      expect(r.status).not.toBe(0);
      expect(violationsOf(r, "mandatory")).toEqual(["mailflow-unverifiable -> inbound"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
