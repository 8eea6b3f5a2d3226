/**
 * The cmdlets the pack understands and their parameters, from the syntax sections of
 * learn.microsoft.com/powershell/module/exchangepowershell/<cmdlet> (and ExchangeOnlineManagement's
 * Connect-ExchangeOnline). PowerShell resolves an unambiguous prefix of a parameter name, so the full
 * list matters even for parameters the pack ignores.
 */
export interface CmdletSpec {
  /** Canonical parameter names. */
  parameters: string[];
  /** Switch parameters: they take a value only as `-Name:$value`. */
  switches: string[];
  /** Parameter bound to the first positional argument. */
  positional?: string;
}

const common = ["WhatIf", "Confirm", "DomainController", "Verbose", "Debug", "ErrorAction", "WarningAction"];
const commonSwitches = ["WhatIf", "Confirm", "Verbose", "Debug"];

const inbound = [
  "Name", "ConnectorType", "SenderDomains", "SenderIPAddresses", "TlsSenderCertificateName", "RequireTls",
  "RestrictDomainsToCertificate", "RestrictDomainsToIPAddresses", "CloudServicesMailEnabled", "TreatMessagesAsInternal",
  "AssociatedAcceptedDomains", "TrustedOrganizations", "ConnectorSource", "Enabled", "EFSkipIPs", "EFSkipLastIP",
  "EFUsers", "EFSkipMailGateway", "EFTestMode", "ScanAndDropRecipients", "ClientHostNames", "Comment",
];
const outbound = [
  "Name", "ConnectorType", "RecipientDomains", "SmartHosts", "UseMXRecord", "TlsSettings", "TlsDomain",
  "RouteAllMessagesViaOnPremises", "AllAcceptedDomains", "CloudServicesMailEnabled", "IsTransportRuleScoped",
  "IsValidated", "LastValidationTimestamp", "ValidationRecipients", "SenderRewritingEnabled", "TestMode", "Enabled", "Comment",
];
const send = [
  "Name", "AddressSpaces", "Internet", "Internal", "Partner", "Custom", "Usage", "DNSRoutingEnabled", "SmartHosts", "Fqdn",
  "RequireTLS", "TlsAuthLevel", "TlsDomain", "TlsCertificateName", "CloudServicesMailEnabled", "SourceTransportServers",
  "DomainSecureEnabled", "IgnoreSTARTTLS", "Enabled", "MaxMessageSize", "Port", "ProtocolLoggingLevel",
  "SmartHostAuthMechanism", "AuthenticationCredential", "UseExternalDNSServersEnabled", "IsScopedConnector",
  "FrontendProxyEnabled", "Comment", "Force", "ErrorPolicies", "ConnectionInactivityTimeOut", "ForceHELO", "LinkedReceiveConnector",
];
const receive = [
  "Name", "Bindings", "RemoteIPRanges", "TransportRole", "Usage", "Fqdn", "TlsCertificateName", "TlsDomainCapabilities",
  "AuthMechanism", "PermissionGroups", "Server", "Internet", "Internal", "Partner", "Custom", "Client", "Enabled",
  "RequireTLS", "Comment", "Banner", "MaxMessageSize",
];

function spec(parameters: string[], switches: string[] = [], positional?: string): CmdletSpec {
  return { parameters: [...parameters, ...common], switches: [...switches, ...commonSwitches], ...(positional ? { positional } : {}) };
}

