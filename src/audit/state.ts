/**
 * `mailflow-guard audit --write-state <file>`: what the audit read, written as a Pulumi stack export
 * (deployment v3) of the resources the pack's extractors read, so `pulumi policy analyze --file
 * <file> --policy-pack <pack>` runs the same pack over it inside the engine:
 * - tenants, organisations, gateways (with their connectors) and certificates as this package's
 *   descriptor resources (src/sdk/descriptors.ts);
 * - each tenant's inbound and outbound connectors as one `command:local:Command` running
 *   `Connect-ExchangeOnline -Organization <tenant>` then `New-InboundConnector`/`New-OutboundConnector`;
 * - each on-premises organisation's Send/Receive connectors and hybrid configuration as one
 *   `command:remote:Command` on one of its servers (the host names the organisation).
 * Written from the audited model (the one picture the rules read), not from the files: what the
 * audit could not read (unverifiable values) is not invented, and stays out of the state.
 */
import * as sdk from "../sdk/scripts";
import type { Certificate, CertificateIdentifier, InboundConnector, MailFlowModel, Organization, OutboundConnector, ReceiveConnector, SendConnector, Tenant } from "../model/types";
import { CONNECTOR_FIELDS, type ConnectorKind } from "../model/fields";
import { DESCRIPTOR_TYPES } from "../extractors/descriptors";

export const STATE_PROJECT = "mailflow-audit";
const LOCAL_COMMAND = "command:local:Command";
const REMOTE_COMMAND = "command:remote:Command";

interface StateResource {
  urn: string;
  custom: boolean;
  id?: string;
  type: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  dependencies?: string[];
}

const quote = sdk.psQuote;
/** A resource name the URN can hold: no `::`, one line. */
const resourceName = (s: string): string => s.replace(/::/g, ":").replace(/[\r\n]+/g, " ");

/** A list the model holds, left out when empty (the connector's list stays unset). */
const nonEmpty = (values: readonly string[]): string[] | undefined => (values.length ? [...values] : undefined);

/** The identifier as the audit read it (the `<I>issuer<S>subject` text), else from its parts. */
const identifier = (c: CertificateIdentifier | undefined): sdk.TlsCertificateName | undefined => (c ? c.raw || { issuer: c.issuer, subject: c.subject } : undefined);

/**
 * An enum field's value in the schema's spelling (PowerShell binds enums case-insensitively); a value
 * the cmdlet would refuse is one the audit could not read, so it stays out of the state.
 */
function enumValue<T extends string>(kind: ConnectorKind, field: string, value: string | undefined): T | undefined {
  if (value === undefined) return undefined;
  const values = CONNECTOR_FIELDS[kind].find((f) => f.field === field)?.values ?? [];
  return values.find((v) => v.toLowerCase() === value.trim().toLowerCase()) as T | undefined;
}

// Keys in the order the state has always written them; undefined keys are not rendered.
const inboundConnectorArgs = (c: InboundConnector): sdk.InboundConnectorArgs => ({
  name: c.name,
  connectorType: c.connectorType,
  senderDomains: [...c.senderDomains],
  senderIpAddresses: nonEmpty(c.senderIpAddresses),
  tlsSenderCertificateName: c.tlsSenderCertificateName,
  requireTls: c.requireTls,
  restrictDomainsToCertificate: c.restrictDomainsToCertificate,
  restrictDomainsToIpAddresses: c.restrictDomainsToIPAddresses,
  cloudServicesMailEnabled: c.cloudServicesMailEnabled,
  treatMessagesAsInternal: c.treatMessagesAsInternal,
  connectorSource: enumValue("inbound", "connectorSource", c.connectorSource),
  associatedAcceptedDomains: nonEmpty(c.associatedAcceptedDomains),
  enabled: c.enabled,
});

const outboundConnectorArgs = (c: OutboundConnector): sdk.OutboundConnectorArgs => ({
  name: c.name,
  connectorType: c.connectorType,
  recipientDomains: [...c.recipientDomains],
  smartHosts: nonEmpty(c.smartHosts),
  useMxRecord: c.useMxRecord,
  tlsSettings: enumValue("outbound", "tlsSettings", c.tlsSettings),
  tlsDomain: c.tlsDomain,
  routeAllMessagesViaOnPremises: c.routeAllMessagesViaOnPremises,
  cloudServicesMailEnabled: c.cloudServicesMailEnabled,
  enabled: c.enabled,
});

