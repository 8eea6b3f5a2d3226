/**
 * Seeded generators of hostile inputs, one per family. Each input is a whole stack (plus policy
 * configuration) for `analyzeInProcess`, with what its oracles need to know: the secrets planted in
 * it, the resources holding an unknown value the pack reads, the configuration paths given a wrong type.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { InventoryConfig } from "../../src/config/schema";
import { CERTIFICATE_TYPES } from "../../src/extractors/certificates";
import type { StackResource } from "../../src/reporters/pulumi/in-process";
import { inputSeed, mulberry32, type Rng } from "./prng";
import { BASE_STACKS, dedicatedStack, HOST, TENANT } from "./stacks";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxy = require("@pulumi/policy/proxy") as Record<"unknownStringValue" | "unknownArrayValue" | "unknownObjectValue" | "unknownBooleanValue" | "unknownNumberValue", string>;

export const FAMILIES = ["scripts", "certificates", "descriptors-config", "secrets", "unknowns", "deep-props"] as const;
export type Family = (typeof FAMILIES)[number];

export interface FuzzInput {
  family: Family;
  seed: number;
  index: number;
  /** What was done to the base stack, for reports. */
  description: string;
  resources: StackResource[];
  config: InventoryConfig;
  /** Planted secrets: none of them, nor any 12+ character piece, may appear in any output. */
  secrets: string[];
  /** Resources holding an unknown value the pack reads: each must be named by some violation. */
  unknownResources: string[];
  /** Whether the configuration was given a value of the wrong type (the schema decides which paths). */
  configMutated: boolean;
}

/**
 * `scale` 1 is the hostile size the brief asks for (1 MB scripts, 10,000-element arrays, 500 levels);
 * the in-`npm test` run uses a smaller scale so it stays within its time.
 */
export interface GeneratorOptions {
  scale: number;
}

const FIXTURES = join(__dirname, "fixtures");
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), "utf8");
let pems: { wildcardIdn: string; san1500: string; request: string } | undefined;
const PEMS = () => (pems ??= { wildcardIdn: fixture("wildcard-idn-san.pem"), san1500: fixture("san-1500.pem"), request: fixture("request.pem") });

const clone = <T,>(v: T): T => structuredClone(v);
const isCommand = (r: StackResource): boolean => r.type === "command:local:Command" || r.type === "command:remote:Command";

// ---------------------------------------------------------------- scripts

const UNICODE = ["‘", "’", "“", "”", "–", "—", "\u200b", "\ufeff", "\u0000", "\ud800", "\udfff", "é", "ß", "İ", "😀", "\u202e", "\r", "`", "\t", "ǅ", "ﬀ"];

