/**
 * Facts from policy configuration: what the stack does not manage (other tenants, gateways,
 * external certificates, shared egress). Gateways, organisations, tenants and certificates have the
 * same shape as this package's descriptor resources, so they are read by the same extractor.
 */
import { DESCRIPTOR_TYPES, descriptorExtractor } from "./descriptors";
import type { ResourceInput } from "./types";
import type { Fact } from "../model/facts";
import type { Provenance } from "../model/types";
import type { InventoryConfig } from "../config/schema";

export const CONFIG_URN_PREFIX = "policy-config:mailflow-inventory";

function configProvenance(path: string): Provenance {
  return { urn: `${CONFIG_URN_PREFIX}.${path}`, resourceName: `policy configuration mailflow-inventory.${path}`, resourceType: "policy-config" };
}

function asDescriptor(type: string, path: string, props: object): ResourceInput {
  return { urn: `${CONFIG_URN_PREFIX}.${path}`, name: `policy configuration mailflow-inventory.${path}`, type, props: { ...props }, dependencies: [], propertyDependencies: {} };
}

/**
 * The entries of a configured list that are objects, with their index in the list. The configuration is
 * validated before it gets here (src/config/validate.ts); this only keeps a caller that skipped that
 * from crashing the pack.
 */
function entriesOf<T extends object>(list: readonly T[] | undefined): Array<[T, number]> {
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry, i): Array<[T, number]> => (entry !== null && typeof entry === "object" && !Array.isArray(entry) ? [[entry, i]] : []));
}

export function configFacts(config: InventoryConfig): Fact[] {
  const inputs: ResourceInput[] = [
    ...entriesOf(config.tenants).map(([t, i]) => asDescriptor(DESCRIPTOR_TYPES.tenant, `tenants[${i}]`, t)),
    ...entriesOf(config.organizations).map(([o, i]) => asDescriptor(DESCRIPTOR_TYPES.organization, `organizations[${i}]`, o)),
    ...entriesOf(config.gateways).map(([g, i]) => asDescriptor(DESCRIPTOR_TYPES.gateway, `gateways[${i}]`, g)),
    ...entriesOf(config.certificates).map(([c, i]) => asDescriptor(DESCRIPTOR_TYPES.certificate, `certificates[${i}]`, c)),
  ];
  const facts: Fact[] = inputs.flatMap((r) => descriptorExtractor.extract(r));
  entriesOf(config.inboundConnectors).forEach(([c, i]) => {
    facts.push({
      kind: "inbound-connector",
      op: "new",
      tenant: c.tenant,
      identity: c.name,
      fields: {
        connectorType: c.connectorType,
        ...(c.enabled !== undefined ? { enabled: c.enabled } : {}),
        ...(c.tlsSenderCertificateName ? { tlsSenderCertificateName: c.tlsSenderCertificateName } : {}),
        ...(c.senderIpAddresses ? { senderIpAddresses: c.senderIpAddresses } : {}),
      },
      unknown: [],
      provenance: configProvenance(`inboundConnectors[${i}]`),
    });
  });
  if (Array.isArray(config.sharedEgressIps) && config.sharedEgressIps.length) {
    facts.push({
      kind: "organization",
      organization: { id: "shared egress (policy configuration)", kind: "gateway", egressIps: config.sharedEgressIps, sharedEgress: true },
      provenance: configProvenance("sharedEgressIps"),
    });
  }
  return facts;
}
