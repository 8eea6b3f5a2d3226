/**
 * A seeded few hundred hostile inputs of every family through the whole pack path (issue 11), at a
 * reduced size so the run stays well under a minute; `scripts/fuzz-hostile.ts` runs 10,000 at full
 * size with the stall oracle. Failure kinds other engineers are still fixing are listed in
 * KNOWN_OPEN: excluded here, and each must still occur, so the list cannot go stale.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { loadExtractors } from "../../src/extractors";
import { FAMILIES, generateInput } from "./generators";
import { judge, leakedPiece, type Failure, type FailureKind } from "./oracles";
import { REGRESSIONS } from "./regressions";

/** Failure kinds still open on the current code (kind → issue). Remove a kind when its fix lands. */
export const KNOWN_OPEN: Partial<Record<FailureKind, string>> = {};

const SEED = 20_261_130;
const INPUTS = 200;
const SCALE = 0.05;

const show = (f: Failure): string => `${f.kind} [${f.family} seed ${f.seed} index ${f.index}] ${f.description}: ${f.detail}`;

let failures: Failure[] = [];

beforeAll(async () => {
  await loadExtractors();
  for (let i = 0; i < INPUTS; i++) failures.push(...(await judge(generateInput(SEED, i, { scale: SCALE }))).failures);
}, 120_000);

describe("hostile inputs through the whole pack path", () => {
  it("generates the same input for the same seed and index, and every family in turn", () => {
    const a = generateInput(SEED, 17, { scale: SCALE });
    const b = generateInput(SEED, 17, { scale: SCALE });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(Array.from({ length: FAMILIES.length }, (_, i) => generateInput(SEED, i, { scale: SCALE }).family)).toEqual([...FAMILIES]);
  });

  it("no failure of a kind that is not known to be open", () => {
    expect(failures.filter((f) => !(f.kind in KNOWN_OPEN)).map(show)).toEqual([]);
  });

  it.each(Object.keys(KNOWN_OPEN))("the known open kind %s still occurs (else remove it from KNOWN_OPEN)", (kind) => {
    expect(failures.some((f) => f.kind === kind)).toBe(true);
  });
});

describe("the leak oracle", () => {
  it("finds a secret and any 12-character piece of it, and nothing shorter", () => {
    const secret = "ZqAbCdEfGhIjKlMnOpQrStUvWx";
    expect(leakedPiece(secret, `x ${secret} y`)).toBe(secret);
    expect(leakedPiece(secret, "…IjKlMnOpQrSt…")).toBe("IjKlMnOpQrSt");
    expect(leakedPiece(secret, "IjKlMnOpQrS")).toBeUndefined();
  });
});

describe("fuzz regressions", () => {
  const runnable = REGRESSIONS.filter((r) => r.kind !== "stall");
  it.each(runnable.map((r) => [r.name, r] as const))("%s", async (_name, r) => {
    const kinds = [...new Set((await judge(r.input())).failures.map((f) => f.kind))];
    // Open: it still fails with its kind (remove `open` when the fix lands); fixed: it passes.
    if (r.open) expect(kinds).toContain(r.kind);
    else expect(kinds).toEqual([]);
  }, 30_000);
});
