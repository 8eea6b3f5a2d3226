/**
 * `npm run bench`: the whole pack in process — extraction, model, engine and every rule — on
 * generated managed-service topologies, each measured against its floor (issue 15): in the same
 * process and on the same stack, what the pack cannot go below — parsing every PowerShell text it
 * must read with the tree-sitter grammar and nothing else (bench/floor.ts), plus, on the engine
 * paths, the copy of the props the engine makes for every policy call. Absolute times on a shared
 * machine move 2× from run to run; the ratio to the floor measured beside them does not.
 *  A. the whole stack read once (the stack pass, `npm run demo`): 100 to 40,000 resources.
 *     Target: ≤ 1.3× its parse floor.
 *  B. as the engine drives the pack in a preview: every resource through every resource policy in
 *     registration order (which read it), then the stack policies (which judge the whole stack), on
 *     stacks where every resource states mail flow. Its time is the time inside the pack's policies
 *     plus the engine's copies. Target: ≤ 2× its floor.
 *  C. the same engine path on stacks of which 1 resource in 100 states mail flow (a platform stack).
 *     Target: ≤ 1.5× the floor of its mail-flow resources alone (the other resources' copies are
 *     the engine's work and are in neither figure).
 *  D. path B in an update (`pulumi up`), where each resource is also checked as it registers, so the
 *     update stops before the resource that completes a conflict: printed, not targeted.
 *  E–I. hostile shapes (issue 11, bench/hostile.ts) on the engine path: a gateway presenting 200
 *     wildcard names against many connectors, props nested 80 levels, 1 MB scripts, a long remote
 *     `powershell -Command "…"`, and a backtracking exemption glob. Each has a time budget: a shape
 *     that runs past it prints "stalled" and is outside target.
 *  J–K. (issue 23) one script of N connectors beside N certificate descriptors, and ten descriptors
 *     whose names are N characters long: a resource's cost stays linear in its size whatever else the
 *     stack declares.
 * For A–D each line also prints what no pack built on these parts can go below — the floor, plus
 * reading every named node of the trees once through web-tree-sitter's node API, plus on the engine
 * paths the calls of an empty pack with as many policies — and the verdict says when a target lies
 * below it (then no change to the pack can meet it; the figure shows how far the pack is from it).
 * Every series: growth ≤ 2.0× per doubling (up to 40,000 resources for A–D), and the peak memory of
 * the process at its largest size, which must stay under 1 GiB. The script cache is emptied before
 * every measurement: each run reads every text cold, as a fresh policy server would.
 * To see where the time or memory goes: bench/profile-whole-stack.ts (A, under `node --cpu-prof`) and
 * bench/memory-probe.ts (C, what is held after each pass, under `node --expose-gc`).
 */
import { spawnSync } from "node:child_process";
import type { InventoryConfig } from "../src/config/schema";
import { loadPowerShellGrammar } from "../src/extractors/powershell/grammar";
import { clearScriptCache } from "../src/extractors/powershell/script-cache";
import { analyzeInProcess, type StackResource } from "../src/reporters/pulumi/in-process";
import { createPolicies } from "../src/reporters/pulumi/policies";
import type { RunMode } from "../src/runner/passes";
import { Session } from "../src/runner/session";
import { StackVerdict } from "../src/runner/stack-verdict";
import { rules } from "../src/rules";
import { copiesPerResource, copyFloorMs, emptyPackMs, parseFloorMs, readFloorMs, scriptsToParse, treeWalkMs } from "./floor";
import { backtrackingExemption, certificatesAndOneScript, deepProps, hugeScript, longDescriptorNames, remotePowerShellCommand, wildcardGateway } from "./hostile";
import { mixedTopology, mspTopology } from "./topology";

const TARGET_GROWTH = 2.0;
const MEMORY_LIMIT_BYTES = 1024 * 1024 * 1024;

/**
 * One measurement: the series' time and, on the same stack, its floor (parse + engine copies), and
 * for A–D what no pack built on these parts can go below: the floor, plus reading every named node of
 * the trees once (`readMs`), plus on the engine paths the calls of an empty pack with as many
 * policies (`callsMs`, on every resource).
 */
