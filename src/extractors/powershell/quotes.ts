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
 * `-Services POP, IMAP, SMTP` — a bare-word list with spaces after the commas, which PowerShell binds as
 * one array but the grammar cannot parse (its error recovery then swallows the statements after it).
 */
const SPACED_BARE_LIST = /(\s-[A-Za-z][A-Za-z0-9]*:?\s+)([A-Za-z0-9_.*]+(?:[ \t]*,[ \t]*[A-Za-z0-9_.*]+)+)(?=[ \t]|$)/gm;

/** The same text with such lists written without spaces (`POP,IMAP,SMTP`), the spaces moved after the list: lines keep their length. */
export function compactBareLists(text: string): string {
  return text.replace(SPACED_BARE_LIST, (_m, parameter: string, list: string) => {
    const compact = list.replace(/[ \t]*,[ \t]*/g, ",");
    return `${parameter}${compact}${" ".repeat(list.length - compact.length)}`;
  });
}
