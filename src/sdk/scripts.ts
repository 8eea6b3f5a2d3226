/**
 * Typed renderers of Exchange PowerShell for @pulumi/command, so scripts stay analysable in preview:
 * every value is rendered as a literal, and values unknown until deploy go through `environment`
 * (`envRef("NAME")` renders `$env:NAME`), because Pulumi turns a whole interpolated string unknown in
 * preview. Secrets (app credentials, certificate passwords) are never rendered into script text.
 */
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";

/** A reference to an environment variable of the command: rendered as `$env:NAME`, never quoted. */
export interface EnvRef {
  env: string;
}
export const envRef = (name: string): EnvRef => ({ env: name });

export interface CertificateIdentifierArgs {
  issuer: string;
  subject: string;
}
/** `<I>issuer<S>subject`, the form of -TlsCertificateName. */
export const certificateIdentifier = ({ issuer, subject }: CertificateIdentifierArgs): string => `<I>${issuer}<S>${subject}`;

type Scalar = string | boolean | number | EnvRef | CertificateIdentifierArgs;
type ParameterValue = Scalar | Scalar[] | { add?: string[]; remove?: string[] } | undefined;

/** A PowerShell single-quoted literal (the one quoting function of the repository). */
export const psQuote = (s: string): string => `'${s.replace(/'/g, "''")}'`;
const quote = psQuote;

function renderValue(v: Exclude<ParameterValue, undefined>): string {
  if (typeof v === "boolean") return v ? "$true" : "$false";
  if (typeof v === "number") return String(v);
  if (typeof v === "string") return quote(v);
  if (Array.isArray(v)) return v.map((x) => renderValue(x)).join(",");
  if ("env" in v) return `$env:${v.env}`;
  if ("issuer" in v && "subject" in v) return quote(certificateIdentifier(v));
  const edit = v as { add?: string[]; remove?: string[] };
  const parts = [edit.add?.length ? `Add=${edit.add.map(quote).join(",")}` : "", edit.remove?.length ? `Remove=${edit.remove.map(quote).join(",")}` : ""].filter(Boolean);
  return `@{${parts.join("; ")}}`;
}

/** `Cmdlet -Param value …` with PascalCase parameter names from the camelCase keys. */
function renderCmdlet(cmdlet: string, params: Record<string, ParameterValue>, switches: string[] = []): string {
  const parts = [cmdlet];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    parts.push(`-${PARAMETER_NAMES[key] ?? key.charAt(0).toUpperCase() + key.slice(1)} ${renderValue(value)}`);
  }
  for (const s of switches) parts.push(`-${s}`);
  return parts.join(" ");
}

// Parameter names whose PowerShell spelling is not the camelCase key with a capital first letter.
const PARAMETER_NAMES: Record<string, string> = {
  senderIpAddresses: "SenderIPAddresses",
  restrictDomainsToIpAddresses: "RestrictDomainsToIPAddresses",
  useMxRecord: "UseMXRecord",
  dnsRoutingEnabled: "DNSRoutingEnabled",
  requireTls: "RequireTls",
  requireTlsSend: "RequireTLS",
  tlsSenderCertificateName: "TlsSenderCertificateName",
};

export interface InboundConnectorArgs {
  name: string;
  connectorType: "OnPremises" | "Partner";
  senderDomains: string[];
  tlsSenderCertificateName?: string;
  senderIpAddresses?: string[];
  requireTls?: boolean;
  restrictDomainsToCertificate?: boolean;
  restrictDomainsToIpAddresses?: boolean;
  cloudServicesMailEnabled?: boolean;
  treatMessagesAsInternal?: boolean;
  connectorSource?: "Default" | "HybridWizard" | "Migrated";
}

export const newInboundConnector = (a: InboundConnectorArgs): string => renderCmdlet("New-InboundConnector", { ...a });

export type SetInboundConnectorArgs = Partial<Omit<InboundConnectorArgs, "name" | "senderIpAddresses" | "senderDomains">> & {
  identity: string;
  senderIpAddresses?: string[] | { add?: string[]; remove?: string[] };
  senderDomains?: string[];
};
export const setInboundConnector = (a: SetInboundConnectorArgs): string => renderCmdlet("Set-InboundConnector", { ...a });

