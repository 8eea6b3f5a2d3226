/**
 * False positives erode trust as much as misses: randomly composed, correct dedicated-certificate
 * set-ups (support/topologies.ts) must pass every policy in any registration order, and every seed
 * incident injected into them must be blocked, once, in any order.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { GatewayConfig, InventoryConfig, OrganizationConfig, TenantConfig } from "../../src/config/schema";
import { loadExtractors } from "../../src/extractors";
import { INVENTORY_POLICY, isInventoryPolicy } from "../../src/reporters/pulumi/policies";
import { rules } from "../../src/rules";
import { registrationOrders } from "./support/orders";
import { runStack, type Violation } from "./support/rule-tester";
import type { TestResource } from "./support/stack";
import { withUnknownHost } from "./support/scenarios";
import { correctSetUp, INCIDENTS, withSilentTenant, withUnknowns } from "./support/topologies";

beforeAll(loadExtractors);

/** What would block or advise, as `policy on resource`: everything but the inventory's advisories. */
const verdicts = (violations: Violation[]): string[] => violations.filter((v) => !isInventoryPolicy(v.policy)).map((v) => `${v.policy} on ${v.resource}`);

// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxy = require("@pulumi/policy/proxy") as { unknownStringValue: string };

describe("correct dedicated-certificate set-ups pass every policy", () => {
  it.each(Array.from({ length: 12 }, (_, k) => k + 1))("random set-up %i, in its own order and in others", async (seed) => {
    const stack = correctSetUp(seed);
    for (const order of [stack, ...registrationOrders(stack, 2)]) {
      const violations = await runStack(rules, order);
      expect({ order: order.map((r) => r.name), violations: violations.map((v) => `${v.policy} on ${v.resource}: ${v.message.split("\n")[1] ?? ""}`) }).toEqual({
        order: order.map((r) => r.name),
        violations: [],
      });
    }
  });

  it.each([4, 7, 11])("random set-up %i with its tenants declared in policy configuration instead of descriptors", async (seed) => {
    const stack = correctSetUp(seed);
    const isTenant = (r: TestResource) => r.type === "pulumi-nodejs:dynamic/mailflow:Tenant";
    const config: InventoryConfig = { tenants: stack.filter(isTenant).map((r) => r.props as unknown as TenantConfig) };
    expect(config.tenants!.length).toBeGreaterThan(1);
    for (const order of [stack, ...registrationOrders(stack, 2)].map((o) => o.filter((r) => !isTenant(r)))) {
      const violations = await runStack(rules, order, config);
      expect({ order: order.map((r) => r.name), violations: violations.map((v) => `${v.policy} on ${v.resource}`) }).toEqual({ order: order.map((r) => r.name), violations: [] });
    }
  });

  it.each([2, 5, 9])("random set-up %i with its gateways and organisations in policy configuration: passes, and the provider-domain incident is still blocked", async (seed) => {
    const inConfig = (r: TestResource) => r.type === "pulumi-nodejs:dynamic/mailflow:Gateway" || r.type === "pulumi-nodejs:dynamic/mailflow:Organization";
    const split = (stack: TestResource[]) => ({
      resources: stack.filter((r) => !inConfig(r)),
      config: {
        gateways: stack.filter((r) => r.type.endsWith(":Gateway")).map((r) => r.props as unknown as GatewayConfig),
        organizations: stack.filter((r) => r.type.endsWith(":Organization")).map((r) => r.props as unknown as OrganizationConfig),
      },
    });
    const valid = split(correctSetUp(seed));
    expect(valid.config.organizations.length).toBeGreaterThan(1);
    for (const order of [valid.resources, ...registrationOrders(valid.resources, 2)]) expect(verdicts(await runStack(rules, order, valid.config))).toEqual([]);
    const incident = INCIDENTS.find((i) => i.rule === "internet-identity-matches-onpremises-connector")!;
    const invalid = split(incident.inject(correctSetUp(seed)));
    for (const order of [invalid.resources, ...registrationOrders(invalid.resources, 2)]) {
      expect((await runStack(rules, order, invalid.config)).filter((v) => v.policy.replace(/-stack$/, "") === incident.rule)).toHaveLength(1);
    }
  });

  it.each([2, 6, 10])("random set-up %i with values unknown until deploy: advisories that name them, never a block", async (seed) => {
    // A connector's certificate name from the environment, and an Exchange server's host, both unknown in preview.
    const stack = correctSetUp(seed).map((r) => {
      if (r.name === "exo-0") {
        const create = String(r.props.create).replace(/-TlsSenderCertificateName '?[^'\s]+'?/, "-TlsSenderCertificateName $env:HYBRID_NAME");
        return { ...r, props: { ...r.props, create, environment: { HYBRID_NAME: proxy.unknownStringValue } } };
      }
      if (r.name === "send-1") return withUnknownHost(r);
      return r;
    });
    for (const order of [stack, ...registrationOrders(stack, 2)]) {
      const violations = await runStack(rules, order);
      expect(verdicts(violations)).toEqual([]);
      const advisories = violations.filter((v) => v.policy === INVENTORY_POLICY);
      expect([...new Set(advisories.map((v) => v.resource))].sort()).toEqual(["exo-0", "send-1"]);
      expect(advisories.find((v) => v.resource === "exo-0")!.message).toContain("TlsSenderCertificateName");
      expect(advisories.find((v) => v.resource === "send-1")!.message).toContain("connection.host");
    }
  });

  it.each([1, 3, 8, 301, 334, 341, 377])("random set-up %i with random values unknown until deploy: never a block", async (seed) => {
    const stack = withUnknowns(correctSetUp(seed), seed);
    expect(stack).not.toEqual(correctSetUp(seed));
    for (const order of [stack, ...registrationOrders(stack, 2)]) {
      const violations = await runStack(rules, order);
      expect({ order: order.map((r) => r.name), blocks: verdicts(violations) }).toEqual({ order: order.map((r) => r.name), blocks: [] });
    }
  });

  it.each([702, 706, 710, 716])("random set-up %i where client 1's scripts name no tenant: no tenant is guessed for them while resources arrive", async (seed) => {
    const stack = withSilentTenant(correctSetUp(seed), 1);
    expect(stack).not.toEqual(correctSetUp(seed));
    for (const order of [stack, ...registrationOrders(stack, 3)]) {
      const violations = await runStack(rules, order);
      expect({ order: order.map((r) => r.name), blocks: verdicts(violations) }).toEqual({ order: order.map((r) => r.name), blocks: [] });
    }
  });

  it("the twelve set-ups exercise every variant", () => {
    const all = Array.from({ length: 12 }, (_, k) => correctSetUp(k + 1)).flat();
    const has = (test: (r: TestResource) => boolean) => all.some(test);
    const script = (r: TestResource) => String(r.props.create ?? "");
    expect({
      gateway: has((r) => r.name === "provider-gateway"),
      direct: has((r) => r.name.startsWith("internet-cert-")),
      ownTenant: has((r) => script(r).includes("Internet via Office 365")),
      splitHybrid: has((r) => r.name.startsWith("send-initial-")),
      singleHybrid: has((r) => script(r).includes('"smtp:c0.onmicrosoft.com;1"') && script(r).includes("c0.mail.onmicrosoft.com")),
      hcw: has((r) => script(r).includes("HybridWizard")),
      handMade: has((r) => script(r).includes('-Name "From c')),
      partner: has((r) => r.name.startsWith("partner-")),
      partnerByIp: has((r) => r.name.startsWith("partner-") && script(r).includes("-SenderIPAddresses")),
      outbound: has((r) => r.name.startsWith("exo-outbound-")),
      hybridConfiguration: has((r) => r.name.startsWith("hybrid-config-")),
      secondForest: has((r) => r.name.startsWith("org-") && r.name.endsWith("b")),
      complete: has((r) => r.props.acceptedDomainsComplete === true),
      incomplete: has((r) => r.name.startsWith("tenant-") && r.props.acceptedDomainsComplete === undefined),
    }).toEqual({ gateway: true, direct: true, ownTenant: true, splitHybrid: true, singleHybrid: true, hcw: true, handMade: true, partner: true, partnerByIp: true, outbound: true, hybridConfiguration: true, secondForest: true, complete: true, incomplete: true });
  });

});

describe("incidents injected into correct set-ups are blocked in any order", () => {
  it.each(INCIDENTS.flatMap((incident) => [2, 5, 9].map((seed) => [incident.name, seed, incident] as const)))("%s (set-up %i)", async (_name, seed, incident) => {
    const stack = incident.inject(correctSetUp(seed));
    const reported = async (order: TestResource[]) =>
      (await runStack(rules, order)).filter((v) => v.policy.replace(/-stack$/, "") === incident.rule).length;
    // One finding per connector involved (a split hybrid path shares the certificate twice), the same in every order.
    const expected = await reported(stack);
    expect(expected).toBeGreaterThan(0);
    for (const order of registrationOrders(stack, 2)) expect({ order: order.map((r) => r.name), reported: await reported(order) }).toEqual({ order: order.map((r) => r.name), reported: expected });
  });
});
