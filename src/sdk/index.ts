/** What Pulumi programs import: `import * as mailflow from "mailflow-guard/sdk"`. Never the pack entry. */
export * from "./descriptors";
export * from "./scripts";
