/**
 * The audit as a nightly CI tool: the pack's configuration (levels, exemptions with expiry,
 * inventory) applies to it, --fail-on sets the threshold, --baseline shows only what is new and names
 * what went away, every input is read or named, and the command line follows the conventions of the
 * scanners teams know (util.parseArgs).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { auditPaths } from "../../src/audit/audit";
import { main } from "../../src/audit/cli";
import { baselineOf } from "../../src/audit/policy";
import { exitCodeOf, renderText } from "../../src/audit/render";
import { auditJsonReport } from "../../src/audit/report-files";
import { loadExtractors } from "../../src/extractors";
import { rules } from "../../src/rules";

const fixture = (name: string) => join(__dirname, "fixtures", name);
const scratch = mkdtempSync(join(tmpdir(), "mailflow-ci-"));
const file = (name: string, content: unknown): string => {
  const path = join(scratch, name);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
};
const rulesOf = (r: { judged: Array<{ finding: { ruleId: string }; status: string; fails: boolean }> }) => r.judged.map((j) => `${j.finding.ruleId} ${j.status}${j.fails ? " fails" : ""}`).sort();

/** The CLI in process: exit code, standard output, standard error. */
async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const write = { out: process.stdout.write, err: process.stderr.write };
  process.stdout.write = ((chunk: string) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => err.push(String(chunk)) > 0) as typeof process.stderr.write;
  try {
    const code = await main(argv);
    return { code, out: out.join(""), err: err.join("") };
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
  }
}

beforeAll(() => loadExtractors());

describe("the pack's configuration applies to the audit (--config, the JSON of --policy-pack-config)", () => {
  it("levels: `all` and a rule's own key, a disabled rule is not run, a misspelt one is named with the closest", async () => {
    const config = file("levels.json", { all: "advisory", "internet-identity-matches-onpremises-connector": { enforcementLevel: "mandatory" }, "wildcard-onpremises-certificate-name": "disabled", "tenant-domain-missing-from-hybrid-pat": "mandatory", "mailflow-inventory": {} });
    const r = await auditPaths([fixture("windows/utf8")], { config });
    expect(rulesOf(r)).toEqual([
      "ambiguous-connector-grants-internal-trust open",
      "internet-identity-matches-onpremises-connector open fails",
      "tenant-domain-missing-from-hybrid-path open",
    ]);
    expect(r.problems).toEqual([{ file: expect.stringMatching(/levels\.json$/), place: "tenant-domain-missing-from-hybrid-pat", problem: "is not a policy of this pack (did you mean tenant-domain-missing-from-hybrid-path?): it sets nothing" }]);
  });

  it("exemptions waive what they match (by the export's file, the object's name or URN) until they expire; one that matches nothing is named", async () => {
    const config = file("exemptions.json", {
      "mailflow-inventory": {
        exemptions: [
          { policy: "wildcard-onpremises-certificate-name", resource: "*'Inbound from 9c2e41d7*", reason: "HCW re-run scheduled (CHG-1234)", expires: "2026-12-31" },
          { policy: "tenant-domain-missing-from-hybrid-path", resource: "*Get-SendConnector.json*", reason: "groups not in use", expires: "2026-01-31" },
          { policy: "wildcard-onpremises-certificat-name", resource: "*", reason: "typo" },
        ],
      },
    });
    const r = await auditPaths([fixture("windows/utf8")], { config, today: "2026-06-01" });
    expect(rulesOf(r)).toEqual([
      "ambiguous-connector-grants-internal-trust open fails",
      "internet-identity-matches-onpremises-connector open fails",
      "tenant-domain-missing-from-hybrid-path open",
      "wildcard-onpremises-certificate-name waived",
    ]);
    const expired = r.judged.find((j) => j.finding.ruleId === "tenant-domain-missing-from-hybrid-path")!;
    expect(expired.notes).toEqual(['Exemption expired: "groups not in use" (*Get-SendConnector.json*) ended on 2026-01-31 and no longer applies.']);
    expect(r.unusedExemptions.map((e) => e.policy)).toEqual(["wildcard-onpremises-certificat-name"]);
    const text = renderText(r);
    expect(text).toContain("[waived] wildcard-onpremises-certificate-name (R3, high)");
    expect(text).toContain("Waived: HCW re-run scheduled (CHG-1234) (exemption *'Inbound from 9c2e41d7*, until 2026-12-31)");
    expect(text).toContain("Exemptions that matched no finding (check the rule id and the resource pattern):\n  - wildcard-onpremises-certificat-name on *: typo");
    const json = auditJsonReport(r) as { findings: Array<{ ruleId: string; status: string; waiver?: { source: string } }> };
    expect(json.findings.find((f) => f.ruleId === "wildcard-onpremises-certificate-name")).toMatchObject({ status: "waived", waiver: { source: "config" } });
  });
});

