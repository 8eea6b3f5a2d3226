/**
 * Waivers that say what they did (issue 21): one comment may waive several policies; a run of comment
 * lines above a statement all apply to it; a waived finding stays in the log as advisory, saying what
 * waived it; a suppression or exemption that names an unknown policy, has a pattern with characters it
 * does not support, matches nothing or waives nothing is named; so is a misspelt top-level policy name
 * of the configuration; and the log ends with one summary line.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { loadExtractors } from "../../src/extractors";
import type { InventoryConfig } from "../../src/config/schema";
import { SUMMARY_POLICY } from "../../src/reporters/pulumi/run-summary";
import type { EngineLevel } from "../../src/reporters/pulumi/engine-config";
import { rules } from "../../src/rules";
import { runStack, type Violation } from "./support/rule-tester";
import { connect, gateway, tenant } from "./support/scenarios";
import { exo, type TestResource } from "./support/stack";

beforeAll(loadExtractors);

const R2 = "internet-identity-matches-onpremises-connector";
const R3 = "wildcard-onpremises-certificate-name";
const R11 = "ambiguous-connector-grants-internal-trust";
const contoso = tenant("contoso.onmicrosoft.com", ["contoso.com"]);
const mx01 = gateway("gateway", { name: "gw", servers: ["mx01.contoso.com"], connectors: [{ name: "Internet", addressSpaces: ["*"], dnsRouting: true, certificate: { subject: "CN=mx01.contoso.com", trust: "public" } }] });
/** The HCW wildcard (R3), matched by the gateway's certificate (R2), on a connector that promotes headers (R11); `comments` above it. */
const wildcard = (comments: string[] = []): TestResource =>
  exo("exo-inbound", [connect("contoso.onmicrosoft.com"), ...comments, `New-InboundConnector -Name "Inbound from hcw" -ConnectorType OnPremises -SenderDomains * -CloudServicesMailEnabled $true -TlsSenderCertificateName *.contoso.com`].join("\n"));

const run = (resources: TestResource[], config: InventoryConfig = {}, levels?: Record<string, EngineLevel>) =>
  runStack(rules, resources, config, { chain: true, ...(levels ? { levels } : {}) });
const lines = (vs: readonly Violation[]) => vs.filter((v) => v.policy !== SUMMARY_POLICY).map((v) => `${v.level} ${v.policy} -> ${v.resource}`).sort();
const summary = (vs: readonly Violation[]) => vs.filter((v) => v.policy === SUMMARY_POLICY).map((v) => v.message.split("\n").slice(1).join("\n"));

describe("inline suppressions", () => {
  it("the incident, unwaived: three findings block, and the summary says so last", async () => {
    const vs = await run([contoso, mx01, wildcard()]);
    expect(lines(vs)).toEqual([`mandatory ${R11} -> exo-inbound`, `mandatory ${R2} -> exo-inbound`, `mandatory ${R3} -> exo-inbound`]);
    expect(summary(vs).at(-1)).toBe(`mailflow-guard blocked this deployment: 3 findings block (${R11}, ${R2}, ${R3}), 0 findings advise, 0 findings waived.`);
  });

  it("one comment names several policies: each finding is waived, advised in the log with what waived it", async () => {
    const vs = await run([contoso, mx01, wildcard([`# mailflow-guard:ignore ${R2}, ${R3}, ${R11} exp:2999-12-31 HCW re-run scheduled (CHG-1234)`])]);
    expect(lines(vs)).toEqual([`advisory ${R11} -> exo-inbound`, `advisory ${R2} -> exo-inbound`, `advisory ${R3} -> exo-inbound`]);
    for (const v of vs.filter((x) => x.policy !== SUMMARY_POLICY)) expect(v.message.split("\n")[1]).toMatch(/^Waived by the inline suppression at exo-inbound\.create:2 until 2999-12-31 \("HCW re-run scheduled \(CHG-1234\)"\): /);
    expect(summary(vs)).toEqual(["mailflow-guard passed this deployment: 0 findings block, 0 findings advise, 3 findings waived (3 by inline at exo-inbound.create:2)."]);
  });

  it("a run of comment lines directly above the statement all apply to it, a plain comment among them too", async () => {
    const vs = await run([contoso, mx01, wildcard([`# mailflow-guard:ignore ${R2} exp:2999-12-31 gateway moves to its own name in Q1`, "# (see CHG-1234)", `# mailflow-guard:ignore ${R3},${R11} exp:2999-12-31 HCW re-run scheduled`])]);
    expect(lines(vs).every((l) => l.startsWith("advisory "))).toBe(true);
    // A blank line ends the run: the comment above it no longer applies.
    const broken = await run([contoso, mx01, wildcard([`# mailflow-guard:ignore ${R2} exp:2999-12-31 gateway moves`, "", `# mailflow-guard:ignore ${R3},${R11} exp:2999-12-31 HCW re-run`])]);
    expect(lines(broken)).toContain(`mandatory ${R2} -> exo-inbound`);
    expect(summary(broken)).toContain("Unused inline suppression at exo-inbound.create:2: no finding of internet-identity-matches-onpremises-connector at the statement below it or on its line; remove it, or correct it.");
  });

  it("a misspelt policy suppresses nothing and is named, with the closest policy", async () => {
    const vs = await run([contoso, mx01, wildcard([`# mailflow-guard:ignore ${R2}, wildcard-onpremises-certificate-nmae, ${R11} exp:2999-12-31 why`])]);
    expect(lines(vs)).toContain(`mandatory ${R3} -> exo-inbound`);
    expect(summary(vs)).toContain(`Inline suppression at exo-inbound.create:2 names "wildcard-onpremises-certificate-nmae" is not a policy of mailflow-guard (did you mean "${R3}"?): it suppresses nothing for it.`);
  });

  it("a malformed one that covers no finding is named too", async () => {
    const vs = await run([contoso, exo("exo-other", `${connect("contoso.onmicrosoft.com")}\n# mailflow-guard:ignore ${R3} because\nSet-AcceptedDomain -Identity contoso.com -MatchSubDomains $false`)]);
    expect(summary(vs)).toContain(`Unused inline suppression at exo-other.create:2: it does not apply (it has no expiry (exp:YYYY-MM-DD)); remove it, or correct it.`);
  });
});

