/**
 * `npm run bench:audit` (also the last part of `npm run bench`): an MSP's exports audited at once —
 * N tenants × 10 inbound/outbound connectors each (Get-InboundConnector / Get-OutboundConnector JSON,
 * one folder per tenant), plus on-premises Get-ExchangeCertificate exports — from text to findings.
 * Target (issue 13): 500 tenants and 2,000 certificates under 2 s, and doubling the input at most
 * 2.2× the time. Prints one line per size; exits non-zero when outside target.
 */
import { auditInputs, type AuditInput } from "../src/audit/audit";
import { loadExtractors } from "../src/extractors";

const TARGET_MS = 2000;
const TARGET_GROWTH = 2.2;

/** Tenant i: 7 partner and 3 OnPremises connectors (each with its own certificate name), its accepted domains. */
function tenantInputs(i: number): AuditInput[] {
  const tenant = `client${i}.onmicrosoft.com`;
  const inbound = Array.from({ length: 10 }, (_, k) => ({
    Name: `Inbound ${k}`,
    ConnectorType: k < 3 ? "OnPremises" : "Partner",
    SenderDomains: k < 3 ? ["smtp:*;1"] : [`smtp:partner${k}.client${i}.example;1`],
    TlsSenderCertificateName: `relay${k}.client${i}.example`,
    SenderIPAddresses: k < 3 ? [] : [`198.51.${i % 256}.${k}`],
    Enabled: true,
    RequireTls: true,
    CloudServicesMailEnabled: k === 0,
  }));
  const accepted = [
    { DomainName: tenant, DomainType: "Authoritative", InitialDomain: true },
    { DomainName: `client${i}.example`, DomainType: "Authoritative", InitialDomain: false, MatchSubDomains: true },
  ];
  return [
    { path: `${tenant}/Get-InboundConnector.json`, text: JSON.stringify(inbound), scope: { tenant } },
    { path: `${tenant}/Get-AcceptedDomain.json`, text: JSON.stringify(accepted), scope: { tenant } },
  ];
}

function certificateInputs(count: number): AuditInput {
  const certificates = Array.from({ length: count }, (_, c) => ({
    Thumbprint: c.toString(16).toUpperCase().padStart(40, "0"),
    Subject: `CN=relay${c % 3}.client${c % 500}.example`,
    Issuer: "CN=R11, O=Let's Encrypt, C=US",
    CertificateDomains: [`relay${c % 3}.client${c % 500}.example`],
    Services: "SMTP",
    IsSelfSigned: false,
    RootCAType: "ThirdParty",
    PSComputerName: `ex${c % 50}.msp.example`,
  }));
  return { path: "on-premises/Get-ExchangeCertificate.json", text: JSON.stringify(certificates), scope: {} };
}

function run(tenants: number, certificates: number): { ms: number; findings: number } {
  const inputs = [...Array.from({ length: tenants }, (_, i) => tenantInputs(i)).flat(), certificateInputs(certificates)];
  const start = performance.now();
  const result = auditInputs(inputs);
  return { ms: performance.now() - start, findings: result.findings.length };
}

async function main(): Promise<void> {
  await loadExtractors();
  run(20, 80); // warm-up
  let previous: number | undefined;
  let ok = true;
  for (const [tenants, certificates] of [[125, 500], [250, 1000], [500, 2000], [1000, 4000]] as const) {
    const { ms, findings } = run(tenants, certificates);
    const growth = previous ? ms / previous : undefined;
    const inTarget = (tenants !== 500 || ms < TARGET_MS) && (growth === undefined || growth <= TARGET_GROWTH);
    ok &&= inTarget;
    console.log(`audit ${tenants} tenants × 10 connectors, ${certificates} certificates: ${ms.toFixed(0)} ms, ${findings} findings${growth ? `, ×${growth.toFixed(2)} per doubling` : ""}${inTarget ? "" : "  OUTSIDE TARGET"}`);
    previous = ms;
  }
  if (!ok) process.exitCode = 1;
}

void main();
