/**
 * `npx mailflow-guard audit | flows | rules` as a user runs it: the real launcher (bin/mailflow-guard.cjs,
 * the compiled CLI in dist/) on fixture folders — exports as Windows PowerShell 5.1 and Export-Clixml
 * write them, a smart-hosted layout with a gateway whose certificate the HCW wildcard matches — with
 * the exact findings, exit codes, report files, flows, baseline and configuration a nightly job uses.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO } from "./harness";

const BIN = join(REPO, "bin", "mailflow-guard.cjs");
const WINDOWS = join("test", "audit", "fixtures", "windows");
const scratch = mkdtempSync(join(tmpdir(), "mailflow-guard-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function run(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const headings = (out: string): string[] => out.match(/^\[[^\]]+\] \S+ \(R\d+, \w+\)/gm) ?? [];
const NO_RAW = /[\u0000-\u0009\u000b-\u001f\uFFFD]/;

describe("mailflow-guard audit, the real binary", () => {
  it("reads the exports Windows PowerShell 5.1 wrote (UTF-16LE, CRLF, 5.1 layout) and reports R2, R3, R10 through the gateway's smart hosts, and R11: exit 1", () => {
    const r = run("audit", join(WINDOWS, "ps51"));
    expect(r.code).toBe(1);
    expect(headings(r.out)).toEqual([
      "[BLOCKED] ambiguous-connector-grants-internal-trust (R11, critical)",
      "[BLOCKED] internet-identity-matches-onpremises-connector (R2, critical)",
      "[BLOCKED] wildcard-onpremises-certificate-name (R3, high)",
      "[advisory] tenant-domain-missing-from-hybrid-path (R10, medium)",
    ]);
    expect(r.out).toContain("leaves through internet connector 'Internet via gateway' of contoso through smart host mx01.contoso.com, mx02.contoso.com (connector 'Internet' of contoso-gateway)");
    expect(r.out).toContain(`Found in: ${WINDOWS}/ps51/contoso.onmicrosoft.com/Get-InboundConnector.json:1 [0] 'Inbound from 9c2e41d7-5b60-4f2a-8d13-7e0f6a4b2c91'`);
    expect(r.out).toContain("  tenant contoso.onmicrosoft.com: 1 inbound connector, 1 outbound connector, 3 accepted domains");
    expect(r.out).toContain("9 files read, 0 skipped: 4 findings, 3 blocking, 0 waived, 2 values not verified, 0 input problems, 0 expected exports not read.");
    expect(r.out).not.toContain("pass it through the command's `environment`");
    expect(r.out).toMatch(/Could not verify TlsAuthLevel .*: exported as the number 4, .* Export it again with this field/);
    expect(NO_RAW.test(r.out + r.err)).toBe(false);
  });

  it("--json of the Export-Clixml twin: the one report format, the same findings, each located in its .xml file", () => {
    const r = run("audit", "--json", join(WINDOWS, "clixml"));
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out);
    expect(report.format).toBe("mailflow-guard-report/v2");
    expect(report.run.kind).toBe("audit");
    expect(report.verdict).toBe("blocked");
    expect(report.findings.map((f: { ruleId: string }) => f.ruleId).sort()).toEqual([
      "ambiguous-connector-grants-internal-trust",
      "internet-identity-matches-onpremises-connector",
      "tenant-domain-missing-from-hybrid-path",
      "wildcard-onpremises-certificate-name",
    ]);
    for (const f of report.findings) expect(f.resource.location.file).toMatch(/\.xml$/);
    expect(report.audit.inputs.filter((i: { encoding?: string }) => i.encoding === "UTF-16LE with BOM")).toHaveLength(8);
  });

  it("writes SARIF whose every result points at the export file and line; --fail-on none passes (exit 0)", () => {
    const sarif = join(scratch, "audit.sarif");
    const r = run("audit", "--fail-on", "none", "--sarif", sarif, join(WINDOWS, "utf8"));
    expect(r.code).toBe(0);
    const results = JSON.parse(readFileSync(sarif, "utf8")).runs[0].results;
    expect(results.map((x: { ruleId: string }) => x.ruleId).sort()).toEqual([
      "ambiguous-connector-grants-internal-trust",
      "internet-identity-matches-onpremises-connector",
      "tenant-domain-missing-from-hybrid-path",
      "wildcard-onpremises-certificate-name",
    ]);
    for (const x of results) expect(x.locations[0].physicalLocation).toMatchObject({ artifactLocation: { uri: expect.stringMatching(/^test\/audit\/fixtures\/windows\/utf8\//) }, region: { startLine: expect.any(Number) } });
  });

  it("a nightly job: yesterday's JSON as --baseline shows nothing new (exit 0); an exemption in --config waives R3", () => {
    const baseline = join(scratch, "baseline.json");
    expect(run("audit", "--json-file", baseline, join(WINDOWS, "utf8")).code).toBe(1);
    const again = run("audit", "--baseline", baseline, join(WINDOWS, "utf8"));
    expect(again.code).toBe(0);
    expect(headings(again.out)).toEqual([]);
    expect(again.out).toContain(`Baseline ${baseline}: 4 findings unchanged (not shown), 0 new findings, 0 findings gone since:`);
    const config = join(scratch, "config.json");
    writeFileSync(config, JSON.stringify({ all: "mandatory", "mailflow-inventory": { exemptions: [{ policy: "wildcard-onpremises-certificate-name", resource: "*Get-InboundConnector*", reason: "HCW re-run scheduled", expires: "2999-12-31" }] } }));
    const exempted = run("audit", "--config", config, join(WINDOWS, "utf8"));
    expect(exempted.code).toBe(1);
    expect(headings(exempted.out)).toEqual([
      "[BLOCKED] ambiguous-connector-grants-internal-trust (R11, critical)",
      "[BLOCKED] internet-identity-matches-onpremises-connector (R2, critical)",
      "[waived] wildcard-onpremises-certificate-name (R3, high)",
      "[BLOCKED] tenant-domain-missing-from-hybrid-path (R10, medium)",
    ]);
  });

  it("a cut-off UTF-16 export is named with its encoding, line and column, never its bytes (exit 3)", () => {
    const dir = join(scratch, "cut");
    const text = readFileSync(join(REPO, WINDOWS, "ps51", "on-premises", "Get-SendConnector.json"));
    rmSync(dir, { recursive: true, force: true });
    require("node:fs").mkdirSync(dir);
    writeFileSync(join(dir, "Get-SendConnector.json"), text.subarray(0, 301));
    const r = run("audit", dir);
    expect(r.code).toBe(3);
    // 150 characters: the cut falls inside the second name of the list.
    expect(r.out).toMatch(/^Input problem: .*Get-SendConnector\.json \(line 4, column 18\): not valid JSON \(UTF-16LE with BOM\): a text value is not closed \(a line break or the end of the file comes before its closing quote\)$/m);
    expect(NO_RAW.test(r.out + r.err)).toBe(false);
  });
});

describe("mailflow-guard flows and the command line, the real binary", () => {
  it("the matrix, picture and plan of the blocked gateway incident hold its wrong-tenant flow and the flow R10 names", () => {
    const matrix = run("flows", "--format", "matrix", join(WINDOWS, "ps51"));
    expect(matrix.code).toBe(0);
    expect(matrix.out).toContain("| contoso.com | internet to another Exchange Online tenant | Internet via gateway (contoso) → Internet (contoso-gateway) | none (not the sender's) | Incoming (recipient's tenant) | 203.0.113.25 |  |  | **WRONG TENANT**: originating in contoso.onmicrosoft.com by 'Inbound from 9c2e41d7-5b60-4f2a-8d13-7e0f6a4b2c91' |");
    expect(matrix.out).toContain("| contoso.com | internet to the sender's own tenant (contoso.onmicrosoft.com) | Internet via gateway (contoso) → Internet (contoso-gateway) | contoso.onmicrosoft.com | Originating | 203.0.113.25 |  |  | **NOT ON THE HYBRID PATH**:");
    const picture = run("flows", "--format", "mermaid", join(WINDOWS, "clixml")).out;
    expect(picture).toContain('org_contoso_gateway(["gateway contoso-gateway"])');
    expect(picture).toContain('-->|"WRONG TENANT"| tenant_contoso_onmicrosoft_com');
    expect(picture).toContain("stroke:#d00");
    const plan = run("flows", "--format", "pester", join(WINDOWS, "utf8")).out;
    expect(plan).toContain("$to = $OtherTenantRecipient");
    expect(plan).toContain("$InitialDomainRecipients['contoso.onmicrosoft.com']");
    expect(plan).toContain("# mailflow-guard predicts this test FAILS today: originating in contoso.onmicrosoft.com");
  });

  it("--help on stdout with exit 0, --version, rules, and the closest option for a typo (exit 2)", () => {
    const help = run("audit", "--help");
    expect([help.code, help.err]).toEqual([0, ""]);
    expect(help.out).toMatch(/^Usage: mailflow-guard audit \[options\] <file or folder>\.\.\./);
    expect(run("flows", "--help")).toMatchObject({ code: 0, err: "" });
    expect(run("--version").out.trim()).toBe(JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")).version);
    const listed = run("rules");
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/^tenant-domain-missing-from-hybrid-path\s+R10\s+medium\s+advisory\s+https:\/\/\S+tenant-domain-missing-from-hybrid-path\.md$/m);
    const typo = run("audit", "--baselien", "x.json", join(WINDOWS, "utf8"));
    expect(typo.code).toBe(2);
    expect(typo.err).toContain("unknown option '--baselien' for `mailflow-guard audit` (did you mean --baseline?)");
  });
});
