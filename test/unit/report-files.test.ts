import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkInventoryConfig } from "../../src/config/validate";
import { FINGERPRINT_KEY } from "../../src/reporters/files/sarif";
import { programLocator } from "../../src/reporters/files/program-location";
import { reportTargets, writeAtomically } from "../../src/reporters/files/write";
import { rules } from "../../src/rules";
import { connect, tenant } from "./support/scenarios";
import { exo } from "./support/stack";
import { runStack } from "./support/rule-tester";
import { sarifValidator } from "./support/sarif-schema";

const WILDCARD = "wildcard-onpremises-certificate-name";
const contoso = tenant("contoso.onmicrosoft.com", ["contoso.com", "smtpo365.contoso.com"]);
const wildcardInbound = (name: string, comment = "") =>
  exo(name, `${connect("contoso.onmicrosoft.com")}\n${comment ? `${comment}\n` : ""}New-InboundConnector -Name "From on-prem" -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName *.contoso.com`);

async function run(resources: Parameters<typeof runStack>[1], extra: Record<string, unknown> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "mailflow-reports-"));
  const report = { sarif: join(dir, "out/mailflow.sarif"), json: join(dir, "out/mailflow.json"), markdown: join(dir, "out/summary.md") };
  const violations = await runStack(rules, resources, { report, ...extra });
  const read = (p: string) => readFileSync(p, "utf8");
  return { dir, violations, sarif: JSON.parse(read(report.sarif)), json: JSON.parse(read(report.json)), markdown: read(report.markdown) };
}

