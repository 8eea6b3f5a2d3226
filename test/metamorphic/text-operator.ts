/** The shape of a rewrite operator, and operators on a site's PowerShell text (operators.ts, layout-operators.ts). */
import type { Rng } from "./rng";
import { analyseScript, isAscii, type ScriptInfo } from "./script-info";
import type { Site } from "./sites";

export interface Operator {
  name: string;
  apply(site: Site, rng: Rng): Site | undefined;
  /** Valid PowerShell the grammar cannot parse as written: how the evaluator rewrites it before reading (checked by the suite). */
  readAs?: (text: string) => string;
}

export type TextRewrite = (info: ScriptInfo, rng: Rng, site: Site) => string | undefined;

/** An operator on the PowerShell text of any site; scripts that do not parse cleanly are left alone. */
export function textOperator(name: string, rewrite: TextRewrite, readAs?: (text: string) => string): Operator {
  return {
    name,
    ...(readAs ? { readAs } : {}),
    apply(site, rng) {
      if (!isAscii(site.text)) return undefined;
      const info = analyseScript(site.text);
      if (info.hasSyntaxErrors) return undefined;
      const text = rewrite(info, rng, site);
      return text === undefined || text === site.text ? undefined : { ...site, text };
    },
  };
}

/** A name the script does not use yet: `stem` and the first number that makes it new. */
export const fresh = (info: ScriptInfo, stem: string): string => {
  for (let i = 1; ; i++) if (!info.text.toLowerCase().includes(`${stem}${i}`.toLowerCase())) return `${stem}${i}`;
};
