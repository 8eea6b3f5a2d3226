/**
 * What the pack adds to a real `pulumi preview`: the wall time of previews of a clean 20-resource
 * program (bench/preview-20) with and without `--policy-pack`, alternated in the same run, and the
 * pack's start-up alone: `pulumi policy analyze` of a state holding only the stack resource (the pack
 * starts and has nothing to check), minus the CLI's own start (`pulumi version`).
 * Goal (issue 12): with the pack at most 1.25× the preview without it. Beside it, the same preview with
 * an empty Node.js pack (bench/empty-pack: one policy that does nothing): what Pulumi's policy runtime
 * costs any pack, so the pack's own share is the difference between the two.
 *
 *   npx tsx scripts/bench-preview.ts [--reps 3] [--pack <policy pack directory>]
 *
 * `--pack` times another build of the pack (default: this repository, i.e. the compiled dist/ that
 * `npm run build` wrote), e.g. a checkout of an older commit, for a before/after on the same machine.
 */
import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { REPO, workspace, type Workspace } from "../test/e2e/harness";

const reps = Number(process.argv[process.argv.indexOf("--reps") + 1]) || 3;
const EMPTY_PACK = join(REPO, "bench", "empty-pack");
const PACK = process.argv.includes("--pack") ? resolve(process.argv[process.argv.indexOf("--pack") + 1]!) : REPO;

function timed(run: () => { status: number; stderr: string }, label: string): number {
  const start = performance.now();
  const r = run();
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`${label} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return ms;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

function pulumi(ws: Workspace, args: string[], label: string): number {
  return timed(() => spawnSync("pulumi", args, { cwd: ws.dir, env: ws.env, encoding: "utf8" }) as { status: number; stderr: string }, label);
}

/** A state holding only the stack resource: a state without resources is analysed without starting the pack. */
function stackOnlyState(path: string): void {
  const stack = { urn: "urn:pulumi:bench::bench::pulumi:pulumi:Stack::bench-bench", custom: false, type: "pulumi:pulumi:Stack" };
  writeFileSync(path, JSON.stringify({ version: 3, deployment: { manifest: { time: new Date(0).toISOString(), magic: "", version: "" }, resources: [stack] } }));
}

/** Start-up: analysing a state with nothing to check starts the pack and checks nothing; the CLI's own start is taken off. */
function packStartup(ws: Workspace, exported: string): number {
  const analyze = pulumi(ws, ["policy", "analyze", "--file", exported, "--policy-pack", PACK, "--non-interactive", "--color", "never"], "policy analyze of a stack-only state");
  return analyze - pulumi(ws, ["version"], "pulumi version");
}

function main(): void {
  const ws = workspace("bench-preview-20", join(REPO, "bench", "preview-20"));
  console.log(`policy pack: ${PACK}`);
  try {
    const exported = join(tmpdir(), `mailflow-guard-stack-only-${process.pid}.json`);
    stackOnlyState(exported);
    // Warm-up: plugins loaded, TypeScript caches filled, for both kinds of run.
    timed(() => ws.run(["preview"]), "warm-up preview");
    timed(() => ws.run(["preview", "--policy-pack", PACK]), "warm-up preview with the pack");
    timed(() => ws.run(["preview", "--policy-pack", EMPTY_PACK]), "warm-up preview with the empty pack");
    const without: number[] = [];
    const withPack: number[] = [];
    const withEmpty: number[] = [];
    const startup: number[] = [];
    for (let i = 0; i < reps; i++) {
      without.push(timed(() => ws.run(["preview"]), "preview"));
      withPack.push(timed(() => ws.run(["preview", "--policy-pack", PACK]), "preview with the pack"));
      withEmpty.push(timed(() => ws.run(["preview", "--policy-pack", EMPTY_PACK]), "preview with the empty pack"));
      startup.push(packStartup(ws, exported));
      console.log(`rep ${i + 1}: without ${seconds(without[i]!)}, with ${seconds(withPack[i]!)}, with an empty pack ${seconds(withEmpty[i]!)}, start-up ${seconds(startup[i]!)}`);
    }
    const ratio = median(withPack) / median(without);
    console.log(`pulumi preview of 20 resources, median of ${reps}: without the pack ${seconds(median(without))}, with ${seconds(median(withPack))}`);
    console.log(`pack start-up alone (policy analyze of a stack-only state minus pulumi version): ${seconds(median(startup))}`);
    console.log(`ratio with/without: ${ratio.toFixed(2)}× (goal ≤ 1.25×)${ratio <= 1.25 ? "" : " — over the goal"}`);
    console.log(
      `an empty Node.js pack (Pulumi's policy runtime alone): ${seconds(median(withEmpty))}, ${(median(withEmpty) / median(without)).toFixed(2)}× without; ` +
        `mailflow-guard over it: ${(median(withPack) / median(withEmpty)).toFixed(2)}×`,
    );
  } finally {
    rmSync(join(tmpdir(), `mailflow-guard-stack-only-${process.pid}.json`), { force: true });
    ws.dispose();
  }
}

main();