describe("configured exemptions", () => {
  const exemption = (policy: string, resource: string) => ({ policy, resource, reason: "HCW re-run scheduled", expires: "2999-12-31" });

  it('"*" waives every finding, which all stay in the log as advisory, and the summary says by what', async () => {
    const vs = await run([contoso, mx01, wildcard()], { exemptions: [exemption("*", "exo-*")] });
    expect(lines(vs)).toEqual([`advisory ${R11} -> exo-inbound`, `advisory ${R2} -> exo-inbound`, `advisory ${R3} -> exo-inbound`]);
    expect(summary(vs)).toEqual([`mailflow-guard passed this deployment: 0 findings block, 0 findings advise, 3 findings waived (3 by exemption "exo-*").`]);
  });

  it.each([
    [exemption("wildcard-onpremises-certificate-nmae", "exo-inbound"), `Exemption #1 ("HCW re-run scheduled"): "wildcard-onpremises-certificate-nmae" is not a policy of mailflow-guard (did you mean "${R3}"?); it exempts nothing.`],
    [exemption(R3, "exo-[a-z]*"), `Exemption #1 ("HCW re-run scheduled"): its resource pattern "exo-[a-z]*" has characters that match only themselves (only * is a wildcard); it exempts what those characters match literally.`],
    [exemption(R3, "legacy-*"), `Exemption #1 ("HCW re-run scheduled"): its resource pattern "legacy-*" matches no resource of this stack; it exempts nothing.`],
    [exemption("shared-certificate-hybrid-and-internet", "exo-*"), `Exemption #1 ("HCW re-run scheduled"): no finding of "shared-certificate-hybrid-and-internet" on "exo-*" in this run; it exempts nothing.`],
  ])("%j is named", async (e, message) => {
    const vs = await run([contoso, mx01, wildcard()], { exemptions: [e] });
    expect(summary(vs)).toContain(message);
  });
});

describe("the engine's configuration", () => {
  it("a rule configured advisory is advisory wherever it is reported, and counted as advising", async () => {
    const vs = await run([contoso, mx01, wildcard()], {}, { [R3]: "advisory" });
    expect(lines(vs)).toContain(`advisory ${R3} -> exo-inbound`);
    expect(summary(vs).at(-1)).toContain(`2 findings block (${R11}, ${R2}), 1 finding advise (${R3})`);
  });

  it("a top-level name that is no policy of the pack is named, the <rule>-stack policies of earlier versions among them", async () => {
    const vs = await run([contoso], {}, { "wildcard-onpremises-certificate-name-stack": "advisory", "internet-identity-matches-onpremises-connectr": "advisory", all: "mandatory" });
    expect(summary(vs)).toEqual([
      `Policy configuration: "internet-identity-matches-onpremises-connectr" is not a policy of mailflow-guard (did you mean "${R2}"?); it configures nothing.`,
      `Policy configuration: "wildcard-onpremises-certificate-name-stack" is not a policy of mailflow-guard (did you mean "${R3}"?); it configures nothing.`,
    ]);
  });
});