export const CMDLETS: Record<string, CmdletSpec> = {
  "new-inboundconnector": spec(inbound, [], "Name"),
  "set-inboundconnector": spec(["Identity", ...inbound], [], "Identity"),
  "remove-inboundconnector": spec(["Identity"], [], "Identity"),
  "new-outboundconnector": spec(outbound, [], "Name"),
  "set-outboundconnector": spec(["Identity", ...outbound], [], "Identity"),
  "remove-outboundconnector": spec(["Identity"], [], "Identity"),
  "new-sendconnector": spec(send, ["Internet", "Internal", "Partner", "Custom", "Force"], "Name"),
  "set-sendconnector": spec(["Identity", ...send], ["Force"], "Identity"),
  "remove-sendconnector": spec(["Identity"], [], "Identity"),
  "new-receiveconnector": spec(receive, ["Internet", "Internal", "Partner", "Custom", "Client"], "Name"),
  "set-receiveconnector": spec(["Identity", ...receive], [], "Identity"),
  "new-exchangecertificate": spec(
    ["GenerateRequest", "SubjectName", "DomainName", "PrivateKeyExportable", "FriendlyName", "Server", "Services", "KeySize",
      "IncludeAcceptedDomains", "IncludeAutoDiscover", "IncludeServerFQDN", "IncludeServerNetBIOSName", "RequestFile", "Force",
      "BinaryEncoded", "Instance", "SubjectKeyIdentifier"],
    ["GenerateRequest", "Force", "IncludeAcceptedDomains", "IncludeAutoDiscover", "IncludeServerFQDN", "IncludeServerNetBIOSName", "BinaryEncoded"],
  ),
  "import-exchangecertificate": spec(["FileData", "FileName", "Password", "PrivateKeyExportable", "Server", "FriendlyName", "Instance"]),
  "enable-exchangecertificate": spec(
    ["Thumbprint", "Server", "Services", "Force", "NetworkServiceAllowed", "DoNotRequireSsl", "Identity"],
    ["Force", "NetworkServiceAllowed", "DoNotRequireSsl"],
    "Identity",
  ),
  "get-exchangecertificate": spec(["Thumbprint", "Server", "Identity", "Domain", "Instance"], [], "Thumbprint"),
  "set-hybridconfiguration": spec([
    "TlsCertificateName", "Domains", "Features", "OnPremisesSmartHost", "ClientAccessServers", "EdgeTransportServers",
    "ReceivingTransportServers", "SendingTransportServers", "ExternalIPAddresses", "SecureMailCertificateThumbprint", "ServiceInstance",
  ]),
  "set-accepteddomain": spec(["Identity", "MatchSubDomains", "DomainType", "MakeDefault", "Name", "AddressBookEnabled", "OutboundOnly", "PendingRemoval", "SendingFromDomainDisabled"], [], "Identity"),
  "new-accepteddomain": spec(["Name", "DomainName", "DomainType", "MatchSubDomains", "AddressBookEnabled", "OutboundOnly"], [], "Name"),
  "connect-exchangeonline": spec([
    "Organization", "AppId", "CertificateThumbprint", "CertificateFilePath", "CertificatePassword", "Certificate", "ShowBanner",
    "DelegatedOrganization", "UserPrincipalName", "ManagedIdentity", "ManagedIdentityAccountId", "AccessToken",
    "ExchangeEnvironmentName", "ConnectionUri", "AzureADAuthorizationEndpointUri", "Credential", "Device", "InlineCredential",
    "Prefix", "CommandName", "ShowProgress", "UseRPSSession", "SkipLoadingFormatData", "PSSessionOption",
    "BypassMailboxAnchoring", "TrackPerformance", "LogDirectoryPath", "LogLevel", "EnableErrorReporting", "SigningCertificate",
  ], ["ShowBanner", "ManagedIdentity", "Device", "InlineCredential", "ShowProgress", "UseRPSSession", "SkipLoadingFormatData", "BypassMailboxAnchoring", "EnableErrorReporting"]),
  "get-inboundconnector": spec(["Identity"], [], "Identity"),
  "get-outboundconnector": spec(["Identity"], [], "Identity"),
  "get-sendconnector": spec(["Identity"], [], "Identity"),
  "get-receiveconnector": spec(["Identity", "Server"], [], "Identity"),
  "remove-receiveconnector": spec(["Identity"], [], "Identity"),
  "remove-exchangecertificate": spec(["Thumbprint", "Server", "Identity"], [], "Identity"),
  "new-pssession": spec(["ConfigurationName", "ConnectionUri", "Authentication", "Credential", "ComputerName", "Name", "SessionOption", "AllowRedirection"], ["AllowRedirection"]),
};

export type ParameterResolution = { kind: "resolved"; name: string } | { kind: "ambiguous"; candidates: string[] } | { kind: "unknown" };

const lowerNames = new WeakMap<CmdletSpec, Array<[lower: string, name: string]>>();

function namesOf(cmdlet: CmdletSpec): Array<[string, string]> {
  let names = lowerNames.get(cmdlet);
  if (!names) lowerNames.set(cmdlet, (names = [...new Set(cmdlet.parameters)].map((p) => [p.toLowerCase(), p])));
  return names;
}

/** PowerShell's parameter binding by name: case-insensitive, exact or unambiguous prefix. */
export function resolveParameter(cmdlet: CmdletSpec, written: string): ParameterResolution {
  const w = written.toLowerCase();
  const all = namesOf(cmdlet);
  const exact = all.find(([l]) => l === w);
  if (exact) return { kind: "resolved", name: exact[1] };
  const candidates = all.filter(([l]) => l.startsWith(w)).map(([, p]) => p);
  if (candidates.length === 1) return { kind: "resolved", name: candidates[0]! };
  if (candidates.length > 1) return { kind: "ambiguous", candidates };
  return { kind: "unknown" };
}

/** Parameters whose values are never stored, shown or resolved: they may hold secrets. */
export const isSecretParameter = (name: string): boolean => /password|secret|credential|filedata|pfx|token|key$|privatekey/i.test(name) && !/^keysize$/i.test(name);
