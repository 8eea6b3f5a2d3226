/** The read position of the POSIX shell lexer, shared by its command and word readers. */

let charsVisited = 0;

/** Characters the lexer has visited since the process started: a work counter for linearity tests. */
export const posixCharsVisited = (): number => charsVisited;

export const BLANK = new Set([" ", "\t", "\r"]);
export const WORD_END = new Set([" ", "\t", "\r", "\n", ";", "&", "|", "(", ")", "<", ">"]);

export class PosixCursor {
  i = 0;
  line: number;
  /** The first quote, substitution or heredoc left open, where it opened. */
  unterminated?: { line: number; what: string };

  constructor(
    readonly src: string,
    baseLine: number,
  ) {
    this.line = baseLine;
  }

  advance(n: number): void {
    this.i += n;
    charsVisited += n;
  }
}
