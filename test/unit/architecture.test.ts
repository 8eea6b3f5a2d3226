/**
 * The pipeline runs one way (docs/design/architecture.md): a folder of src/ imports only folders of a
 * lower stage. This test reads every import of the tree, so an import running back up fails here.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = join(__dirname, "..", "..", "src");
/**
 * Stage of each top-level folder: imports go to a strictly lower stage (config imports none). The SDK
 * sits at 2, beside the extractors: it renders connector parameters by the model's field schema
 * (src/model/fields.ts), the one table the extractors read them back by.
 */
const STAGE: Record<string, number> = { config: 0, sdk: 2, model: 1, extractors: 2, engine: 2, findings: 2, rules: 3, runner: 4, reporters: 5, audit: 6 };

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));
}

const folderOf = (file: string): string => relative(SRC, file).split("/")[0]!;

describe("the import graph", () => {
  const files = sources(SRC);
  it("names a stage for every folder of src/", () => {
    expect([...new Set(files.map(folderOf))].filter((f) => !(f in STAGE))).toEqual([]);
  });

  it("has no import running back up the pipeline", () => {
    const upward: string[] = [];
    for (const file of files) {
      const from = folderOf(file);
      for (const m of readFileSync(file, "utf8").matchAll(/from "(\.{1,2}\/[^"]+)"/g)) {
        const to = folderOf(normalize(join(dirname(file), m[1]!)));
        if (to !== from && !(STAGE[to]! < STAGE[from]!)) upward.push(`${relative(SRC, file)} imports ${m[1]} (${from} → ${to})`);
      }
    }
    expect(upward).toEqual([]);
  });

  // A file a reader can hold in mind: past this, split it by concern (docs/design/architecture.md).
  it("keeps every source file under 350 lines", () => {
    const long = files.map((f) => ({ file: relative(SRC, f), lines: readFileSync(f, "utf8").split("\n").length })).filter((f) => f.lines > 350);
    expect(long).toEqual([]);
  });
});
