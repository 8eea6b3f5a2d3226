/**
 * Where a PowerShell text's comments and strings are, by PowerShell's own tokenizing rules
 * (about_Comments, about_Quoting_Rules, about_Special_Characters): one linear pass, independent of the
 * grammar. It only says where things are; it never reads a value (values are read through the
 * tree-sitter grammar alone). Used to write bare-word lists quoted before the parse (quotes.ts) and to
 * find every cmdlet name the evaluator must account for (occurrences.ts).
 *
 * - `#` starts a line comment at the start of a token (after a blank, a line start or punctuation);
 *   inside a bare word (`a#b`) it is part of the word. `<#` … `#>` is a block comment.
 * - `'…'` (and ‘ ’ ‚ ‛) is verbatim: a doubled quote is a quote. `"…"` (and “ ” „) expands: a backtick
 *   or a doubled quote escapes, and `$(…)` inside is code (with its own strings and comments).
 * - `@'` / `@"` at the end of a line opens a here-string that ends at `'@` / `"@` at a line start.
 * - `${…}` is a variable name, whatever it holds.
 * - `<` anywhere else in code is an operator PowerShell reserves: the script does not parse (except after
 *   the stop-parsing token `--%`, which passes the rest of its line as it is).
 */

export const enum RegionKind {
  Comment = 0,
  String = 1,
}

export interface Lexed {
  /** Comments and strings in order, as flat [start, end, kind] triples; `$(…)` inside a string splits it. */
  regions: number[];
  /** Offsets of a `<` in code: PowerShell refuses the script ("The '<' operator is reserved for future use."). */
  reservedLessThan: number[];
}

const SINGLE = new Set(["'", "\u2018", "\u2019", "\u201A", "\u201B"]);
const DOUBLE = new Set(['"', "\u201C", "\u201D", "\u201E"]);
/** Characters after which a `#` starts a comment (a token boundary); after anything else it is part of a word. */
const COMMENT_MAY_FOLLOW = new Set([" ", "\t", "\r", "\n", "\f", "\v", "\u00a0", ";", "(", ")", "{", "}", "[", "]", "|", "&", ",", "=", "'", '"', "\u2018", "\u2019", "\u201C", "\u201D"]);

const isLineBreak = (c: string | undefined): boolean => c === "\n" || c === "\r";

/** After `@'` / `@"`: blanks up to the line end make it a here-string opener. Returns the offset of the line break, or -1. */
function hereStringOpener(text: string, at: number): number {
  let i = at;
  while (text[i] === " " || text[i] === "\t") i++;
  return isLineBreak(text[i]) ? i : -1;
}

/** The offset just past the here-string closed by `quote` + `@` at a line start, searching from `from`. */
function hereStringEnd(text: string, from: number, quotes: ReadonlySet<string>): { end: number; bodyEnd: number } {
  for (let i = text.indexOf("\n", from); i !== -1; i = text.indexOf("\n", i + 1)) {
    if (quotes.has(text[i + 1] ?? "") && text[i + 2] === "@") return { end: i + 3, bodyEnd: i };
  }
  return { end: text.length, bodyEnd: text.length };
}

