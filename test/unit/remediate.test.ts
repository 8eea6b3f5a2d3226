/**
 * The remediate level (issue 22): where the proven fix is one value in the script of the resource that
 * completes the conflict, the pack writes it there (remediateResource, run by the engine before the
 * resource is analysed), the deployment is no longer blocked, and the log says what was changed; where
 * the fix is more than that, the finding blocks as mandatory and says why nothing was written.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { loadExtractors } from "../../src/extractors";
import { isInventoryPolicy } from "../../src/reporters/pulumi/policies";
import { rules } from "../../src/rules";
import { runStack } from "./support/rule-tester";
import { connect, gateway, tenant } from "./support/scenarios";
import { exo } from "./support/stack";

beforeAll(loadExtractors);

const WILDCARD = `${connect("contoso.onmicrosoft.com")}\nNew-InboundConnector -Name "From on-prem" -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName *.contoso.com`;
const gw = gateway("gateway", { name: "gw", servers: ["mx01.contoso.com"], connectors: [{ name: "Internet", addressSpaces: ["*"], dnsRouting: true, certificate: { subject: "CN=mx01.contoso.com", trust: "public" } }] });
const REMEDIATE = { "wildcard-onpremises-certificate-name": "remediate", "internet-identity-matches-onpremises-connector": "remediate" } as const;
const findings = (vs: Awaited<ReturnType<typeof runStack>>) => vs.filter((v) => !isInventoryPolicy(v.policy));

describe("the remediate level", () => {
  it("writes the one value of the proven fix into the script of the resource that completes the conflict, and says what it changed", async () => {
    // The tenant's accepted host name is the exact name: one value, nothing else to change.
    const stack = [tenant("contoso.onmicrosoft.com", ["contoso.com", "smtpo365.contoso.com"]), gw, exo("inbound", WILDCARD)];
    const before = findings(await runStack(rules, stack, {}, { chain: true }));
    expect(before.map((v) => `${v.level} ${v.policy}`).sort()).toEqual(["mandatory internet-identity-matches-onpremises-connector", "mandatory wildcard-onpremises-certificate-name"]);
    const after = findings(await runStack(rules, stack, {}, { chain: true, levels: REMEDIATE }));
    // The first policy at the remediate level to remediate the resource writes it; the other finds nothing left to fix.
    expect(after.map((v) => `${v.level} ${v.policy} -> ${v.resource}`)).toEqual(["advisory internet-identity-matches-onpremises-connector -> inbound"]);
    expect(after[0]!.message).toContain("Remediated (the remediate level): inbound.create:2, columns 112–124: *.contoso.com → 'smtpo365.contoso.com' (New-InboundConnector 'From on-prem')");
  });

  it("blocks as mandatory, saying why, where the proven fix is more than one value (here an accepted domain too)", async () => {
    const stack = [tenant("contoso.onmicrosoft.com", ["contoso.com"]), gw, exo("inbound", WILDCARD)];
    const after = findings(await runStack(rules, stack, {}, { chain: true, levels: REMEDIATE }));
    expect(after.map((v) => `${v.level} ${v.policy}`).sort()).toEqual(["remediate internet-identity-matches-onpremises-connector", "remediate wildcard-onpremises-certificate-name"]);
    for (const v of after) expect(v.message).toMatch(/\nRemediate: not applied to [a-z-]+'s finding, so it blocks as mandatory: its proven fix \(#1\) makes 2 changes, not one value\./);
  });
});
