import { beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { auditInputs, auditPaths } from "../../src/audit/audit";
import { exitCodeOf } from "../../src/audit/render";
import { auditJsonReport } from "../../src/audit/report-files";
import { parseCli } from "../../src/audit/cli";
import { loadExtractors } from "../../src/extractors";
import { readExport } from "../../src/extractors/exports";

/** The parsed arguments, or the text a usage error prints. */
const parseArgs = (argv: string[]) => {
  const parsed = parseCli(argv, () => "0.0.0");
  return "run" in parsed ? parsed.run : parsed.print;
};


const fixture = (name: string) => join(__dirname, "fixtures", name);
const rulesOf = (r: { findings: Array<{ ruleId: string }> }) => [...new Set(r.findings.map((f) => f.ruleId))].sort();

beforeAll(() => loadExtractors());

describe("mailflow-guard audit: the seed incidents as exports", () => {
  it("seed 000 (EXO + on-premises JSON + gateway configuration) gives the pack's preview findings", async () => {
    const r = await auditPaths([fixture("seed-000-msp-wildcard")]);
    expect(rulesOf(r)).toEqual(["ambiguous-connector-grants-internal-trust", "internet-identity-matches-onpremises-connector", "wildcard-onpremises-certificate-name"]);
    expect(r.problems).toEqual([]);
    expect(exitCodeOf(r)).toBe(1);
    const r2 = r.findings.find((f) => f.ruleId === "internet-identity-matches-onpremises-connector")!;
    expect(r2.flow).toContain("is attributed to tenant varunagroup.onmicrosoft.com by that connector");
  });

  it("seed 003 (ScubaGear ProviderSettingsExport.json) gives the pack's preview findings", async () => {
    const r = await auditPaths([fixture("seed-003-gateway-self-signed")]);
    expect(rulesOf(r)).toEqual(["internet-identity-matches-onpremises-connector", "shared-certificate-hybrid-and-internet", "untrusted-certificate-on-hybrid-path"]);
  });

  it("the msxfaq seed (Microsoft365DSC .ps1 + on-premises JSON) gives the pack's preview findings", async () => {
    const r = await auditPaths([fixture("seed-msxfaq-shared-wildcard")]);
    expect(rulesOf(r)).toEqual([
      "ambiguous-connector-grants-internal-trust",
      "internet-identity-matches-onpremises-connector",
      "shared-certificate-hybrid-and-internet",
      "wildcard-onpremises-certificate-name",
    ]);
  });
});

describe("an MSP's client stacks", () => {
  it("each stack export alone is clean", async () => {
    for (const stack of ["fabrikam", "tailspin"]) {
      const r = await auditPaths([join(fixture("msp-two-stacks"), `${stack}.stack.json`)]);
      expect(r.findings).toEqual([]);
      expect(exitCodeOf(r)).toBe(0);
    }
  });

  it("both together are blocked for R5, naming both tenants", async () => {
    const r = await auditPaths([fixture("msp-two-stacks")]);
    expect(rulesOf(r)).toEqual(["ambiguous-tenant-across-connectors"]);
    expect(r.findings[0]!.what).toContain("fabrikam.onmicrosoft.com");
    expect(r.findings[0]!.what).toContain("tailspin.onmicrosoft.com");
    expect(exitCodeOf(r)).toBe(1);
  });

  it("never prints a secret of the stack export", async () => {
    const r = await auditPaths([fixture("msp-two-stacks")]);
    expect(JSON.stringify(auditJsonReport(r))).not.toContain("v1:abc");
  });
});

describe("export readers", () => {
  it("reads Get-InboundConnector fields as the cmdlet emits them, tenant from OrganizationalUnitRoot", () => {
    const read = readExport("in.json", JSON.stringify({ Name: "A", ConnectorType: "onpremises", SenderDomains: ["smtp:*;1"], TlsSenderCertificateName: "mail.contoso.com", SenderIPAddresses: [], Enabled: true, OrganizationalUnitRoot: "contoso.onmicrosoft.com", Unrelated: 1 }));
    expect(read.problems).toEqual([]);
    expect(read.facts).toEqual([
      expect.objectContaining({ kind: "inbound-connector", identity: "A", tenant: "contoso.onmicrosoft.com", unknown: [], fields: { connectorType: "OnPremises", enabled: true, tlsSenderCertificateName: "mail.contoso.com", senderIpAddresses: [], senderDomains: ["smtp:*;1"] } }),
    ]);
  });

  it("names a field the export lacks as unverifiable", () => {
    const read = readExport("in.json", JSON.stringify([{ Name: "A", ConnectorType: "OnPremises", SenderDomains: ["smtp:*;1"], TlsSenderCertificateName: "x.contoso.com", SenderIPAddresses: [] }]));
    const missing = read.facts.filter((f) => f.kind === "unverifiable").map((f) => f.kind === "unverifiable" && [f.item.property, f.item.reason]);
    expect(missing).toEqual([["Enabled", "the Get-InboundConnector export has no Enabled field"]]);
  });

  it("a malformed file is one problem with file and line; the other inputs are still audited", () => {
    const problems: never[] = [];
    const r = auditInputs(
      [
        { path: "broken.json", text: '[\n  { "Name": "A",\n  }\n]', scope: {} },
        { path: "contoso.onmicrosoft.com/in.json", text: JSON.stringify({ Name: "W", ConnectorType: "OnPremises", TlsSenderCertificateName: "*.contoso.com", SenderDomains: ["smtp:*;1"], SenderIPAddresses: [], Enabled: true }), scope: { tenant: "contoso.onmicrosoft.com" } },
      ],
      problems,
    );
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]!.file).toBe("broken.json");
    expect(r.problems[0]!.place).toBe("line 3, column 3");
    expect(rulesOf(r)).toContain("wildcard-onpremises-certificate-name");
    expect(r.model.inboundConnectors.map((c) => c.tenant)).toEqual(["contoso.onmicrosoft.com"]);
  });

  it("a file of unrecognised objects is a problem naming the place", () => {
    const read = readExport("x.json", JSON.stringify([{ Foo: 1 }]));
    expect(read.problems.map((p) => [p.file, p.place])).toEqual([["x.json", "[0], line 1"]]);
  });
});

