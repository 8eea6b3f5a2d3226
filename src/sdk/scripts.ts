/**
 * Typed renderers of Exchange PowerShell for @pulumi/command, so scripts stay analysable in preview:
 * every value is rendered as a literal, and values unknown until deploy go through `environment`
 * (`envRef("NAME")` renders `$env:NAME`), because Pulumi turns a whole interpolated string unknown in
 * preview. Secrets (app credentials, certificate passwords) are never rendered into script text.
 */
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { parameterFields, type ConnectorKind } from "../model/fields";

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
  // An empty list is `@()`: nothing after the parameter name would bind the next parameter to it.
  if (Array.isArray(v)) return v.length ? v.map((x) => renderValue(x)).join(",") : "@()";
  if ("env" in v) return `$env:${v.env}`;
  if ("issuer" in v && "subject" in v) return quote(certificateIdentifier(v));
  const edit = v as { add?: string[]; remove?: string[] };
  const parts = [edit.add?.length ? `Add=${edit.add.map(quote).join(",")}` : "", edit.remove?.length ? `Remove=${edit.remove.map(quote).join(",")}` : ""].filter(Boolean);
  return `@{${parts.join("; ")}}`;
}

/**
 * The PowerShell spelling of the camelCase `key`: for a connector cmdlet, the parameter the model's
 * field schema names (`senderIpAddresses` → `SenderIPAddresses`, a Send connector's `requireTls` →
 * `RequireTLS`); otherwise the key with a capital first letter.
 */
function parameterName(key: string, kind: ConnectorKind | undefined): string {
  const wanted = key.toLowerCase();
  const schema = kind ? parameterFields(kind).find((f) => f.field.toLowerCase() === wanted) : undefined;
  return schema?.parameter ?? key.charAt(0).toUpperCase() + key.slice(1);
}

/** `Cmdlet -Param value …` in the order of the keys, then the `-Switch`es. */
function renderCmdlet(cmdlet: string, params: Record<string, ParameterValue>, { kind, switches = [] }: { kind?: ConnectorKind; switches?: string[] } = {}): string {
  const parts = [cmdlet];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    parts.push(`-${parameterName(key, kind)} ${renderValue(value)}`);
  }
  for (const s of switches) parts.push(`-${s}`);
  return parts.join(" ");
}

export type ConnectorSource = "Default" | "HybridWizard" | "Migrated" | "AdminUI";
export type TlsLevel = "EncryptionOnly" | "CertificateValidation" | "DomainValidation";
/** A certificate identifier as its parts, or as the `<I>issuer<S>subject` text Exchange exports (rendered as given). */
export type TlsCertificateName = CertificateIdentifierArgs | string;

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
  connectorSource?: ConnectorSource;
  /** The accepted domains the connector is scoped to (-AssociatedAcceptedDomains). */
  associatedAcceptedDomains?: string[];
  /** -Enabled; Exchange enables a new connector when absent. */
  enabled?: boolean;
}

export const newInboundConnector = (a: InboundConnectorArgs): string => renderCmdlet("New-InboundConnector", { ...a }, { kind: "inbound" });

export type SetInboundConnectorArgs = Partial<Omit<InboundConnectorArgs, "name" | "senderIpAddresses" | "senderDomains">> & {
  identity: string;
  senderIpAddresses?: string[] | { add?: string[]; remove?: string[] };
  senderDomains?: string[];
};
export const setInboundConnector = (a: SetInboundConnectorArgs): string => renderCmdlet("Set-InboundConnector", { ...a }, { kind: "inbound" });

export interface OutboundConnectorArgs {
  name: string;
  connectorType: "OnPremises" | "Partner";
  recipientDomains: string[];
  smartHosts?: string[];
  useMxRecord?: boolean;
  tlsSettings?: TlsLevel;
  tlsDomain?: string;
  cloudServicesMailEnabled?: boolean;
  routeAllMessagesViaOnPremises?: boolean;
  /** -Enabled; Exchange enables a new connector when absent. */
  enabled?: boolean;
}
export const newOutboundConnector = (a: OutboundConnectorArgs): string => renderCmdlet("New-OutboundConnector", { ...a }, { kind: "outbound" });

export interface SendConnectorArgs {
  name: string;
  addressSpaces: string[];
  /** The -Internet usage switch. */
  internet?: boolean;
  smartHosts?: string[];
  dnsRoutingEnabled?: boolean;
  fqdn?: string;
  tlsCertificateName?: TlsCertificateName;
  /** -RequireTLS (rendered last, before the switches). */
  requireTls?: boolean;
  tlsAuthLevel?: TlsLevel;
  tlsDomain?: string;
  cloudServicesMailEnabled?: boolean;
  sourceTransportServers?: string[];
  /** -Enabled; Exchange enables a new connector when absent. */
  enabled?: boolean;
}
// requireTls goes last: the order these renderers have always printed.
export function newSendConnector({ internet, requireTls, ...a }: SendConnectorArgs): string {
  return renderCmdlet("New-SendConnector", { ...a, requireTls }, { kind: "send", switches: internet ? ["Internet"] : [] });
}

export type SetSendConnectorArgs = Partial<Omit<SendConnectorArgs, "name" | "internet" | "addressSpaces">> & {
  identity: string;
  /** The full list, or entries to add and remove (`@{Add=…}`). */
  addressSpaces?: string[] | { add?: string[]; remove?: string[] };
};
export function setSendConnector({ requireTls, ...a }: SetSendConnectorArgs): string {
  return renderCmdlet("Set-SendConnector", { ...a, requireTls }, { kind: "send" });
}

/**
 * The parameters of New-ReceiveConnector the pack reads (what a receive connector presents and
 * accepts over TLS). A connector Exchange would create also needs -Bindings, -RemoteIPRanges and a
 * usage; append those to the rendered text.
 */
export interface ReceiveConnectorArgs {
  name: string;
  fqdn?: string;
  tlsCertificateName?: TlsCertificateName;
  /** e.g. `AcceptCloudServicesMail`, `AcceptOorgProtocol`. */
  tlsDomainCapabilities?: string[];
}
export const newReceiveConnector = (a: ReceiveConnectorArgs): string => renderCmdlet("New-ReceiveConnector", { ...a }, { kind: "receive" });

export const setHybridConfiguration = (a: { tlsCertificateName: TlsCertificateName }): string => renderCmdlet("Set-HybridConfiguration", { ...a });

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
