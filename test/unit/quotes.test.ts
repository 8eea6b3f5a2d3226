/** The text-level readers the evaluator applies before parsing: where strings and comments are, and bare-word lists. */
import { describe, expect, it } from "vitest";
import { quoteBareLists, stringsAndComments } from "../../src/extractors/powershell/quotes";

const regionsOf = (text: string): string[] => {
  const r = stringsAndComments(text);
  const out: string[] = [];
  for (let i = 0; i < r.length; i += 2) out.push(text.slice(r[i], r[i + 1]));
  return out;
};

describe("stringsAndComments", () => {
  it.each([
    ["a doubled single quote stays inside", `Set-X 'it''s' -Y b`, [`'it''s'`]],
    ["a backtick-escaped double quote stays inside", 'Set-X "say `"hi`"" -Y b', ['"say `"hi`""']],
    ["a here-string ends at a line start", `@'\nx 'y'\n'@\nSet-X`, [`@'\nx 'y'\n'@`]],
    ["line and block comments", `Set-X a # b 'c\nSet-Y <# d " #> e`, [`# b 'c`, `<# d " #>`]],
    ["an unclosed string runs to the end", `Set-X 'a`, [`'a`]],
  ])("%s", (_name, text, expected) => {
    expect(regionsOf(text)).toEqual(expected);
  });
});

describe("quoteBareLists", () => {
  it.each([
    ["same line", `Set-X -S a, b -F c`, `Set-X -S 'a', 'b' -F c`],
    ["a space before the comma moves after it", `Set-X -S a , b`, `Set-X -S 'a',  'b'`],
    ["lines and comments stay", `Set-X -S a, # why\n  b, <# c #> c`, `Set-X -S 'a', # why\n  'b', <# c #> 'c'`],
    ["numbers stay numbers", `Set-X -Port 25, 587`, `Set-X -Port 25, 587`],
    ["a list in a string or comment is text", `Write-Host '-S a, b' # -S a, b`, `Write-Host '-S a, b' # -S a, b`],
    ["a list that ends in something else is left to the grammar", `Set-X -S a, b(1)`, `Set-X -S a, b(1)`],
  ])("%s", (_name, text, expected) => {
    expect(quoteBareLists(text)).toBe(expected);
  });
});
