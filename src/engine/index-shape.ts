/** Every lookup the engine keeps over one model, and an empty set of them. */
import type { Certificate, HybridConfiguration, InboundConnector, Organization, SendConnector, Tenant } from "../model/types";
import { MultiIndex, PickIndex, type Order } from "./index-structures";

export interface ModelIndexes {
  tenantById: PickIndex<Tenant>;
  /** Accepted domain (exact) → tenant. */
  tenantByDomain: PickIndex<Tenant>;
  /** Accepted domain with MatchSubDomains → tenant. */
  tenantBySubDomainParent: PickIndex<Tenant>;
  /** Label of `<label>.mail.protection.outlook.com` (accepted domain with dots as dashes) → tenant. */
  tenantByMxLabel: PickIndex<Tenant>;
  inboundByExactName: MultiIndex<InboundConnector>;
  inboundByWildcardBase: MultiIndex<InboundConnector>;
  orgById: PickIndex<Organization>;
  /** Server host → organisation. */
  orgByServer: PickIndex<Organization>;
  /** Organisation id → organisations that relay its mail (gateways). */
  relayedBy: MultiIndex<Organization>;
  certificatesByOrg: MultiIndex<Certificate>;
  certificatesByServer: MultiIndex<Certificate>;
  sendByOrg: MultiIndex<SendConnector>;
  /** Every domain suffix of every certificate name → certificates (for wildcard patterns). */
  certificatesByNameSuffix: MultiIndex<Certificate>;
  /** Certificates by id, by thumbprint (the last described wins) and by issuer|subject. */
  certificateById: PickIndex<Certificate>;
  certificateByThumbprint: PickIndex<Certificate>;
  certificatesByDn: MultiIndex<Certificate>;
  /** Certificates with a wildcard name (matched name by name, not through suffixes). */
  wildcardCertificates: MultiIndex<Certificate>;
  /** Organisations the stack names (not a placeholder for a silent script). */
  namedOrganizations: MultiIndex<Organization>;
  /** Model order of an entity: answers found through lookups are put back in it. */
  orderOf: Order;
  // Reverse lookups, for rules that answer for one entity (the resource pass).
  /** Certificates by identity key (thumbprint, else issuer|subject, else id). */
  certificatesByKey: MultiIndex<Certificate>;
  /** Every organisation listing a server (not only the first). */
  orgsByServer: MultiIndex<Organization>;
  /** Send connectors by issuer|subject of their TlsCertificateName. */
  sendByDn: MultiIndex<SendConnector>;
  /** Send connectors by certificate reference (id, or upper-case thumbprint). */
  sendByCertRef: MultiIndex<SendConnector>;
  sendBySourceServer: MultiIndex<SendConnector>;
  sendBySmartHost: MultiIndex<SendConnector>;
  /** Send connectors by every domain suffix of every address space. */
  sendByAddressSuffix: MultiIndex<SendConnector>;
  /** Send connectors by every domain suffix of their FQDN. */
  sendByFqdnSuffix: MultiIndex<SendConnector>;
  /** Inbound connectors by every domain suffix of their pattern's base (what a wildcard above it covers). */
  inboundByNameSuffix: MultiIndex<InboundConnector>;
  inboundByTenant: MultiIndex<InboundConnector>;
  /** Inbound connectors by the resources in their provenance. */
  inboundByUrn: MultiIndex<InboundConnector>;
  hybridConfigurationByOrg: PickIndex<HybridConfiguration>;
  /** Inbound connectors with sender IP addresses (key ""). */
  inboundWithSenderIps: MultiIndex<InboundConnector>;
}

export function emptyIndexes(orderOf: Order): ModelIndexes {
  const multi = () => new MultiIndex<never>(orderOf);
  const first = () => new PickIndex<never>(orderOf);
  return {
    tenantById: first(),
    tenantByDomain: first(),
    tenantBySubDomainParent: first(),
    tenantByMxLabel: first(),
    inboundByExactName: multi(),
    inboundByWildcardBase: multi(),
    orgById: first(),
    orgByServer: first(),
    relayedBy: multi(),
    certificatesByOrg: multi(),
    certificatesByServer: multi(),
    sendByOrg: multi(),
    certificatesByNameSuffix: multi(),
    certificateById: new PickIndex<never>(orderOf, "last"),
    certificateByThumbprint: new PickIndex<never>(orderOf, "last"),
    certificatesByDn: multi(),
    wildcardCertificates: multi(),
    namedOrganizations: multi(),
    orderOf,
    certificatesByKey: multi(),
    orgsByServer: multi(),
    sendByDn: multi(),
    sendByCertRef: multi(),
    sendBySourceServer: multi(),
    sendBySmartHost: multi(),
    sendByAddressSuffix: multi(),
    sendByFqdnSuffix: multi(),
    inboundByNameSuffix: multi(),
    inboundByTenant: multi(),
    inboundByUrn: multi(),
    hybridConfigurationByOrg: first(),
    inboundWithSenderIps: multi(),
  };
}