export const SCRIPT_MUTATIONS: Record<string, (rng: Rng, script: string, scale: number) => string> = {
  "delete a token": (rng, s) => {
    const tokens = s.split(/(\s+)/);
    tokens.splice(rng.int(0, tokens.length - 1), 1);
    return tokens.join("");
  },
  "duplicate a token": (rng, s) => {
    const tokens = s.split(/(\s+)/);
    const i = rng.int(0, tokens.length - 1);
    tokens.splice(i, 0, tokens[i]!, " ");
    return tokens.join("");
  },
  "remove a quote": (rng, s) => {
    const quotes = [...s.matchAll(/['"]/g)].map((m) => m.index!);
    if (quotes.length === 0) return s;
    const i = rng.pick(quotes);
    return s.slice(0, i) + s.slice(i + 1);
  },
  "insert unicode": (rng, s) => {
    let out = s;
    for (let k = rng.int(1, 6); k > 0; k--) {
      const i = rng.int(0, out.length);
      out = out.slice(0, i) + rng.pick(UNICODE) + out.slice(i);
    }
    return out;
  },
  "typographic quotes": (_rng, s) => s.replace(/'([^']*)'/g, "‘$1’").replace(/"([^"]*)"/g, "“$1”"),
  "script block wrapper": (rng, s) => rng.pick([`& { ${s} }`, `Invoke-Command -ScriptBlock {\n${s}\n}`, `if ($true) {\n${s}\n}`, `try { ${s} } catch { throw }`, `. { ${s} }`]),
  "powershell -Command wrapper": (_rng, s) => `powershell -NoProfile -Command "${s.replace(/"/g, '\\"')}"`,
  "encoded command wrapper": (_rng, s) => `pwsh -EncodedCommand ${Buffer.from(s, "utf16le").toString("base64")}`,
  "deep nesting": (rng, s, scale) => {
    const depth = Math.max(10, Math.round(500 * scale));
    return rng.chance(0.5) ? `${"(".repeat(depth)}${s}${")".repeat(depth)}` : `${"& { ".repeat(depth)}${s}${" }".repeat(depth)}`;
  },
  "10,000-element array": (_rng, s, scale) => {
    const n = Math.max(100, Math.round(10_000 * scale));
    const list = Array.from({ length: n }, (_, i) => `'d${i}.contoso.com'`).join(",");
    return `${s}\nSet-InboundConnector -Identity 'Inbound' -SenderDomains ${list}\nNew-SendConnector -Name 'Big' -AddressSpaces ${list}`;
  },
  "1 MB script": (_rng, s, scale) => {
    const target = Math.max(16_384, Math.round(1_048_576 * scale));
    return `${s}\n`.repeat(Math.ceil(target / (s.length + 1))).slice(0, target);
  },
};
/** Cheap mutations are drawn often; the huge ones rarely (they are what makes a run long). */
const MUTATION_WEIGHTS: Record<string, number> = { "deep nesting": 0.2, "10,000-element array": 0.08, "1 MB script": 0.02 };

function pickMutation(rng: Rng): string {
  const names = Object.keys(SCRIPT_MUTATIONS);
  const weights = names.map((n) => MUTATION_WEIGHTS[n] ?? 1);
  let x = rng.next() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < names.length; i++) if ((x -= weights[i]!) < 0) return names[i]!;
  return names[0]!;
}

function scriptsInput(rng: Rng, opts: GeneratorOptions): Pick<FuzzInput, "description" | "resources"> {
  const resources = rng.pick(BASE_STACKS)();
  const commands = resources.filter(isCommand);
  const target = rng.pick(commands);
  const applied: string[] = [];
  let script = String(target.props.create);
  for (let k = rng.int(1, 3); k > 0; k--) {
    const m = pickMutation(rng);
    applied.push(m);
    script = SCRIPT_MUTATIONS[m]!(rng, script, opts.scale);
    if (script.length > 200_000) break;
  }
  target.props.create = script;
  // The mutated script and the tenant it names are enough: fewer resources, more inputs per minute.
  return { description: `${target.name}.create: ${applied.join(", ")}`, resources: resources.filter((r) => r === target || r.name.startsWith("tenant-")) };
}

// ---------------------------------------------------------------- certificates

const ODD_NAMES = ["*", "*.", "**.a", "*.*.contoso.com", "smtpo365.contoso.com.", "*.contoso.com.", ".contoso.com", "bücher.example", "xn--bcher-kva.example", "SMTPO365.CONTOSO.COM", "", " ", "*contoso.com", "a..b", "😀.example", "*.xn--", "contoso.com:25", "[::1]", "198.51.100.10"];

function truncatedPem(rng: Rng, pem: string): string {
  const cut = rng.int(0, pem.length);
  return rng.chance(0.5) ? pem.slice(0, cut) + "\n-----END CERTIFICATE-----" : pem.slice(0, cut);
}

function randomPem(rng: Rng): string {
  return rng.pick([
    () => `-----BEGIN CERTIFICATE-----\n${rng.text(rng.int(0, 400), "ABCDEFGHabcdefgh0123456789+/=")}\n-----END CERTIFICATE-----`,
    () => truncatedPem(rng, PEMS().wildcardIdn),
    () => truncatedPem(rng, PEMS().san1500),
    () => PEMS().wildcardIdn,
    () => PEMS().san1500,
    () => `${PEMS().wildcardIdn}\n${"-----BEGIN CERTIFICATE-----\n".repeat(rng.int(1, 50))}`,
    () => PEMS().wildcardIdn.replace(/[A-Za-z]/, "!"),
    () => Array.from({ length: rng.int(2, 20) }, () => PEMS().wildcardIdn).join("\n"),
  ])();
}

const names = (rng: Rng, n: number): string[] => Array.from({ length: n }, (_, i) => (rng.chance(0.3) ? rng.pick(ODD_NAMES) : `h${i}.${rng.pick(["contoso.com", "fabrikam.com", "bücher.example"])}`));

function certificateResource(rng: Rng, scale: number, name: string): StackResource {
  const huge = rng.chance(0.1) ? Math.max(50, Math.round(5_000 * scale)) : rng.int(0, 8);
  const cn = rng.pick([...ODD_NAMES, "smtpo365.contoso.com"]);
  const sans = names(rng, huge);
  const shapes: Array<[string, Record<string, unknown>]> = [
    [CERTIFICATE_TYPES.selfSigned, { subject: { commonName: cn }, dnsNames: sans, allowedUses: ["server_auth"] }],
    [CERTIFICATE_TYPES.acme, { commonName: cn, subjectAlternativeNames: sans }],
    [CERTIFICATE_TYPES.acm, { domainName: cn, subjectAlternativeNames: sans, ...(rng.chance(0.3) ? { certificateAuthorityArn: "arn:aws:acm-pca:x" } : {}) }],
    [CERTIFICATE_TYPES.acm, { certificateBody: randomPem(rng) }],
    [CERTIFICATE_TYPES.keyVault, { certificatePolicy: { issuerParameters: { name: rng.pick(["Self", "Unknown", "DigiCert"]) }, x509CertificateProperties: { subject: `CN=${cn}`, subjectAlternativeNames: { dnsNames: sans } } } }],
    [CERTIFICATE_TYPES.certManager, { spec: { commonName: cn, dnsNames: sans, issuerRef: { name: rng.pick(["letsencrypt", "corp-ca"]) } } }],
    [CERTIFICATE_TYPES.customResource, { apiVersion: "cert-manager.io/v1", kind: "Certificate", spec: { commonName: cn, dnsNames: sans } }],
    [CERTIFICATE_TYPES.locallySigned, { certRequestPem: rng.chance(0.5) ? PEMS().request : truncatedPem(rng, PEMS().request) }],
    ["command:local:Command", { create: "echo", stdin: randomPem(rng) }],
    ["pulumi-nodejs:dynamic/mailflow:Certificate", { subject: `CN=${cn}`, dnsNames: sans, trust: rng.pick(["public", "self-signed", "private-ca", "bogus"]) }],
  ];
  const [type, props] = rng.pick(shapes);
  return { urn: `urn:pulumi:test::mailflow::${type}::${name}`, name, type, props };
}

function certificatesInput(rng: Rng, opts: GeneratorOptions): Pick<FuzzInput, "description" | "resources"> {
  const resources = rng.pick(BASE_STACKS)();
  const added = Array.from({ length: rng.int(1, 3) }, (_, i) => certificateResource(rng, opts.scale, `fuzz-cert-${i}`));
  // The hybrid name the inbound connector trusts is sometimes one of the odd names too.
  const inbound = resources.find((r) => r.name === "exo-inbound")!;
  if (rng.chance(0.3)) inbound.props.create = String(inbound.props.create).replace(/-TlsSenderCertificateName '[^']*'/, `-TlsSenderCertificateName '${rng.pick(ODD_NAMES)}'`);
  return { description: `certificates ${added.map((r) => r.type).join(", ")}`, resources: [...resources, ...added] };
}

// ---------------------------------------------------------------- descriptors and configuration

const WRONG_VALUES: unknown[] = [42, -1, 1e308, "text", "", true, false, null, [], {}, [1, 2], { a: 1 }, ["x", 3, null], "*".repeat(1000)];

/** Every path of a value, leaves and subtrees, as key lists. */
export function pathsOf(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (value === null || typeof value !== "object") return [prefix];
  const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return [...(prefix.length ? [prefix] : []), ...entries.flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
}

export function setPath(root: unknown, path: ReadonlyArray<string | number>, value: unknown): void {
  let node = root as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = value;
}

export const dotted = (path: ReadonlyArray<string | number>): string => path.map((k, i) => (typeof k === "number" ? `[${k}]` : i === 0 ? k : `.${k}`)).join("");

export function validConfig(): InventoryConfig {
  return {
    defaultTenant: TENANT,
    defaultOrganization: HOST,
    tenants: [{ initialDomain: "fabrikam.onmicrosoft.com", acceptedDomains: ["fabrikam.com", { name: "sub.fabrikam.com", matchSubDomains: true }], acceptedDomainsComplete: false }],
    organizations: [{ name: "ex01.fabrikam.com", kind: "exchange", servers: ["ex01.fabrikam.com"], egressIps: ["203.0.113.5"], sharedEgress: false, domains: ["fabrikam.com"], tenant: "fabrikam.onmicrosoft.com" }],
    gateways: [
      {
        name: "relay",
        servers: ["mx.relay.example"],
        egressIps: ["203.0.113.9"],
        sharedEgress: true,
        relaysFor: ["ex01.fabrikam.com"],
        domains: ["relay.example"],
        connectors: [{ name: "Internet", addressSpaces: ["*"], smartHosts: [], dnsRouting: true, certificate: { subject: "CN=mx.relay.example", dnsNames: ["mx.relay.example"], trust: "public" }, egressIps: [] }],
      },
    ],
    certificates: [{ id: "ext", subject: "CN=ext.fabrikam.com", dnsNames: ["ext.fabrikam.com"], issuer: "CN=CA", trust: "public", thumbprint: "AB", servers: ["ex01.fabrikam.com"], organization: "ex01.fabrikam.com", notAfter: "2030-01-01" }],
    inboundConnectors: [{ tenant: "other.onmicrosoft.com", name: "MSP", connectorType: "OnPremises", tlsSenderCertificateName: "*.contoso.com", senderIpAddresses: ["198.51.100.10"], enabled: true }],
    sharedEgressIps: ["192.0.2.0/24"],
    exemptions: [{ policy: "wildcard-onpremises-certificate-name", resource: "exo-*", reason: "migration", expires: "2099-12-31" }],
    reportUnverifiable: true,
    checkEachResource: true,
  };
}

/** An exemption glob that backtracks badly on long names (`*a*a*…*b`), and a huge one. */
function hostileExemption(rng: Rng, scale: number): InventoryConfig["exemptions"] {
  const stars = Math.max(3, Math.round(8 * scale));
  return [
    { policy: "*", resource: rng.chance(0.5) ? `${"*a".repeat(stars)}*b` : `${"*".repeat(rng.int(1, 5))}${rng.text(Math.round(10_000 * scale), "a*")}`, reason: "fuzz" },
  ];
}

/** Names of 51 `a`s: what makes `*a*a*…*b` backtrack. */
const longNameResource = (): StackResource => ({
  urn: `urn:pulumi:test::mailflow::command:local:Command::${"a".repeat(51)}`,
  name: "a".repeat(51),
  type: "command:local:Command",
  props: { interpreter: ["pwsh", "-Command"], create: `Connect-ExchangeOnline -Organization ${TENANT}\nNew-InboundConnector -Name x -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName '*.contoso.com'` },
});

function descriptorsConfigInput(rng: Rng, opts: GeneratorOptions): Pick<FuzzInput, "description" | "resources" | "config" | "configMutated"> {
  const resources = rng.pick(BASE_STACKS)();
  // The backtracking exemption stalls the pack today: drawn rarely, so a run of 10,000 stays in minutes.
  const mode = rng.chance(0.006) ? 2 : rng.int(0, 1);
  if (mode === 0) {
    const descriptors = resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/mailflow:"));
    const target = rng.pick(descriptors);
    const path = rng.pick(pathsOf(target.props));
    const value = rng.pick(WRONG_VALUES);
    setPath(target.props, path, clone(value));
    return { description: `${target.name}.${dotted(path)} = ${JSON.stringify(value)?.slice(0, 40)}`, resources, config: {}, configMutated: false };
  }
  if (mode === 1) {
    const config = validConfig();
    const path = rng.pick(pathsOf(config));
    const value = rng.pick(WRONG_VALUES);
    setPath(config, path, clone(value));
    return { description: `config ${dotted(path)} = ${JSON.stringify(value)?.slice(0, 40)}`, resources, config, configMutated: true };
  }
  return { description: "hostile exemption pattern on a 51-character name", resources: [...resources, longNameResource()], config: { exemptions: hostileExemption(rng, opts.scale) }, configMutated: false };
}

// ---------------------------------------------------------------- secrets

/** A secret no output could contain by chance. */
const secret = (rng: Rng): string => `Zq${rng.text(26)}`;
const fakePem = (label: string, body: string): string => `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----`;

export const SECRET_CHANNELS: Record<string, (rng: Rng, s: string, stack: StackResource[]) => void> = {
  "secret parameter": (rng, s, stack) => {
    const cmd = rng.pick(stack.filter(isCommand));
    cmd.props.create = `${String(cmd.props.create)}\n${rng.pick([
      `Import-ExchangeCertificate -Server ${HOST} -FileData ([Convert]::FromBase64String('${s}')) -Password (ConvertTo-SecureString -String '${s}' -AsPlainText -Force)`,
      `Connect-ExchangeOnline -CertificateFilePath c:\\x.pfx -CertificatePassword (ConvertTo-SecureString '${s}' -AsPlainText -Force) -Organization ${TENANT}`,
      `$pw = ConvertTo-SecureString "${s}" -AsPlainText -Force\nExport-ExchangeCertificate -Thumbprint AB -BinaryEncoded -Password $pw`,
      `New-InboundConnector -Name 'Inbound' -CertificatePassword '${s}' -ConnectorType OnPremises (((`,
    ])}`;
  },
  "environment value": (rng, s, stack) => {
    const cmd = rng.pick(stack.filter(isCommand));
    const name = rng.pick(["EXO_CERT_PASSWORD", "API_TOKEN", "CLIENT_SECRET", "PFX_DATA", "SMTP_KEY"]);
    cmd.props.environment = { ...(cmd.props.environment as object), [name]: s };
    cmd.props.create = `${String(cmd.props.create)}\n${rng.pick([
      `Connect-ExchangeOnline -CertificatePassword (ConvertTo-SecureString $env:${name} -AsPlainText -Force) -Organization ${TENANT}`,
      `Invoke-RestMethod -Uri https://graph.microsoft.com/v1.0/x -Headers @{ Authorization = "Bearer $env:${name}" }`,
      `Set-InboundConnector -Identity 'Inbound' -TlsSenderCertificateName $env:${name} -Comment "$env:${name}" (`,
    ])}`;
  },
  "connection credentials": (rng, s, stack) => {
    const remote = stack.find((r) => r.type === "command:remote:Command");
    if (!remote) return;
    const connection = remote.props.connection as Record<string, unknown>;
    Object.assign(connection, rng.pick([{ password: s }, { privateKey: fakePem("OPENSSH PRIVATE KEY", s) }, { privateKeyPassword: s, privateKey: fakePem("RSA PRIVATE KEY", s) }, { proxy: { host: "p", password: s } }]));
  },
  "PEM private key": (rng, s, stack) => {
    const cert = { urn: "urn:pulumi:test::mailflow::tls:index/selfSignedCert:SelfSignedCert::key-cert", name: "key-cert", type: CERTIFICATE_TYPES.selfSigned, props: { subject: { commonName: "x.contoso.com" }, privateKeyPem: fakePem("PRIVATE KEY", s) } };
    stack.push(cert);
    const cmd = rng.pick(stack.filter(isCommand));
    // A bundle under an innocent key: certificate and key together.
    cmd.props[rng.pick(["stdin", "bundle", "triggers"])] = rng.chance(0.5) ? `${PEMS().wildcardIdn}\n${fakePem("PRIVATE KEY", s)}` : `${fakePem("CERTIFICATE", s)}\n${fakePem("EC PRIVATE KEY", s)}`;
  },
  "PFX data": (rng, s, stack) => {
    stack.push({ urn: "urn:pulumi:test::mailflow::pulumi-nodejs:dynamic/mailflow:Certificate::pfx-cert", name: "pfx-cert", type: "pulumi-nodejs:dynamic/mailflow:Certificate", props: { subject: "CN=pfx.contoso.com", trust: "public", pfx: s, pfxPassword: s, [rng.pick(["data", "value"])]: s } });
  },
  "header hashtable": (rng, s, stack) => {
    const cmd = rng.pick(stack.filter(isCommand));
    cmd.props.create = `${String(cmd.props.create)}\n$headers = @{ 'Authorization' = 'Bearer ${s}'; 'X-Api-Key' = '${s}' }\nInvoke-WebRequest -Uri https://x.example -Headers $headers`;
  },
  "token in URL": (rng, s, stack) => {
    const cmd = rng.pick(stack.filter(isCommand));
    cmd.props.create = `${rng.pick([
      `$s = New-PSSession -ConfigurationName Microsoft.Exchange -ConnectionUri 'https://svc:${s}@${HOST}/PowerShell/?access_token=${s}' -Authentication Kerberos\nImport-PSSession $s`,
      `Invoke-RestMethod "https://api.example/hook?sig=${s}&token=${s}"`,
    ])}\n${String(cmd.props.create)}`;
  },
};

function secretsInput(rng: Rng): Pick<FuzzInput, "description" | "resources" | "secrets"> {
  const resources = rng.pick(BASE_STACKS)();
  const channels = Array.from({ length: rng.int(1, 3) }, () => rng.pick(Object.keys(SECRET_CHANNELS)));
  const secrets = channels.map((channel) => {
    const s = secret(rng);
    SECRET_CHANNELS[channel]!(rng, s, resources);
    return s;
  });
  // Sometimes the script around the secret is broken as well: a parse error must not quote it.
  if (rng.chance(0.3)) {
    const cmd = rng.pick(resources.filter(isCommand));
    cmd.props.create = SCRIPT_MUTATIONS[rng.pick(["delete a token", "remove a quote", "insert unicode"])]!(rng, String(cmd.props.create), 1);
  }
  return { description: `secrets in ${channels.join(", ")}`, resources, secrets };
}

// ---------------------------------------------------------------- unknowns

/** The props the pack reads, per resource type: an unknown there must be reported. */
const READ_PATHS: Record<string, RegExp> = {
  "command:local:Command": /^(create|update|interpreter(\.\d+)?|environment(\.[A-Z_]+)?)$/,
  "command:remote:Command": /^(create|update|connection|connection\.host|environment(\.[A-Z_]+)?)$/,
};
const isDescriptorOrCertificate = (type: string): boolean => type.startsWith("pulumi-nodejs:dynamic/mailflow:");

function unknownFor(value: unknown): string {
  if (Array.isArray(value)) return proxy.unknownArrayValue;
  if (typeof value === "boolean") return proxy.unknownBooleanValue;
  if (typeof value === "number") return proxy.unknownNumberValue;
  if (value !== null && typeof value === "object") return proxy.unknownObjectValue;
  return proxy.unknownStringValue;
}

function getPath(root: unknown, path: ReadonlyArray<string | number>): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], root);
}

