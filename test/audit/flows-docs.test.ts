import { beforeAll, describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { asStackExport, exampleAndVariant, flowsDocs, FLOWS_DOCS_DIR, withSecretsShown, type FlowsDoc } from "../../scripts/flows-docs";
import { loadExtractors } from "../../src/extractors";

let docs: FlowsDoc[];

beforeAll(async () => {
  await loadExtractors();
  docs = await flowsDocs();
});

describe("docs/flows: each example's flows, test plan and diagram stay true to the code", () => {
  it("docs/flows holds exactly one page per example variant", () => {
    expect(readdirSync(FLOWS_DOCS_DIR).filter((f) => f.endsWith(".md")).sort()).toEqual(docs.map((d) => d.file));
    expect(docs.map((d) => d.file)).toContain("msp-wildcard-journaling-incident.md");
    expect(docs.map((d) => d.file)).toContain("powershell-spellings-posix-exec.md");
  });

  it("every committed page equals the page regenerated from the code (run `npx tsx scripts/flows-docs.ts` after a change)", () => {
    const stale = docs.filter((d) => readFileSync(join(FLOWS_DOCS_DIR, d.file), "utf8") !== d.text).map((d) => d.file);
    expect(stale).toEqual([]);
  });

  it("the seed 000 example's page draws its wrong-tenant internet flow and names the hybrid connector and certificate", () => {
    const page = docs.find((d) => d.file === "msp-wildcard-journaling-incident.md")!.text;
    expect(page).toContain(
      "| varunagroup.de | hybrid | Outbound to Office 365 - 6fc3a33e-3ca2-4528-8e3c-75e5d4e9db76 (varunagroup) | varunagroup.onmicrosoft.com | Originating |  | Inbound from 6fc3a33e-3ca2-4528-8e3c-75e5d4e9db76 | smtpo365.varunagroup.de |",
    );
    expect(page).toContain("**WRONG TENANT**");
    expect(page).toContain("```mermaid");
    expect(page).toContain("Get-MessageTraceV2");
    expect(docs.find((d) => d.file === "msp-wildcard-journaling-fixed.md")!.text).not.toContain("**WRONG TENANT**");
  });
});

describe("flows-docs helpers", () => {
  it("reads the example and variant from the metamorphic stack name", () => {
    expect(exampleAndVariant("example powershell-spellings (enum-case)")).toEqual({ example: "powershell-spellings", variant: "enum-case" });
    expect(exampleAndVariant("rule case")).toBeUndefined();
  });

  it("unwraps secret wrappers, as `pulumi stack export --show-secrets` writes them", () => {
    const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: { host: "ex01.contoso.com" } };
    expect(withSecretsShown({ connection: secret, list: [secret] })).toEqual({ connection: { host: "ex01.contoso.com" }, list: [{ host: "ex01.contoso.com" }] });
  });

  it("writes the resources as a stack export of stack <variant> in project <example>", () => {
    const exported = JSON.parse(asStackExport("demo", "fixed", [{ type: "command:local:Command", name: "exo", props: { create: "Get-Mailbox" } }]));
    expect(exported.deployment.resources).toEqual([{ urn: "urn:pulumi:fixed::demo::command:local:Command::exo", type: "command:local:Command", custom: true, inputs: { create: "Get-Mailbox" }, dependencies: [] }]);
  });
});
