/**
 * Metamorphic fuzzing: `tsx scripts/fuzz-metamorphic.ts --rewrites 10000 --seed N [--operators a,b]`.
 * Rewrites the scripts of every rule-table case and example stack with random chains of
 * semantics-preserving operators and checks each verdict equals the original's. Prints the rewrites
 * tried, how often each operator ran, the invariance, and every failure; exits 1 on any failure.
 */
import { loadExtractors } from "../src/extractors";
import { exampleStacks } from "../test/metamorphic/examples";
import { OPERATORS } from "../test/metamorphic/operators";
import { invariancePercent, runMetamorphic, type Failure } from "../test/metamorphic/runner";
import { ruleTableStacks } from "../test/metamorphic/sources";

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : fallback;
}

function describeFailure(f: Failure, n: number): string {
  return [
    `FAILURE ${n}: ${f.chain.map((s) => `${s.operator}(${s.resource})`).join(" > ")}`,
    `  case:     ${f.stack}`,
    `  expected: ${JSON.stringify(f.expected)}`,
    `  got:      ${JSON.stringify(f.got)}`,
    ...f.scripts.map((s) => `  rewritten ${s.resource}${s.interpreter ? ` (interpreter ${JSON.stringify(s.interpreter)})` : ""}:\n${String(s.create).replace(/^/gm, "    | ")}`),
  ].join("\n");
}

async function main(): Promise<number> {
  const rewrites = Number(option("rewrites", "10000"));
  const seed = Number(option("seed", "1"));
  const only = option("operators", "");
  const operators = only ? OPERATORS.filter((o) => only.split(",").includes(o.name)) : OPERATORS;
  if (!Number.isInteger(rewrites) || rewrites < 1 || !Number.isInteger(seed) || operators.length === 0) {
    console.error("usage: tsx scripts/fuzz-metamorphic.ts --rewrites <n> --seed <n> [--operators name,name]");
    return 2;
  }
  await loadExtractors();
  const stacks = [...ruleTableStacks(), ...(await exampleStacks())];
  const report = await runMetamorphic({ stacks, rewrites, seed, operators });
  report.failures.forEach((f, i) => console.log(describeFailure(f, i + 1)));
  const failing = new Map<string, number>();
  for (const f of report.failures) for (const op of new Set(f.chain.map((s) => s.operator))) failing.set(op, (failing.get(op) ?? 0) + 1);
  console.log(`\nstacks: ${stacks.length}  seed: ${seed}  rewrites tried: ${report.tried}`);
  console.log("operators used (count, failing chains containing it):");
  for (const [name, count] of Object.entries(report.operatorCounts)) console.log(`  ${name.padEnd(26)} ${String(count).padStart(6)}  ${failing.get(name) ?? 0}`);
  console.log(`invariance: ${invariancePercent(report).toFixed(2)}% (${report.failures.length} failures)`);
  for (const m of report.unaccounted.slice(0, 20)) console.log(`UNACCOUNTED ${m}`);
  console.log(`textual guarantee: ${report.unaccounted.length} command name(s) in code neither read nor named, over ${report.scriptsChecked} rewritten scripts`);
  return report.failures.length || report.unaccounted.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(2);
  },
);