describe("report files", () => {
  it("writes a SARIF 2.1.0 log that validates against the official schema, with rule metadata, fingerprint, region and a one-value fix", async () => {
    const { sarif, violations } = await run([contoso, wildcardInbound("exo-inbound")]);
    const validate = sarifValidator();
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    const driver = sarif.runs[0].tool.driver;
    const rule = driver.rules.find((r: { id: string }) => r.id === WILDCARD);
    expect(rule.helpUri).toBe(`https://github.com/mailflow-guard/mailflow-guard/blob/main/docs/rules/${WILDCARD}.md`);
    expect(rule.properties["security-severity"]).toBe("8.0");
    expect(driver.rules.map((r: { id: string }) => r.id).filter((id: string) => id.endsWith("-stack"))).toEqual([]);
    const results = sarif.runs[0].results.filter((r: { ruleId: string }) => r.ruleId === WILDCARD);
    expect(results).toHaveLength(1);
    const [result] = results;
    expect(result.level).toBe("error");
    expect(result.suppressions).toBeUndefined();
    expect(result.locations[0].logicalLocations[0]).toEqual({ fullyQualifiedName: "urn:pulumi:test::mailflow::command:local:Command::exo-inbound", name: "exo-inbound", kind: "resource" });
    // No Pulumi program in the directory the run started from: the resource is the location, its script line a property.
    expect(result.locations[0].physicalLocation).toBeUndefined();
    expect(result.locations[0].properties).toEqual({ scriptLine: { property: "create", line: 2 } });
    expect(result.partialFingerprints[FINGERPRINT_KEY]).toMatch(/\S/);
    // The tenant's accepted host name is the exact name to trust: one value in the script, proven.
    // A SARIF result is read on its own: what the fix clears is said by rule, not as "below".
    expect(result.message.text).toContain("Fix #1 (proven: clears wildcard-onpremises-certificate-name, adds no blocking one): Trust exactly smtpo365.contoso.com");
    expect(result.fixes[0].description.text).toMatch(/^Set -TlsSenderCertificateName to 'smtpo365\.contoso\.com' \(fix #1\): /);
    const replacement = result.fixes[0].artifactChanges[0].replacements[0];
    const scriptLine = `New-InboundConnector -Name "From on-prem" -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName *.contoso.com`;
    const start = scriptLine.indexOf("*.contoso.com") + 1;
    expect(replacement.deletedRegion).toEqual({ startLine: 2, startColumn: start, endColumn: start + "*.contoso.com".length });
    expect(replacement.insertedContent.text).toMatch(/^'smtpo365\.contoso\.com/);
    expect(violations.filter((v) => v.policy === WILDCARD).map((v) => v.resource)).toEqual(["exo-inbound"]);
  });

  it("keeps fingerprints stable across runs and registration orders", async () => {
    const first = await run([contoso, wildcardInbound("exo-inbound")]);
    const second = await run([wildcardInbound("exo-inbound"), contoso]);
    const prints = (s: typeof first.sarif) => s.runs[0].results.map((r: { partialFingerprints: Record<string, string> }) => r.partialFingerprints[FINGERPRINT_KEY]).sort();
    expect(prints(second.sarif)).toEqual(prints(first.sarif));
  });

  it("writes the JSON report with verdict, flows, provenance and fix, and the Markdown summary", async () => {
    const { json, markdown } = await run([contoso, wildcardInbound("exo-inbound")]);
    expect(json.format).toBe("mailflow-guard-report/v2");
    expect(json.verdict).toBe("blocked");
    const finding = json.findings.find((f: { policy: string }) => f.policy === WILDCARD);
    expect(finding.status).toBe("open");
    expect(finding.resource.name).toBe("exo-inbound");
    expect(finding.provenance[0].line).toBe(2);
    expect(finding.fix.powershell).toContain("Set-InboundConnector -Identity 'From on-prem' -TlsSenderCertificateName 'smtpo365");
    expect(markdown).toContain("## mailflow-guard: ❌ blocked");
    expect(markdown).toContain(`| [${WILDCARD}](https://github.com/mailflow-guard/mailflow-guard/blob/main/docs/rules/${WILDCARD}.md) | high | mandatory | 1 | 0 | **blocked** |`);
    expect(markdown).toContain("```powershell\n");
  });

  it("writes complete documents for a clean run too", async () => {
    const { sarif, json, markdown, dir } = await run([contoso]);
    expect(sarif.runs[0].results).toEqual([]);
    expect(json.verdict).toBe("passed");
    expect(json.findings).toEqual([]);
    expect(markdown.startsWith("## mailflow-guard: ✅ passed")).toBe(true);
    expect(readdirSync(join(dir, "out")).sort()).toEqual(["mailflow.json", "mailflow.sarif", "summary.md"]);
  });
});

describe("where code scanning shows a result", () => {
  it("the line of the program that declares the resource, relative to the repository, when the run starts in a Pulumi program", () => {
    const repo = mkdtempSync(join(tmpdir(), "mailflow-locate-"));
    mkdirSync(join(repo, ".git"));
    mkdirSync(join(repo, "infra", "mail"), { recursive: true });
    writeFileSync(join(repo, "infra", "Pulumi.yaml"), "name: mail\nruntime: nodejs\n");
    writeFileSync(join(repo, "infra", "index.ts"), 'import "./mail/exo";\n');
    writeFileSync(join(repo, "infra", "mail", "exo.ts"), 'import * as command from "@pulumi/command";\n\nnew command.local.Command("exo-inbound", { create: script });\n');
    const locate = programLocator(join(repo, "infra"))!;
    expect([locate("exo-inbound"), locate("built-at-run-time")]).toEqual([{ uri: "infra/mail/exo.ts", line: 3 }, { uri: "infra/Pulumi.yaml" }]);
    expect(programLocator(repo)).toBeUndefined();
  });
});

describe("inline suppressions", () => {
  it("a valid one on the line before waives the finding: advisory in the log, saying what waived it; SARIF suppression inSource with its justification", async () => {
    const { sarif, violations, json } = await run([contoso, wildcardInbound("exo-inbound", `# mailflow-guard:ignore ${WILDCARD} exp:2999-12-31 HCW re-run scheduled for Q1`)]);
    expect(violations.filter((v) => v.policy.startsWith(WILDCARD)).map((v) => [v.level, v.message.split("\n")[1]!.split(": ")[0]])).toEqual([
      ["advisory", 'Waived by the inline suppression at exo-inbound.create:2 until 2999-12-31 ("HCW re-run scheduled for Q1")'],
    ]);
    const [result] = sarif.runs[0].results.filter((r: { ruleId: string }) => r.ruleId === WILDCARD);
    expect(result.suppressions).toEqual([{ kind: "inSource", status: "accepted", justification: "HCW re-run scheduled for Q1", properties: { where: "exo-inbound.create:2", expires: "2999-12-31" } }]);
    expect(json.findings.find((f: { policy: string }) => f.policy === WILDCARD).status).toBe("waived");
    expect(sarifValidator()(sarif)).toBe(true);
  });

  it("a trailing one on the statement's own line waives it too", async () => {
    const r = exo("exo-inbound", `${connect("contoso.onmicrosoft.com")}\nNew-InboundConnector -Name "From on-prem" -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName *.contoso.com # mailflow-guard:ignore ${WILDCARD} exp:2999-01-01 vendor ticket 42`);
    const { violations } = await run([contoso, r]);
    expect(violations.filter((v) => v.policy.startsWith(WILDCARD)).map((v) => v.level)).toEqual(["advisory"]);
  });

  it("an expired one stops suppressing and says so", async () => {
    const { violations, sarif } = await run([contoso, wildcardInbound("exo-inbound", `# mailflow-guard:ignore ${WILDCARD} exp:2020-01-31 HCW re-run scheduled`)]);
    const mine = violations.filter((v) => v.policy === WILDCARD);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.message).toContain('Inline suppression expired: "HCW re-run scheduled" at exo-inbound.create:2 ended on 2020-01-31 and no longer applies.');
    expect(sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === WILDCARD).suppressions).toBeUndefined();
  });

  it.each([
    ["without expiry", `# mailflow-guard:ignore ${WILDCARD} because`, "it has no expiry (exp:YYYY-MM-DD)"],
    ["with an impossible date", `# mailflow-guard:ignore ${WILDCARD} exp:2026-02-30 because`, 'its expiry "2026-02-30" is not a date YYYY-MM-DD'],
    ["without a reason", `# mailflow-guard:ignore ${WILDCARD} exp:2999-01-01`, "it gives no reason"],
  ])("a malformed one (%s) does not suppress and says why", async (_name, comment, problem) => {
    const { violations } = await run([contoso, wildcardInbound("exo-inbound", comment)]);
    const mine = violations.filter((v) => v.policy === WILDCARD);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.message).toContain(`Inline suppression at exo-inbound.create:2 does not apply: ${problem}.`);
  });

  it("one naming another policy does not suppress", async () => {
    const { violations } = await run([contoso, wildcardInbound("exo-inbound", "# mailflow-guard:ignore shared-certificate-hybrid-and-internet exp:2999-01-01 other")]);
    expect(violations.filter((v) => v.policy === WILDCARD).map((v) => v.resource)).toEqual(["exo-inbound"]);
  });

  it("a configured exemption still waives, reported as an external suppression", async () => {
    const { violations, sarif } = await run([contoso, wildcardInbound("legacy-inbound")], {
      exemptions: [{ policy: WILDCARD, resource: "legacy-*", reason: "HCW re-run scheduled", expires: "2999-12-31" }],
    });
    expect(violations.filter((v) => v.policy.startsWith(WILDCARD)).map((v) => [v.level, v.message.split("\n")[1]!.split(": ")[0]])).toEqual([
      ["advisory", 'Waived by the exemption of "legacy-*" until 2999-12-31 ("HCW re-run scheduled")'],
    ]);
    expect(sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === WILDCARD).suppressions).toEqual([
      { kind: "external", status: "accepted", justification: "HCW re-run scheduled", properties: { exemptedResource: "legacy-*", expires: "2999-12-31" } },
    ]);
  });
});