interface Measurement {
  ms: number;
  parseMs: number;
  copyMs: number;
  readMs?: number;
  callsMs?: number;
}
const floorOf = (m: Measurement): number => m.parseMs + m.copyMs;
const leastOf = (m: Measurement): number => floorOf(m) + (m.readMs ?? 0) + (m.callsMs ?? 0);

/**
 * `--least`: a series' process measures what no pack can go below instead of the pack (in a process
 * of its own: the empty pack's copies and the node objects read would count in the pack's peak memory).
 */
const LEAST = process.argv.includes("--least");

async function wholeStackOnce(size: number): Promise<Measurement> {
  const resources = mspTopology(size);
  if (LEAST) return leastOn(resources);
  clearScriptCache();
  const session = new Session({ wholeStack: true });
  await session.ready();
  const start = performance.now();
  for (const r of resources) session.ingest(r);
  // As the stack pass judges it: the canonical deployment order, every rule.
  const verdict = new StackVerdict(session, {});
  for (const rule of rules) verdict.findings(rule);
  const ms = performance.now() - start;
  return { ms, parseMs: parseFloorMs(scriptsToParse(resources)), copyMs: 0 };
}

const POLICIES = createPolicies(rules);
const COPIES = copiesPerResource(POLICIES);

/**
 * The engine path: the time inside the pack's policies plus the engine's per-call copies of
 * `floorResources` (all of them, or the mail-flow ones alone for C), against parsing their texts plus
 * the same copies.
 */
async function enginePath(resources: readonly StackResource[], config: InventoryConfig = {}, floorResources: readonly StackResource[] = resources, mode: RunMode = "preview"): Promise<Measurement> {
  clearScriptCache();
  const clock = { packMs: 0 };
  await analyzeInProcess(rules, resources, config, { clock, mode });
  const copyMs = copyFloorMs(floorResources, COPIES);
  return { ms: clock.packMs + copyMs, parseMs: parseFloorMs(scriptsToParse(floorResources)), copyMs };
}

/**
 * What no pack can go below on a stack (`--least`): the floor of `floorResources` plus reading their
 * trees once; on the engine paths (`engine`) also their copies and an empty pack's calls on every resource.
 */
async function leastOn(floorResources: readonly StackResource[], engine?: { resources: readonly StackResource[] }): Promise<Measurement> {
  const texts = scriptsToParse(floorResources);
  const parts = { ms: 0, parseMs: parseFloorMs(texts), copyMs: engine ? copyFloorMs(floorResources, COPIES) : 0, readMs: readFloorMs(texts) };
  return engine ? { ...parts, callsMs: await emptyPackMs(engine.resources, POLICIES) } : parts;
}

/** The engine path, or with `--least` what no pack can go below on it (A–D; the hostile shapes are judged on growth alone). */
function enginePathWithLeast(resources: readonly StackResource[], config: InventoryConfig = {}, floorResources: readonly StackResource[] = resources, mode: RunMode = "preview"): Promise<Measurement> {
  return LEAST ? leastOn(floorResources, { resources }) : enginePath(resources, config, floorResources, mode);
}

function platformStack(size: number): Measurement | Promise<Measurement> {
  const resources = mixedTopology(size, 100);
  return enginePathWithLeast(resources, {}, resources.filter((r) => !r.type.startsWith("aws:")));
}

/** Best of `runs`, each part on its own: the pack's time and the floor are both at the mercy of the machine. */
async function best(runs: number, measure: () => Promise<Measurement>): Promise<Measurement> {
  const all: Measurement[] = [];
  for (let i = 0; i < runs; i++) all.push(await measure());
  const fastest = (part: (m: Measurement) => number | undefined): number | undefined => (all[0] && part(all[0]) !== undefined ? Math.min(...all.map((m) => part(m)!)) : undefined);
  const readMs = fastest((m) => m.readMs);
  const callsMs = fastest((m) => m.callsMs);
  return { ms: fastest((m) => m.ms)!, parseMs: fastest((m) => m.parseMs)!, copyMs: fastest((m) => m.copyMs)!, ...(readMs !== undefined ? { readMs } : {}), ...(callsMs !== undefined ? { callsMs } : {}) };
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
  /** The most the series may cost, as a multiple of its floor at its largest size (printed only when absent). */
  floorRatio?: number;
  measure(size: number): Promise<Measurement>;
  /** A hostile shape: warmed up at its smallest size, one run per size (the budget buys more sizes), its growth taken over every size, killed past its budget. */
  hostile?: { budgetMs: number; unit: string };
}

