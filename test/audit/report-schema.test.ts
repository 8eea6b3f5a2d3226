/**
 * One versioned JSON report format for the pack and the audit, published as docs/report.schema.json:
 * the pack's report of a preview and the audit's --json of every fixture validate against it, and a
 * record that carries more than a resource's name, type and URN does not.
 */
import { beforeAll, describe, expect, it } from "vitest";
import Ajv from "ajv";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { auditPaths } from "../../src/audit/audit";
import { auditJsonReport } from "../../src/audit/report-files";
import { loadExtractors } from "../../src/extractors";
import { JSON_REPORT_FORMAT, JSON_REPORT_SCHEMA } from "../../src/reporters/files/json";
import { rules } from "../../src/rules";
import { runStack } from "../unit/support/rule-tester";
import { connect, tenant } from "../unit/support/scenarios";
import { exo } from "../unit/support/stack";

const SCHEMA = JSON.parse(readFileSync(join(__dirname, "..", "..", "docs", "report.schema.json"), "utf8"));
const fixture = (name: string) => join(__dirname, "fixtures", name);

function validator() {
  const ajv = new Ajv({ allErrors: true, strict: true, formats: { "date-time": (s: string) => !Number.isNaN(Date.parse(s)), uri: /^https?:\/\/\S+$/ } });
  return ajv.compile(SCHEMA);
}

beforeAll(() => loadExtractors());

describe("docs/report.schema.json", () => {
  it("is the schema of the format the code writes", () => {
    expect(SCHEMA.$id).toBe(JSON_REPORT_SCHEMA);
    expect(SCHEMA.properties.format.const).toBe(JSON_REPORT_FORMAT);
  });

  it("the pack's JSON report of a preview validates; its finding names the rule, the policy apart, the resource by name, type and URN only", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mailflow-schema-"));
    const contoso = tenant("contoso.onmicrosoft.com", ["contoso.com"]);
    const secret = "Sup3rSecretEnvValue-8c1f";
    const inbound = exo("exo-inbound", `${connect("contoso.onmicrosoft.com")}\nNew-InboundConnector -Name "From on-prem" -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName *.contoso.com`);
    inbound.props = { ...inbound.props, environment: { EXO_SECRET: secret } };
    await runStack(rules, [contoso, inbound], { report: { json: join(dir, "report.json") } });
    const text = readFileSync(join(dir, "report.json"), "utf8");
    const report = JSON.parse(text);
    const validate = validator();
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.run.kind).toBe("pulumi");
    const finding = report.findings.find((f: { ruleId: string }) => f.ruleId === "wildcard-onpremises-certificate-name");
    expect(Object.keys(finding.resource).sort()).toEqual(["name", "type", "urn"]);
    expect(finding.resource.type).toBe("command:local:Command");
    expect(text).not.toContain(secret);
  });

  it.each(["seed-000-msp-wildcard", "seed-003-gateway-self-signed", "seed-msxfaq-shared-wildcard", "msp-two-stacks", "windows/utf8", "windows/ps51", "windows/clixml"])("the audit's --json of %s validates, every finding located in its file", async (name) => {
    const report = auditJsonReport(await auditPaths([fixture(name)]));
    const validate = validator();
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.format).toBe(JSON_REPORT_FORMAT);
    const findings = report.findings as Array<{ ruleId: string; policy: string; resource: { location?: { file: string; line?: number } } }>;
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      expect(f.policy).toBe(f.ruleId);
      expect(f.resource.location?.file).toMatch(/^test\/audit\/fixtures\//);
      expect(f.resource.location?.line).toBeGreaterThan(0);
    }
  });

  it("refuses a finding whose resource carries its inputs, and a report of another format", async () => {
    const report = auditJsonReport(await auditPaths([fixture("seed-000-msp-wildcard")])) as { findings: Array<{ resource: Record<string, unknown> }>; format: string };
    const validate = validator();
    const leaky = structuredClone(report);
    leaky.findings[0]!.resource["inputs"] = { environment: { SECRET: "x" } };
    expect(validate(leaky)).toBe(false);
    expect(validate({ ...structuredClone(report), format: "mailflow-guard-report/v1" })).toBe(false);
  });
});
