/**
 * Where series C's memory goes: runs one platform stack through the engine path in process and,
 * after a forced collection, prints what is still held at the end of the resource pass and after
 * each stack policy (`node --expose-gc --import tsx bench/memory-probe.ts [size] [--snapshot]`;
 * `--snapshot` also writes a heap snapshot at the end of the resource pass).
 */
import { writeHeapSnapshot } from "node:v8";
import { analyzeInProcess } from "../src/reporters/pulumi/in-process";
import { createPolicies } from "../src/reporters/pulumi/policies";
import { rules } from "../src/rules";
import { mixedTopology } from "./topology";

const size = Number(process.argv[2] ?? 40_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc");
const mib = (b: number): string => `${(b / 1024 / 1024).toFixed(0)} MiB`;

async function main(): Promise<void> {
  const resources = mixedTopology(size, 100);
  const policies = createPolicies(rules);
  const resourceCalls = size * policies.reduce((n, p) => n + ("validateResource" in p && p.validateResource ? (Array.isArray(p.validateResource) ? p.validateResource.length : 1) : 0), 0);
  let calls = 0;
  let packMs = 0;
  const probe = (when: string): void => {
    gc!();
    const m = process.memoryUsage();
    console.log(`${when}: heap used ${mib(m.heapUsed)}, external ${mib(m.external)}, rss ${mib(m.rss)}, peak rss so far ${mib(process.resourceUsage().maxRSS * 1024)}`);
  };
  const clock = {
    get packMs() {
      return packMs;
    },
    set packMs(v: number) {
      packMs = v;
      calls++;
      if (calls === resourceCalls) {
        probe("after the resource pass");
        if (process.argv.includes("--snapshot")) console.log(`heap snapshot: ${writeHeapSnapshot()}`);
      } else if (calls > resourceCalls) probe(`after stack policy ${calls - resourceCalls}`);
    },
  };
  probe("before");
  await analyzeInProcess(rules, resources, {}, { clock });
  console.log(`pack time ${packMs.toFixed(0)} ms over ${calls} policy calls`);
}

void main();
