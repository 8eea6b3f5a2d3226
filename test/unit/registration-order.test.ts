/**
 * The engine registers resources in dependency order, which policies cannot see. At the scale of a
 * managed service provider, the verdicts must not depend on it: the same problems, each reported
 * once, by the same rules — on whichever resource completes them.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { mspTopology } from "../../bench/topology";
import { loadExtractors } from "../../src/extractors";
import { analyzeInProcess, type StackResource } from "../../src/reporters/pulumi/in-process";
import { SUMMARY_POLICY } from "../../src/reporters/pulumi/run-summary";
import { rules } from "../../src/rules";
import { registrationOrders } from "./support/orders";

beforeAll(loadExtractors);

const resource = (type: string, name: string, props: Record<string, unknown>): StackResource => ({ urn: `urn:pulumi:test::msp::${type}::${name}`, name, type, props });

/** 30 hosted clients behind the provider's gateway, and one tenant that trusts the provider's whole domain. */
const stack: StackResource[] = [
  ...mspTopology(150),
  resource("pulumi-nodejs:dynamic/mailflow:Tenant", "tenant-victim", { initialDomain: "victim.onmicrosoft.com", acceptedDomains: ["provider.example"], acceptedDomainsComplete: true }),
  resource("command:local:Command", "exo-victim", {
    interpreter: ["pwsh", "-Command"],
    create: `Connect-ExchangeOnline -Organization victim.onmicrosoft.com\nNew-InboundConnector -Name "From provider" -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName '*.provider.example'`,
  }),
];

/** Policy → count (the run's summary line left out). */
async function verdicts(order: StackResource[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const v of await analyzeInProcess(rules, order)) {
    if (v.policy === SUMMARY_POLICY) continue;
    out[v.policy] = (out[v.policy] ?? 0) + 1;
  }
  return out;
}

describe("a managed-service stack in any registration order", () => {
  it("blocks the tenant that trusts the provider's gateway, advises on the kept HCW wildcard, and nothing else", async () => {
    const expected = {
      "internet-identity-matches-onpremises-connector": 1,
      "wildcard-onpremises-certificate-name": 1,
      "hybrid-wizard-will-revert-certificate": 1,
    };
    expect(await verdicts(stack)).toEqual(expected);
    for (const order of registrationOrders(stack, 3)) expect(await verdicts(order)).toEqual(expected);
  });
});