function unknownsInput(rng: Rng): Pick<FuzzInput, "description" | "resources" | "unknownResources"> {
  const resources = dedicatedStack();
  // Scripts refer to deploy-time values through `environment`: those are read too.
  const exo = resources.find((r) => r.name === "exo-inbound")!;
  exo.props.environment = { ISSUED_NAME: "smtpo365.contoso.com", MAILFLOW_ORG: HOST };
  exo.props.create = `${String(exo.props.create)}\nSet-InboundConnector -Identity 'Inbound from 6fc3' -TlsSenderCertificateName $env:ISSUED_NAME`;
  const candidates = resources.flatMap((r) =>
    pathsOf(r.props)
      .filter((p) => (READ_PATHS[r.type]?.test(p.join(".")) ?? isDescriptorOrCertificate(r.type)))
      .map((p) => ({ r, p })),
  );
  const { r, p } = rng.pick(candidates);
  setPath(r.props, p, unknownFor(getPath(r.props, p)));
  return { description: `unknown ${r.name}.${dotted(p)}`, resources, unknownResources: [r.name] };
}

// ---------------------------------------------------------------- props nested > 64 levels

function nested(depth: number, leaf: unknown, rng: Rng): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = rng.chance(0.2) ? [v] : { [rng.pick(["a", "spec", "value", "items"])]: v };
  return v;
}

