/** What Pulumi programs import as `mailflow-guard/sdk` (package `exports`, compiled to dist/src/sdk). Never the pack entry. */
export * from "./descriptors";
export * from "./scripts";
