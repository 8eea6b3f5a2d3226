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
import { psQuote } from "../sdk/scripts";
import type { Certificate, CertificateIdentifier, InboundConnector, MailFlowModel, Organization, OutboundConnector, ReceiveConnector, SendConnector, Tenant } from "../model/types";
import { DESCRIPTOR_TYPES } from "../extractors/descriptors";

export const STATE_PROJECT = "mailflow-audit";
const POWERSHELL = ["pwsh", "-NoProfile", "-NonInteractive", "-Command"];
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

const quote = psQuote;
const list = (values: readonly string[]): string => (values.length ? values.map(quote).join(",") : "@()");
const bool = (b: boolean): string => (b ? "$true" : "$false");
/** A resource name the URN can hold: no `::`, one line. */
const resourceName = (s: string): string => s.replace(/::/g, ":").replace(/[\r\n]+/g, " ");

/** `-Param value` for each value the model knows. */
function parameters(values: Array<[string, string | undefined]>): string {
  return values
    .filter(([, v]) => v !== undefined)
    .map(([p, v]) => ` -${p} ${v}`)
    .join("");
}

const optional = <T>(v: T | undefined, render: (x: T) => string): string | undefined => (v === undefined ? undefined : render(v));
const identifier = (c: CertificateIdentifier | undefined): string | undefined => (c ? quote(c.raw || `<I>${c.issuer}<S>${c.subject}`) : undefined);

export function newInboundConnector(c: InboundConnector): string {
  return `New-InboundConnector -Name ${quote(c.name)}${parameters([
    ["ConnectorType", c.connectorType],
    ["SenderDomains", list(c.senderDomains)],
    ["SenderIPAddresses", c.senderIpAddresses.length ? list(c.senderIpAddresses) : undefined],
    ["TlsSenderCertificateName", optional(c.tlsSenderCertificateName, quote)],
    ["RequireTls", optional(c.requireTls, bool)],
    ["RestrictDomainsToCertificate", optional(c.restrictDomainsToCertificate, bool)],
    ["RestrictDomainsToIPAddresses", optional(c.restrictDomainsToIPAddresses, bool)],
    ["CloudServicesMailEnabled", optional(c.cloudServicesMailEnabled, bool)],
    ["TreatMessagesAsInternal", optional(c.treatMessagesAsInternal, bool)],
    ["ConnectorSource", optional(c.connectorSource, (s) => s)],
    ["AssociatedAcceptedDomains", c.associatedAcceptedDomains.length ? list(c.associatedAcceptedDomains) : undefined],
    ["Enabled", bool(c.enabled)],
  ])}`;
}

export function newOutboundConnector(c: OutboundConnector): string {
  return `New-OutboundConnector -Name ${quote(c.name)}${parameters([
    ["ConnectorType", c.connectorType],
    ["RecipientDomains", list(c.recipientDomains)],
    ["SmartHosts", c.smartHosts.length ? list(c.smartHosts) : undefined],
    ["UseMXRecord", optional(c.useMxRecord, bool)],
    ["TlsSettings", optional(c.tlsSettings, (s) => s)],
    ["TlsDomain", optional(c.tlsDomain, quote)],
    ["RouteAllMessagesViaOnPremises", optional(c.routeAllMessagesViaOnPremises, bool)],
    ["CloudServicesMailEnabled", optional(c.cloudServicesMailEnabled, bool)],
    ["Enabled", bool(c.enabled)],
  ])}`;
}

export function newSendConnector(c: SendConnector): string {
  return `New-SendConnector -Name ${quote(c.name)}${parameters([
    ["AddressSpaces", list(c.addressSpaces)],
    ["SmartHosts", c.smartHosts.length ? list(c.smartHosts) : undefined],
    ["DNSRoutingEnabled", optional(c.dnsRoutingEnabled, bool)],
    ["Fqdn", optional(c.fqdn, quote)],
    ["TlsCertificateName", identifier(c.tlsCertificateName)],
    ["RequireTLS", optional(c.requireTls, bool)],
    ["TlsAuthLevel", optional(c.tlsAuthLevel, (s) => s)],
    ["TlsDomain", optional(c.tlsDomain, quote)],
    ["CloudServicesMailEnabled", optional(c.cloudServicesMailEnabled, bool)],
    ["SourceTransportServers", c.sourceTransportServers.length ? list(c.sourceTransportServers) : undefined],
    ["Enabled", bool(c.enabled)],
  ])}`;
}

export function newReceiveConnector(c: ReceiveConnector): string {
  return `New-ReceiveConnector -Name ${quote(c.name)}${parameters([
    ["Fqdn", optional(c.fqdn, quote)],
    ["TlsCertificateName", identifier(c.tlsCertificateName)],
    ["TlsDomainCapabilities", c.tlsDomainCapabilities.length ? list(c.tlsDomainCapabilities) : undefined],
  ])}`;
}

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
    ...model.hybridConfigurations.filter((h) => h.org === o.id && h.tlsCertificateName).map((h) => `Set-HybridConfiguration -TlsCertificateName ${identifier(h.tlsCertificateName)}`),
  ];
  return statements.length ? ["$ErrorActionPreference = 'Stop'", ...statements].join("\n") : undefined;
}

function exchangeOnlineScript(model: MailFlowModel, tenant: string): string | undefined {
  const statements = [...model.inboundConnectors.filter((c) => c.tenant === tenant).map(newInboundConnector), ...model.outboundConnectors.filter((c) => c.tenant === tenant).map(newOutboundConnector)];
  if (!statements.length) return undefined;
  // A tenant the audit could not name is left unnamed in the script too.
  const connect = isDomain(tenant) ? [`Connect-ExchangeOnline -Organization ${quote(tenant)} -ShowBanner:$false`] : [];
  return ["$ErrorActionPreference = 'Stop'", ...connect, ...statements].join("\n");
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
    if (script) w.add(LOCAL_COMMAND, `exo-${tenant}`, { interpreter: POWERSHELL, create: script });
  }
  for (const o of model.organizations) {
    if (o.kind === "gateway") continue;
    const script = onPremisesScript(model, o);
    if (script) w.add(REMOTE_COMMAND, `onprem-${o.id}`, { connection: { host: hostOf(o) }, create: script });
  }
  return { version: 3, deployment: { manifest: { time: new Date(0).toISOString(), magic: "", version: "" }, resources: w.resources } };
}
