/**
 * The contract between extractors and the model builder, owned by the model.
 *
 * An extractor reads one Pulumi resource and returns facts: ordered statements such as "this script
 * creates inbound connector X in tenant T with these parameters" or "this resource is a certificate
 * with these names". The model builder (src/model/build) applies facts in order, so a later
 * `Set-InboundConnector` in another resource changes the same connector.
 */
import type { ConnectorSelection } from "./selection";
import type {
  AcceptedDomain,
  Certificate,
  CertificateIdentifier,
  InboundConnectorType,
  Organization,
  Provenance,
  Unverifiable,
} from "./types";

/** A multi-valued property: replaced as a whole, or edited with @{Add=…; Remove=…}. */
export type MultiValue = string[] | { add: string[]; remove: string[] };

export type Op = "new" | "set" | "remove";

export interface InboundConnectorFields {
  connectorType: InboundConnectorType;
  enabled: boolean;
  tlsSenderCertificateName: string | null; // null = explicitly cleared ($null)
  senderIpAddresses: MultiValue;
  senderDomains: MultiValue;
  requireTls: boolean;
  restrictDomainsToCertificate: boolean;
  restrictDomainsToIPAddresses: boolean;
  cloudServicesMailEnabled: boolean;
  treatMessagesAsInternal: boolean;
  connectorSource: string;
  associatedAcceptedDomains: MultiValue;
}

export interface OutboundConnectorFields {
  connectorType: InboundConnectorType;
  enabled: boolean;
  recipientDomains: MultiValue;
  smartHosts: MultiValue;
  useMxRecord: boolean;
  tlsSettings: string | null;
  tlsDomain: string | null;
  routeAllMessagesViaOnPremises: boolean;
  cloudServicesMailEnabled: boolean;
}

export interface SendConnectorFields {
  addressSpaces: MultiValue;
  smartHosts: MultiValue;
  dnsRoutingEnabled: boolean;
  fqdn: string | null;
  tlsCertificateName: CertificateIdentifier | null;
  requireTls: boolean;
  tlsAuthLevel: string | null;
  tlsDomain: string | null;
  cloudServicesMailEnabled: boolean;
  sourceTransportServers: MultiValue;
  enabled: boolean;
  egressIps: MultiValue;
  certificateIds: MultiValue;
}

export interface ReceiveConnectorFields {
  fqdn: string | null;
  tlsCertificateName: CertificateIdentifier | null;
  tlsDomainCapabilities: MultiValue;
}

interface ConnectorFactBase<K extends string, F> {
  kind: K;
  op: Op;
  /** The connector's name or -Identity as written (matched case-insensitively). */
  identity: string;
  /** Only the parameters the statement sets. */
  fields: Partial<F>;
  /** Parameters whose value could not be determined (names as in `fields`). */
  unknown: string[];
  provenance: Provenance;
  /** `Get-SendConnector | Set-SendConnector …`: a `set` on every connector of the owner the selection takes in (`identity` then only describes it). */
  selection?: ConnectorSelection;
  /** Where the statement wrote each field's value (line of `provenance.property`), when it is one literal the evaluator read. */
  spans?: Partial<Record<keyof F & string, ValueSpan>>;
  /** Where the statement ends: a fix that adds a parameter to it writes it there. */
  end?: TextPosition;
}

/**
 * A place in a resource's script property: 1-based line and column (UTF-16 code units); a value span
 * runs to `endColumn` (not included) and reads `written` there — what the evaluator read, quotes included.
 */
export interface TextPosition {
  line: number;
  column: number;
}
export interface ValueSpan extends TextPosition {
  endColumn: number;
  written: string;
}

export type InboundConnectorFact = ConnectorFactBase<"inbound-connector", InboundConnectorFields> & {
  /** Tenant the statement acts on (Connect-ExchangeOnline -Organization), if known. */
  tenant?: string;
};
export type OutboundConnectorFact = ConnectorFactBase<"outbound-connector", OutboundConnectorFields> & {
  tenant?: string;
};
export type SendConnectorFact = ConnectorFactBase<"send-connector", SendConnectorFields> & {
  /** Organisation the statement acts on (remote host / session), if known. */
  org?: string;
};
export type ReceiveConnectorFact = ConnectorFactBase<"receive-connector", ReceiveConnectorFields> & {
  org?: string;
};

export interface TenantFact {
  kind: "tenant";
  tenant: string;
  initialDomain?: string;
  acceptedDomains?: AcceptedDomain[];
  /** The declared accepted-domain list is complete. */
  complete?: boolean;
  provenance: Provenance;
}

/** Set-AcceptedDomain / New-AcceptedDomain (on-prem) or a declared accepted domain. */
export interface AcceptedDomainFact {
  kind: "accepted-domain";
  /** Tenant (EXO) or on-premises organisation; `scope` tells which. */
  scope: "tenant" | "org";
  owner?: string;
  domain: string;
  matchSubDomains?: boolean;
  provenance: Provenance;
}

export interface OrganizationFact {
  kind: "organization";
  organization: Partial<Organization> & { id: string };
  provenance: Provenance;
}

export interface CertificateFact {
  kind: "certificate";
  certificate: Certificate;
}

/** Import-/Enable-ExchangeCertificate: a certificate installed on, or enabled for SMTP on, servers. */
export interface CertificateBindingFact {
  kind: "certificate-binding";
  /** Thumbprint (upper-case hex) or certificate id. */
  certificate: string;
  org?: string;
  servers: string[];
  services: string[];
  provenance: Provenance;
}

/** Remove-ExchangeCertificate: the certificate (thumbprint reference or id) leaves the model. */
export interface CertificateRemovalFact {
  kind: "certificate-removal";
  certificate: string;
  provenance: Provenance;
}

/** Set-HybridConfiguration -TlsCertificateName; a name that cannot be read comes as an `unverifiable` fact beside it. */
export interface HybridConfigurationFact {
  kind: "hybrid-configuration";
  org?: string;
  tlsCertificateName?: CertificateIdentifier;
  provenance: Provenance;
  spans?: { tlsCertificateName?: ValueSpan };
}

export interface UnverifiableFact {
  kind: "unverifiable";
  item: Unverifiable;
}

export type Fact =
  | InboundConnectorFact
  | OutboundConnectorFact
  | SendConnectorFact
  | ReceiveConnectorFact
  | TenantFact
  | AcceptedDomainFact
  | OrganizationFact
  | CertificateFact
  | CertificateBindingFact
  | CertificateRemovalFact
  | HybridConfigurationFact
  | UnverifiableFact;
