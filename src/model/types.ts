/**
 * The mail-flow model: the one typed picture of Exchange Online tenants, connectors, on-premises
 * organisations, gateways and certificates that every rule reads.
 *
 * Data flows one way: Pulumi resources → extractors (facts) → this model → engine and rules →
 * findings → reporters. Every entity keeps its provenance so a finding can point at the resource
 * (URN) and script line that stated it.
 */

/** Key of a tenant that a script acts on without naming it (no Connect-ExchangeOnline -Organization). */
export const UNNAMED_TENANT = "(tenant not named)";
/** Key of an on-premises organisation that a script acts on without naming it. */
export const UNNAMED_ORG = "(on-premises organisation not named)";
/** Key of a tenant a script names with a value only known at deploy time: never a default, never another's. */
export const UNKNOWN_TENANT = "(tenant unknown until deploy)";
/** Key of an organisation whose Exchange server is only known at deploy time. */
export const UNKNOWN_ORG = "(on-premises organisation unknown until deploy)";

/** Where a fact came from. */
export interface Provenance {
  urn: string;
  /** Pulumi resource name (logical name). */
  resourceName: string;
  /** Pulumi type token, e.g. `command:local:Command`. */
  resourceType: string;
  /** Input property the fact was read from, e.g. `create`, `update`, `dnsNames`, or `policy-config`. */
  property?: string;
  /** 1-based line in the script, when the fact comes from PowerShell. */
  line?: number;
  /**
   * The place in an input file the fact was read from (the audit's exports, configuration and stack
   * export files): the file as given, and the 1-based line of the object. Reports point at it.
   */
  location?: { file: string; line?: number };
}

/** A value the pack could not determine (unknown in preview, unresolved variable, parse error…). */
export interface Unverifiable {
  /** What the value belongs to, e.g. `inbound connector 'Inbound from 6fc3…'`. */
  subject: string;
  /** Parameter or property, e.g. `TlsSenderCertificateName`. */
  property: string;
  /** Why it could not be determined; never contains a secret value. */
  reason: string;
  /** The expression as written, when safe to show (never for secret inputs). */
  expression?: string;
  /**
   * When the value becomes known: at deploy time (unknown in preview only; the resource pass sees it
   * on `pulumi up`), or never (computed by the script when it runs: the pack does not run scripts).
   * Absent: at deploy time.
   */
  known?: "at-deploy" | "never";
  /** What to do about it, where it is not a value to make readable (say, an order to give the resources). */
  remedy?: string;
  provenance: Provenance;
}

export interface AcceptedDomain {
  name: string; // lower-case
  matchSubDomains: boolean;
}

export interface Tenant {
  /** Stable key: the initial `*.onmicrosoft.com` domain when known, else the name used to refer to it. */
  id: string;
  initialDomain?: string; // contoso.onmicrosoft.com
  coexistenceDomain?: string; // contoso.mail.onmicrosoft.com
  acceptedDomains: AcceptedDomain[];
  /** True when the accepted-domain list is known to be complete (declared), false when only partly seen. */
  acceptedDomainsComplete: boolean;
  provenance: Provenance[];
}

export type InboundConnectorType = "OnPremises" | "Partner";

/** An Exchange Online inbound connector (New-/Set-InboundConnector). */
export interface InboundConnector {
  tenant: string; // Tenant.id
  name: string;
  connectorType: InboundConnectorType;
  enabled: boolean;
  tlsSenderCertificateName?: string; // lower-case
  senderIpAddresses: string[];
  senderDomains: string[];
  requireTls?: boolean;
  restrictDomainsToCertificate?: boolean;
  restrictDomainsToIPAddresses?: boolean;
  cloudServicesMailEnabled?: boolean;
  treatMessagesAsInternal?: boolean;
  connectorSource?: string; // Default | HybridWizard | Migrated
  associatedAcceptedDomains: string[];
  /** Parameters whose value could not be determined. */
  unknown: string[];
  provenance: Provenance[];
}

/** An Exchange Online outbound connector (EXO → on-premises or partner). */
export interface OutboundConnector {
  tenant: string;
  name: string;
  connectorType: InboundConnectorType;
  enabled: boolean;
  recipientDomains: string[];
  smartHosts: string[];
  useMxRecord?: boolean;
  tlsSettings?: string;
  tlsDomain?: string;
  routeAllMessagesViaOnPremises?: boolean;
  cloudServicesMailEnabled?: boolean;
  unknown: string[];
  provenance: Provenance[];
}