export interface OutboundConnectorArgs {
  name: string;
  connectorType: "OnPremises" | "Partner";
  recipientDomains: string[];
  smartHosts?: string[];
  useMxRecord?: boolean;
  tlsSettings?: "EncryptionOnly" | "CertificateValidation" | "DomainValidation";
  tlsDomain?: string;
  cloudServicesMailEnabled?: boolean;
  routeAllMessagesViaOnPremises?: boolean;
}
export const newOutboundConnector = (a: OutboundConnectorArgs): string => renderCmdlet("New-OutboundConnector", { ...a });

export interface SendConnectorArgs {
  name: string;
  addressSpaces: string[];
  /** The -Internet usage switch. */
  internet?: boolean;
  smartHosts?: string[];
  dnsRoutingEnabled?: boolean;
  fqdn?: string;
  tlsCertificateName?: CertificateIdentifierArgs;
  requireTls?: boolean;
  tlsAuthLevel?: "EncryptionOnly" | "CertificateValidation" | "DomainValidation";
  tlsDomain?: string;
  cloudServicesMailEnabled?: boolean;
  sourceTransportServers?: string[];
}
export function newSendConnector({ internet, requireTls, ...a }: SendConnectorArgs): string {
  return renderCmdlet("New-SendConnector", { ...a, requireTlsSend: requireTls }, internet ? ["Internet"] : []);
}

export type SetSendConnectorArgs = Partial<Omit<SendConnectorArgs, "name" | "internet" | "addressSpaces">> & {
  identity: string;
  /** The full list, or entries to add and remove (`@{Add=…}`). */
  addressSpaces?: string[] | { add?: string[]; remove?: string[] };
};
export function setSendConnector({ requireTls, ...a }: SetSendConnectorArgs): string {
  return renderCmdlet("Set-SendConnector", { ...a, requireTlsSend: requireTls });
}

export const setHybridConfiguration = (a: { tlsCertificateName: CertificateIdentifierArgs }): string => renderCmdlet("Set-HybridConfiguration", { ...a });

export const newAcceptedDomain = (a: { name: string; domainName: string; domainType: "Authoritative" | "InternalRelay" | "ExternalRelay" }): string =>
  renderCmdlet("New-AcceptedDomain", { ...a });

export const setAcceptedDomain = (a: { identity: string; matchSubDomains?: boolean }): string => renderCmdlet("Set-AcceptedDomain", { ...a });

/** App-only Connect-ExchangeOnline; the app id and certificate come from the command's environment. */
export function connectExchangeOnline(a: { organization: string; appIdEnv?: string; certificatePathEnv?: string }): string {
  return `Connect-ExchangeOnline -AppId $env:${a.appIdEnv ?? "EXO_APP_ID"} -CertificateFilePath $env:${a.certificatePathEnv ?? "EXO_CERT_PATH"} -Organization ${quote(a.organization)} -ShowBanner:$false`;
}

/** Joins statements into one script that stops at the first error. */
export const exchangeOnlineScript = (statements: string[]): string => ["$ErrorActionPreference = 'Stop'", ...statements].join("\n");

export const POWERSHELL = ["pwsh", "-NoProfile", "-NonInteractive", "-Command"];

/** A command that runs Exchange Online PowerShell for one tenant (app-only authentication). */
export function exchangeOnlineCommand(
  name: string,
  args: { organization: string; script: string; environment?: pulumi.Input<Record<string, pulumi.Input<string>>> },
  opts?: pulumi.CustomResourceOptions,
): command.local.Command {
  return new command.local.Command(
    name,
    {
      interpreter: POWERSHELL,
      create: exchangeOnlineScript([connectExchangeOnline({ organization: args.organization }), args.script]),
      ...(args.environment ? { environment: args.environment } : {}),
    },
    opts,
  );
}

/** A command that runs Exchange Management Shell on an on-premises server over SSH. */
export function onPremisesCommand(
  name: string,
  args: { connection: command.types.input.remote.ConnectionArgs; script: string; environment?: pulumi.Input<Record<string, pulumi.Input<string>>> },
  opts?: pulumi.CustomResourceOptions,
): command.remote.Command {
  return new command.remote.Command(name, { connection: args.connection, create: args.script, ...(args.environment ? { environment: args.environment } : {}) }, opts);
}
