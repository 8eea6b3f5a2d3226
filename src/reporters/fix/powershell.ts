/**
 * A proven plan as PowerShell to run against the live configuration, every value the model knows
 * filled in (issue 22): cmdlets through the SDK's own renderers, grouped by where they run (a tenant in
 * Exchange Online, an on-premises organisation's Exchange Management Shell, a gateway's own console, the
 * Microsoft 365 admin center). A value nobody declared is never invented: it is read where it lives
 * (`Get-ExchangeCertificate`) or named as a placeholder, and the placeholder is said.
 */
import { organizationById } from "../../engine/lookups";
import { pinIdentifier, type ConnectorRef, type ModelEdit } from "../../model/edits";
import type { MailFlowModel } from "../../model/types";
import { newInboundConnector, psQuote, setHybridConfiguration, setInboundConnector, setSendConnector } from "../../sdk/scripts";
import { psLiteral } from "./changes";

/** Where commands run: one heading each, in the order first needed. */
class Sections {
  private readonly order: string[] = [];
  private readonly lines = new Map<string, string[]>();

  add(heading: string, ...lines: string[]): void {
    if (!this.lines.has(heading)) {
      this.order.push(heading);
      this.lines.set(heading, []);
    }
    this.lines.get(heading)!.push(...lines);
  }

  text(): string {
    return this.order.flatMap((h) => [h, ...this.lines.get(h)!]).join("\n");
  }
}

const tenantHeading = (tenant: string): string => `Connect-ExchangeOnline -Organization ${psQuote(tenant)}`;

function orgHeading(model: MailFlowModel, org: string): { heading: string; gateway: boolean } {
  const o = organizationById(model, org);
  if (o?.kind === "gateway") return { heading: `# Gateway ${o.name} (not Exchange: in its own console)`, gateway: true };
  return { heading: `# On-premises ${o?.name ?? org} (Exchange Management Shell)`, gateway: false };
}

const FIELD_PARAMETERS: Record<string, string> = {
  tlsSenderCertificateName: "tlsSenderCertificateName",
  senderIpAddresses: "senderIpAddresses",
  cloudServicesMailEnabled: "cloudServicesMailEnabled",
  tlsAuthLevel: "tlsAuthLevel",
  fqdn: "fqdn",
  tlsCertificateName: "tlsCertificateName",
};

function setField(sections: Sections, model: MailFlowModel, ref: ConnectorRef, field: string, value: unknown): void {
  if (ref.kind === "inbound") {
    const args = field === "senderIpAddresses" ? { identity: ref.name, senderIpAddresses: value as string[] } : { identity: ref.name, [FIELD_PARAMETERS[field] ?? field]: value };
    sections.add(tenantHeading(ref.owner), setInboundConnector(args as Parameters<typeof setInboundConnector>[0]));
    return;
  }
  const { heading, gateway } = orgHeading(model, ref.owner);
  if (gateway) {
    sections.add(heading, `#   connector '${ref.name}': set ${field} to ${psLiteral(value)}`);
    return;
  }
  const args = field === "addressSpaces" ? { identity: ref.name, addressSpaces: value as string[] } : { identity: ref.name, [FIELD_PARAMETERS[field] ?? field]: value };
  sections.add(heading, setSendConnector(args as Parameters<typeof setSendConnector>[0]));
}

function edit(sections: Sections, model: MailFlowModel, e: ModelEdit, edits: readonly ModelEdit[]): void {
  switch (e.kind) {
    case "set-connector-field":
      return setField(sections, model, e.connector, e.field, e.value);
    case "pin-send-connector": {
      const { heading, gateway } = orgHeading(model, e.connector.owner);
      if (gateway) return sections.add(heading, `#   connector '${e.connector.name}': present the certificate for ${e.certificate.name} (and no other)`);
      if (e.certificate.issuer) {
        return sections.add(heading, setSendConnector({ identity: e.connector.name, tlsCertificateName: pinIdentifier(e.certificate).raw, fqdn: e.certificate.name }));
      }
      // The issuer is the CA's: read from the installed certificate, not invented.
      return sections.add(
        heading,
        `$c = Get-ExchangeCertificate | Where-Object { $_.Subject -eq ${psQuote(`CN=${e.certificate.name}`)} }`,
        `Set-SendConnector -Identity ${psQuote(e.connector.name)} -TlsCertificateName "<I>$($c.Issuer)<S>$($c.Subject)" -Fqdn ${psQuote(e.certificate.name)}`,
      );
    }
    case "add-certificate": {
      const { heading, gateway } = orgHeading(model, e.certificate.org);
      if (gateway) return sections.add(heading, `#   install a certificate for ${e.certificate.name} only, from a public CA`);
      return sections.add(
        heading,
        `New-ExchangeCertificate -GenerateRequest -SubjectName ${psQuote(`CN=${e.certificate.name}`)} -DomainName ${psQuote(e.certificate.name)} -PrivateKeyExportable $true`,
        `#   have a public CA issue it and import it (Import-ExchangeCertificate) on the servers that send hybrid mail; connectors pin it by -TlsCertificateName (not as the SMTP default)`,
      );
    }
    case "add-accepted-domain":
      // The tenant is named where its connectors are changed next; alone, here.
      return sections.add(`# Microsoft 365 admin center${edits.some((x) => x.kind === "set-connector-field" && x.connector.owner === e.tenant) ? "" : ` of ${e.tenant}`}: add and verify ${e.domain}`);
    case "remove-certificate-name": {
      const c = model.certificates.find((x) => x.id === e.certificate);
      const kept = c ? [c.subjectCN, ...c.sanDns].filter((n): n is string => !!n && n !== e.name.toLowerCase()) : [];
      return sections.add(`# Certificate '${c?.label ?? e.certificate}'`, `#   reissue it from its CA without ${e.name}${kept.length ? ` (names: ${[...new Set(kept)].join(", ")})` : ""}, and install it where the old one is`);
    }
    case "store-hybrid-certificate": {
      const { heading } = orgHeading(model, e.org);
      return sections.add(heading, setHybridConfiguration({ tlsCertificateName: e.identifier.raw }));
    }
    case "add-inbound-connector":
      return sections.add(tenantHeading(e.tenant), newInboundConnector({ name: e.name, connectorType: "OnPremises", senderDomains: ["*"], requireTls: true, tlsSenderCertificateName: e.tlsSenderCertificateName }));
  }
}

/** The plan's PowerShell: what to run, where, in the order the edits are made. */
export function planPowerShell(model: MailFlowModel, edits: readonly ModelEdit[]): string {
  const sections = new Sections();
  for (const e of edits) edit(sections, model, e, edits);
  return sections.text();
}
