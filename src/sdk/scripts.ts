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

/**
 * A text value: written into the script, or a value only known at deploy time passed through the
 * command's `environment` (`envRef("NAME")`, with `environment: { NAME: output }`): the script's text
 * stays known in preview, where an interpolated Output would make the whole script unknown.
 */
export type Text = string | EnvRef;

export interface CertificateIdentifierArgs {
  issuer: Text;
  subject: Text;
}
const isEnvRef = (v: unknown): v is EnvRef => typeof v === "object" && v !== null && "env" in v;

/** `<I>issuer<S>subject`, the form of -TlsCertificateName (parts from the environment as `$env:NAME`). */
export const certificateIdentifier = ({ issuer, subject }: CertificateIdentifierArgs): string =>
  `<I>${isEnvRef(issuer) ? `$env:${issuer.env}` : issuer}<S>${isEnvRef(subject) ? `$env:${subject.env}` : subject}`;

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
  if ("issuer" in v && "subject" in v) {
    if (!isEnvRef(v.issuer) && !isEnvRef(v.subject)) return quote(certificateIdentifier(v));
    // A part from the environment: a double-quoted string PowerShell expands, the literal parts escaped.
    const part = (t: Text): string => (isEnvRef(t) ? `$($env:${t.env})` : t.replace(/[`"$]/g, (c) => `\`${c}`));
    return `"<I>${part(v.issuer)}<S>${part(v.subject)}"`;
  }
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
/** A certificate identifier as its parts, or as the `<I>issuer<S>subject` text Exchange exports (rendered as given), or from the environment. */
export type TlsCertificateName = CertificateIdentifierArgs | Text;

export interface InboundConnectorArgs {
  name: Text;
  connectorType: "OnPremises" | "Partner";
  senderDomains: Text[];
  tlsSenderCertificateName?: Text;
  senderIpAddresses?: Text[];
  requireTls?: boolean;
  restrictDomainsToCertificate?: boolean;
  restrictDomainsToIpAddresses?: boolean;
  cloudServicesMailEnabled?: boolean;
  treatMessagesAsInternal?: boolean;
  connectorSource?: ConnectorSource;
  /** The accepted domains the connector is scoped to (-AssociatedAcceptedDomains). */
  associatedAcceptedDomains?: Text[];
  /** -Enabled; Exchange enables a new connector when absent. */
  enabled?: boolean;
}

export const newInboundConnector = (a: InboundConnectorArgs): string => renderCmdlet("New-InboundConnector", { ...a }, { kind: "inbound" });

export type SetInboundConnectorArgs = Partial<Omit<InboundConnectorArgs, "name" | "senderIpAddresses" | "senderDomains">> & {
  identity: Text;
  senderIpAddresses?: Text[] | { add?: string[]; remove?: string[] };
  senderDomains?: Text[];
};
export const setInboundConnector = (a: SetInboundConnectorArgs): string => renderCmdlet("Set-InboundConnector", { ...a }, { kind: "inbound" });

export interface OutboundConnectorArgs {
  name: Text;
  connectorType: "OnPremises" | "Partner";
  recipientDomains: Text[];
  smartHosts?: Text[];
  useMxRecord?: boolean;
  tlsSettings?: TlsLevel;
  tlsDomain?: Text;
  cloudServicesMailEnabled?: boolean;
  routeAllMessagesViaOnPremises?: boolean;
  /** -Enabled; Exchange enables a new connector when absent. */
  enabled?: boolean;
}
export const newOutboundConnector = (a: OutboundConnectorArgs): string => renderCmdlet("New-OutboundConnector", { ...a }, { kind: "outbound" });

export interface SendConnectorArgs {
  name: Text;
  addressSpaces: Text[];
  /** The -Internet usage switch. */
  internet?: boolean;
  smartHosts?: Text[];
  dnsRoutingEnabled?: boolean;
  fqdn?: Text;
  tlsCertificateName?: TlsCertificateName;
  /** -RequireTLS (rendered last, before the switches). */
  requireTls?: boolean;
  tlsAuthLevel?: TlsLevel;
  tlsDomain?: Text;
  cloudServicesMailEnabled?: boolean;
  sourceTransportServers?: Text[];
  /** -Enabled; Exchange enables a new connector when absent. */
  enabled?: boolean;
}
// requireTls goes last: the order these renderers have always printed.
export function newSendConnector({ internet, requireTls, ...a }: SendConnectorArgs): string {
  return renderCmdlet("New-SendConnector", { ...a, requireTls }, { kind: "send", switches: internet ? ["Internet"] : [] });
}

export type SetSendConnectorArgs = Partial<Omit<SendConnectorArgs, "name" | "internet" | "addressSpaces">> & {
  identity: Text;
  /** The full list, or entries to add and remove (`@{Add=…}`). */
  addressSpaces?: Text[] | { add?: string[]; remove?: string[] };
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
  name: Text;
  fqdn?: Text;
  tlsCertificateName?: TlsCertificateName;
  /** e.g. `AcceptCloudServicesMail`, `AcceptOorgProtocol`. */
  tlsDomainCapabilities?: string[];
}
export const newReceiveConnector = (a: ReceiveConnectorArgs): string => renderCmdlet("New-ReceiveConnector", { ...a }, { kind: "receive" });

export const setHybridConfiguration = (a: { tlsCertificateName: TlsCertificateName }): string => renderCmdlet("Set-HybridConfiguration", { ...a });

export const newAcceptedDomain = (a: { name: Text; domainName: Text; domainType: "Authoritative" | "InternalRelay" | "ExternalRelay" }): string =>
  renderCmdlet("New-AcceptedDomain", { ...a });

export const setAcceptedDomain = (a: { identity: Text; matchSubDomains?: boolean }): string => renderCmdlet("Set-AcceptedDomain", { ...a });

/** A connector's removal, for a command's `delete`: without the confirmation prompt a script cannot answer. */
export const removeInboundConnector = (a: { identity: Text }): string => renderCmdlet("Remove-InboundConnector", { ...a }, { switches: ["Confirm:$false"] });
export const removeOutboundConnector = (a: { identity: Text }): string => renderCmdlet("Remove-OutboundConnector", { ...a }, { switches: ["Confirm:$false"] });
export const removeSendConnector = (a: { identity: Text }): string => renderCmdlet("Remove-SendConnector", { ...a }, { switches: ["Confirm:$false"] });

/** App-only Connect-ExchangeOnline; the app id and certificate come from the command's environment. */
export function connectExchangeOnline(a: { organization: string; appIdEnv?: string; certificatePathEnv?: string }): string {
  return `Connect-ExchangeOnline -AppId $env:${a.appIdEnv ?? "EXO_APP_ID"} -CertificateFilePath $env:${a.certificatePathEnv ?? "EXO_CERT_PATH"} -Organization ${quote(a.organization)} -ShowBanner:$false`;
}

/** Joins statements into one script that stops at the first error. */
export const exchangeOnlineScript = (statements: string[]): string => ["$ErrorActionPreference = 'Stop'", ...statements].join("\n");

export const POWERSHELL = ["pwsh", "-NoProfile", "-NonInteractive", "-Command"];

/**
 * What each command helper runs, under the same names: `script` when the resource is created,
 * `update` when its inputs change on a later deployment (without it, @pulumi/command replaces the
 * resource and runs `script` again: a New-* of a connector that exists fails), `delete` when it is
 * destroyed. A script may be an Output (then unknown in preview, and the pack says so); values only
 * known at deploy time belong in `environment`, referred to with `envRef`.
 */
export interface CommandScripts {
  script: pulumi.Input<string>;
  update?: pulumi.Input<string>;
  delete?: pulumi.Input<string>;
  environment?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** Each script of a command, with what runs before it. */
function scripts(args: CommandScripts, wrap: (script: string) => string): { create: pulumi.Input<string>; update?: pulumi.Input<string>; delete?: pulumi.Input<string> } {
  const wrapped = (s: pulumi.Input<string>): pulumi.Input<string> => (typeof s === "string" ? wrap(s) : pulumi.output(s).apply(wrap));
  return { create: wrapped(args.script), ...(args.update !== undefined ? { update: wrapped(args.update) } : {}), ...(args.delete !== undefined ? { delete: wrapped(args.delete) } : {}) };
}

/** A command that runs Exchange Online PowerShell for one tenant (app-only authentication). */
export function exchangeOnlineCommand(name: string, args: CommandScripts & { organization: string }, opts?: pulumi.CustomResourceOptions): command.local.Command {
  return new command.local.Command(
    name,
    {
      interpreter: POWERSHELL,
      ...scripts(args, (script) => exchangeOnlineScript([connectExchangeOnline({ organization: args.organization }), script])),
      ...(args.environment ? { environment: args.environment } : {}),
    },
    opts,
  );
}

/** A command that runs Exchange Management Shell on an on-premises server over SSH. */
export function onPremisesCommand(name: string, args: CommandScripts & { connection: command.types.input.remote.ConnectionArgs }, opts?: pulumi.CustomResourceOptions): command.remote.Command {
  return new command.remote.Command(name, { connection: args.connection, ...scripts(args, (script) => script), ...(args.environment ? { environment: args.environment } : {}) }, opts);
}
