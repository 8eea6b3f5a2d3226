/**
 * The example programs type-check against the compiled SDK imported by package name
 * (`mailflow-guard/sdk`, node_modules/mailflow-guard linked to the repository by the prepare step or
 * the vitest global setup): with "node" module resolution (typesVersions, as the examples and
 * `pulumi new typescript` set it) and with "nodenext" (package exports, Pulumi's default without a
 * tsconfig.json).
 */
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import * as ts from "typescript";
import { describe, expect, it } from "vitest";

const EXAMPLES = resolve(__dirname, "..", "..", "examples");
const programs = readdirSync(EXAMPLES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => join(EXAMPLES, d.name, "index.ts"));

function diagnostics(options: ts.CompilerOptions): string[] {
  const program = ts.createProgram(programs, { strict: true, target: ts.ScriptTarget.ES2022, esModuleInterop: true, skipLibCheck: true, noEmit: true, types: ["node"], ...options });
  return ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
}

const sdkDeclarations = (options: ts.CompilerOptions): string | undefined =>
  ts.resolveModuleName("mailflow-guard/sdk", programs[0]!, options, ts.sys).resolvedModule?.resolvedFileName;

describe("examples import mailflow-guard/sdk and type-check", () => {
  it("finds nine example programs", () => {
    expect(programs.length).toBe(9);
  });

  it.each([
    ["node (typesVersions)", { module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10 }],
    ["nodenext (exports)", { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext }],
  ])("with %s module resolution", (_name, options) => {
    expect(sdkDeclarations(options)).toBe(join(resolve(EXAMPLES, ".."), "dist", "src", "sdk", "index.d.ts"));
    expect(diagnostics(options)).toEqual([]);
  });
});