const SIZES = process.env.BENCH_SIZES ? process.env.BENCH_SIZES.split(",").map(Number) : [1_000, 2_500, 5_000, 10_000, 20_000, 40_000];
const SERIES: Record<string, Series> = {
  A: { title: "A. whole stack read once (extraction, model, engine, every rule)", sizes: [100, ...SIZES], floorRatio: 1.3, measure: wholeStackOnce },
  B: { title: "B. engine path of a preview, every resource states mail flow (each resource read, then the whole-stack check)", sizes: SIZES, floorRatio: 2, measure: (n) => enginePathWithLeast(mspTopology(n)) },
  C: { title: "C. engine path, resources of which 1 in 100 states mail flow (floor: its mail-flow resources alone)", sizes: SIZES, floorRatio: 1.5, measure: async (n) => platformStack(n) },
  D: { title: "D. engine path of an update on B's stacks (each resource also checked as it registers, then the whole-stack check)", sizes: SIZES, measure: (n) => enginePathWithLeast(mspTopology(n), {}, undefined, "update") },
  E: hostile("E. a gateway presenting 200 wildcard names, against N inbound connector resources", [250, 500, 1_000, 2_000], "connectors", (n) => enginePath(wildcardGateway(n))),
  F: hostile("F. N commands with props nested 80 levels deep, re-read by every policy call", [250, 500, 1_000, 2_000], "resources", (n) => enginePath(deepProps(n))),
  G: hostile("G. one script of N bytes (1 MB at the largest)", [131_072, 262_144, 524_288, 1_048_576], "bytes", (n) => enginePath(hugeScript(n))),
  H: hostile('H. a remote `powershell -Command "…"` of N lines', [1_000, 2_000, 4_000, 8_000], "lines", (n) => enginePath(remotePowerShellCommand(n))),
  I: hostile("I. exemption glob `*a*a*a*a*a*a*a*a*b` against N findings on 51-character names", [8, 16, 32, 64], "findings", (n) => {
    const { resources, config } = backtrackingExemption(n);
    return enginePath(resources, config);
  }),
  J: hostile("J. N certificate descriptors beside one script of N connectors pinned to them", [200, 400, 800, 1_600], "connectors", (n) => enginePath(certificatesAndOneScript(n))),
  K: hostile("K. ten gateway descriptors whose names are N characters long", [12_500, 25_000, 50_000, 100_000], "characters", (n) => enginePath(longDescriptorNames(n))),
};

function hostile(title: string, sizes: number[], unit: string, measure: (size: number) => Promise<Measurement>): Series {
  return { title, sizes, measure, hostile: { budgetMs: 40_000, unit } };
}

/** What no pack can go below, as a multiple of the floor, with its parts: printed when measured. */
function leastPart(m: Measurement): string {
  if (m.readMs === undefined) return "";
  const calls = m.callsMs !== undefined ? ` + an empty pack's calls ${m.callsMs.toFixed(1)} ms` : "";
  return `, least any pack ${(leastOf(m) / floorOf(m)).toFixed(2)}× it (+ reading each node once ${m.readMs.toFixed(1)} ms${calls})`;
}

const line = (size: number, unit: string, m: Measurement, runs: number): string =>
  LEAST
    ? `${String(size).padStart(8)} ${unit}: floor ${ms(floorOf(m))}${leastPart(m)} (best of ${runs})`
    : `${String(size).padStart(8)} ${unit}: ${ms(m.ms)}, floor ${ms(floorOf(m))} (parse ${m.parseMs.toFixed(1)} ms, copies ${m.copyMs.toFixed(1)} ms): ${(m.ms / floorOf(m)).toFixed(2)}× the floor (best of ${runs})`;

