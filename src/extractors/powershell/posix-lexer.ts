/**
 * A small POSIX shell lexer: one left-to-right scan of a whole script into simple commands (words,
 * redirections, heredoc bodies), enough to find the `pwsh` a script runs. Quotes may span lines;
 * `;` `&&` `||` `|` `&` `(` `)` and newlines separate commands; `#` starts a comment. Expansions
 * (`$x`, `$(…)`, backticks) are kept as written. Every character is visited a bounded number of
 * times, so the work is linear in the script's length (see `posixCharsVisited`).
 */

import { BLANK, PosixCursor, WORD_END } from "./posix-cursor";
import { readWord } from "./posix-words";
import type { PosixLexResult, Redirection, SimpleCommand } from "./shell-words";

export { posixCharsVisited } from "./posix-cursor";

class Lexer {
  private readonly commands: SimpleCommand[] = [];
  private current: SimpleCommand = { words: [], redirections: [], pipesToNext: false };
  private pendingHeredocs: Array<{ redirection: Redirection; delimiter: string; stripTabs: boolean }> = [];

  constructor(private readonly cursor: PosixCursor) {}

  run(): PosixLexResult {
    const { src } = this.cursor;
    while (this.cursor.i < src.length) {
      const ch = src[this.cursor.i]!;
      if (BLANK.has(ch)) this.cursor.advance(1);
      else if (ch === "\n") {
        this.cursor.advance(1);
        this.cursor.line++;
        this.endCommand(false);
        this.readHeredocBodies();
      } else if (ch === "#") this.skipComment();
      else if (ch === "\\" && src[this.cursor.i + 1] === "\n") {
        this.cursor.advance(2);
        this.cursor.line++;
      } else if (!this.readOperator()) this.current.words.push(readWord(this.cursor));
    }
    this.endCommand(false);
    if (this.pendingHeredocs.length > 0) this.cursor.unterminated ??= { line: this.cursor.line, what: "heredoc" };
    return { commands: this.commands, ...(this.cursor.unterminated ? { unterminated: this.cursor.unterminated } : {}) };
  }

  private endCommand(pipesToNext: boolean): void {
    if (this.current.words.length > 0 || this.current.redirections.length > 0) {
      this.current.pipesToNext = pipesToNext;
      this.commands.push(this.current);
    }
    this.current = { words: [], redirections: [], pipesToNext: false };
  }

  private skipComment(): void {
    const end = this.cursor.src.indexOf("\n", this.cursor.i);
    this.cursor.advance((end < 0 ? this.cursor.src.length : end) - this.cursor.i);
  }

  /** A control or redirection operator at the cursor; false when a word starts here. */
  private readOperator(): boolean {
    const { src } = this.cursor;
    const two = src.slice(this.cursor.i, this.cursor.i + 2);
    const ch = src[this.cursor.i]!;
    if (two === "&&" || two === "||" || two === ";;") {
      this.cursor.advance(2);
      this.endCommand(false);
      return true;
    }
    if (two === "|&") {
      this.cursor.advance(2);
      this.endCommand(true);
      return true;
    }
    if (two === "&>") return this.readRedirection(undefined);
    if (ch === ";" || ch === "&" || ch === "(" || ch === ")") {
      this.cursor.advance(1);
      this.endCommand(false);
      return true;
    }
    if (ch === "|") {
      this.cursor.advance(1);
      this.endCommand(true);
      return true;
    }
    let j = this.cursor.i;
    while (j < src.length && j - this.cursor.i < 4 && src[j]! >= "0" && src[j]! <= "9") j++;
    if (src[j] === "<" || src[j] === ">") {
      const fd = j > this.cursor.i ? Number(src.slice(this.cursor.i, j)) : undefined;
      this.cursor.advance(j - this.cursor.i);
      return this.readRedirection(fd);
    }
    return false;
  }

  private readRedirection(fd: number | undefined): boolean {
    const op = ["<<<", "<<-", "&>>", "<<", "<&", "<>", ">>", ">&", ">|", "&>", "<", ">"].find((o) => this.cursor.src.startsWith(o, this.cursor.i))!;
    this.cursor.advance(op.length);
    while (this.cursor.i < this.cursor.src.length && BLANK.has(this.cursor.src[this.cursor.i]!)) this.cursor.advance(1);
    const redirection: Redirection = { op, ...(fd !== undefined ? { fd } : {}) };
    if (this.cursor.i < this.cursor.src.length && !WORD_END.has(this.cursor.src[this.cursor.i]!)) redirection.target = readWord(this.cursor);
    if ((op === "<<" || op === "<<-") && redirection.target) {
      this.pendingHeredocs.push({ redirection, delimiter: redirection.target.value, stripTabs: op === "<<-" });
    }
    this.current.redirections.push(redirection);
    return true;
  }

  /** After a newline: the bodies of the heredocs opened on the line just ended, in order. */
  private readHeredocBodies(): void {
    const { src } = this.cursor;
    for (const pending of this.pendingHeredocs) {
      const bodyLine = this.cursor.line;
      const body: string[] = [];
      let closed = false;
      while (this.cursor.i < src.length) {
        const end = src.indexOf("\n", this.cursor.i);
        const stop = end < 0 ? src.length : end;
        let text = src.slice(this.cursor.i, stop);
        this.cursor.advance(stop - this.cursor.i + (end < 0 ? 0 : 1));
        this.cursor.line++;
        if (pending.stripTabs) text = text.replace(/^\t+/, "");
        if (text === pending.delimiter || text === `${pending.delimiter}\r`) {
          closed = true;
          break;
        }
        body.push(text);
      }
      if (!closed) this.cursor.unterminated ??= { line: bodyLine, what: "heredoc" };
      pending.redirection.heredoc = { body: body.join("\n"), bodyLine, quoted: pending.redirection.target!.quoted };
    }
    this.pendingHeredocs = [];
  }
}

/** The simple commands of a POSIX shell script; `baseLine` is the script's first line in the resource. */
export function lexPosix(script: string, baseLine = 0): PosixLexResult {
  return new Lexer(new PosixCursor(script, baseLine)).run();
}
