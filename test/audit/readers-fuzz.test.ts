/**
 * Malformed input never makes the audit's readers throw, and never makes them leak raw bytes: the
 * fixtures of every format (UTF-8, UTF-16 as Windows PowerShell 5.1 writes them, Export-Clixml, a
 * stack export, a configuration), cut off, with bytes flipped, inserted and swapped, spliced together
 * and given stray byte-order marks, go through decoding, reading, the whole audit and its outputs.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { auditInputs } from "../../src/audit/audit";
import { renderText } from "../../src/audit/render";
import { auditJsonReport, renderAuditFiles } from "../../src/audit/report-files";
import { loadExtractors } from "../../src/extractors";
import { readExport } from "../../src/extractors/exports";
import { readClixml } from "../../src/extractors/exports/clixml";
import { decodeExport } from "../../src/extractors/exports/decode";
import { readJsonText } from "../../src/extractors/exports/json-text";
import { inputSeed, mulberry32, type Rng } from "../fuzz/prng";

const FIXTURES = join(__dirname, "fixtures");
const SEED = 20_260_424;
const INPUTS = 400;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => (statSync(join(dir, e)).isDirectory() ? filesUnder(join(dir, e)) : /\.(json|xml|ps1)$/.test(e) ? [join(dir, e)] : []));
}

const sources = filesUnder(FIXTURES).map((file) => ({ file: relative(FIXTURES, file), bytes: readFileSync(file) }));
const BOMS = [[0xff, 0xfe], [0xfe, 0xff], [0xef, 0xbb, 0xbf], [0xff, 0xfe, 0x00, 0x00], [0x00, 0x00, 0xfe, 0xff]];

/** One hostile variant of a fixture: a few mutations drawn from the seed. */
function mutate(rng: Rng, bytes: Buffer, other: Buffer): Buffer {
  let b = Buffer.from(bytes);
  for (let n = rng.int(1, 4); n > 0; n--) {
    const at = rng.int(0, Math.max(0, b.length - 1));
    switch (rng.int(0, 6)) {
      case 0: // cut off
        b = b.subarray(0, at);
        break;
      case 1: // flip bytes
        for (let i = rng.int(1, 8); i > 0 && b.length; i--) b[rng.int(0, b.length - 1)] = rng.int(0, 255);
        break;
      case 2: // insert NULs, high bytes, quotes, brackets, tags
        b = Buffer.concat([b.subarray(0, at), Buffer.from(rng.pick([[0], [0xff, 0xfe], [0x22], [0x7b, 0x5b], [0x3c, 0x4f, 0x62, 0x6a, 0x3e], [0xc3], [0x1b, 0x5b, 0x33, 0x31, 0x6d]])), b.subarray(at)]);
        break;
      case 3: // a stray byte-order mark
        b = Buffer.concat([Buffer.from(rng.pick(BOMS)), b]);
        break;
      case 4: // splice another file in
        b = Buffer.concat([b.subarray(0, at), other.subarray(rng.int(0, Math.max(0, other.length - 1)))]);
        break;
      case 5: // drop one byte (shifts UTF-16 out of alignment)
        b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1)]);
        break;
      default: // duplicate a chunk
        b = Buffer.concat([b.subarray(0, at), b.subarray(at, at + rng.int(1, 200)), b.subarray(at)]);
    }
  }
  return b;
}

/** Control characters, undecodable-byte marks and lone surrogates: what a message must never carry. */
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\uFFFD]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

interface Failure {
  index: number;
  file: string;
  what: string;
}

const failures: Failure[] = [];
let readFiles = 0;

beforeAll(async () => {
  await loadExtractors();
  for (let index = 0; index < INPUTS; index++) {
    const rng = mulberry32(inputSeed(SEED, index));
    const source = rng.pick(sources);
    const bytes = mutate(rng, source.bytes, rng.pick(sources).bytes);
    const fail = (what: string) => failures.push({ index, file: source.file, what });
    try {
      const decoded = decodeExport(bytes);
      if ("problem" in decoded) {
        if (RAW.test(decoded.problem)) fail(`decode problem carries raw characters: ${JSON.stringify(decoded.problem)}`);
        continue;
      }
      readJsonText(decoded.text);
      readClixml(decoded.text);
      const read = readExport(source.file, decoded.text, {}, decoded.encoding);
      readFiles++;
      for (const p of read.problems) if (RAW.test(`${p.place} ${p.problem}`)) fail(`problem carries raw characters: ${JSON.stringify(p)}`);
      const result = auditInputs([{ path: source.file, text: decoded.text, scope: {}, encoding: decoded.encoding }]);
      for (const u of result.unverifiable) if (RAW.test(u.reason)) fail(`unverifiable reason carries raw characters: ${JSON.stringify(u.reason)}`);
      const text = renderText(result);
      if (/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.test(text)) fail("the text output carries control characters");
      JSON.stringify(auditJsonReport(result));
      renderAuditFiles(result, { sarif: "x.sarif", markdown: "x.md" });
    } catch (e) {
      fail(`threw ${e instanceof Error ? `${e.name}: ${e.message.slice(0, 200)}` : String(e)}`);
    }
  }
}, 240_000);

describe("the audit's readers on malformed input", () => {
  it("the seeds reach the readers, not only the decoder (the test exercises what it claims to)", () => {
    expect(sources.length).toBeGreaterThan(30);
    expect(readFiles).toBeGreaterThan(INPUTS / 2);
  });

  it("never throw, and never leak raw bytes into a message or the text output", () => {
    expect(failures.map((f) => `#${f.index} ${f.file}: ${f.what}`)).toEqual([]);
  });
});
