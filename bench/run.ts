/**
 * `npm run bench`: the whole pack in process — extraction, model, engine and every rule — on
 * generated managed-service topologies.
 *  A. the whole stack read once (the stack pass, `npm run demo`): 100 to 10,000 resources. This is
 *     issue 4's measure: 10,000 resources under 1 s, and doubling the input at most 2.2× the time.
 *  B. as the engine drives the pack: every resource through every resource policy in registration
 *     order, then the stack policies, on stacks where every resource states mail flow;
 *  C. the same engine path on stacks of which 1 resource in 100 states mail flow (a platform stack);
 *  D. path B with `checkEachResource: false` (every verdict at stack level).
 * The engine paths do more than A by design (each rule answers for every resource as it arrives,
 * then again for the whole stack), so their time is printed and their growth is held to the same
 * 2.2× per doubling: a pack that grew faster would stall `pulumi preview` on large stacks. Only the
 * time inside the pack's policies counts: the copy of the resource each call receives is the policy
 * server's work.
 */
import { spawnSync } from "node:child_process";
import type { InventoryConfig } from "../src/config/schema";
import { analyzeInProcess } from "../src/reporters/pulumi/in-process";
import { Session } from "../src/reporters/pulumi/session";
import { rules } from "../src/rules";
import { mixedTopology, mspTopology } from "./topology";

const TARGET_MS = 1000;
const TARGET_GROWTH = 2.2;

async function wholeStackOnce(size: number): Promise<number> {
  const resources = mspTopology(size);
  const session = new Session({ wholeStack: true });
  await session.ready();
  const start = performance.now();
  for (const r of resources) session.ingest(r);
  for (const rule of rules) session.findings(rule);
  return performance.now() - start;
}

/** The pack's time on the engine path: the time spent inside its policies (the copies each call receives are the server's part). */
async function enginePath(resources: ReturnType<typeof mspTopology>, config: InventoryConfig = {}): Promise<number> {
  const clock = { packMs: 0 };
  await analyzeInProcess(rules, resources, config, clock);
  return clock.packMs;
}

async function best(runs: number, measure: () => Promise<number>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await measure());
  return Math.min(...times);
}

const ms = (t: number): string => `${t.toFixed(1).padStart(9)} ms`;
const verdicts: Array<{ what: string; ok: boolean }> = [];
const judge = (what: string, ok: boolean): void => {
  verdicts.push({ what, ok });
  console.log(`  ${ok ? "within target" : "OUTSIDE target"}: ${what}`);
};

interface Series {
  title: string;
  sizes: number[];
  /** Issue 4's measure is judged on its time too; the engine paths on their growth. */
  target: "time and growth" | "growth";
  measure(size: number): Promise<number>;
}

const SIZES = [1_000, 2_500, 5_000, 10_000];
const SERIES: Record<string, Series> = {
  A: { title: "A. whole stack read once (extraction, model, engine, every rule)", sizes: [100, ...SIZES], target: "time and growth", measure: wholeStackOnce },
  B: { title: "B. engine path, every resource states mail flow (resource policies, then stack policies)", sizes: SIZES, target: "growth", measure: (n) => enginePath(mspTopology(n)) },
  // Mostly resources outside mail flow: cheap enough to follow to 40,000 resources.
  C: { title: "C. engine path, resources of which 1 in 100 states mail flow", sizes: [...SIZES, 20_000, 40_000], target: "growth", measure: (n) => enginePath(mixedTopology(n, 100)) },
  D: { title: "D. engine path as B, with checkEachResource: false (every verdict at stack level)", sizes: SIZES, target: "growth", measure: (n) => enginePath(mspTopology(n), { checkEachResource: false }) },
};

/** One series in this process: a warm-up at its largest size (JIT, the grammar, the heap), then best of three per size. */
async function measureSeries(s: Series): Promise<Map<number, number>> {
  await s.measure(Math.max(...s.sizes));
  console.log(s.title);
  const results = new Map<number, number>();
  for (const size of s.sizes) {
    const t = await best(3, () => s.measure(size));
    results.set(size, t);
    console.log(`${String(size).padStart(8)} resources: ${ms(t)} (best of 3)`);
  }
  return results;
}
/**
 * Growth per doubling, averaged from 2,500 resources to the largest size measured: a single doubling
 * is at the mercy of when the garbage collector happens to run.
 */
function growthPerDoubling(results: Map<number, number>): { growth: number; from: number; to: number } {
  const from = 2_500;
  const to = Math.max(...results.keys());
  return { growth: (results.get(to)! / results.get(from)!) ** (1 / Math.log2(to / from)), from, to };
}

/** Judges a series: its growth always; its time at 10,000 resources against the target when it is issue 4's measure. */
function verdict(results: Map<number, number>, target: "time and growth" | "growth"): void {
  const t = results.get(10_000)!;
  if (target === "time and growth") judge(`10,000 resources in ${t.toFixed(0)} ms (< ${TARGET_MS} ms)`, t < TARGET_MS);
  else console.log(`  engine path: 10,000 resources in ${t.toFixed(0)} ms`);
  const { growth, from, to } = growthPerDoubling(results);
  judge(`each doubling from ${from.toLocaleString("en")} to ${to.toLocaleString("en")} costs ${growth.toFixed(2)}× (≤ ${TARGET_GROWTH}×)`, growth <= TARGET_GROWTH);
}

/**
 * Each series runs in a process of its own (this script with `--series X`): measured after another
 * series, a series pays for the garbage that one left, and its growth drifts with it.
 */
function runInOwnProcess(id: string): Map<number, number> {
  const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, "--series", id], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  const lines = child.stdout.split("\n");
  const result = lines.find((l) => l.startsWith(RESULT));
  for (const line of lines) if (line && !line.startsWith(RESULT)) console.log(line);
  if (child.status !== 0 || !result) throw new Error(`bench: series ${id} failed (exit ${child.status})`);
  return new Map(JSON.parse(result.slice(RESULT.length)) as Array<[number, number]>);
}

const RESULT = "RESULT ";

async function main(): Promise<void> {
  const only = process.argv.indexOf("--series");
  if (only >= 0) {
    const results = await measureSeries(SERIES[process.argv[only + 1]!]!);
    console.log(`${RESULT}${JSON.stringify([...results])}`);
    return;
  }
  for (const [id, s] of Object.entries(SERIES)) verdict(runInOwnProcess(id), s.target);
  const ok = verdicts.every((v) => v.ok);
  console.log(ok ? "bench: within target" : `bench: OUTSIDE target (${verdicts.filter((v) => !v.ok).length} of ${verdicts.length})`);
  process.exitCode = ok ? 0 : 1;
}

void main();
