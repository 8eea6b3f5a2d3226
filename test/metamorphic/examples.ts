/**
 * The example programs (examples/<dir>/index.ts) as stacks: each runs in process under
 * `pulumi.runtime.setMocks` with config `variant` = incident and fixed, and every resource it registers
 * is collected (inputs as the policy pack receives them). The program is transpiled and run fresh per
 * variant, with the same @pulumi/pulumi instance the mocks are set on.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import * as ts from "typescript";
import * as sdk from "../../src/sdk";
import type { TestResource } from "../unit/support/stack";
import type { TestStack } from "./sources";

const EXAMPLES = resolve(__dirname, "../../examples");
export const VARIANTS = ["incident", "fixed"] as const;

const projectOf = (dir: string): string => /^name:\s*(\S+)/m.exec(readFileSync(join(EXAMPLES, dir, "Pulumi.yaml"), "utf8"))?.[1] ?? dir;

/** Props as the policy pack sees a dynamic resource's inputs, without the serialized provider. */
function propsOf(inputs: Record<string, unknown>): Record<string, unknown> {
  const { __provider: _provider, ...rest } = inputs;
  return rest;
}

function runProgram(source: string, modules: Record<string, unknown>): void {
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
  const module = { exports: {} as Record<string, unknown> };
  const requireModule = (id: string): unknown => {
    if (id in modules) return modules[id];
    throw new Error(`example imports ${id}, which the metamorphic runner does not provide`);
  };
  new Function("require", "module", "exports", js)(requireModule, module, module.exports);
}

/** Examples whose variants are chosen by another config key (see each example's header). */
const OTHER_VARIANTS: Record<string, { key: string; values: readonly string[] }> = {
  "fail-closed": {
    key: "case",
    values: ["param-same-line", "block-param", "hashtable-loop", "cipp-wrapper", "dsc-configuration", "stdin", "placeholder", "identity-r9", "identity-r1", "ip-owner", "relay-own-tenant"],
  },
  "powershell-spellings": {
    key: "spelling",
    values: ["plain", "enum-case", "invoke-command", "call-operator", "function", "prefix", "module-qualified", "posix-cd", "posix-env", "posix-exec", "dedicated", "exchange-certificate", "two-organisations", "dynamic", "unknown-interpreter"],
  },
};

export async function exampleStack(dir: string, variant: string): Promise<TestStack> {
  const project = projectOf(dir);
  const resources: TestResource[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        resources.push({ type: args.type, name: args.name, props: propsOf(args.inputs as Record<string, unknown>) });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    project,
    "metamorphic",
    true,
  );
  pulumi.runtime.setConfig(`${project}:${OTHER_VARIANTS[dir]?.key ?? "variant"}`, variant);
  runProgram(readFileSync(join(EXAMPLES, dir, "index.ts"), "utf8"), { "@pulumi/pulumi": pulumi, "@pulumi/command": command, "mailflow-guard/sdk": sdk });
  await pulumi.runtime.disconnect();
  return { name: `example ${dir} (${variant})`, resources };
}

export async function exampleStacks(): Promise<TestStack[]> {
  const dirs = readdirSync(EXAMPLES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const stacks: TestStack[] = [];
  for (const dir of dirs) for (const variant of OTHER_VARIANTS[dir]?.values ?? VARIANTS) stacks.push(await exampleStack(dir, variant));
  return stacks;
}