/** `<I>issuer<S>subject`, as Exchange stores a connector's certificate identifier. */
export interface CertificateIdentifier {
  issuer: string;
  subject: string;
  /** The value as written. */
  raw: string;
}

/**
 * An outbound SMTP connector of a sending organisation: an on-premises Exchange or Edge Send
 * connector, or a third-party gateway's connector (declared with a descriptor). What Exchange Online
 * sees when this connector delivers is its certificate and its egress IPs.
 */
export interface SendConnector {
  /** Organisation (on-premises Exchange org or gateway) that owns the connector: Organization.id. */
  org: string;
  name: string;
  addressSpaces: string[]; // lower-case domains, `*` for all
  smartHosts: string[];
  dnsRoutingEnabled?: boolean;
  fqdn?: string;
  tlsCertificateName?: CertificateIdentifier;
  /** Certificates bound directly (descriptor `certificate`, or Pulumi dependency on a certificate resource). */
  certificateIds: string[];
  requireTls?: boolean;
  tlsAuthLevel?: string;
  tlsDomain?: string;
  cloudServicesMailEnabled?: boolean;
  sourceTransportServers: string[];
  enabled: boolean;
  /** Source IPs this connector's mail leaves from (descriptor or organisation egress). */
  egressIps: string[];
  unknown: string[];
  provenance: Provenance[];
}

export interface ReceiveConnector {
  org: string;
  name: string;
  fqdn?: string;
  tlsCertificateName?: CertificateIdentifier;
  tlsDomainCapabilities: string[];
  unknown: string[];
  provenance: Provenance[];
}

export type OrganizationKind = "exchange" | "edge" | "gateway";

/**
 * A sending organisation: an on-premises Exchange organisation (or its Edge servers) or a third-party
 * gateway. `relaysFor` lists the organisations whose mail it carries (a managed service provider's
 * gateway relays for its own and for hosted clients' organisations).
 */
export interface Organization {
  id: string;
  name: string;
  kind: OrganizationKind;
  servers: string[];
  egressIps: string[];
  /** Egress shared with others (NAT, SaaS relay pool): IP attribution can never be unique. */
  sharedEgress: boolean;
  /** Mail domains of this organisation. */
  domains: string[];
  /** Organisations (ids) whose mail this one relays. */
  relaysFor: string[];
  /** The tenant this organisation is hybrid with, when declared. */
  tenant?: string;
  /** Described by an Organization descriptor or the configuration (not only named by a script's host). */
  described?: boolean;
  provenance: Provenance[];
}

export type CertificateTrust = "public" | "private-ca" | "self-signed" | "unknown";

export interface Certificate {
  id: string;
  /** Human label: resource name or friendly name. */
  label: string;
  subjectCN?: string; // lower-case
  subjectDN?: string;
  sanDns: string[]; // lower-case
  issuerDN?: string;
  trust: CertificateTrust;
  thumbprint?: string;
  notBefore?: string;
  notAfter?: string;
  /** Servers the certificate is installed on (Import-/Enable-ExchangeCertificate -Server). */
  servers: string[];
  /** Services it is enabled for (SMTP…). */
  services: string[];
  /**
   * Enabled for SMTP last on its servers (Enable-ExchangeCertificate / New-ExchangeCertificate
   * -Services SMTP): what they present for STARTTLS when a connector names no certificate.
   */
  smtpDefault?: boolean;
  /** Organisation it belongs to, when known. */
  org?: string;
  /** Properties that could not be read (unknown in preview). */
  unknown: string[];
  provenance: Provenance[];
}

export interface HybridConfiguration {
  org: string;
  tlsCertificateName?: CertificateIdentifier;
  provenance: Provenance[];
}

export interface MailFlowModel {
  tenants: Tenant[];
  inboundConnectors: InboundConnector[];
  outboundConnectors: OutboundConnector[];
  sendConnectors: SendConnector[];
  receiveConnectors: ReceiveConnector[];
  organizations: Organization[];
  certificates: Certificate[];
  hybridConfigurations: HybridConfiguration[];
  unverifiable: Unverifiable[];
}

/** The entities one resource states, by kind, in model order. */
export interface Focus {
  has(entity: object): boolean;
  inbound: InboundConnector[];
  send: SendConnector[];
  certificates: Certificate[];
  tenants: Tenant[];
  organizations: Organization[];
  hybridConfigurations: HybridConfiguration[];
}
