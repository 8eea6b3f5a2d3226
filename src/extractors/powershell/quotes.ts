import { lexPowerShell, RegionKind } from "./lexical";

/**
 * Typographic quotes. PowerShell's tokenizer takes ‘ ’ ‚ ‛ as single quotes and “ ” „ as double
 * quotes (about_Quoting_Rules; they arrive from word processors and web pages), but the grammar only
 * knows ASCII quotes, so the statements after them are lost. Each is one UTF-16 unit, as is its ASCII
 * counterpart: replacing them keeps every offset, line and column of the script.
 */
export const TYPOGRAPHIC_QUOTES = /[\u2018\u2019\u201A\u201B\u201C\u201D\u201E]/;

const ASCII: Record<string, string> = { "\u2018": "'", "\u2019": "'", "\u201A": "'", "\u201B": "'", "\u201C": '"', "\u201D": '"', "\u201E": '"' };

/** The script as PowerShell reads it, with typographic quotes as the ASCII quotes they stand for. */
export const normalizeTypographicQuotes = (text: string): string => text.replace(/[\u2018\u2019\u201A\u201B\u201C\u201D\u201E]/g, (q) => ASCII[q]!);

/** 1-based lines holding a typographic quote. */
export function typographicQuoteLines(text: string): number[] {
  const lines: number[] = [];
  text.split("\n").forEach((line, i) => {
    if (TYPOGRAPHIC_QUOTES.test(line)) lines.push(i + 1);
  });
  return lines;
}

/**
 * `-Services POP, IMAP, SMTP` — a bare-word list after a parameter, which PowerShell binds as one array
 * (about_Parsing: in argument mode a comma separates array elements, and a line may end after it, with
 * comments between the elements). The grammar parses only the first word as the argument: its error
 * recovery then swallows the rest of the list, the parameters after it and the statements that follow;
 * and some layouts it parses without an error but cut (`-SenderIPAddresses 25 ,198.51.100.7` bound
 * only 25). So the evaluator writes such lists quoted before it parses a script, whatever the grammar
 * would have made of them.
 */
const LIST_START = /\s-[A-Za-z][A-Za-z0-9]*:?[ \t]+(?=[A-Za-z0-9_.*])/g;
const BARE_WORD = /[A-Za-z0-9_.*][A-Za-z0-9_.*-]*/y;
/** A bare word as the string it binds to; numbers stay numbers (`25, 587`). */
const quoted = (word: string): string => (/^\d+(?:\.\d+)?$/.test(word) ? word : `'${word}'`);

/**
 * The same text with each such list written as the grammar reads it: the elements quoted
 * (`'POP', 'IMAP', 'SMTP'`), a space before a comma moved after it; comments and line breaks
 * between the elements stay, so every line keeps its number. One linear pass.
 */
export function quoteBareLists(text: string): string {
  let out = "";
  let copied = 0;
  let scanned = 0;
  // The script's strings and comments, found once, on the first candidate list (most texts have none).
  let regions: number[] | undefined;
  let region = 0;
  const commentEnds = new Map<number, number>();
  const wordAt = (at: number): number => {
    BARE_WORD.lastIndex = at;
    return BARE_WORD.test(text) ? BARE_WORD.lastIndex : -1;
  };
  /** After `at` (just past a comma): skips blanks, line breaks, line continuations and comments. */
  const skipSeparator = (at: number): number => {
    for (;;) {
      const c = text[at];
      if (c === " " || c === "\t" || c === "\r" || c === "\n") at++;
      else if (c === "`" && (text[at + 1] === "\n" || text[at + 1] === "\r")) at++;
      else {
        const end = commentEnds.get(at);
        if (end === undefined) return at;
        at = end;
      }
    }
  };
  for (const start of text.matchAll(LIST_START)) {
    const first = start.index + start[0].length;
    // A start inside a list already scanned is inside one of its comments: each character is scanned once.
    if (first < scanned) continue;
    if (!regions) {
      regions = lexPowerShell(text).regions;
      for (let i = 0; i < regions.length; i += 3) if (regions[i + 2] === RegionKind.Comment) commentEnds.set(regions[i]!, regions[i + 1]!);
    }
    // In a string or a comment, `-Name a, b` is text: rewriting it would change the string (or unbalance its quotes).
    while (region < regions.length && regions[region + 1]! <= start.index) region += 3;
    if (region < regions.length && regions[region]! <= start.index) continue;
    let at = wordAt(first);
    const elements: [number, number][] = [];
    scanned = at;
    for (;;) {
      let comma = at;
      while (text[comma] === " " || text[comma] === "\t") comma++;
      if (text[comma] !== ",") break;
      const element = skipSeparator(comma + 1);
      scanned = element;
      const end = wordAt(element);
      if (end === -1) break;
      elements.push([at, comma], [element, end]);
      at = scanned = end;
    }
    const next = text[at];
    if (elements.length === 0 || !(next === undefined || next === " " || next === "\t" || next === "\r" || next === "\n" || next === ";" || next === "|" || next === ")" || next === "}")) continue;
    out += text.slice(copied, first) + quoted(text.slice(first, elements[0]![0]));
    for (let i = 0; i < elements.length; i += 2) {
      const [blankStart, comma] = elements[i]!;
      const [element, end] = elements[i + 1]!;
      out += `,${text.slice(blankStart, comma)}${text.slice(comma + 1, element)}${quoted(text.slice(element, end))}`;
    }
    copied = at;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/**
 * Where the script's strings and comments are, as flat [start, end) pairs in order (PowerShell's
 * tokenizing rules, see lexical.ts).
 */
export function stringsAndComments(text: string): number[] {
  const { regions } = lexPowerShell(text);
  const pairs: number[] = [];
  for (let i = 0; i < regions.length; i += 3) pairs.push(regions[i]!, regions[i + 1]!);
  return pairs;
}
