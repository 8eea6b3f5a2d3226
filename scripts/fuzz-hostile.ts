/**
 * `tsx scripts/fuzz-hostile.ts --inputs 10000 --seed N [--workers 2]`: hostile inputs of every family
 * (test/fuzz/generators.ts) through the whole pack path, judged by the oracles (test/fuzz/oracles.ts)
 * plus the stall oracle (> 1 s per resource). Inputs run in worker processes: an input that stalls
 * blocks its process, so the parent kills it at the stall threshold and starts another. Prints per
 * family the counts and the first failures of each kind with their seed and index; exits 1 on any.
 * Reproduce one input: `--seed N --only INDEX`. A stall is judged on the worker's CPU time, so a
 * loaded machine does not fake one; the kill timer (wall time) is three times as generous.
 */
import { fork, type ChildProcess } from "node:child_process";
import { FAMILIES, generateInput, type Family } from "../test/fuzz/generators";
import { FAILURE_KINDS, isStall, judge, STALL_MS_PER_RESOURCE, type Failure, type FailureKind } from "../test/fuzz/oracles";

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};

interface Result {
  index: number;
  failures: Failure[];
}
type FromWorker = { kind: "start"; index: number; resources: number } | ({ kind: "done" } & Result);

/** Worker: generates each input it is sent (by index), judges it and reports back. */
async function worker(seed: number): Promise<void> {
  const { loadExtractors } = await import("../src/extractors");
  await loadExtractors();
  process.on("unhandledRejection", () => undefined);
  process.on("message", (index: number) => {
    void (async () => {
      const input = generateInput(seed, index);
      process.send!({ kind: "start", index, resources: input.resources.length } satisfies FromWorker);
      const cpuBefore = process.cpuUsage();
      const outcome = await judge(input);
      const cpu = process.cpuUsage(cpuBefore);
      const cpuMs = (cpu.user + cpu.system) / 1000;
      const failures = [...outcome.failures];
      if (isStall(cpuMs, input.resources.length)) {
        failures.push({ kind: "stall", family: input.family, seed, index, description: input.description, detail: `${cpuMs.toFixed(0)} ms of CPU (${outcome.elapsedMs.toFixed(0)} ms wall) for ${input.resources.length} resources` });
      }
      process.send!({ kind: "done", index, failures } satisfies FromWorker);
    })();
  });
  process.send!({ kind: "ready" });
}

/** Parent: hands out indexes to `workers` processes; kills one whose input runs past the stall threshold. */
async function runAll(seed: number, indexes: number[], workers: number): Promise<Result[]> {
  const results: Result[] = [];
  let next = 0;
  const start = (): Promise<void> =>
    new Promise((resolve) => {
      const child: ChildProcess = fork(process.argv[1]!, ["--worker", "--seed", String(seed)], { execArgv: process.execArgv, stdio: ["ignore", "ignore", "inherit", "ipc"] });
      let timer: NodeJS.Timeout | undefined;
      let current: { index: number; resources: number; startedAt: number } | undefined;
      const give = () => {
        if (next >= indexes.length) {
          child.kill();
          return resolve();
        }
        child.send(indexes[next++]!);
      };
      child.on("message", (m: FromWorker | { kind: "ready" }) => {
        if (m.kind === "ready") return give();
        if (m.kind === "start") {
          current = { index: m.index, resources: m.resources, startedAt: performance.now() };
          // A little over the threshold: the worker's own measure decides stalls that end.
          timer = setTimeout(() => child.kill("SIGKILL"), 3 * STALL_MS_PER_RESOURCE * Math.max(1, m.resources) + 1000);
          return;
        }
        clearTimeout(timer);
        current = undefined;
        results.push({ index: m.index, failures: m.failures });
        progress(results.length, indexes.length);
        give();
      });
      child.on("exit", () => {
        clearTimeout(timer);
        if (!current) return;
        const input = generateInput(seed, current.index);
        const elapsed = performance.now() - current.startedAt;
        results.push({ index: current.index, failures: [{ kind: "stall", family: input.family, seed, index: current.index, description: input.description, detail: `killed after ${elapsed.toFixed(0)} ms for ${current.resources} resources (or the worker died)` }] });
        void start().then(resolve);
      });
    });
  await Promise.all(Array.from({ length: workers }, start));
  return results;
}

