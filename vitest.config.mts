import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Root-level: runs once per vitest run, whichever projects run (compiles dist/, see the file).
    globalSetup: ["test/build-pack.ts"],
    projects: [
      // Property, differential, metamorphic and fuzz suites run thousands of stacks: generous per-test time on a busy 2-core machine.
      { test: { name: "unit", include: ["test/unit/**/*.test.ts", "test/corpus/**/*.test.ts", "test/metamorphic/**/*.test.ts", "test/fuzz/**/*.test.ts", "test/audit/**/*.test.ts"], testTimeout: 300_000 } },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          // Each test drives the real Pulumi CLI; they share one toolchain and run one file at a time.
          fileParallelism: false,
          testTimeout: 600_000,
          hookTimeout: 1_800_000,
        },
      },
    ],
  },
});
