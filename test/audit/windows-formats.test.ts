/**
 * The same exports as PowerShell 7 writes them (UTF-8), as Windows PowerShell 5.1 writes them
 * (`ConvertTo-Json > file`: UTF-16LE with a BOM, CRLF, its layout, `\/Date()\/`, enums as numbers) and
 * as `Export-Clixml` files — one file per cmdlet docs/audit.md lists — give the same findings.
 * Encodings: https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_character_encoding
 * (Windows PowerShell's `>` and Out-File write "Unicode", UTF-16LE with a BOM; Export-Clixml's default
 * encoding is Unicode). Export-Clixml: https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/export-clixml
 */
import { beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { auditPaths, type AuditResult } from "../../src/audit/audit";
import { renderAuditFiles } from "../../src/audit/report-files";
import { loadExtractors } from "../../src/extractors";
import { WINDOWS_FIXTURES, windowsFixtures } from "../../scripts/windows-fixtures";
import { sarifValidator } from "../unit/support/sarif-schema";

const VARIANTS = ["utf8", "ps51", "clixml"] as const;
const CMDLETS = ["Get-AcceptedDomain", "Get-InboundConnector", "Get-OutboundConnector", "Get-SendConnector", "Get-ReceiveConnector", "Get-ExchangeCertificate", "Get-HybridConfiguration", "Get-TransportService"];
const results = new Map<string, AuditResult>();

beforeAll(async () => {
  await loadExtractors();
  for (const v of VARIANTS) results.set(v, await auditPaths([join(WINDOWS_FIXTURES, v)]));
});

const findingsOf = (r: AuditResult) => r.findings.map((f) => [f.ruleId, f.fingerprint, f.what, f.flow ?? ""]).sort();

describe("exports as Windows writes them", () => {
  it("the committed 5.1 and Export-Clixml twins are what scripts/windows-fixtures.ts writes (run it after changing utf8/)", () => {
    const stale = [...windowsFixtures()].filter(([file, bytes]) => !readFileSync(join(WINDOWS_FIXTURES, file)).equals(bytes)).map(([file]) => file);
    expect(stale).toEqual([]);
  });

  it("holds one export per cmdlet docs/audit.md lists, in each form", () => {
    const docs = readFileSync(join(__dirname, "..", "..", "docs", "audit.md"), "utf8");
    for (const cmdlet of CMDLETS) expect(docs).toContain(cmdlet);
    for (const v of VARIANTS) {
      const formats = results.get(v)!.inputs.filter((i) => i.status === "read").map((i) => i.format ?? "");
      for (const cmdlet of CMDLETS) expect(formats.some((f) => f.startsWith(cmdlet)), `${v}: ${cmdlet}`).toBe(true);
    }
  });

  it("the 5.1 files are UTF-16LE with a BOM, CRLF, 5.1's layout, \\/Date()\\/ and escaped angle brackets, and are read as such", () => {
    const bytes = readFileSync(join(WINDOWS_FIXTURES, "ps51", "on-premises", "Get-SendConnector.json"));
    expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    const text = bytes.subarray(2).toString("utf16le");
    expect(text).toContain('\r\n        "AddressSpaces":  [\r\n                              "smtp:contoso.mail.onmicrosoft.com;1"\r\n                          ],');
    expect(text).toContain("\\u003cI\\u003eCN=GeoTrust");
    expect(bytes.subarray(2).toString("utf16le", 0, 400)).not.toContain("\n\n");
    expect(readFileSync(join(WINDOWS_FIXTURES, "ps51", "on-premises", "Get-ExchangeCertificate.json")).toString("utf16le")).toContain('"NotAfter":  "\\/Date(1806537599000)\\/"');
    // One object is written bare by the pipeline, not as a list.
    expect(readFileSync(join(WINDOWS_FIXTURES, "ps51", "on-premises", "Get-HybridConfiguration.json")).toString("utf16le").slice(1, 2)).toBe("{");
    const ps51 = results.get("ps51")!;
    expect(new Set(ps51.inputs.map((i) => i.encoding))).toEqual(new Set(["UTF-16LE with BOM"]));
    expect(new Set(results.get("clixml")!.inputs.filter((i) => i.file.endsWith(".xml")).map((i) => i.encoding))).toEqual(new Set(["UTF-16LE with BOM"]));
  });

  it("give the same findings as their UTF-8 twins: R2, R3, R10 (through the gateway's smart hosts) and R11, nothing unreadable", () => {
    const utf8 = results.get("utf8")!;
    expect(utf8.findings.map((f) => f.ruleId).sort()).toEqual([
      "ambiguous-connector-grants-internal-trust",
      "internet-identity-matches-onpremises-connector",
      "tenant-domain-missing-from-hybrid-path",
      "wildcard-onpremises-certificate-name",
    ]);
    for (const v of ["ps51", "clixml"]) {
      expect(findingsOf(results.get(v)!), v).toEqual(findingsOf(utf8));
      expect(results.get(v)!.problems, v).toEqual([]);
      expect(results.get(v)!.coverage.gaps, v).toEqual([]);
    }
  });

  it("decodes Services from names, the flags number 5.1 writes (16, 27) and the Export-Clixml enum alike", () => {
    for (const v of VARIANTS) {
      const services = Object.fromEntries(results.get(v)!.model.certificates.filter((c) => c.thumbprint).map((c) => [c.label, c.services]));
      expect(services, v).toEqual({ Hybrid: ["SMTP"], "Microsoft Exchange": ["IMAP", "POP", "IIS", "SMTP"] });
    }
  });

  it("names what 5.1 wrote as a number Microsoft does not document, and reads it as unknown, not as unset", () => {
    const named = results.get("ps51")!.unverifiable.map((u) => `${u.property}: ${u.reason}`);
    expect(named).toEqual([
      expect.stringMatching(/^RootCAType: exported as the number 1, and Microsoft does not document the numbers of CertificateAuthorityType/),
      expect.stringMatching(/^TlsAuthLevel: exported as the number 4, and Microsoft does not document the numbers of TlsAuthLevel/),
    ]);
    expect(results.get("ps51")!.model.sendConnectors.find((s) => s.name.startsWith("Outbound to Office 365"))!.unknown).toContain("tlsAuthLevel");
    expect(results.get("utf8")!.unverifiable).toEqual([]);
    expect(results.get("clixml")!.unverifiable).toEqual([]);
  });

  it("every SARIF result of each form points at the export file and the line of the object, and validates", () => {
    for (const v of VARIANTS) {
      const [file] = renderAuditFiles(results.get(v)!, { sarif: "unused.sarif" });
      const log = JSON.parse(file!.text);
      const validate = sarifValidator();
      expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
      for (const r of log.runs[0].results) {
        const physical = r.locations[0].physicalLocation;
        expect(physical.artifactLocation.uri, v).toMatch(new RegExp(`^test/audit/fixtures/windows/${v}/.+\\.(json|xml)$`));
        expect(physical.region.startLine, v).toBeGreaterThan(0);
      }
    }
  });
});