const startedAt = performance.now();
function progress(done: number, total: number): void {
  if (done % 500 === 0) process.stderr.write(`fuzz-hostile: ${done}/${total} inputs, ${((performance.now() - startedAt) / 1000).toFixed(0)} s\n`);
}

const FIRST_FEW = 3;

function report(seed: number, results: Result[]): number {
  const byFamily = new Map<Family, { inputs: number; counts: Record<FailureKind, number> }>(
    FAMILIES.map((f) => [f, { inputs: 0, counts: Object.fromEntries(FAILURE_KINDS.map((k) => [k, 0])) as Record<FailureKind, number> }]),
  );
  const firsts = new Map<string, Failure[]>();
  for (const r of results.sort((a, b) => a.index - b.index)) {
    byFamily.get(FAMILIES[r.index % FAMILIES.length]!)!.inputs++;
    const kinds = new Set<FailureKind>();
    for (const f of r.failures) {
      kinds.add(f.kind);
      const k = `${f.family} ${f.kind}`;
      const list = firsts.get(k) ?? [];
      if (list.length < FIRST_FEW && !list.some((x) => x.index === f.index)) list.push(f);
      firsts.set(k, list);
    }
    for (const k of kinds) byFamily.get(FAMILIES[r.index % FAMILIES.length]!)!.counts[k]++;
  }
  console.log(`fuzz-hostile: seed ${seed}, ${results.length} inputs (counts are inputs with at least one failure of the kind)`);
  console.log(`${"family".padEnd(20)}${"inputs".padStart(8)}${"crashes".padStart(9)}${"stalls".padStart(8)}${"leaks".padStart(7)}${"silent unknowns".padStart(17)}${"config unreported".padStart(19)}${"unaccounted names".padStart(19)}`);
  let total = 0;
  for (const [family, { inputs, counts }] of byFamily) {
    total += FAILURE_KINDS.reduce((a, k) => a + counts[k], 0);
    console.log(`${family.padEnd(20)}${String(inputs).padStart(8)}${String(counts.crash).padStart(9)}${String(counts.stall).padStart(8)}${String(counts.leak).padStart(7)}${String(counts["silent-unknown"]).padStart(17)}${String(counts["config-unreported"]).padStart(19)}${String(counts["unaccounted-name"]).padStart(19)}`);
  }
  const unaccounted = [...byFamily.values()].reduce((a, f) => a + f.counts["unaccounted-name"], 0);
  console.log(`textual guarantee: ${unaccounted} input(s) of ${results.length} with a command name in code that is neither read nor named`);
  for (const [k, list] of [...firsts].sort()) {
    console.log(`\n${k}:`);
    for (const f of list) console.log(`  --seed ${f.seed} --only ${f.index}: ${f.description.slice(0, 120)}\n    ${f.detail.replace(/\n/g, "⏎")}`);
  }
  return total;
}

async function main(): Promise<void> {
  const seed = arg("seed", 1);
  if (process.argv.includes("--worker")) return worker(seed);
  const only = arg("only", -1);
  const indexes = only >= 0 ? [only] : Array.from({ length: arg("inputs", 10_000) }, (_, i) => i);
  const failures = report(seed, await runAll(seed, indexes, arg("workers", 2)));
  console.log(`\n${failures === 0 ? "fuzz-hostile: no failures" : `fuzz-hostile: ${failures} failing input(s)`} in ${((performance.now() - startedAt) / 1000).toFixed(0)} s`);
  process.exitCode = failures === 0 ? 0 : 1;
}

void main();