/** One series in this process: a warm-up at 2,500 resources (JIT, the grammar, the heap), then best of three per size (two from 20,000). */
async function measureSeries(s: Series): Promise<Map<number, Measurement>> {
  // A hostile shape may stall at its largest size: it warms up at its smallest.
  await s.measure(s.hostile ? Math.min(...s.sizes) : 2_500);
  console.log(LEAST ? "  what no pack can go below on the same stacks (measured in a process of its own):" : s.title);
  const results = new Map<number, Measurement>();
  for (const size of s.sizes) {
    const runs = s.hostile ? 1 : size >= 20_000 ? 2 : 3;
    const m = await best(runs, () => s.measure(size));
    results.set(size, m);
    console.log(line(size, s.hostile?.unit ?? "resources", m, runs));
    console.log(`${POINT}${JSON.stringify([size, m])}`);
  }
  return results;
}

/**
 * Growth per doubling, averaged from 2,500 resources to the largest size measured: a single doubling
 * is at the mercy of when the garbage collector happens to run.
 */
function growthPerDoubling(results: Map<number, Measurement>): { growth: number; from: number; to: number } {
  const from = 2_500;
  const to = Math.max(...results.keys());
  return { growth: (results.get(to)!.ms / results.get(from)!.ms) ** (1 / Math.log2(to / from)), from, to };
}

/** A hostile shape's growth per doubling: each doubling printed, judged on the average over every size. */
function hostileVerdict(s: Series, results: Map<number, Measurement>, stalled: boolean): void {
  const sizes = [...results.keys()];
  for (let i = 1; i < sizes.length; i++) {
    const growth = (results.get(sizes[i]!)!.ms / results.get(sizes[i - 1]!)!.ms) ** (1 / Math.log2(sizes[i]! / sizes[i - 1]!));
    console.log(`  ${sizes[i - 1]!.toLocaleString("en")} → ${sizes[i]!.toLocaleString("en")} ${s.hostile!.unit}: ${growth.toFixed(2)}× per doubling`);
  }
  if (stalled) {
    judge(`stalled: past its ${s.hostile!.budgetMs / 1000} s budget after ${sizes.length} of ${s.sizes.length} sizes`, false);
    return;
  }
  const first = sizes[0]!;
  const last = sizes[sizes.length - 1]!;
  const growth = (results.get(last)!.ms / results.get(first)!.ms) ** (1 / Math.log2(last / first));
  judge(`each doubling from ${first.toLocaleString("en")} to ${last.toLocaleString("en")} ${s.hostile!.unit} costs ${growth.toFixed(2)}× (≤ ${TARGET_GROWTH}×)`, growth <= TARGET_GROWTH);
}

/** Judges a series: its ratio to the floor at its largest size, its growth, and its peak memory at 40,000 resources. */
function verdict(s: Series, results: Map<number, Measurement>, leastResults: Map<number, Measurement>, peakBytes: number): void {
  const largest = Math.max(...results.keys());
  const m = results.get(largest)!;
  const ratio = m.ms / floorOf(m);
  const at = `${largest.toLocaleString("en")} resources`;
  if (s.floorRatio !== undefined) judge(`${at}: ${ratio.toFixed(2)}× its floor (≤ ${s.floorRatio}×)`, ratio <= s.floorRatio);
  else console.log(`  ${at}: ${ratio.toFixed(2)}× its floor`);
  // Whether the target is reachable at all with these parts: the grammar read through web-tree-sitter's node API, the engine's policy calls.
  const l = leastResults.get(largest);
  if (l) {
    const least = leastOf(l) / floorOf(l);
    const pack = `the pack: ${(ratio / least).toFixed(2)}× that`;
    if (s.floorRatio !== undefined && least > s.floorRatio) console.log(`  the target is below what any pack costs here: ${least.toFixed(2)}× the floor before doing anything with what it read (${pack})`);
    else console.log(`  least any pack: ${least.toFixed(2)}× the floor (${pack})`);
  }
  const { growth, from, to } = growthPerDoubling(results);
  judge(`each doubling from ${from.toLocaleString("en")} to ${to.toLocaleString("en")} costs ${growth.toFixed(2)}× (≤ ${TARGET_GROWTH}×)`, growth <= TARGET_GROWTH);
  judge(`peak memory at ${at}: ${(peakBytes / 1024 / 1024).toFixed(0)} MiB (< 1 GiB)`, peakBytes < MEMORY_LIMIT_BYTES);
}

