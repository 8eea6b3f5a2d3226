/**
 * Policy-pack configuration for facts outside the stack and for exemptions. It lives under the
 * `mailflow-inventory` policy in `--policy-pack-config` (or a Pulumi Cloud policy group), because
 * @pulumi/policy gives each policy only its own configuration.
 */
import type { PolicyConfigSchema } from "@pulumi/policy";

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
/** Report files a pipeline reads (SARIF 2.1.0, JSON, Markdown); the MAILFLOW_GUARD_SARIF/_JSON/_MARKDOWN variables win. */
export interface ReportConfig {
  sarif?: string;
  json?: string;
  markdown?: string;
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
   * `mandatory`: a strict gate. Every value the pack could not verify on a resource (a connector or
   * certificate fact it could not read, a mail-flow command it did not run) also blocks, through the
   * `mailflow-unverifiable` policy. Default `advisory`: reported by `mailflow-inventory` only.
   */
  unverifiable?: "advisory" | "mandatory";
  /**
   * During `pulumi up`, also report each finding on the resource that completes it as it registers
   * (default true), so the update stops before creating it. `false` leaves every verdict of an update
   * to the whole-stack check, as a preview's always is: `pulumi up --skip-preview` then stops only after
   * the resources are created.
   */
  checkEachResource?: boolean;
  /** Where to write the run's reports; relative paths resolve against the policy pack directory. */
  report?: ReportConfig;
}

/*
 * The JSON schema of InventoryConfig. The Pulumi engine validates it with gojsonschema and the pack with
 * ajv (src/config/validate.ts), so it keeps to what draft 4, 6 and 7 share: no `$defs`, `if`,
 * `unevaluatedProperties`, `dependentRequired`…; a value that is "a text or an object" is
 * `type: ["string", "object"]` (object keywords apply to objects only), which gives one clear error
 * where `oneOf` gives one per branch.
 */

/** Exemption patterns are matched against every resource of a finding: longer ones are a mistake. */
export const MAX_EXEMPTION_PATTERN_CHARS = 1000;

const text = { type: "string" } as const;
const flag = { type: "boolean" } as const;
const stringList = { type: "array", items: text } as const;

/** An object of exactly these keys (a misspelt key is an error, not silently ignored). */
const record = (required: readonly string[], properties: Record<string, object>, extra: object = {}) => ({
  type: "object",
  ...(required.length ? { required } : {}),
  properties,
  additionalProperties: false,
  ...extra,
});

const certificateProperties = {
  id: text,
  subject: text,
  dnsNames: stringList,
  issuer: text,
  trust: { type: "string", enum: ["public", "private-ca", "self-signed"] },
  thumbprint: text,
  servers: stringList,
  organization: text,
  notAfter: text,
};
const certificate = record(["subject", "trust"], certificateProperties);

const acceptedDomain = { type: ["string", "object"], required: ["name"], properties: { name: text, matchSubDomains: flag }, additionalProperties: false };

/** Every key InventoryConfig accepts, as declared to Pulumi (`configSchema.properties`). */
export const inventoryConfigProperties = {
  defaultTenant: { type: "string", description: "Tenant (initial .onmicrosoft.com domain) for scripts that do not name one." },
  defaultOrganization: { type: "string", description: "On-premises organisation for scripts that do not name one." },
  tenants: {
    type: "array",
    items: record(["initialDomain"], { initialDomain: text, acceptedDomains: { type: "array", items: acceptedDomain }, acceptedDomainsComplete: flag }),
  },
  organizations: {
    type: "array",
    items: record(["name"], {
      name: text,
      kind: { type: "string", enum: ["exchange", "edge"] },
      servers: stringList,
      egressIps: stringList,
      sharedEgress: flag,
      domains: stringList,
      tenant: text,
    }),
  },
  gateways: {
    type: "array",
    items: record(["name", "servers", "connectors"], {
      name: text,
      servers: stringList,
      egressIps: stringList,
      sharedEgress: flag,
      relaysFor: stringList,
      domains: stringList,
      connectors: {
        type: "array",
        items: record(["name", "addressSpaces"], {
          name: text,
          addressSpaces: stringList,
          smartHosts: stringList,
          dnsRouting: flag,
          // A certificate id (of `certificates[]`), or the certificate itself.
          certificate: { type: ["string", "object"], required: certificate.required, properties: certificateProperties, additionalProperties: false },
          egressIps: stringList,
        }),
      },
    }),
  },
  certificates: { type: "array", items: certificate },
  inboundConnectors: {
    type: "array",
    description: "Other tenants' inbound connectors (managed service providers).",
    items: record(["tenant", "name", "connectorType"], {
      tenant: text,
      name: text,
      connectorType: { type: "string", enum: ["OnPremises", "Partner"] },
      tlsSenderCertificateName: text,
      senderIpAddresses: stringList,
      enabled: flag,
    }),
  },
  sharedEgressIps: stringList,
  exemptions: {
    type: "array",
    items: record(["policy", "resource", "reason"], {
      policy: { type: "string", minLength: 1 },
      resource: { type: "string", minLength: 1, maxLength: MAX_EXEMPTION_PATTERN_CHARS },
      reason: { type: "string", minLength: 1 },
      // `format: date` is checked by gojsonschema and by the pack (a real calendar day); the pattern says the shape.
      expires: { type: "string", pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", format: "date" },
    }),
  },
  reportUnverifiable: { type: "boolean", default: true },
  unverifiable: { type: "string", enum: ["advisory", "mandatory"], default: "advisory" },
  checkEachResource: { type: "boolean", default: true },
  report: {
    ...record([], { sarif: { type: "string", minLength: 1 }, json: { type: "string", minLength: 1 }, markdown: { type: "string", minLength: 1 } }),
    description: "Files to write after each policy call (complete each time): SARIF 2.1.0, JSON, Markdown summary.",
  },
} as const;

/** The configuration schema declared to Pulumi (the engine adds `enforcementLevel` and validates the rest). */
// Typed loosely: @pulumi/policy's JSON-schema typings reject union `type`s; the schema is plain JSON.
export const inventoryConfigSchema = { properties: inventoryConfigProperties } as unknown as PolicyConfigSchema;

/**
 * The same schema for the whole configuration object, as the pack validates it: the engine does not
 * reject unknown top-level keys, the pack does (a misspelt `exemption` must not silently exempt nothing).
 */
export const inventoryConfigJsonSchema = { type: "object", properties: inventoryConfigProperties, additionalProperties: false } as const;