describe("--fail-on and --baseline", () => {
  it("--fail-on sets the severity that fails: none never fails on findings, low fails on R10 too", async () => {
    expect(exitCodeOf(await auditPaths([fixture("windows/utf8")], { failOn: "none" }))).toBe(0);
    expect(rulesOf(await auditPaths([fixture("windows/utf8")], { failOn: "critical" })).filter((x) => x.endsWith("fails"))).toEqual([
      "ambiguous-connector-grants-internal-trust open fails",
      "internet-identity-matches-onpremises-connector open fails",
    ]);
    expect(rulesOf(await auditPaths([fixture("windows/utf8")], { failOn: "low" })).every((x) => x.endsWith("fails"))).toBe(true);
  });

  it("against a baseline only new findings are shown and fail; those gone are named", async () => {
    const previous = auditJsonReport(await auditPaths([fixture("windows/utf8")])) as { findings: Array<{ fingerprint: string; ruleId: string; what: string }> };
    // The baseline lacks R2 (it is new) and holds a finding that is gone since.
    const edited = { ...previous, findings: [...previous.findings.filter((f) => f.ruleId !== "internet-identity-matches-onpremises-connector"), { ...previous.findings[0]!, fingerprint: "R4|gone", ruleId: "onpremises-certificate-name-not-accepted-domain", what: "a finding fixed since" }] };
    const baseline = baselineOf("baseline.json", JSON.stringify(edited));
    if (typeof baseline === "string") throw new Error(baseline);
    const r = await auditPaths([fixture("windows/utf8")], { baseline });
    expect(r.judged.filter((j) => j.baselineState === "new").map((j) => j.finding.ruleId)).toEqual(["internet-identity-matches-onpremises-connector"]);
    expect(rulesOf(r).filter((x) => x.endsWith("fails"))).toEqual(["internet-identity-matches-onpremises-connector open fails"]);
    expect(r.baseline!.resolved).toEqual([{ fingerprint: "R4|gone", ruleId: "onpremises-certificate-name-not-accepted-domain", what: "a finding fixed since" }]);
    const text = renderText(r);
    expect(text.match(/^\[\w+\] /gm)).toEqual(["[BLOCKED] "]);
    expect(text).toContain("[BLOCKED] internet-identity-matches-onpremises-connector (R2, critical) — new since the baseline");
    expect(text).toContain("Baseline baseline.json: 3 findings unchanged (not shown), 1 new finding, 1 finding gone since:\n  - onpremises-certificate-name-not-accepted-domain: a finding fixed since");
    // The same findings again: nothing new, nothing fails.
    const same = baselineOf("b.json", JSON.stringify(previous));
    if (typeof same === "string") throw new Error(same);
    expect(exitCodeOf(await auditPaths([fixture("windows/utf8")], { baseline: same }))).toBe(0);
    expect(baselineOf("x.json", "{}")).toBe("x.json is not a mailflow-guard JSON report (no format and findings)");
  });
});

