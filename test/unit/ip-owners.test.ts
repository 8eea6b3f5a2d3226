/**
 * Issue 23: an OnPremises inbound connector identified by IP alone that treats its mail as internal
 * (TreatMessagesAsInternal / CloudServicesMailEnabled) is attributed by IP; who else sends from those
 * IPs can only be checked against egress the stack declares. When nobody declares them, say so and
 * what to declare. New-InboundConnector: https://learn.microsoft.com/powershell/module/exchangepowershell/new-inboundconnector
 */
import { beforeAll, describe, expect, it } from "vitest";
import { loadExtractors } from "../../src/extractors";
import { rules } from "../../src/rules";
import { runStack } from "./support/rule-tester";
import { connect, organization, tenant } from "./support/scenarios";
import { exo } from "./support/stack";

beforeAll(loadExtractors);

const contoso = tenant("contoso.onmicrosoft.com", ["contoso.com"]);
const ipOnly = (flags: string) => exo("inbound", `${connect("contoso.onmicrosoft.com")}\nNew-InboundConnector -Name "From on-prem" -ConnectorType OnPremises -SenderDomains * -SenderIPAddresses 198.51.100.7 ${flags}`);
const advised = async (resources: Parameters<typeof runStack>[1], config = {}) =>
  (await runStack(rules, resources, config)).filter((v) => v.policy === "mailflow-inventory").map((v) => `${v.resource}: ${v.message}`);

describe("an IP-only OnPremises connector whose IP owners nobody declared", () => {
  it.each(["-TreatMessagesAsInternal $true", "-CloudServicesMailEnabled $true"])("%s: the advisory names the IPs and what to declare", async (flags) => {
    const out = await advised([contoso, ipOnly(flags)]);
    expect(out).toHaveLength(1);
    expect(out[0]).toContain("no one in the stack declares 198.51.100.7 as their egress");
    expect(out[0]).toContain("mailflow-inventory.sharedEgressIps");
  });
  it("no advisory when an Organization declares them as its egress", async () => {
    expect(await advised([contoso, organization("org", { name: "ex01.contoso.com", servers: ["ex01.contoso.com"], egressIps: ["198.51.100.0/24"], tenant: "contoso.onmicrosoft.com" }), ipOnly("-TreatMessagesAsInternal $true")])).toEqual([]);
  });
  it("no advisory when sharedEgressIps lists them", async () => {
    expect(await advised([contoso, ipOnly("-TreatMessagesAsInternal $true")], { sharedEgressIps: ["198.51.100.7"] })).toEqual([]);
  });
  it("no advisory when the connector does not trust its mail as internal", async () => {
    expect(await advised([contoso, ipOnly("")])).toEqual([]);
  });
});
