/**
 * `audit --write-state`: the audited model written as a stack export of descriptor and command
 * resources reads back, through the pack's own extractors, into the same findings and flows.
 */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { auditInputs, auditPaths } from "../../src/audit/audit";
import { parseCli } from "../../src/audit/cli";
import { expectedAttributions, renderMatrix } from "../../src/audit/flows";
import { newInboundConnector, newOutboundConnector, newReceiveConnector, newSendConnector, stateOfModel } from "../../src/audit/state";
import { loadExtractors } from "../../src/extractors";

/** The parsed arguments, or the text a usage error prints. */
const parseArgs = (argv: string[]) => {
  const parsed = parseCli(argv, () => "0.0.0");
  return "run" in parsed ? parsed.run : parsed.print;
};


beforeAll(() => loadExtractors());

const fixture = (name: string) => join(__dirname, "fixtures", name);
const rulesOf = (r: { findings: Array<{ ruleId: string; severity: string }> }) => [...new Set(r.findings.map((f) => `${f.ruleId} (${f.severity})`))].sort();

describe("audit --write-state", () => {
  for (const seed of ["seed-000-msp-wildcard", "seed-003-gateway-self-signed", "seed-msxfaq-shared-wildcard", "msp-two-stacks"]) {
    it(`${seed}: the state reads back into the same findings and the same flows`, async () => {
      const exported = await auditPaths([fixture(seed)]);
      const state = JSON.stringify(stateOfModel(exported.model));
      const readBack = auditInputs([{ path: "state.json", text: state, scope: {} }]);
      expect(readBack.problems).toEqual([]);
      expect(exported.findings.length).toBeGreaterThan(0);
      expect(rulesOf(readBack)).toEqual(rulesOf(exported));
      expect(readBack.blocking).toBe(exported.blocking);
      expect(renderMatrix(expectedAttributions(readBack.model))).toBe(renderMatrix(expectedAttributions(exported.model)));
    });
  }

  it("writes seed 000 as descriptors and one command per tenant and per organisation", async () => {
    const state = stateOfModel((await auditPaths([fixture("seed-000-msp-wildcard")])).model) as { version: number; deployment: { resources: Array<{ urn: string; type: string }> } };
    expect(state.version).toBe(3);
    expect(state.deployment.resources.map((r) => r.urn.split("::").slice(2).join("::"))).toEqual([
      "pulumi:pulumi:Stack::mailflow-audit-audit",
      "pulumi-nodejs:dynamic/mailflow:Tenant::tenant-varunagroup.onmicrosoft.com",
      "pulumi-nodejs:dynamic/mailflow:Organization::organization-varunagroup",
      "pulumi-nodejs:dynamic/mailflow:Organization::organization-setebos-ag",
      "pulumi-nodejs:dynamic/mailflow:Gateway::gateway-varuna-gateway",
      "pulumi-nodejs:dynamic/mailflow:Certificate::certificate-3B1F0C2E9A4D5E6F708192A3B4C5D6E7F8091A2B",
      "command:local:Command::exo-varunagroup.onmicrosoft.com",
      "command:remote:Command::onprem-varunagroup",
    ]);
  });

  it("renders connectors as the cmdlets the pack reads, quoting every text", () => {
    expect(
      newInboundConnector({ tenant: "t", name: "From O'Brien", connectorType: "OnPremises", enabled: true, tlsSenderCertificateName: "*.contoso.com", senderIpAddresses: [], senderDomains: ["*"], treatMessagesAsInternal: false, associatedAcceptedDomains: [], unknown: [], provenance: [] }),
    ).toBe("New-InboundConnector -Name 'From O''Brien' -ConnectorType 'OnPremises' -SenderDomains '*' -TlsSenderCertificateName '*.contoso.com' -TreatMessagesAsInternal $false -Enabled $true");
    expect(
      newSendConnector({ org: "o", name: "Out", addressSpaces: ["*"], smartHosts: [], dnsRoutingEnabled: true, tlsCertificateName: { issuer: "CN=CA", subject: "CN=mail.contoso.com", raw: "<I>CN=CA<S>CN=mail.contoso.com" }, certificateIds: [], sourceTransportServers: [], enabled: false, egressIps: [], unknown: [], provenance: [] }),
    ).toBe("New-SendConnector -Name 'Out' -AddressSpaces '*' -DNSRoutingEnabled $true -TlsCertificateName '<I>CN=CA<S>CN=mail.contoso.com' -Enabled $false");
  });

  it("renders through the SDK: enum values in the schema's spelling (one PowerShell would refuse left out), empty lists as @(), -RequireTLS last", () => {
    const outbound = { tenant: "t", name: "To On-Premises", connectorType: "OnPremises" as const, enabled: true, recipientDomains: [], smartHosts: ["mail.contoso.com"], unknown: [], provenance: [] };
    expect(newOutboundConnector({ ...outbound, tlsSettings: "domainvalidation", useMxRecord: false })).toBe(
      "New-OutboundConnector -Name 'To On-Premises' -ConnectorType 'OnPremises' -RecipientDomains @() -SmartHosts 'mail.contoso.com' -UseMXRecord $false -TlsSettings 'DomainValidation' -Enabled $true",
    );
    expect(newOutboundConnector({ ...outbound, tlsSettings: "Strict; Remove-Item x" })).toBe("New-OutboundConnector -Name 'To On-Premises' -ConnectorType 'OnPremises' -RecipientDomains @() -SmartHosts 'mail.contoso.com' -Enabled $true");
    expect(
      newSendConnector({ org: "o", name: "Out", addressSpaces: ["*"], smartHosts: [], requireTls: true, tlsAuthLevel: "CertificateValidation", tlsCertificateName: { issuer: "CN=CA", subject: "CN=mail", raw: "" }, certificateIds: [], sourceTransportServers: ["ex01"], enabled: true, egressIps: [], unknown: [], provenance: [] }),
    ).toBe("New-SendConnector -Name 'Out' -AddressSpaces '*' -TlsCertificateName '<I>CN=CA<S>CN=mail' -TlsAuthLevel 'CertificateValidation' -SourceTransportServers 'ex01' -Enabled $true -RequireTLS $true");
    expect(newReceiveConnector({ org: "o", name: "Frontend", fqdn: "mail.contoso.com", tlsDomainCapabilities: [], unknown: [], provenance: [] })).toBe("New-ReceiveConnector -Name 'Frontend' -Fqdn 'mail.contoso.com'");
  });

  it("parses --write-state for audit only", () => {
    expect(parseArgs(["audit", "--write-state", "s.json", "x"])).toEqual({ command: "audit", json: false, format: "all", files: {}, paths: ["x"], state: "s.json" });
    expect(parseArgs(["audit", "--write-state"])).toMatch(/^mailflow-guard: --write-state needs a value \(file\)/);
    expect(parseArgs(["flows", "--write-state", "s.json", "x"])).toMatch(/^mailflow-guard: unknown option '--write-state' for `mailflow-guard flows`/);
  });
});
