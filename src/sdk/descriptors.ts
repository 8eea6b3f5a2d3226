/**
 * Descriptor resources: declare in a Pulumi program what PowerShell does not describe, so the policy
 * pack can see it — tenants, on-premises organisations, third-party gateways and certificates managed
 * elsewhere. They have no side effects: their dynamic provider only stores the inputs.
 *
 * @example
 * new mailflow.Gateway("gateway", {
 *   name: "varuna-gateway",
 *   servers: ["mx01.varunagroup.de", "mx02.varunagroup.de"],
 *   relaysFor: ["varunagroup", "setebos-ag"],
 *   connectors: [{ name: "Internet", addressSpaces: ["*"], dnsRouting: true,
 *     certificate: { subject: "CN=mx01.varunagroup.de", trust: "public" } }],
 * });
 */
import * as pulumi from "@pulumi/pulumi";

export type Trust = "public" | "private-ca" | "self-signed";

export interface CertificateArgs {
  /** `CN=host` or the host name. */
  subject: pulumi.Input<string>;
  dnsNames?: pulumi.Input<pulumi.Input<string>[]>;
  /** Issuer distinguished name, e.g. `CN=GeoTrust TLS RSA CA G1, O=DigiCert Inc, C=US`. */
  issuer?: pulumi.Input<string>;
  trust: pulumi.Input<Trust>;
  thumbprint?: pulumi.Input<string>;
  servers?: pulumi.Input<pulumi.Input<string>[]>;
  organization?: pulumi.Input<string>;
  notAfter?: pulumi.Input<string>;
}

export interface TenantArgs {
  /** `contoso.onmicrosoft.com`. */
  initialDomain: pulumi.Input<string>;
  acceptedDomains: pulumi.Input<Array<pulumi.Input<string> | { name: pulumi.Input<string>; matchSubDomains?: pulumi.Input<boolean> }>>;
  /** The list is every accepted domain of the tenant. */
  acceptedDomainsComplete?: pulumi.Input<boolean>;
}

export interface OrganizationArgs {
  name: pulumi.Input<string>;
  kind?: pulumi.Input<"exchange" | "edge">;
  servers?: pulumi.Input<pulumi.Input<string>[]>;
  egressIps?: pulumi.Input<pulumi.Input<string>[]>;
  sharedEgress?: pulumi.Input<boolean>;
  domains?: pulumi.Input<pulumi.Input<string>[]>;
  /** The tenant this organisation is hybrid with (initial domain). */
  tenant?: pulumi.Input<string>;
}

export interface GatewayConnectorArgs {
  name: pulumi.Input<string>;
  /** `*` for the internet connector, `<tenant>.mail.onmicrosoft.com` for an Exchange Online connector. */
  addressSpaces: pulumi.Input<pulumi.Input<string>[]>;
  smartHosts?: pulumi.Input<pulumi.Input<string>[]>;
  dnsRouting?: pulumi.Input<boolean>;
  /** An inline certificate, or the name or URN of a `Certificate` descriptor. */
  certificate?: pulumi.Input<string> | CertificateArgs;
  egressIps?: pulumi.Input<pulumi.Input<string>[]>;
}

export interface GatewayArgs {
  name: pulumi.Input<string>;
  servers: pulumi.Input<pulumi.Input<string>[]>;
  egressIps?: pulumi.Input<pulumi.Input<string>[]>;
  sharedEgress?: pulumi.Input<boolean>;
  /** Names of the organisations whose mail the gateway relays. */
  relaysFor?: pulumi.Input<pulumi.Input<string>[]>;
  domains?: pulumi.Input<pulumi.Input<string>[]>;
  connectors: pulumi.Input<GatewayConnectorArgs[]>;
}

/** Stores the inputs as outputs; nothing else. Serialised into the state by Pulumi's closure serialiser. */
const descriptorProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    return { id: String(inputs.name ?? inputs.initialDomain ?? inputs.subject ?? "descriptor"), outs: inputs };
  },
  async diff(_id, olds, news) {
    return { changes: JSON.stringify(olds) !== JSON.stringify(news) };
  },
  async update(_id, _olds, news) {
    return { outs: news };
  },
};

export class Tenant extends pulumi.dynamic.Resource {
  constructor(name: string, args: TenantArgs, opts?: pulumi.CustomResourceOptions) {
    super(descriptorProvider, name, args, opts, "mailflow", "Tenant");
  }
}

export class Organization extends pulumi.dynamic.Resource {
  constructor(name: string, args: OrganizationArgs, opts?: pulumi.CustomResourceOptions) {
    super(descriptorProvider, name, args, opts, "mailflow", "Organization");
  }
}

export class Gateway extends pulumi.dynamic.Resource {
  constructor(name: string, args: GatewayArgs, opts?: pulumi.CustomResourceOptions) {
    super(descriptorProvider, name, args, opts, "mailflow", "Gateway");
  }
}

export class Certificate extends pulumi.dynamic.Resource {
  constructor(name: string, args: CertificateArgs, opts?: pulumi.CustomResourceOptions) {
    super(descriptorProvider, name, args, opts, "mailflow", "Certificate");
  }
}
