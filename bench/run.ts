/**
 * `npm run bench`: the whole pack in process — extraction, model, engine and every rule — on
 * generated managed-service topologies.
 *  A. the whole stack read once (the stack pass, `npm run demo`): 100 to 10,000 resources. This is
 *     issue 4's measure: 10,000 resources under 1 s, and doubling the input at most 2.2× the time.
 *  B. as the engine drives the pack: every resource through every resource policy in registration
 *     order, then the stack policies, on stacks where every resource states mail flow;
 *  C. the same engine path on 10,000 resources of which 1 in 100 states mail flow (a platform stack);
 *  D. path B with `checkEachResource: false` (every verdict at stack level).
 * The engine paths do more than A by design (each rule answers for every resource as it arrives,
 * then again for the whole stack; every policy call receives its own copy of the resource), so
 * their time is printed and their growth is held to the same 2.2× per doubling: a pack that grew
 * faster would stall `pulumi preview` on large stacks.
 */
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

/**
 * The pack's time on the engine path: the whole run, less what making each policy call's copy of
 * the resource costs (the policy server's part, measured alone in the same pattern).
 */
async function enginePath(resources: ReturnType<typeof mspTopology>, config: InventoryConfig = {}): Promise<number> {
  const timed = async (copiesOnly: boolean) => {
    const start = performance.now();
    await analyzeInProcess(rules, resources, config, copiesOnly);
    return performance.now() - start;
  };
  const copies = await timed(true);
  return (await timed(false)) - copies;
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

async function series(title: string, sizes: number[], runs: number, measure: (size: number) => Promise<number>): Promise<Map<number, number>> {
  console.log(title);
  const results = new Map<number, number>();
  for (const size of sizes) {
    const t = await best(runs, () => measure(size));
    results.set(size, t);
    console.log(`${String(size).padStart(8)} resources: ${ms(t)} (best of ${runs})`);
  }
  return results;
}

async function main(): Promise<void> {
  await wholeStackOnce(10_000); // warm-up at full size: JIT, the PowerShell grammar and the heap

  const a = await series("A. whole stack read once (extraction, model, engine, every rule)", [100, 1_000, 5_000, 10_000], 3, wholeStackOnce);
  const growthA = a.get(10_000)! / a.get(5_000)!;
  judge(`10,000 resources in ${a.get(10_000)!.toFixed(0)} ms (< ${TARGET_MS} ms)`, a.get(10_000)! < TARGET_MS);
  judge(`doubling 5,000 → 10,000 costs ${growthA.toFixed(2)}× (≤ ${TARGET_GROWTH}×)`, growthA <= TARGET_GROWTH);

  const b = await series("B. engine path, every resource states mail flow (resource policies, then stack policies)", [1_000, 5_000, 10_000], 2, (n) => enginePath(mspTopology(n)));
  const growthB = b.get(10_000)! / b.get(5_000)!;
  console.log(`  engine path: 10,000 resources in ${b.get(10_000)!.toFixed(0)} ms (${(b.get(10_000)! / a.get(10_000)!).toFixed(1)}× the whole stack read once)`);
  judge(`doubling 5,000 → 10,000 costs ${growthB.toFixed(2)}× (≤ ${TARGET_GROWTH}×)`, growthB <= TARGET_GROWTH);

  const c = await series("C. engine path, resources of which 1 in 100 states mail flow", [5_000, 10_000], 3, (n) => enginePath(mixedTopology(n, 100)));
  const growthC = c.get(10_000)! / c.get(5_000)!;
  console.log(`  engine path: 10,000 resources in ${c.get(10_000)!.toFixed(0)} ms`);
  judge(`doubling 5,000 → 10,000 costs ${growthC.toFixed(2)}× (≤ ${TARGET_GROWTH}×)`, growthC <= TARGET_GROWTH);

  const d = await series("D. engine path as B, with checkEachResource: false (every verdict at stack level)", [1_000, 5_000, 10_000], 2, (n) => enginePath(mspTopology(n), { checkEachResource: false }));
  const growthD = d.get(10_000)! / d.get(5_000)!;
  console.log(`  engine path: 10,000 resources in ${d.get(10_000)!.toFixed(0)} ms`);
  judge(`doubling 5,000 → 10,000 costs ${growthD.toFixed(2)}× (≤ ${TARGET_GROWTH}×)`, growthD <= TARGET_GROWTH);

  const ok = verdicts.every((v) => v.ok);
  console.log(ok ? "bench: within target" : `bench: OUTSIDE target (${verdicts.filter((v) => !v.ok).length} of ${verdicts.length})`);
  process.exitCode = ok ? 0 : 1;
}

void main();
