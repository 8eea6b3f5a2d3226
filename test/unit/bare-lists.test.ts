/**
 * A bare-word list after a parameter binds as one array in PowerShell (about_Parsing: in argument
 * mode a comma separates array elements, with blanks, line breaks and comments around it). Some
 * layouts the grammar cannot parse (its recovery cuts the list); others it parses cleanly but
 * differently — `-SenderIPAddresses 25 ,a` came back as `25` alone, with no syntax error, a silent
 * truncation. The evaluator reads such lists written quoted before parsing (quoteBareLists), whatever
 * the grammar would have made of them. This table generates the class: every element kind × every
 * separator layout × parameter form × what follows, and asserts that every element is bound.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { loadPowerShellGrammar } from "../../src/extractors/powershell/grammar";
import { evaluateFully } from "../../src/extractors/powershell/script-cache";
import type { PsValue } from "../../src/extractors/powershell/evaluate";

beforeAll(() => loadPowerShellGrammar());

/** Element kinds: names, FQDNs, wildcards, IPs and CIDR-free addresses, numbers PowerShell reads as numbers. */
const ELEMENTS = ["EX01", "mx-01.contoso.com", "*.contoso.com", "198.51.100.7", "25", "1.5", "a*b", "_svc"];
const SEPARATORS = [",", ", ", " ,", " , ", ",\n  ", ", # why\n  ", ",<# c #>", ", `\n  ", " ,\n  "];
const FORMS = ["-SenderIPAddresses ", "-SenderIPAddresses: "];
const TAILS = ["", " -Enabled $true", "; Get-Date", " | Out-Null", "\nSet-InboundConnector -Identity next -Enabled $false"];

const asText = (v: PsValue): string => (v.kind === "string" ? v.value : v.kind === "number" ? String(v.value) : `(${v.kind})`);

function boundList(script: string): string[] | string {
  const e = evaluateFully(script, {});
  const first = e.calls[0];
  if (!first) return `no call: ${JSON.stringify(e.unevaluated)}`;
  const v = first.parameters.get("SenderIPAddresses");
  if (!v) return "not bound";
  return v.kind === "array" ? v.items.map(asText) : [asText(v)];
}

describe("every layout of a bare-word list binds every element", () => {
  const cases: Array<[string, string[]]> = [];
  for (const [i, a] of ELEMENTS.entries())
    for (const b of [ELEMENTS[(i + 1) % ELEMENTS.length]!, ELEMENTS[(i + 3) % ELEMENTS.length]!])
      for (const sep of SEPARATORS)
        for (const form of FORMS)
          for (const tail of TAILS) cases.push([`Set-InboundConnector -Identity i ${form}${a}${sep}${b}${sep}${a}${tail}`, [a, b, a]]);

  it(`${cases.length} generated scripts`, () => {
    const wrong = cases.flatMap(([script, expected]) => {
      const got = boundList(script);
      return JSON.stringify(got) === JSON.stringify(expected) ? [] : [`${JSON.stringify(script)}: ${JSON.stringify(got)}`];
    });
    expect(wrong).toEqual([]);
  });

  it.each([
    ["a number first, a space before the comma", "-SenderIPAddresses 25 ,198.51.100.7", ["25", "198.51.100.7"]],
    ["a decimal first", "-SenderIPAddresses: 1.5 ,EX01", ["1.5", "EX01"]],
  ])("%s (read cleanly by the grammar, cut without the rewrite)", (_name, args, expected) => {
    expect(boundList(`Set-InboundConnector -Identity i ${args}`)).toEqual(expected);
  });
});
