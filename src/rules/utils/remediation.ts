/**
 * The dedicated-certificate fix, made concrete for one finding: a proposed certificate name that
 * collides with nothing in the model, then ready-to-run PowerShell (remediation snippets A–D of the
 * domain research, §7) and the Pulumi TypeScript change using this package's helpers.
 */
import { connectorsAccepting } from "../../engine/indexes";
import { organizationById, tenantById } from "../../engine/lookups";
import { certificateNames } from "../../engine/names";
import type { Remediation } from "../../findings/types";
import { lower } from "../../model/normalize";
import type { CertificateIdentifier, InboundConnector, MailFlowModel, SendConnector } from "../../model/types";
import { connectExchangeOnline, newAcceptedDomain, newInboundConnector, psQuote, setHybridConfiguration, setInboundConnector, setSendConnector } from "../../sdk/scripts";
import { internetIdentityNames } from "./internet-identity";
import { hybridPresentations } from "./support";

/**
 * How a program imports this package's helpers: the compiled SDK, by package name, after installing
 * the pack (README, "Install").
 */
export const SDK_IMPORT = `import * as mailflow from "mailflow-guard/sdk"; // this pack's SDK (npm install the pack)`;

// PowerShell is rendered by the SDK's own renderers (what a user's program would run); the Pulumi
// snippets are TypeScript text calling them, type-checked against the SDK by a unit test.
const tsQuote = (s: string): string => JSON.stringify(s);

/** Every host name already in use: certificate CN/SAN, connector FQDNs, servers. */
const namesInUseCache = new WeakMap<MailFlowModel, { exact: Set<string> }>();

function namesInUse(model: MailFlowModel): { exact: Set<string> } {
  const cached = namesInUseCache.get(model);
  if (cached) return cached;
  const exact = new Set<string>();
  for (const c of model.certificates) for (const n of certificateNames(c)) exact.add(n);
  for (const s of model.sendConnectors) if (s.fqdn) exact.add(s.fqdn);
  for (const o of model.organizations) for (const s of o.servers) exact.add(s);
  const result = { exact };
  namesInUseCache.set(model, result);
  return result;
}

/** The tenant's mail domain to put a dedicated host name under. */
export function tenantMailDomain(model: MailFlowModel, tenantId: string, hint?: string): string {
  if (hint) {
    const base = lower(hint).replace(/^\*\./, "");
    const parts = base.split(".");
    // mx01.contoso.com → contoso.com; contoso.com stays.
    return parts.length > 2 ? parts.slice(1).join(".") : base;
  }
  const tenant = tenantById(model, tenantId);
  const custom = tenant?.acceptedDomains.find((d) => !d.name.endsWith(".onmicrosoft.com"));
  return custom?.name ?? tenant?.initialDomain ?? "contoso.com";
}

/**
 * The name of a certificate the model already uses only on the hybrid path to `tenant` (no internet
 * connector presents it): the fix then is to trust exactly that name, not to buy a new certificate.
 */
export function existingDedicatedHybridName(model: MailFlowModel, tenant: string): string | undefined {
  const internetNames = new Set(internetIdentityNames(model).map((n) => n.name));
  const dedicated = hybridPresentations(model).find(
    ({ tenant: t, certificate: c }) => t === tenant && c.subjectCN && !c.subjectCN.startsWith("*.") && certificateNames(c).every((n) => !internetNames.has(n)),
  );
  return dedicated?.certificate.subjectCN;
}

/**
 * A host name for a dedicated hybrid certificate under `domain` that no certificate, server or
 * connector in the model uses, and that no other tenant's OnPremises connector would match.
 */
export function proposeDedicatedName(model: MailFlowModel, domain: string, ownTenant?: string): string {
  const existing = ownTenant ? existingDedicatedHybridName(model, ownTenant) : undefined;
  if (existing && existing.endsWith(domain)) return existing;
  const { exact } = namesInUse(model);
  const candidates = ["smtpo365", "hybrid", "hybrid-mail", "exo-hybrid"].map((h) => `${h}.${domain}`);
  for (let i = 2; i < 50; i++) candidates.push(`hybrid${i}.${domain}`);
  return (
    candidates.find((c) => !exact.has(c) && !connectorsAccepting(model, c).some((ic) => ic.tenant !== ownTenant)) ?? `hybrid-${domain}`
  );
}