function deepPropsInput(rng: Rng): Pick<FuzzInput, "description" | "resources" | "secrets"> {
  const resources = rng.pick(BASE_STACKS)();
  const target = rng.pick(resources);
  const depth = rng.int(65, 100);
  const s = secret(rng);
  const leaves: Array<[string, unknown]> = [
    ["text", "smtpo365.contoso.com"],
    ["unknown", proxy.unknownStringValue],
    ["PEM certificate", PEMS().wildcardIdn],
    ["secret", s],
  ];
  const [leafName, leaf] = rng.pick(leaves);
  const key = rng.pick(["tags", "metadata", "triggers", "spec", "environment"]);
  target.props[key] = nested(depth, leaf, rng);
  const kept = resources.filter((r) => r === target || rng.chance(0.3));
  return { description: `${target.name}.${key} nested ${depth} levels to a ${leafName}`, resources: kept, secrets: leafName === "secret" ? [s] : [] };
}

// ---------------------------------------------------------------- entry point

const BLANK = { config: {}, secrets: [], unknownResources: [], configMutated: false };

/** Input `index` of the run seeded `seed`: families in turn, each input from its own seed. */
export function generateInput(seed: number, index: number, opts: GeneratorOptions = { scale: 1 }): FuzzInput {
  const family = FAMILIES[index % FAMILIES.length]!;
  const rng = mulberry32(inputSeed(seed, index));
  const made =
    family === "scripts"
      ? scriptsInput(rng, opts)
      : family === "certificates"
        ? certificatesInput(rng, opts)
        : family === "descriptors-config"
          ? descriptorsConfigInput(rng, opts)
          : family === "secrets"
            ? secretsInput(rng)
            : family === "unknowns"
              ? unknownsInput(rng)
              : deepPropsInput(rng);
  return { family, seed, index, ...BLANK, ...made };
}
