/**
 * Every piece of Pulumi code a proven fix of a rule-table case shows must compile against the SDK it
 * tells users to import: the declarations it adds, and each value it gives an input of a resource the
 * program declares (typed as that input: a script is a string, a Tenant's acceptedDomains is
 * TenantArgs["acceptedDomains"]). One TypeScript program for all snippets (fast), the SDK import
 * specifier mapped to src/sdk through compilerOptions.paths. A snippet that does not compile fails with
 * its rule id and case name.
 */
import { readdirSync } from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { loadExtractors } from "../../../src/extractors";
import type { Rule } from "../../../src/rules/utils/define-rule";
import { provenFixes, verdictOf } from "../support/fixes";
import type { InvalidCase, ValidCase } from "../support/rule-tester";

const ROOT = path.resolve(__dirname, "../../..");
const CASES_DIR = path.join(__dirname, "cases");
const SNIPPET_DIR = path.join(ROOT, "__fix_snippets__");
/** The SDK's argument type of each descriptor type: a value given to one of its inputs is typed as that input. */
const ARGS: Record<string, string> = {
  "pulumi-nodejs:dynamic/mailflow:Tenant": "TenantArgs",
  "pulumi-nodejs:dynamic/mailflow:Organization": "OrganizationArgs",
  "pulumi-nodejs:dynamic/mailflow:Gateway": "GatewayArgs",
  "pulumi-nodejs:dynamic/mailflow:Certificate": "CertificateArgs",
};

interface Snippet {
  file: string;
  rule: string;
  caseName: string;
  text: string;
}

async function loadTables(): Promise<Array<{ rule: Rule; cases: { valid: ValidCase[]; invalid: InvalidCase[] } }>> {
  const files = readdirSync(CASES_DIR).filter((f) => f.endsWith(".cases.ts")).sort();
  return Promise.all(files.map((f) => import(path.join(CASES_DIR, f)) as Promise<{ rule: Rule; cases: { valid: ValidCase[]; invalid: InvalidCase[] } }>));
}

function snippetsOf(tables: Awaited<ReturnType<typeof loadTables>>): Snippet[] {
  const out: Snippet[] = [];
  const add = (rule: string, caseName: string, text: string): void => {
    out.push({ file: path.join(SNIPPET_DIR, `snippet-${out.length}.ts`), rule, caseName, text: `${text}\nexport {};\n` });
  };
  for (const { rule, cases } of tables) {
    for (const c of cases.invalid) {
      const seen = new Set<string>();
      for (const { rendered } of provenFixes(verdictOf(c.resources, c.config))) {
        if (!rendered || seen.has(rendered.id)) continue;
        seen.add(rendered.id);
        if (rendered.pulumi.declarations) add(rule.meta.id, c.name, rendered.pulumi.declarations);
        for (const v of rendered.pulumi.values) {
          const type = ARGS[v.type] ? `mailflow.${ARGS[v.type]}[${JSON.stringify(v.property)}]` : "string";
          add(rule.meta.id, c.name, `import * as mailflow from "mailflow-guard/sdk";\nconst value: ${type} = ${v.code};\nvoid value;`);
        }
      }
    }
  }
  return out;
}

/** Each snippet's compiler errors, as `rule / case: message`; empty when every snippet compiles. */
function compileErrors(snippets: readonly Snippet[]): string[] {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    lib: ["lib.es2022.d.ts"],
    types: ["node"],
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
    baseUrl: ROOT,
    paths: { "mailflow-guard/sdk": ["src/sdk/index.ts"] },
  };
  const byFile = new Map(snippets.map((s) => [s.file, s]));
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => byFile.has(f) || fileExists.call(host, f);
  host.readFile = (f) => byFile.get(f)?.text ?? readFile.call(host, f);
  host.getSourceFile = (f, language, ...rest) => {
    const s = byFile.get(f);
    return s ? ts.createSourceFile(f, s.text, language) : getSourceFile.call(host, f, language, ...rest);
  };
  const program = ts.createProgram([...byFile.keys()], options, host);
  const errors: string[] = [];
  for (const s of snippets) {
    const sourceFile = program.getSourceFile(s.file)!;
    for (const d of [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)]) {
      const line = d.start !== undefined ? sourceFile.getLineAndCharacterOfPosition(d.start).line : -1;
      errors.push(`${s.rule} / ${s.caseName}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}\n  at: ${s.text.split("\n")[line] ?? ""}`);
    }
  }
  return errors;
}

describe("the Pulumi code of proven fixes", () => {
  let snippets: Snippet[] = [];
  beforeAll(async () => {
    await loadExtractors();
    snippets = snippetsOf(await loadTables());
  });

  it("rule tables yield snippets to check: declarations and values", () => {
    expect(snippets.some((s) => s.text.includes("new mailflow.Certificate("))).toBe(true);
    expect(snippets.some((s) => s.text.includes("const value: string ="))).toBe(true);
  });

  // exchangeOnlineCommand connects and sets $ErrorActionPreference itself; wrapping its script again prints the preamble twice.
  it("no snippet hands exchangeOnlineCommand a script that already has the preamble", () => {
    const doubled = snippets.filter((s) => s.text.includes("exchangeOnlineCommand(") && s.text.includes("exchangeOnlineScript(")).map((s) => `${s.rule} / ${s.caseName}`);
    expect(doubled).toEqual([]);
  });

  it("every snippet compiles against the SDK", () => {
    expect(compileErrors(snippets)).toEqual([]);
  });

  it("a snippet that does not compile is named by rule and case", () => {
    const broken: Snippet = { file: path.join(SNIPPET_DIR, "broken.ts"), rule: "some-rule", caseName: "some case", text: `import * as mailflow from "mailflow-guard/sdk";\nmailflow.setInboundConnector({ identity: 1 });\nexport {};\n` };
    const errors = compileErrors([broken]);
    expect(errors.length).toBe(1);
    expect(errors[0]!.startsWith("some-rule / some case: Type 'number' is not assignable to type 'Text'.")).toBe(true);
  });
});