/** Snippet B: exact TlsSenderCertificateName on the EXO inbound connector, after the name is an accepted domain. */
export function exactInboundNameFix(model: MailFlowModel, ic: InboundConnector, hint?: string): Remediation {
  const domain = tenantMailDomain(model, ic.tenant, hint ?? ic.tlsSenderCertificateName);
  const name = proposeDedicatedName(model, domain, ic.tenant);
  const organization = ic.tenant.endsWith(".onmicrosoft.com") ? ic.tenant : `<tenant>.onmicrosoft.com`;
  return {
    summary:
      `Give the hybrid path its own certificate ${name} (public CA, no other names), add ${name} as an accepted domain ` +
      `of ${ic.tenant}, then set connector '${ic.name}' to exactly ${name}; keep every internet-facing server on a different certificate.`,
    powershell: [
      `# Exchange Online (${ic.tenant})`,
      connectExchangeOnline({ organization }),
      `Get-AcceptedDomain ${psQuote(name)}   # must exist first (verify ${name} in Microsoft 365)`,
      setInboundConnector({ identity: ic.name, tlsSenderCertificateName: name }),
      `# On-premises (Exchange Management Shell): pin the hybrid Send connector to the dedicated certificate`,
      `$h = Get-ExchangeCertificate | Where-Object { $_.Subject -eq 'CN=${name}' }`,
      `Set-SendConnector -Identity 'Outbound to Office 365 - <GUID>' -TlsCertificateName "<I>$($h.Issuer)<S>$($h.Subject)" -Fqdn ${name}`,
      `Set-HybridConfiguration -TlsCertificateName "<I>$($h.Issuer)<S>$($h.Subject)"`,
    ].join("\n"),
    pulumi: [
      SDK_IMPORT,
      // exchangeOnlineCommand connects and sets $ErrorActionPreference itself: the script is the change only.
      `mailflow.exchangeOnlineCommand(${tsQuote(`${lower(ic.name).replace(/[^a-z0-9]+/g, "-")}-exact-name`)}, {`,
      `    organization: ${tsQuote(organization)},`,
      `    script: mailflow.setInboundConnector({ identity: ${tsQuote(ic.name)}, tlsSenderCertificateName: ${tsQuote(name)} }),`,
      `});`,
    ].join("\n"),
  };
}

