/** Building blocks of realistic hybrid set-ups, shared by the rule tables. */
import { certificateDescriptor, exo, gatewayDescriptor, onPrem, organizationDescriptor, tenantDescriptor, type TestResource } from "./stack";

export const connect = (tenant: string): string =>
  `Connect-ExchangeOnline -AppId $env:EXO_APP_ID -CertificateFilePath $env:EXO_CERT_PATH -Organization ${tenant} -ShowBanner:$false`;

export function tenant(initialDomain: string, acceptedDomains: string[], name = initialDomain.split(".")[0]!): TestResource {
  return tenantDescriptor(`tenant-${name}`, { initialDomain, acceptedDomains });
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { unknownStringValue } = require("@pulumi/policy/proxy") as { unknownStringValue: string };

/** A remote command whose Exchange server is only known at deploy time (its host is unknown in preview). */
export const withUnknownHost = (r: TestResource): TestResource => ({ ...r, props: { ...r.props, connection: { host: unknownStringValue, user: "svc", password: unknownStringValue } } });

/** A tenant whose every accepted domain is declared: "not an accepted domain" is known before the stack ends. */
export function completeTenant(initialDomain: string, acceptedDomains: string[], name = initialDomain.split(".")[0]!): TestResource {
  return tenantDescriptor(`tenant-${name}`, { initialDomain, acceptedDomains, acceptedDomainsComplete: true });
}

/** An Exchange Online command that makes an accepted domain match its subdomains too (Exchange Online allows it on InternalRelay domains only). */
export function matchSubDomains(resource: string, tenantId: string, domain: string): TestResource {
  return exo(resource, `${connect(tenantId)}\nSet-AcceptedDomain -Identity '${domain}' -DomainType InternalRelay -MatchSubDomains $true`);
}

/** EXO inbound connector as the Hybrid Configuration Wizard creates it. */
export function hcwInbound(resource: string, tenantId: string, tlsName: string, extra = ""): TestResource {
  return exo(
    resource,
    [
      connect(tenantId),
      `New-InboundConnector -Name "Inbound from 6fc3a33e-3ca2-4528-8e3c-75e5d4e9db76" -ConnectorType OnPremises -ConnectorSource HybridWizard \``,
      `  -SenderDomains 'smtp:*;1' -RequireTls $true -CloudServicesMailEnabled $true -TlsSenderCertificateName '${tlsName}'${extra}`,
    ].join("\n"),
  );
}

export function inbound(resource: string, tenantId: string, params: string): TestResource {
  return exo(resource, `${connect(tenantId)}\nNew-InboundConnector ${params}`);
}

/** On-prem hybrid Send connector to the tenant's coexistence domain, pinned to a certificate. */
export function hybridSend(resource: string, host: string, coexistence: string, certCn: string, issuer = "CN=GeoTrust TLS RSA CA G1, O=DigiCert Inc, C=US"): TestResource {
  return onPrem(
    resource,
    host,
    [
      `New-SendConnector -Name "Outbound to Office 365 - 6fc3a33e" -AddressSpaces "smtp:${coexistence};1" -CloudServicesMailEnabled $true \``,
      `  -RequireTLS $true -TlsAuthLevel DomainValidation -TlsDomain mail.protection.outlook.com -Fqdn ${certCn} \``,
      `  -TlsCertificateName "<I>${issuer}<S>CN=${certCn}"`,
    ].join("\n"),
  );
}

/** On-prem internet Send connector smart-hosting to a gateway. */
export function internetViaGateway(resource: string, host: string, smartHosts: string[]): TestResource {
  return onPrem(
    resource,
    host,
    `New-SendConnector -Internet -Name "Internet via gateway" -AddressSpaces "SMTP:*;1" -DNSRoutingEnabled $false -SmartHosts ${smartHosts.map((h) => `"${h}"`).join(",")}`,
  );
}

export function internetDirect(resource: string, host: string, fqdn: string, certCn: string, issuer = "CN=R11, O=Let's Encrypt, C=US"): TestResource {
  return onPrem(
    resource,
    host,
    `New-SendConnector -Internet -Name "Internet" -AddressSpaces "SMTP:*;1" -DNSRoutingEnabled $true -Fqdn ${fqdn} -TlsCertificateName "<I>${issuer}<S>CN=${certCn}"`,
  );
}

export const publicCert = (resource: string, cn: string, extra: Record<string, unknown> = {}): TestResource =>
  certificateDescriptor(resource, { subject: `CN=${cn}`, dnsNames: [cn], issuer: "CN=GeoTrust TLS RSA CA G1, O=DigiCert Inc, C=US", trust: "public", ...extra });

export function gateway(resource: string, props: Record<string, unknown>): TestResource {
  return gatewayDescriptor(resource, props);
}

export function organization(resource: string, props: Record<string, unknown>): TestResource {
  return organizationDescriptor(resource, props);
}
