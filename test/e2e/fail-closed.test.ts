/**
 * Issue 23 through the real engine (`pulumi preview --policy-pack`): layouts the grammar misreads,
 * values kept in literal data, wrappers, DSC and a script read from stdin give the same verdict as the
 * plain call; a script PowerShell refuses is said to be refused; identity-only verdicts need no
 * certificate declaration; what cannot be verified is named. Program: examples/fail-closed.
 * Policies are compared by rule id (a trailing "-stack" stripped): where a finding is reported may move
 * between the resource pass and the stack pass, the rule, the resource and the verdict may not.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { previewWithPack, workspace, type RunResult, type Workspace } from "./harness";

let ws: Workspace;
beforeAll(() => {
  ws = workspace("fail-closed");
});
afterAll(() => ws?.dispose());

function preview(which: string): RunResult {
  const set = ws.run(["config", "set", "case", which]);
  if (set.status !== 0) throw new Error(set.stderr);
  return previewWithPack(ws);
}

const ruleOf = (policy: string): string => policy.replace(/-stack$/, "");
/** `<rule> -> <resource>` of every event at `level`, sorted and deduplicated. */
const events = (r: RunResult, level: "mandatory" | "advisory"): string[] =>
  [...new Set(r.policyEvents.filter((e) => e.enforcementLevel === level).map((e) => `${ruleOf(e.policyName)} -> ${e.resourceUrn.split("::").pop()}`))].sort();
const messagesOf = (r: RunResult, rule: string): string => r.policyEvents.filter((e) => ruleOf(e.policyName) === rule).map((e) => e.message).join("\n");

const WILDCARD_BLOCK = ["internet-identity-matches-onpremises-connector -> inbound", "wildcard-onpremises-certificate-name -> inbound"];

describe("the same wildcard connector, however the script lays it out or keeps its values, is blocked", () => {
  it.each(["param-same-line", "block-param", "hashtable-loop", "cipp-wrapper", "dsc-configuration", "stdin"])("%s", (which) => {
    const r = preview(which);
    expect({ status: r.status === 0 ? 0 : "non-zero", mandatory: events(r, "mandatory") }).toEqual({ status: "non-zero", mandatory: WILDCARD_BLOCK });
  });
});

describe("what PowerShell refuses, or the stack cannot verify, is named", () => {
  it("a copied <CONNECTOR NAME> placeholder: PowerShell refuses the script; nothing in it is read, and that is said on its line", () => {
    const r = preview("placeholder");
    expect({ status: r.status, mandatory: events(r, "mandatory") }).toEqual({ status: 0, mandatory: [] });
    const said = messagesOf(r, "mailflow-inventory");
    expect(said).toContain("inbound.create line 3: PowerShell refuses to run this script: `<` on line 3 is an operator it reserves");
    expect(said).toContain("New-InboundConnector of command 'inbound' in inbound.create line 2: not read: PowerShell refuses the script");
  });
  it("an IP-only OnPremises connector trusting its mail as internal, whose IPs nobody declares: the advisory says what to declare", () => {
    const r = preview("ip-owner");
    expect({ status: r.status, mandatory: events(r, "mandatory"), advisory: events(r, "advisory") }).toEqual({ status: 0, mandatory: [], advisory: ["mailflow-inventory -> inbound"] });
    const said = messagesOf(r, "mailflow-inventory");
    expect(said).toContain("no one in the stack declares 198.51.100.7 as their egress");
    expect(said).toContain("mailflow-inventory.sharedEgressIps");
  });
});

describe("identity-only verdicts need no certificate declaration", () => {
  it("two organisations pinning the same \"<I>issuer<S>subject\" for one tenant: R9", () => {
    const r = preview("identity-r9");
    expect(r.status).not.toBe(0);
    const r9 = r.policyEvents.filter((e) => ruleOf(e.policyName) === "multi-forest-certificates-not-distinct");
    expect(r9.map((e) => e.enforcementLevel)).toEqual(["mandatory"]);
    expect(["forest-a", "forest-b"]).toContain(r9[0]!.resourceUrn.split("::").pop());
    for (const text of ["same CN and issuer (smtpo365.contoso.com)", "ex01.corp.contoso.com", "ex01.fabrikam.local"]) expect(r9[0]!.message).toContain(text);
  });
  it("a hybrid and an internet connector pinned to the identity built from one literal thumbprint: R1", () => {
    const r = preview("identity-r1");
    expect(r.status).not.toBe(0);
    expect(events(r, "mandatory")).toEqual(["shared-certificate-hybrid-and-internet -> on-premises"]);
    expect(messagesOf(r, "shared-certificate-hybrid-and-internet")).toContain("the certificate with thumbprint 0123456789ABCDEF0123456789ABCDEF01234567");
  });
  it("a * connector relaying through the own tenant, with no TlsCertificateName: R8, as for a hybrid connector", () => {
    const r = preview("relay-own-tenant");
    expect({ status: r.status, mandatory: events(r, "mandatory") }).toEqual({ status: 0, mandatory: [] });
    expect(events(r, "advisory")).toContain("hybrid-send-connector-not-pinned -> relay");
    expect(messagesOf(r, "hybrid-send-connector-not-pinned")).toContain("no -TlsCertificateName");
  });
});