describe("cli arguments", () => {
  it("parses audit --json and paths; refuses unknown options", () => {
    expect(parseArgs(["audit", "--json", "a", "b"])).toEqual({ command: "audit", json: true, format: "json", files: {}, paths: ["a", "b"] });
    expect(parseArgs(["audit", "--sarif", "out.sarif", "--markdown", "out.md", "a"])).toEqual({ command: "audit", json: false, format: "all", files: { sarif: "out.sarif", markdown: "out.md" }, paths: ["a"] });
    expect(parseArgs(["audit", "--sarif", "--json", "a"])).toMatch(/^mailflow-guard: --sarif needs a value \(file\)/);
    expect(parseArgs(["flows", "--sarif", "out.sarif", "a"])).toMatch(/^mailflow-guard: unknown option '--sarif' for `mailflow-guard flows`/);
    expect(parseArgs(["audit"])).toMatch(/^mailflow-guard: no file or folder given/);
  });
});

describe("Microsoft365DSC", () => {
  const dsc = (body: string) => `Configuration M365TenantConfig\n{\n    Node localhost\n    {\n${body}\n    }\n}\n`;

  it("reads literal properties, names a non-literal one, never reads the credential, skips Ensure = Absent", () => {
    const read = readExport(
      "contoso.onmicrosoft.com/M365TenantConfig.ps1",
      dsc(`        EXOInboundConnector "A"
        {
            Identity = "A";
            ConnectorType = "OnPremises";
            SenderDomains = @("smtp:*;1");
            SenderIPAddresses = @();
            Enabled = $True;
            TlsSenderCertificateName = $CertName;
            Credential = $Credscredential;
        }
        EXOInboundConnector "Gone"
        {
            Identity = "Gone";
            ConnectorType = "OnPremises";
            Ensure = "Absent";
        }`),
      { tenant: "contoso.onmicrosoft.com" },
    );
    const connectors = read.facts.filter((f) => f.kind === "inbound-connector");
    expect(connectors).toEqual([
      expect.objectContaining({ identity: "A", tenant: "contoso.onmicrosoft.com", fields: { connectorType: "OnPremises", enabled: true, senderIpAddresses: [], senderDomains: ["smtp:*;1"] }, unknown: ["tlsSenderCertificateName"] }),
    ]);
    const unverifiable = read.facts.flatMap((f) => (f.kind === "unverifiable" ? [[f.item.property, f.item.reason]] : []));
    expect(unverifiable).toEqual([
      ["TlsSenderCertificateName", "not a literal value in the configuration"],
      ["TlsSenderCertificateName", "the M365DSC EXOInboundConnector export has no TlsSenderCertificateName field"],
    ]);
  });
});