describe("report targets and writing", () => {
  it("environment variables win over the configuration; relative paths resolve against the working directory", () => {
    expect(reportTargets({ sarif: "/a.sarif", json: "rel.json" }, { MAILFLOW_GUARD_SARIF: "/ci/out.sarif", MAILFLOW_GUARD_MARKDOWN: "/ci/summary.md" })).toEqual({
      sarif: "/ci/out.sarif",
      json: join(process.cwd(), "rel.json"),
      markdown: "/ci/summary.md",
    });
  });

  it("writes atomically, leaving no temporary file, and returns an error instead of throwing", () => {
    const dir = mkdtempSync(join(tmpdir(), "mailflow-write-"));
    expect(writeAtomically(join(dir, "a.txt"), "one")).toBeUndefined();
    expect(writeAtomically(join(dir, "a.txt"), "two")).toBeUndefined();
    expect(readFileSync(join(dir, "a.txt"), "utf8")).toBe("two");
    expect(readdirSync(dir)).toEqual(["a.txt"]);
    expect(writeAtomically(join(dir, "a.txt", "under-a-file"), "x")).toMatch(/ENOTDIR|EEXIST/);
  });

  it("the report key is validated: an unknown format is named", () => {
    expect(checkInventoryConfig({ report: { sarif: "x.sarif" } }).problems).toEqual([]);
    expect(checkInventoryConfig({ report: { html: "x.html" } }).problems).toEqual([
      { path: "mailflow-inventory.report.html", problem: 'unknown key "html" (known: sarif, json, markdown)' },
    ]);
  });
});