/**
 * Each series runs in a process of its own (this script with `--series X`): measured after another
 * series, a series pays for the garbage that one left, and its growth drifts with it.
 */
function runInOwnProcess(id: string, least = false): { results: Map<number, Measurement>; stalled: boolean; peakBytes: number } {
  const budget = SERIES[id]!.hostile?.budgetMs;
  const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, "--series", id, ...(least ? ["--least"] : [])], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], ...(budget ? { timeout: budget, killSignal: "SIGKILL" } : {}) });
  const lines = (child.stdout ?? "").split("\n");
  const result = lines.find((l) => l.startsWith(RESULT));
  for (const line of lines) if (line && !line.startsWith(RESULT) && !line.startsWith(POINT)) console.log(line);
  if (budget && !result) {
    // Killed past its budget: what it measured before is still printed and judged.
    const points = lines.filter((l) => l.startsWith(POINT)).map((l) => JSON.parse(l.slice(POINT.length)) as [number, Measurement]);
    console.log(`  stalled: series ${id} ran past its ${budget / 1000} s budget`);
    return { results: new Map(points), stalled: true, peakBytes: 0 };
  }
  if (child.status !== 0 || !result) throw new Error(`bench: series ${id} failed (exit ${child.status})`);
  const { points, peakBytes } = JSON.parse(result.slice(RESULT.length)) as { points: Array<[number, Measurement]>; peakBytes: number };
  return { results: new Map(points), stalled: false, peakBytes };
}

/** Issue 15's question: would reading the syntax tree with a TreeCursor pay, against node objects? Printed, not judged. */
function printTreeWalk(): void {
  const texts = scriptsToParse(mspTopology(10_000));
  treeWalkMs(texts);
  const { nodeObjects, cursor, nodes } = treeWalkMs(texts);
  console.log(`  reading every named node of the 10,000-resource stack's trees (${nodes.toLocaleString("en")} nodes): node objects ${nodeObjects.toFixed(1)} ms, TreeCursor ${cursor.toFixed(1)} ms (the cursor takes ${(cursor / nodeObjects).toFixed(2)}× the time)`);
}

const RESULT = "RESULT ";
const POINT = "POINT ";

async function main(): Promise<void> {
  const only = process.argv.indexOf("--series");
  if (only >= 0) {
    const id = process.argv[only + 1]!;
    // The pack loads the grammar in its sessions; the yardstick alone must load it itself.
    await loadPowerShellGrammar();
    const results = await measureSeries(SERIES[id]!);
    // The process's peak resident memory: reached at the largest size.
    const peakBytes = process.resourceUsage().maxRSS * 1024;
    if (id === "A" && LEAST) printTreeWalk();
    console.log(`${RESULT}${JSON.stringify({ points: [...results], peakBytes })}`);
    return;
  }
  // `--only E,F`: just those series.
  const onlyArg = process.argv.indexOf("--only");
  const ids = onlyArg >= 0 ? process.argv[onlyArg + 1]!.split(",") : Object.keys(SERIES);
  for (const id of ids) {
    const s = SERIES[id]!;
    const { results, stalled, peakBytes } = runInOwnProcess(id);
    if (s.hostile) hostileVerdict(s, results, stalled);
    else verdict(s, results, runInOwnProcess(id, true).results, peakBytes);
  }
  const ok = verdicts.every((v) => v.ok);
  console.log(ok ? "bench: within target" : `bench: OUTSIDE target (${verdicts.filter((v) => !v.ok).length} of ${verdicts.length})`);
  process.exitCode = ok ? 0 : 1;
}

void main();