/** In code, the characters that can start or end anything the lexer tracks (the rest is skipped in one search). */
const CODE_SIGNIFICANT = /[`$()<#@'"\u2018\u2019\u201A\u201B\u201C\u201D\u201E]/g;
const SINGLE_QUOTE = /['\u2018\u2019\u201A\u201B]/g;
const LINE_BREAK = /[\r\n]/g;
/** In a double-quoted string: an escape, a subexpression, a closing quote, a line break (a here-string's end). */
const STRING_SIGNIFICANT = /[`$\n"\u201C\u201D\u201E]/g;

/**
 * One pass over `text`: a stack of frames, each code (possibly inside a string's `$(…)`) or a
 * double-quoted string resuming after its subexpression. Every character is visited once; runs of
 * characters that matter to nothing are skipped by one regular-expression search.
 */
export function lexPowerShell(text: string): Lexed {
  const regions: number[] = [];
  const reservedLessThan: number[] = [];
  // Open double-quoted strings whose `$(…)` is being read: where their current piece started, their kind, and the code's parenthesis depth.
  const strings: Array<{ here: boolean; depth: number }> = [];
  let i = 0;
  const n = text.length;
  /** Reads a double-quoted (or double here-) string from `start` (its content from `from`); returns true when it stopped at `$(`. */
  const doubleQuoted = (start: number, from: number, here: boolean): boolean => {
    let j = from;
    for (;;) {
      if (j >= n) {
        regions.push(start, n, RegionKind.String);
        i = n;
        return false;
      }
      STRING_SIGNIFICANT.lastIndex = j;
      const found = STRING_SIGNIFICANT.exec(text);
      if (!found) {
        j = n;
        continue;
      }
      j = found.index;
      const c = text[j]!;
      if (c === "`") j += 2;
      else if (c === "$" && text[j + 1] === "(") {
        regions.push(start, j + 2, RegionKind.String);
        strings.push({ here, depth: 1 });
        i = j + 2;
        return true;
      } else if (here) {
        if (c === "\n" && DOUBLE.has(text[j + 1] ?? "") && text[j + 2] === "@") {
          regions.push(start, j + 3, RegionKind.String);
          i = j + 3;
          return false;
        }
        j++;
      } else if (DOUBLE.has(c)) {
        if (DOUBLE.has(text[j + 1] ?? "")) j += 2;
        else {
          regions.push(start, j + 1, RegionKind.String);
          i = j + 1;
          return false;
        }
      } else j++;
    }
  };
  while (i < n) {
    CODE_SIGNIFICANT.lastIndex = i;
    const found = CODE_SIGNIFICANT.exec(text);
    if (!found) break;
    i = found.index;
    const c = text[i]!;
    const frame = strings[strings.length - 1];
    if (c === "`") {
      i += 2;
      continue;
    }
    // `${name}`: a braced variable name may hold any character but `}`.
    if (c === "$" && text[i + 1] === "{") {
      const close = text.indexOf("}", i + 2);
      i = close === -1 ? n : close + 1;
      continue;
    }
    if (frame && (c === "(" || c === ")")) {
      frame.depth += c === "(" ? 1 : -1;
      if (frame.depth === 0) {
        strings.pop();
        // The string resumes after the subexpression's `)`.
        doubleQuoted(i, i + 1, frame.here);
        continue;
      }
      i++;
      continue;
    }
    if (c === "<") {
      if (text[i + 1] === "#") {
        const close = text.indexOf("#>", i + 2);
        const end = close === -1 ? n : close + 2;
        regions.push(i, end, RegionKind.Comment);
        i = end;
      } else {
        reservedLessThan.push(i);
        i++;
      }
      continue;
    }
    if (c === "#" && (i === 0 || COMMENT_MAY_FOLLOW.has(text[i - 1]!))) {
      LINE_BREAK.lastIndex = i;
      const end = LINE_BREAK.exec(text)?.index ?? n;
      regions.push(i, end, RegionKind.Comment);
      i = end;
      continue;
    }
    if (c === "@" && (SINGLE.has(text[i + 1] ?? "") || DOUBLE.has(text[i + 1] ?? ""))) {
      const lineBreak = hereStringOpener(text, i + 2);
      if (lineBreak !== -1) {
        if (SINGLE.has(text[i + 1]!)) {
          const { end } = hereStringEnd(text, lineBreak, SINGLE);
          regions.push(i, end, RegionKind.String);
          i = end;
        } else doubleQuoted(i, lineBreak, true);
        continue;
      }
    }
    if (SINGLE.has(c)) {
      let j = i + 1;
      for (;;) {
        SINGLE_QUOTE.lastIndex = j;
        j = SINGLE_QUOTE.exec(text)?.index ?? n;
        if (j < n && SINGLE.has(text[j + 1] ?? "")) j += 2;
        else break;
      }
      const end = Math.min(j + 1, n);
      regions.push(i, end, RegionKind.String);
      i = end;
      continue;
    }
    if (DOUBLE.has(c)) {
      doubleQuoted(i, i + 1, false);
      continue;
    }
    i++;
  }
  // After the stop-parsing token `--%` the rest of the line is passed as it is (about_Parsing): a `<` there is text.
  return { regions, reservedLessThan: reservedLessThan.filter((at) => !text.slice(text.lastIndexOf("\n", at) + 1, at).includes("--%")) };
}
