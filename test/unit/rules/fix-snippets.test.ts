/**
 * Every `fix.pulumi` snippet a rule-table case produces must compile against the SDK it tells users to
 * import: one TypeScript program for all snippets (fast), the SDK import specifier mapped to src/sdk
 * through compilerOptions.paths. A snippet that does not compile fails with its rule id and case name.
 */
import { readdirSync } from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { loadExtractors } from "../../../src/extractors";
import type { Rule } from "../../../src/rules/utils/define-rule";
import { stackFindings, type InvalidCase, type ValidCase } from "../support/rule-tester";

const ROOT = path.resolve(__dirname, "../../..");
const CASES_DIR = path.join(__dirname, "cases");
/** Both spellings users may have been told; the relative one is rewritten so `paths` can map it. */
const SDK_SPECIFIERS = ["./mailflow-guard/src/sdk", "mailflow-guard/sdk"];
const SNIPPET_DIR = path.join(ROOT, "__fix_snippets__");
/** What a snippet leaves to the user's program: the on-premises server connection. */
const PRELUDE = `declare const exchangeServer: import("@pulumi/command").types.input.remote.ConnectionArgs;\n`;

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
  for (const { rule, cases } of tables) {
    for (const c of cases.invalid) {
      for (const f of stackFindings(rule, c.resources, c.config)) {
        const text = SDK_SPECIFIERS.reduce((t, s) => t.split(`"${s}"`).join(`"mailflow-guard/sdk"`), f.fix.pulumi);
        out.push({ file: path.join(SNIPPET_DIR, `snippet-${out.length}.ts`), rule: rule.meta.id, caseName: c.name, text: `${PRELUDE}${text}\nexport {};\n` });
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

describe("fix.pulumi snippets", () => {
  let snippets: Snippet[] = [];
  beforeAll(async () => {
    await loadExtractors();
    snippets = snippetsOf(await loadTables());
  });

  it("every rule table yields snippets to check", () => {
    expect(new Set(snippets.map((s) => s.rule)).size).toBe(readdirSync(CASES_DIR).filter((f) => f.endsWith(".cases.ts")).length);
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
    expect(errors[0]!.startsWith("some-rule / some case: Type 'number' is not assignable to type 'string'.")).toBe(true);
  });
});