/** Snippet A: a dedicated hybrid certificate pinned on the hybrid connector, the internet connector on another one. */
export function dedicatedCertificateFix(
  model: MailFlowModel,
  hybrid: SendConnector | undefined,
  internet: SendConnector,
  tenantId: string,
  hint?: string,
  inboundConnector = "Inbound from <GUID>",
): Remediation {
  const domain = tenantMailDomain(model, tenantId, hint);
  const name = proposeDedicatedName(model, domain, tenantId);
  const hybridName = hybrid?.name ?? "Outbound to Office 365 - <GUID>";
  const internetHost = internet.fqdn ?? `mx01.${domain}`;
  // A third-party gateway is not Exchange: say what to configure there instead of a cmdlet.
  const gatewayOf = (s: SendConnector | undefined) => {
    const org = s ? organizationById(model, s.org) : undefined;
    return org?.kind === "gateway" ? org : undefined;
  };
  const hybridGateway = gatewayOf(hybrid);
  const internetGateway = gatewayOf(internet);
  const hybridLines = hybridGateway
    ? [`# Gateway ${hybridGateway.name} (not Exchange): make its connector '${hybridName}' present a dedicated, publicly trusted certificate for ${name} only`]
    : [
        `# On-premises (Exchange Management Shell)`,
        `$h = Get-ExchangeCertificate | Where-Object { $_.Subject -eq 'CN=${name}' }   # CN/SAN = ${name} only, public CA`,
        `$hn = "<I>$($h.Issuer)<S>$($h.Subject)"`,
        `Set-SendConnector -Identity ${psQuote(hybridName)} -TlsCertificateName $hn -Fqdn ${name}`,
        `Set-HybridConfiguration -TlsCertificateName $hn`,
      ];
  const internetLines = internetGateway
    ? [`# Gateway ${internetGateway.name} (not Exchange): make its connector '${internet.name}' present its own certificate (${internetHost}), without ${name} in its names`]
    : [
        ...(hybridGateway ? [`# On-premises (Exchange Management Shell)`] : []),
        `$i = Get-ExchangeCertificate | Where-Object { $_.Subject -eq 'CN=${internetHost}' }`,
        `Set-SendConnector -Identity ${psQuote(internet.name)} -TlsCertificateName "<I>$($i.Issuer)<S>$($i.Subject)" -Fqdn ${internetHost}`,
      ];
  const pulumi = hybridGateway
    ? [
        SDK_IMPORT,
        `// In the mailflow.Gateway descriptor of ${hybridGateway.name}, its connectors: the hybrid connector presents the dedicated certificate.`,
        `const hybridConnector: mailflow.GatewayConnectorArgs = {`,
        `    name: ${tsQuote(hybridName)}, addressSpaces: ${JSON.stringify(hybrid?.addressSpaces.length ? hybrid.addressSpaces : [`${tenantId.replace(/\.onmicrosoft\.com$/, "")}.mail.onmicrosoft.com`])},`,
        `    certificate: { subject: ${tsQuote(`CN=${name}`)}, dnsNames: [${tsQuote(name)}], trust: "public" },`,
        `};`,
      ]
    : [
        SDK_IMPORT,
        `mailflow.onPremisesCommand("hybrid-send-connector", {`,
        `    connection: exchangeServer,`,
        `    script: mailflow.setSendConnector({`,
        `        identity: ${tsQuote(hybridName)},`,
        `        fqdn: ${tsQuote(name)},`,
        `        tlsCertificateName: { issuer: "<issuer of ${name}>", subject: ${tsQuote(`CN=${name}`)} },`,
        `    }),`,
        `});`,
      ];
  return {
    summary:
      `Use a dedicated, publicly trusted certificate ${name} only for the hybrid connector '${hybridName}' and pin it there; ` +
      `keep '${internet.name}' (${internet.org}) on its own certificate ${internetHost} without ${name} in its names.`,
    powershell: [
      ...hybridLines,
      ...internetLines,
      `# Exchange Online (${tenantId}), after ${name} is an accepted domain`,
      setInboundConnector({ identity: inboundConnector, tlsSenderCertificateName: name }),
    ].join("\n"),
    pulumi: pulumi.join("\n"),
  };
}