describe("fail closed on input", () => {
  it("every file under a folder is read or named as skipped; a folder of what the audit cannot read is not a green audit", async () => {
    const dir = join(scratch, "unreadable");
    file("unreadable/notes.txt", "hello");
    file("unreadable/Get-InboundConnector.xml", "<html><body>not clixml</body></html>");
    file("unreadable/image.json", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]).toString("latin1"));
    const r = await auditPaths([dir]);
    expect(r.inputs.map((i) => [i.file.replace(/^.*unreadable\//, ""), i.status])).toEqual([
      ["Get-InboundConnector.xml", "read"],
      ["image.json", "unreadable"],
      ["notes.txt", "skipped"],
    ]);
    expect(r.problems.map((p) => p.problem)).toEqual([
      "holds NUL bytes that are not the pattern of UTF-16 text: not a text export (binary data?)",
      "not a readable Export-Clixml file (UTF-8): the root element is <html>, not <Objs>: not an Export-Clixml file",
    ]);
    expect(exitCodeOf(r)).toBe(3);
    expect(renderText(r)).toContain("Skipped: ");
  });

  it("a tenant known with no inbound connector read says so (exit 3) unless an empty export says it has none", async () => {
    file("gap/contoso.onmicrosoft.com/Get-AcceptedDomain.json", [{ DomainName: "contoso.onmicrosoft.com", DomainType: "Authoritative", InitialDomain: true }]);
    const r = await auditPaths([join(scratch, "gap")]);
    expect(r.coverage.tenants).toEqual([{ tenant: "contoso.onmicrosoft.com", inboundConnectors: 0, outboundConnectors: 0, acceptedDomains: 2 }]);
    expect(r.coverage.gaps.map((g) => g.message)).toEqual([
      "tenant contoso.onmicrosoft.com: no inbound connectors were read. Export Get-InboundConnector for it (an export with no objects says it has none), or declare them under mailflow-inventory.inboundConnectors.",
    ]);
    expect(exitCodeOf(r)).toBe(3);
    file("gap/contoso.onmicrosoft.com/Get-InboundConnector.json", "");
    const answered = await auditPaths([join(scratch, "gap")]);
    expect(answered.coverage.gaps).toEqual([]);
    expect(exitCodeOf(answered)).toBe(0);
  });
});

describe("the command line", () => {
  it("`<command> --help` prints the command's help on stdout and exits 0; --version prints the version", async () => {
    for (const command of ["audit", "flows", "rules"]) {
      const r = await cli([command, "--help"]);
      expect([r.code, r.err]).toEqual([0, ""]);
      expect(r.out).toMatch(new RegExp(`^Usage: mailflow-guard ${command}`));
    }
    expect((await cli(["audit", "--help"])).out).toContain("--fail-on <critical|high|medium|low|none>");
    expect(await cli(["--help"])).toMatchObject({ code: 0, err: "", out: expect.stringContaining("Commands:") });
    expect(await cli(["--version"])).toEqual({ code: 0, out: `${require("../../package.json").version}\n`, err: "" });
  });

  it("an unknown option names the closest valid one (exit 2, on stderr)", async () => {
    const r = await cli(["audit", "--jsno", "x"]);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toMatch(/^mailflow-guard: unknown option '--jsno' for `mailflow-guard audit` \(did you mean --json\?\)/);
    expect((await cli(["audit", "--fail-on", "severe", "x"])).err).toMatch(/^mailflow-guard: --fail-on must be one of critical, high, medium, low, none/);
    expect((await cli(["audti", "x"])).err).toMatch(/^mailflow-guard: unknown command 'audti' \(did you mean audit\?\)/);
  });

  it("`rules` lists every rule: id, code, severity, level and docs link; with --config, the configured level", async () => {
    const r = await cli(["rules"]);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split("\n");
    expect(lines).toHaveLength(rules.length + 1);
    expect(lines).toContainEqual(expect.stringMatching(/^wildcard-onpremises-certificate-name\s+R3\s+high\s+mandatory\s+https:\/\/github\.com\/mailflow-guard\/mailflow-guard\/blob\/main\/docs\/rules\/wildcard-onpremises-certificate-name\.md$/));
    const configured = await cli(["rules", "--json", "--config", file("rules-levels.json", { all: "advisory", "mailflow-inventory": {} })]);
    expect(JSON.parse(configured.out).every((row: { level: string }) => row.level === "advisory")).toBe(true);
  });
});
