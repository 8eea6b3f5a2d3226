/**
 * One program, one verdict (issue 25): the same program previewed again and again — with the engine's
 * default parallelism and with `-p 1` — gives the same findings on the same resources every time. The
 * program (test/e2e/fixtures/order-program) widens its own OnPremises inbound connector to a wildcard
 * in one resource and creates it in another, beside an internet Send connector presenting a name the
 * wildcard matches; it is blocked in every dependency layout, and where nothing orders the two changes
 * the pack says so.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { previewWithPack, toolchain, workspace, type RunResult, type Workspace } from "./harness";

const PROGRAM = join(__dirname, "fixtures", "order-program");
const RUNS = 10;

/** Every policy event of a run: level, policy, resource and the first line of the message. */
const verdictOf = (r: RunResult): string[] =>
  r.policyEvents.map((e) => `${e.enforcementLevel} ${e.policyName} -> ${e.resourceUrn.split("::").pop()}: ${e.message.split("\n")[1] ?? ""}`).sort();

const blocking = (verdict: readonly string[]): string[] => verdict.filter((v) => v.startsWith("mandatory ")).map((v) => v.slice("mandatory ".length).split(":")[0]!);

let ws: Workspace;
beforeAll(() => {
  toolchain();
  ws = workspace("order-program", PROGRAM);
});
afterAll(() => ws?.dispose());

describe.each([
  {
    layout: "chain",
    // The Set runs before the New that creates the connector; the New completes the conflict in every deployment.
    blocked: ["internet-identity-matches-onpremises-connector -> exo-inbound-hybrid-create", "wildcard-onpremises-certificate-name -> exo-inbound-hybrid-create", "ambiguous-connector-grants-internal-trust -> exo-inbound-hybrid-create"],
    advice: "runs before exo-inbound-hybrid-create, which creates it",
  },
  {
    layout: "created",
    blocked: ["internet-identity-matches-onpremises-connector -> exo-inbound-hybrid-widen", "wildcard-onpremises-certificate-name -> exo-inbound-hybrid-widen", "ambiguous-connector-grants-internal-trust -> exo-inbound-hybrid-widen"],
  },
  {
    layout: "none",
    // Nothing orders the resources: the findings go to the change that wrote the wildcard, and the order is named.
    blocked: ["internet-identity-matches-onpremises-connector -> exo-inbound-hybrid-widen", "wildcard-onpremises-certificate-name -> exo-inbound-hybrid-widen", "ambiguous-connector-grants-internal-trust -> exo-inbound-hybrid-widen"],
    advice: "nothing orders exo-inbound-hybrid-widen and exo-inbound-hybrid-create",
  },
])("layout $layout", ({ layout, blocked, advice }) => {
  it(`is blocked on every one of ${RUNS} previews, on the same resources, with the same findings`, () => {
    expect(ws.run(["config", "set", "layout", layout]).status).toBe(0);
    const verdicts: string[][] = [];
    for (let i = 0; i < RUNS; i++) {
      const r = previewWithPack(ws, i % 2 === 0 ? [] : ["--parallel", "1"]);
      expect({ run: i, status: r.status }).toEqual({ run: i, status: 1 });
      verdicts.push(verdictOf(r));
    }
    expect(blocking(verdicts[0]!)).toEqual([...blocked].sort());
    for (const [i, v] of verdicts.entries()) expect({ run: i, verdict: v }).toEqual({ run: i, verdict: verdicts[0] });
    // Never "created outside the stack": the stack creates the connector it changes.
    expect(verdicts[0]!.join("\n")).not.toContain("created outside the stack");
    if (advice) expect(verdicts[0]!.some((v) => v.startsWith("advisory mailflow-inventory") && v.includes(advice))).toBe(true);
  });
});
