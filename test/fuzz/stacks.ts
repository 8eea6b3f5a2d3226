/** Small base stacks the generators mutate: small, so that 10,000 inputs fit in minutes. */
import type { StackResource } from "../../src/reporters/pulumi/in-process";
import { gateway, hcwInbound, hybridSend, internetDirect, internetViaGateway, organization, publicCert, tenant } from "../unit/support/scenarios";
import { urnOf, type TestResource } from "../unit/support/stack";

export const TENANT = "contoso.onmicrosoft.com";
export const HOST = "ex01.contoso.com";

export const toStack = (resources: TestResource[]): StackResource[] => resources.map((r) => ({ urn: urnOf(r), name: r.name, type: r.type, props: r.props }));

/** A correct dedicated-certificate set-up behind a provider gateway: no rule finds anything in it. */
export function dedicatedStack(): StackResource[] {
  return toStack([
    tenant(TENANT, ["contoso.com", "smtpo365.contoso.com"]),
    publicCert("hybrid-cert", "smtpo365.contoso.com"),
    hcwInbound("exo-inbound", TENANT, "smtpo365.contoso.com"),
    hybridSend("onprem-hybrid", HOST, "contoso.mail.onmicrosoft.com", "smtpo365.contoso.com"),
    internetViaGateway("onprem-internet", HOST, ["mx01.provider.example"]),
    gateway("gw", {
      name: "provider",
      servers: ["mx01.provider.example"],
      egressIps: ["198.51.100.10"],
      relaysFor: [HOST],
      connectors: [{ name: "Internet", addressSpaces: ["*"], dnsRouting: true, certificate: { subject: "CN=mx01.provider.example", dnsNames: ["mx01.provider.example"], trust: "public" } }],
    }),
    organization("org", { name: HOST, servers: [HOST], domains: ["contoso.com"], tenant: TENANT }),
  ]);
}

/** The seed incident: a wildcard hybrid name that also matches the internet connector's certificate. */
export function wildcardIncidentStack(): StackResource[] {
  return toStack([
    tenant(TENANT, ["contoso.com"]),
    publicCert("hybrid-cert", "smtpo365.contoso.com"),
    hcwInbound("exo-inbound", TENANT, "*.contoso.com"),
    hybridSend("onprem-hybrid", HOST, "contoso.mail.onmicrosoft.com", "smtpo365.contoso.com"),
    internetDirect("onprem-internet", HOST, "mail.contoso.com", "mail.contoso.com"),
  ]);
}

export const BASE_STACKS = [dedicatedStack, wildcardIncidentStack] as const;
