/**
 * One whole-stack read, as series A measures it, for a CPU profile:
 * `node --cpu-prof --import tsx bench/profile-whole-stack.ts [resources]` (10,000 by default).
 */
import { rules } from "../src/rules";
import { Session } from "../src/runner/session";
import { StackVerdict } from "../src/runner/stack-verdict";
import { mspTopology } from "./topology";

async function main(): Promise<void> {
  const resources = mspTopology(Number(process.argv[2] ?? 10_000));
  const session = new Session({ wholeStack: true });
  await session.ready();
  const start = performance.now();
  for (const r of resources) session.ingest(r);
  let findings = 0;
  const verdict = new StackVerdict(session, {});
  for (const rule of rules) findings += verdict.findings(rule).length;
  console.log(`${resources.length} resources, ${findings} findings in ${(performance.now() - start).toFixed(0)} ms`);
}

void main();
