/**
 * Named questions rules ask of the model, answered through the maintained indexes (lookups, never
 * scans, so the resource pass stays linear). Rules call these instead of reading index maps, so an
 * index can change shape without touching a rule. Every list comes back in model order.
 */
import type { CertificateIdentifier, HybridConfiguration, InboundConnector, MailFlowModel, Organization, SendConnector, Tenant } from "../model/types";
import { dnKey, indexesOf } from "./indexes";

export const tenantById = (model: MailFlowModel, id: string): Tenant | undefined => indexesOf(model).tenantById.get(id);

export const organizationById = (model: MailFlowModel, id: string): Organization | undefined => indexesOf(model).orgById.get(id);

/** Whether the stack names any organisation (not only placeholders for scripts that name none). */
export const stackNamesOrganizations = (model: MailFlowModel): boolean => indexesOf(model).namedOrganizations.has("");

/** Gateways (organisations) that relay the mail of organisation `orgId`. */
export const organizationsRelaying = (model: MailFlowModel, orgId: string): Organization[] => indexesOf(model).relayedBy.get(orgId) ?? [];

export const sendConnectorsOf = (model: MailFlowModel, orgId: string): SendConnector[] => indexesOf(model).sendByOrg.get(orgId) ?? [];

/** Send connectors whose -TlsCertificateName names this issuer and subject. */
export const sendConnectorsPinnedTo = (model: MailFlowModel, identifier: CertificateIdentifier): SendConnector[] =>
  indexesOf(model).sendByDn.get(dnKey(identifier.issuer, identifier.subject)) ?? [];

/** Send connectors that reference certificate `certificateId` (by id or thumbprint). */
export const sendConnectorsReferencing = (model: MailFlowModel, certificateId: string): SendConnector[] => indexesOf(model).sendByCertRef.get(certificateId) ?? [];

/** Send connectors whose FQDN is `domain` or a name under it. */
export const sendConnectorsWithFqdnUnder = (model: MailFlowModel, domain: string): SendConnector[] => indexesOf(model).sendByFqdnSuffix.get(domain) ?? [];

export const inboundConnectorsOfTenant = (model: MailFlowModel, tenantId: string): InboundConnector[] => indexesOf(model).inboundByTenant.get(tenantId) ?? [];

/** Inbound connectors stated by resource `urn`. */
export const inboundConnectorsDeclaredBy = (model: MailFlowModel, urn: string): InboundConnector[] => indexesOf(model).inboundByUrn.get(urn) ?? [];

/** Inbound connectors whose pattern's base is `domain` or a name under it (what a wildcard on `domain` covers). */
export const inboundConnectorsUnder = (model: MailFlowModel, domain: string): InboundConnector[] => indexesOf(model).inboundByNameSuffix.get(domain) ?? [];

/** Inbound connectors whose pattern is exactly `name`, then those whose wildcard pattern has base `name`. */
export const inboundConnectorsNaming = (model: MailFlowModel, name: string): InboundConnector[] => {
  const ix = indexesOf(model);
  return [...(ix.inboundByExactName.get(name) ?? []), ...(ix.inboundByWildcardBase.get(name) ?? [])];
};

/** Inbound connectors that list sender IP addresses. */
export const inboundConnectorsWithSenderIps = (model: MailFlowModel): InboundConnector[] => indexesOf(model).inboundWithSenderIps.get("") ?? [];

/** The hybrid configuration of organisation `orgId`, as a list (empty when there is none). */
export function hybridConfigurationsOf(model: MailFlowModel, orgId: string): HybridConfiguration[] {
  const hc = indexesOf(model).hybridConfigurationByOrg.get(orgId);
  return hc ? [hc] : [];
}

/** Mail domains whose mail leaves through `s`: its organisation's, and those of organisations a gateway relays for. */
export function senderDomains(model: MailFlowModel, s: SendConnector): string[] {
  const org = organizationById(model, s.org);
  const relayed = (org?.relaysFor ?? []).map((id) => organizationById(model, id)).filter((o) => o !== undefined);
  const domains = [...(org?.domains ?? []), ...relayed.flatMap((o) => o.domains), ...organizationsRelaying(model, s.org).flatMap((o) => o.domains)];
  return [...new Set(domains)];
}
