/** What Pulumi programs import (by relative path, e.g. `import * as mailflow from "./mailflow-guard/src/sdk"`). Never the pack entry. */
export * from "./descriptors";
export * from "./scripts";