/** Snippet C: one on-premises organisation, one certificate and one Send connector per tenant. */
export function perTenantCertificateFix(model: MailFlowModel, tenants: readonly string[]): Remediation {
  const lines: string[] = ["# On-premises (Exchange Management Shell): one Send connector and one certificate per tenant"];
  const pulumi: string[] = [SDK_IMPORT];
  for (const t of tenants) {
    const name = proposeDedicatedName(model, tenantMailDomain(model, t), t);
    const coexistence = tenantById(model, t)?.coexistenceDomain ?? t.replace(/\.onmicrosoft\.com$/, ".mail.onmicrosoft.com");
    lines.push(
      `$c = Get-ExchangeCertificate | Where-Object { $_.Subject -eq 'CN=${name}' }`,
      `New-SendConnector -Name ${psQuote(`Hybrid to ${t}`)} -AddressSpaces ${psQuote(`SMTP:${coexistence};1`)} -DNSRoutingEnabled $true \``,
      `  -RequireTLS $true -TlsAuthLevel DomainValidation -TlsDomain mail.protection.outlook.com -CloudServicesMailEnabled $true \``,
      `  -Fqdn ${name} -TlsCertificateName "<I>$($c.Issuer)<S>$($c.Subject)"`,
      `#   and in ${t}: Set-InboundConnector -Identity 'Inbound from <GUID>' -TlsSenderCertificateName ${name}`,
    );
    pulumi.push(
      `mailflow.onPremisesCommand(${tsQuote(`hybrid-to-${t.split(".")[0]}`)}, { connection: exchangeServer, script: mailflow.newSendConnector({`,
      `    name: ${tsQuote(`Hybrid to ${t}`)}, addressSpaces: [${tsQuote(coexistence)}], fqdn: ${tsQuote(name)},`,
      `    tlsCertificateName: { issuer: "<issuer>", subject: ${tsQuote(`CN=${name}`)} }, cloudServicesMailEnabled: true,`,
      `    requireTls: true, tlsAuthLevel: "DomainValidation", tlsDomain: "mail.protection.outlook.com" }) });`,
    );
  }
  return {
    summary: `Give each tenant (${tenants.join(", ")}) its own client certificate and its own Send connector, and an exact TlsSenderCertificateName in each tenant.`,
    powershell: lines.join("\n"),
    pulumi: pulumi.join("\n"),
  };
}

/**
 * Multi-forest (R9): one certificate per forest with a distinct name under the tenant's domain, and
 * one OnPremises inbound connector per forest trusting exactly that name.
 */
export function perForestCertificateFix(model: MailFlowModel, tenantId: string, forests: readonly SendConnector[]): Remediation {
  const domain = tenantMailDomain(model, tenantId);
  const { exact } = namesInUse(model);
  const taken = new Set<string>();
  const named = forests.map((s, k) => {
    // A forest named after a server (ex01.forest-a.example) goes by its domain's first label (forest-a).
    const labels = lower(organizationById(model, s.org)?.name ?? s.org).split(".");
    const slug = (labels.length > 2 ? labels[1]! : labels[0]!).replace(/[^a-z0-9-]+/g, "-");
    const candidates = [`hybrid-${slug}.${domain}`, ...Array.from({ length: 20 }, (_, i) => `hybrid-${slug}${i + 2}.${domain}`)];
    const name = candidates.find((c) => !exact.has(c) && !taken.has(c)) ?? `hybrid-${slug}-forest${k + 1}.${domain}`;
    taken.add(name);
    return { s, name, slug };
  });
  const powershell: string[] = [];
  const pulumi: string[] = [SDK_IMPORT];
  for (const { s, name, slug } of named) {
    powershell.push(
      `# Forest ${s.org} (Exchange Management Shell): its own certificate, CN/SAN = ${name} only, public CA`,
      `$c = Get-ExchangeCertificate | Where-Object { $_.Subject -eq 'CN=${name}' }`,
      `Set-SendConnector -Identity ${psQuote(s.name)} -TlsCertificateName "<I>$($c.Issuer)<S>$($c.Subject)" -Fqdn ${name}`,
    );
    pulumi.push(
      `mailflow.onPremisesCommand(${tsQuote(`hybrid-send-${slug}`)}, { connection: exchangeServer /* of ${s.org} */, script: mailflow.setSendConnector({`,
      `    identity: ${tsQuote(s.name)}, fqdn: ${tsQuote(name)}, tlsCertificateName: { issuer: "<issuer>", subject: ${tsQuote(`CN=${name}`)} } }) });`,
    );
  }
  powershell.push(`# Exchange Online (${tenantId}): one OnPremises inbound connector per forest, each name an accepted domain first`);
  // exchangeOnlineCommand adds the connection and $ErrorActionPreference itself: the script is the statements only.
  pulumi.push(`mailflow.exchangeOnlineCommand("inbound-per-forest", { organization: ${tsQuote(tenantId)}, script: [`);
  for (const { s, name } of named) {
    powershell.push(newInboundConnector({ name: `Inbound from ${s.org}`, connectorType: "OnPremises", senderDomains: ["*"], requireTls: true, tlsSenderCertificateName: name }));
    pulumi.push(`    mailflow.newInboundConnector({ name: ${tsQuote(`Inbound from ${s.org}`)}, connectorType: "OnPremises", senderDomains: ["*"], requireTls: true, tlsSenderCertificateName: ${tsQuote(name)} }),`);
  }
  pulumi.push(`].join("\\n") });`);
  return {
    summary: `Give each forest its own certificate (${named.map((n) => `${n.name} for ${n.s.org}`).join(", ")}) and one OnPremises inbound connector per forest in ${tenantId} trusting exactly that name.`,
    powershell: powershell.join("\n"),
    pulumi: pulumi.join("\n"),
  };
}