const sendConnectorArgs = (c: SendConnector): sdk.SendConnectorArgs => ({
  name: c.name,
  addressSpaces: [...c.addressSpaces],
  smartHosts: nonEmpty(c.smartHosts),
  dnsRoutingEnabled: c.dnsRoutingEnabled,
  fqdn: c.fqdn,
  tlsCertificateName: identifier(c.tlsCertificateName),
  requireTls: c.requireTls,
  tlsAuthLevel: enumValue("send", "tlsAuthLevel", c.tlsAuthLevel),
  tlsDomain: c.tlsDomain,
  cloudServicesMailEnabled: c.cloudServicesMailEnabled,
  sourceTransportServers: nonEmpty(c.sourceTransportServers),
  enabled: c.enabled,
});

const receiveConnectorArgs = (c: ReceiveConnector): sdk.ReceiveConnectorArgs => ({
  name: c.name,
  fqdn: c.fqdn,
  tlsCertificateName: identifier(c.tlsCertificateName),
  tlsDomainCapabilities: nonEmpty(c.tlsDomainCapabilities),
});

export const newInboundConnector = (c: InboundConnector): string => sdk.newInboundConnector(inboundConnectorArgs(c));
export const newOutboundConnector = (c: OutboundConnector): string => sdk.newOutboundConnector(outboundConnectorArgs(c));
export const newSendConnector = (c: SendConnector): string => sdk.newSendConnector(sendConnectorArgs(c));
export const newReceiveConnector = (c: ReceiveConnector): string => sdk.newReceiveConnector(receiveConnectorArgs(c));

/** A certificate as a descriptor's inputs (trust left out when the audit could not tell). */
function certificateInputs(c: Certificate): Record<string, unknown> {
  return {
    ...(c.subjectDN || c.subjectCN ? { subject: c.subjectDN ?? `CN=${c.subjectCN}` } : {}),
    dnsNames: c.sanDns,
    ...(c.trust !== "unknown" ? { trust: c.trust } : {}),
    ...(c.thumbprint ? { thumbprint: c.thumbprint } : {}),
    ...(c.issuerDN ? { issuer: c.issuerDN } : {}),
    ...(c.notAfter ? { notAfter: c.notAfter } : {}),
    ...(c.org ? { organization: c.org } : {}),
    servers: c.servers,
  };
}

const isDomain = (s: string): boolean => /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(s);

/** The host a remote command for `o` connects to: a server of it, else its id (added to its servers). */
const hostOf = (o: Organization): string => o.servers[0] ?? o.id;

class StateWriter {
  readonly resources: StateResource[] = [];
  private readonly names = new Set<string>();

  constructor(private readonly stack: string) {}

  add(type: string, name: string, inputs: Record<string, unknown>): string {
    let unique = resourceName(name);
    for (let i = 2; this.names.has(`${type}::${unique}`); i++) unique = `${resourceName(name)}-${i}`;
    this.names.add(`${type}::${unique}`);
    const urn = `urn:pulumi:${this.stack}::${STATE_PROJECT}::${type}::${unique}`;
    this.resources.push({ urn, custom: true, id: unique, type, inputs, outputs: inputs, dependencies: [] });
    return urn;
  }
}

function tenantInputs(t: Tenant): Record<string, unknown> {
  return { initialDomain: t.initialDomain ?? t.id, acceptedDomains: t.acceptedDomains.map((d) => ({ name: d.name, matchSubDomains: d.matchSubDomains })), acceptedDomainsComplete: t.acceptedDomainsComplete };
}

