/**
 * A fix written into the user's own program: the resource's declaration found by its name with the
 * TypeScript parser, and the smallest edit there — the one literal holding the old value, the SDK
 * renderer's argument, a list that reads as the old list, one property of one list element — each as
 * whole lines, shown as `file:line: old → new` when the old text occurs once on its line.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { programSources } from "../../src/reporters/files/program-location";
import { declarationOf, elementPropertyEdit, helperArgumentEdit, hunk, listEdit, literalEdit } from "../../src/reporters/fix/program";

function program(text: string) {
  const dir = mkdtempSync(join(tmpdir(), "mailflow-program-"));
  mkdirSync(join(dir, "infra"));
  writeFileSync(join(dir, "Pulumi.yaml"), "name: p\nruntime: nodejs\n");
  writeFileSync(join(dir, "infra", "mail.ts"), text);
  return programSources(dir)!;
}

const TEXT = `import * as mailflow from "mailflow-guard/sdk";
const fixed = false;
new mailflow.Tenant("tenant", { initialDomain: "contoso.onmicrosoft.com", acceptedDomains: fixed ? ["contoso.com", "smtp.contoso.com"] : ["contoso.com"] });
new mailflow.Gateway("gateway", { name: "gw", servers: ["mx1.contoso.com"], connectors: [
  { name: "Internet", addressSpaces: ["*"], certificate: "shared" },
  { name: "Office 365", addressSpaces: ["contoso.mail.onmicrosoft.com"], certificate: "shared" },
] });
mailflow.exchangeOnlineCommand("inbound", {
  organization: "contoso.onmicrosoft.com",
  script: mailflow.newInboundConnector({ name: "From on-prem", connectorType: "OnPremises", senderDomains: ["*"], tlsSenderCertificateName: fixed ? "smtp.contoso.com" : "*.contoso.com" }),
});
if (fixed) mailflow.exchangeOnlineCommand("branch", { organization: "a", script: "x" });
else mailflow.exchangeOnlineCommand("branch", { organization: "a", script: "y" });
`;

describe("program edits", () => {
  const p = program(TEXT);

  it("the one literal of the declaration that holds the old value", () => {
    const e = literalEdit(declarationOf(p, "inbound")!, "*.contoso.com", "smtp.contoso.com")!;
    expect(hunk(e)).toEqual(["infra/mail.ts:10: *.contoso.com → smtp.contoso.com"]);
    expect(e.lines[0]).toContain(`fixed ? "smtp.contoso.com" : "smtp.contoso.com" })`);
  });

  it("the SDK renderer's argument, where no literal holds the value", () => {
    const e = helperArgumentEdit(declarationOf(p, "inbound")!, "From on-prem", "tlsSenderCertificateName", `"smtp.contoso.com"`)!;
    expect(hunk(e)).toEqual([`infra/mail.ts:10: fixed ? "smtp.contoso.com" : "*.contoso.com" → "smtp.contoso.com"`]);
    expect(helperArgumentEdit(declarationOf(p, "inbound")!, "Another connector", "tlsSenderCertificateName", `"x"`)).toBeUndefined();
  });

  it("the list literal that reads as the old list, and one property of one list element", () => {
    expect(hunk(listEdit(declarationOf(p, "tenant")!, "acceptedDomains", ["contoso.com"], ["contoso.com", "smtp.contoso.com"])!)).toEqual([
      `infra/mail.ts:3: ["contoso.com"] → ["contoso.com", "smtp.contoso.com"]`,
    ]);
    expect(hunk(elementPropertyEdit(declarationOf(p, "gateway")!, "connectors", 1, "certificate", `"hybrid-certificate"`)!)).toEqual([`infra/mail.ts:6: "shared" → "hybrid-certificate"`]);
  });

  it("no declaration where the program declares the name twice (which branch ran is not known here), or not as a literal", () => {
    expect(declarationOf(p, "branch")).toBeUndefined();
    expect(declarationOf(p, "built-at-run-time")).toBeUndefined();
  });
});