/** Snippet D: move an IP-based OnPremises connector to a certificate. */
export function ipToCertificateFix(model: MailFlowModel, ic: InboundConnector): Remediation {
  const name = proposeDedicatedName(model, tenantMailDomain(model, ic.tenant), ic.tenant);
  return {
    summary: `Replace IP-based connector '${ic.name}' with a certificate-based OnPremises connector on a dedicated certificate ${name} (an accepted domain of ${ic.tenant}), verify with message trace, then remove the IP-based one.`,
    powershell: [
      newInboundConnector({ name: `${ic.name} (certificate)`, connectorType: "OnPremises", senderDomains: ["*"], requireTls: true, tlsSenderCertificateName: name }),
      `#   wait for propagation (about an hour) and verify with message trace, then:`,
      `Remove-InboundConnector -Identity ${psQuote(ic.name)} -Confirm:$false`,
    ].join("\n"),
    pulumi: [
      SDK_IMPORT,
      `mailflow.exchangeOnlineCommand("inbound-by-certificate", {`,
      `    organization: ${tsQuote(ic.tenant)},`,
      `    script: mailflow.newInboundConnector({ name: ${tsQuote(`${ic.name} (certificate)`)}, connectorType: "OnPremises", senderDomains: ["*"], requireTls: true, tlsSenderCertificateName: ${tsQuote(name)} }),`,
      `});`,
    ].join("\n"),
  };
}

/** R10: the tenant's missing domains added to the hybrid Send connector and as InternalRelay accepted domains on-premises. */
export function addressSpacesFix(hybrid: SendConnector, covered: readonly string[], missing: readonly string[]): Remediation {
  return {
    summary: `Add ${missing.join(", ")} to the hybrid Send connector's address spaces and as an InternalRelay accepted domain on-premises.`,
    powershell: [
      setSendConnector({ identity: hybrid.name, addressSpaces: { add: [...missing] } }),
      ...missing.map((d) => newAcceptedDomain({ name: d, domainName: d, domainType: "InternalRelay" })),
    ].join("\n"),
    pulumi: [
      SDK_IMPORT,
      `mailflow.onPremisesCommand("hybrid-address-spaces", { connection: exchangeServer,`,
      `    script: mailflow.setSendConnector({ identity: ${tsQuote(hybrid.name)}, addressSpaces: ${JSON.stringify([...covered, ...missing])} }) });`,
    ].join("\n"),
  };
}

/** R12: store the hybrid connector's certificate in the hybrid configuration, so the next HCW run keeps it. */
export function storedHybridCertificateFix(certificate: CertificateIdentifier): Remediation {
  const identifier = { issuer: certificate.issuer, subject: certificate.subject };
  return {
    summary: `Store the hybrid connector's certificate in the hybrid configuration.`,
    powershell: setHybridConfiguration({ tlsCertificateName: identifier }),
    pulumi: [
      SDK_IMPORT,
      `mailflow.onPremisesCommand("hybrid-configuration", { connection: exchangeServer,`,
      `    script: mailflow.setHybridConfiguration({ tlsCertificateName: { issuer: ${tsQuote(identifier.issuer)}, subject: ${tsQuote(identifier.subject)} } }) });`,
    ].join("\n"),
  };
}
