/**
 * Policy-pack configuration for facts outside the stack and for exemptions. It lives under the
 * `mailflow-inventory` policy in `--policy-pack-config` (or a Pulumi Cloud policy group), because
 * @pulumi/policy gives each policy only its own configuration.
 */
import type { PolicyConfigSchema } from "@pulumi/policy";

const stringList = { type: "array" as const, items: { type: "string" as const } };

export interface AcceptedDomainConfig {
  name: string;
  matchSubDomains?: boolean;
}
export interface TenantConfig {
  initialDomain: string;
  acceptedDomains?: Array<string | AcceptedDomainConfig>;
  acceptedDomainsComplete?: boolean;
}
export interface OrganizationConfig {
  name: string;
  kind?: "exchange" | "edge";
  servers?: string[];
  egressIps?: string[];
  sharedEgress?: boolean;
  domains?: string[];
  tenant?: string;
}
export interface CertificateConfig {
  id?: string;
  subject: string;
  dnsNames?: string[];
  issuer?: string;
  trust: "public" | "private-ca" | "self-signed";
  thumbprint?: string;
  servers?: string[];
  organization?: string;
  notAfter?: string;
}
export interface GatewayConnectorConfig {
  name: string;
  addressSpaces: string[];
  smartHosts?: string[];
  dnsRouting?: boolean;
  certificate?: string | CertificateConfig;
  egressIps?: string[];
}
export interface GatewayConfig {
  name: string;
  servers: string[];
  egressIps?: string[];
  sharedEgress?: boolean;
  relaysFor?: string[];
  domains?: string[];
  connectors: GatewayConnectorConfig[];
}
export interface InboundConnectorConfig {
  tenant: string;
  name: string;
  connectorType: "OnPremises" | "Partner";
  tlsSenderCertificateName?: string;
  senderIpAddresses?: string[];
  enabled?: boolean;
}
export interface ExemptionConfig {
  /** Rule id (policy name), or `*` for every rule of the pack. */
  policy: string;
  /** Resource name or URN; `*` matches any run of characters. */
  resource: string;
  reason: string;
  /** Last day the exemption applies, `YYYY-MM-DD`. */
  expires?: string;
}
export interface InventoryConfig {
  defaultTenant?: string;
  defaultOrganization?: string;
  tenants?: TenantConfig[];
  organizations?: OrganizationConfig[];
  gateways?: GatewayConfig[];
  certificates?: CertificateConfig[];
  inboundConnectors?: InboundConnectorConfig[];
  /** Egress IPs or CIDRs shared with other Microsoft 365 customers (NAT, SaaS relay pools). */
  sharedEgressIps?: string[];
  exemptions?: ExemptionConfig[];
  /** Report values that could not be verified (advisory). Default true. */
  reportUnverifiable?: boolean;
  /**
   * Check every rule on each resource as it is registered (default true). `false` leaves every verdict
   * to the stack-level policies: about half the pack's time on stacks where every resource states mail
   * flow, but `pulumi up --skip-preview` then stops only after the resources are created.
   */
  checkEachResource?: boolean;
}

const certificate = {
  type: "object" as const,
  required: ["subject", "trust"],
  properties: {
    id: { type: "string" as const },
    subject: { type: "string" as const },
    dnsNames: stringList,
    issuer: { type: "string" as const },
    trust: { type: "string" as const, enum: ["public", "private-ca", "self-signed"] },
    thumbprint: { type: "string" as const },
    servers: stringList,
    organization: { type: "string" as const },
    notAfter: { type: "string" as const },
  },
};

/** JSON schema (validated by the Pulumi engine before the run). */
// Typed loosely: @pulumi/policy's JSON-schema typings reject nested `oneOf`; the engine validates it.
export const inventoryConfigSchema = {
  properties: {
    defaultTenant: { type: "string", description: "Tenant (initial .onmicrosoft.com domain) for scripts that do not name one." },
    defaultOrganization: { type: "string", description: "On-premises organisation for scripts that do not name one." },
    tenants: {
      type: "array",
      items: {
        type: "object",
        required: ["initialDomain"],
        properties: {
          initialDomain: { type: "string" },
          acceptedDomains: {
            type: "array",
            items: {
              oneOf: [
                { type: "string" as const },
                { type: "object" as const, required: ["name"], properties: { name: { type: "string" as const }, matchSubDomains: { type: "boolean" as const } } },
              ],
            },
          },
          acceptedDomainsComplete: { type: "boolean" },
        },
      },
    },
    organizations: {
      type: "array",
      items: {
        type: "object",
        required: ["name"],
        properties: {
          name: { type: "string" },
          kind: { type: "string", enum: ["exchange", "edge"] },
          servers: stringList,
          egressIps: stringList,
          sharedEgress: { type: "boolean" },
          domains: stringList,
          tenant: { type: "string" },
        },
      },
    },
    gateways: {
      type: "array",
      items: {
        type: "object",
        required: ["name", "servers", "connectors"],
        properties: {
          name: { type: "string" },
          servers: stringList,
          egressIps: stringList,
          sharedEgress: { type: "boolean" },
          relaysFor: stringList,
          domains: stringList,
          connectors: {
            type: "array",
            items: {
              type: "object",
              required: ["name", "addressSpaces"],
              properties: {
                name: { type: "string" },
                addressSpaces: stringList,
                smartHosts: stringList,
                dnsRouting: { type: "boolean" },
                certificate: { oneOf: [{ type: "string" as const }, certificate] },
                egressIps: stringList,
              },
            },
          },
        },
      },
    },
    certificates: { type: "array", items: certificate },
    inboundConnectors: {
      type: "array",
      description: "Other tenants' inbound connectors (managed service providers).",
      items: {
        type: "object",
        required: ["tenant", "name", "connectorType"],
        properties: {
          tenant: { type: "string" },
          name: { type: "string" },
          connectorType: { type: "string", enum: ["OnPremises", "Partner"] },
          tlsSenderCertificateName: { type: "string" },
          senderIpAddresses: stringList,
          enabled: { type: "boolean" },
        },
      },
    },
    sharedEgressIps: stringList,
    exemptions: {
      type: "array",
      items: {
        type: "object",
        required: ["policy", "resource", "reason"],
        properties: {
          policy: { type: "string" },
          resource: { type: "string" },
          reason: { type: "string", minLength: 1 },
          expires: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$" },
        },
      },
    },
    reportUnverifiable: { type: "boolean", default: true },
    checkEachResource: { type: "boolean", default: true },
  },
} as unknown as PolicyConfigSchema;