function gatewayInputs(model: MailFlowModel, g: Organization, inline: Set<string>): Record<string, unknown> {
  const connectors = model.sendConnectors
    .filter((s) => s.org === g.id)
    .map((s) => {
      const certificate = s.certificateIds.map((id) => model.certificates.find((c) => c.id === id)).find((c) => c !== undefined);
      if (certificate) inline.add(certificate.id);
      return { name: s.name, addressSpaces: s.addressSpaces, smartHosts: s.smartHosts, ...(s.dnsRoutingEnabled !== undefined ? { dnsRouting: s.dnsRoutingEnabled } : {}), egressIps: s.egressIps, ...(certificate ? { certificate: certificateInputs(certificate) } : {}) };
    });
  return { name: g.id, servers: g.servers, egressIps: g.egressIps, sharedEgress: g.sharedEgress, domains: g.domains, relaysFor: g.relaysFor, connectors };
}

function organizationInputs(o: Organization): Record<string, unknown> {
  return { name: o.id, kind: o.kind, servers: o.servers.length ? o.servers : [hostOf(o)], egressIps: o.egressIps, sharedEgress: o.sharedEgress, domains: o.domains, ...(o.tenant ? { tenant: o.tenant } : {}) };
}

function onPremisesScript(model: MailFlowModel, o: Organization): string | undefined {
  const statements = [
    ...model.sendConnectors.filter((s) => s.org === o.id).map(newSendConnector),
    ...model.receiveConnectors.filter((r) => r.org === o.id).map(newReceiveConnector),
    ...model.hybridConfigurations.flatMap((h) => {
      const tlsCertificateName = h.org === o.id ? identifier(h.tlsCertificateName) : undefined;
      return tlsCertificateName ? [sdk.setHybridConfiguration({ tlsCertificateName })] : [];
    }),
  ];
  return statements.length ? sdk.exchangeOnlineScript(statements) : undefined;
}

function exchangeOnlineScript(model: MailFlowModel, tenant: string): string | undefined {
  const statements = [...model.inboundConnectors.filter((c) => c.tenant === tenant).map(newInboundConnector), ...model.outboundConnectors.filter((c) => c.tenant === tenant).map(newOutboundConnector)];
  if (!statements.length) return undefined;
  // A tenant the audit could not name is left unnamed in the script too.
  const connect = isDomain(tenant) ? [`Connect-ExchangeOnline -Organization ${quote(tenant)} -ShowBanner:$false`] : [];
  return sdk.exchangeOnlineScript([...connect, ...statements]);
}

/** The audited model as a `pulumi stack export` (deployment v3) of stack `stack`. */
export function stateOfModel(model: MailFlowModel, stack = "audit"): Record<string, unknown> {
  const w = new StateWriter(stack);
  const root: StateResource = { urn: `urn:pulumi:${stack}::${STATE_PROJECT}::pulumi:pulumi:Stack::${STATE_PROJECT}-${stack}`, custom: false, type: "pulumi:pulumi:Stack" };
  w.resources.push(root);
  for (const t of model.tenants) if (isDomain(t.initialDomain ?? t.id)) w.add(DESCRIPTOR_TYPES.tenant, `tenant-${t.id}`, tenantInputs(t));
  const inline = new Set<string>();
  for (const o of model.organizations) {
    if (o.kind === "gateway") w.add(DESCRIPTOR_TYPES.gateway, `gateway-${o.id}`, gatewayInputs(model, o, inline));
    else w.add(DESCRIPTOR_TYPES.organization, `organization-${o.id}`, organizationInputs(o));
  }
  for (const c of model.certificates) if (!inline.has(c.id)) w.add(DESCRIPTOR_TYPES.certificate, `certificate-${c.thumbprint ?? c.label}`, certificateInputs(c));
  const tenants = [...new Set([...model.inboundConnectors, ...model.outboundConnectors].map((c) => c.tenant))];
  for (const tenant of tenants) {
    const script = exchangeOnlineScript(model, tenant);
    if (script) w.add(LOCAL_COMMAND, `exo-${tenant}`, { interpreter: sdk.POWERSHELL, create: script });
  }
  for (const o of model.organizations) {
    if (o.kind === "gateway") continue;
    const script = onPremisesScript(model, o);
    if (script) w.add(REMOTE_COMMAND, `onprem-${o.id}`, { connection: { host: hostOf(o) }, create: script });
  }
  return { version: 3, deployment: { manifest: { time: new Date(0).toISOString(), magic: "", version: "" }, resources: w.resources } };
}
