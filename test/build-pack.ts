/**
 * Vitest global setup (every run, both projects): compile the pack (build.cjs: incremental
 * tsc and no compiled file without its source; a few seconds when nothing changed) so no test, and no `pulumi preview
 * --policy-pack <repo>`, runs against a stale dist/; and link node_modules/mailflow-guard to the
 * repository, as `npm ci`'s prepare step does, so the examples resolve `mailflow-guard/sdk`.
 */
import { execFileSync } from "node:child_process";
import { lstatSync, realpathSync, symlinkSync } from "node:fs";
import { join, resolve } from "node:path";

const REPO = resolve(__dirname, "..");

function linkSelf(): void {
  const link = join(REPO, "node_modules", "mailflow-guard");
  try {
    lstatSync(link);
  } catch {
    symlinkSync("..", link, "dir");
  }
  // A node_modules shared with another checkout (a symlink) links that checkout: say so, tests would read its dist/.
  if (realpathSync(link) !== realpathSync(REPO)) console.warn(`node_modules/mailflow-guard is ${realpathSync(link)}, not this repository: run npm ci here`);
}

export default function setup(): void {
  execFileSync(process.execPath, [join(REPO, "build.cjs")], { cwd: REPO, stdio: "inherit" });
  linkSelf();
}
