/**
 * `npm run bench`: the whole pack in process — extraction, model, engine and every rule — on
 * generated managed-service topologies. Prints time per size and the growth ratio when the input
 * doubles. Target: 10,000 resources under 1 s; doubling the input at most 2.2× the time.
 */
import { Session } from "../src/reporters/pulumi/session";
import { rules } from "../src/rules";
import { mspTopology } from "./topology";

async function measure(size: number): Promise<{ ms: number; findings: number }> {
  const resources = mspTopology(size);
  const session = new Session();
  await session.ready();
  const start = performance.now();
  for (const r of resources) session.ingest(r);
  let findings = 0;
  for (const rule of rules) findings += session.findings(rule).length;
  return { ms: performance.now() - start, findings };
}

async function main(): Promise<void> {
  await measure(500); // warm-up: JIT and the PowerShell grammar
  const sizes = [100, 1_000, 5_000, 10_000];
  const results = new Map<number, number>();
  for (const size of sizes) {
    const runs: number[] = [];
    let findings = 0;
    for (let i = 0; i < 3; i++) {
      const r = await measure(size);
      runs.push(r.ms);
      findings = r.findings;
    }
    const best = Math.min(...runs);
    results.set(size, best);
    console.log(`${String(size).padStart(6)} resources: ${best.toFixed(1).padStart(8)} ms (best of 3), ${findings} findings`);
  }
  const ratio = results.get(10_000)! / results.get(5_000)!;
  console.log(`growth when the input doubles (5,000 → 10,000): ${ratio.toFixed(2)}×  (target ≤ 2.2×)`);
  console.log(`10,000 resources: ${results.get(10_000)!.toFixed(0)} ms  (target < 1000 ms)`);
  const ok = ratio <= 2.2 && results.get(10_000)! < 1000;
  console.log(ok ? "bench: within target" : "bench: OUTSIDE target");
  process.exitCode = ok ? 0 : 1;
}

void main();
