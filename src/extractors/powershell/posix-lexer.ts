/**
 * A small POSIX shell lexer: one left-to-right scan of a whole script into simple commands (words,
 * redirections, heredoc bodies), enough to find the `pwsh` a script runs. Quotes may span lines;
 * `;` `&&` `||` `|` `&` `(` `)` and newlines separate commands; `#` starts a comment. Expansions
 * (`$x`, `$(…)`, backticks) are kept as written. Every character is visited a bounded number of
 * times, so the work is linear in the script's length (see `posixCharsVisited`).
 */

import type { PosixLexResult, Redirection, ShellWord, SimpleCommand } from "./shell-words";

let charsVisited = 0;

/** Characters the lexer has visited since the process started: a work counter for linearity tests. */
export const posixCharsVisited = (): number => charsVisited;

const BLANK = new Set([" ", "\t", "\r"]);
const WORD_END = new Set([" ", "\t", "\r", "\n", ";", "&", "|", "(", ")", "<", ">"]);
/** ASCII characters that end a word or change how it is read. */
const WORD_SPECIAL = new Uint8Array(128);
for (const ch of " \t\r\n;&|()<>'\"\\$`=") WORD_SPECIAL[ch.charCodeAt(0)] = 1;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const EXPANSION_START = /[A-Za-z0-9_{(@*#?$!-]/;

class Lexer {
  private i = 0;
  private line: number;
  private readonly commands: SimpleCommand[] = [];
  private current: SimpleCommand = { words: [], redirections: [], pipesToNext: false };
  private pendingHeredocs: Array<{ redirection: Redirection; delimiter: string; stripTabs: boolean }> = [];
  unterminated?: { line: number; what: string };

  constructor(
    private readonly src: string,
    baseLine: number,
  ) {
    this.line = baseLine;
  }

  run(): PosixLexResult {
    const { src } = this;
    while (this.i < src.length) {
      const ch = src[this.i]!;
      if (BLANK.has(ch)) this.advance(1);
      else if (ch === "\n") {
        this.advance(1);
        this.line++;
        this.endCommand(false);
        this.readHeredocBodies();
      } else if (ch === "#") this.skipComment();
      else if (ch === "\\" && src[this.i + 1] === "\n") {
        this.advance(2);
        this.line++;
      } else if (!this.readOperator()) this.current.words.push(this.readWord());
    }
    this.endCommand(false);
    if (this.pendingHeredocs.length > 0) this.unterminated ??= { line: this.line, what: "heredoc" };
    return { commands: this.commands, ...(this.unterminated ? { unterminated: this.unterminated } : {}) };
  }

  private advance(n: number): void {
    this.i += n;
    charsVisited += n;
  }

  private endCommand(pipesToNext: boolean): void {
    if (this.current.words.length > 0 || this.current.redirections.length > 0) {
      this.current.pipesToNext = pipesToNext;
      this.commands.push(this.current);
    }
    this.current = { words: [], redirections: [], pipesToNext: false };
  }

  private skipComment(): void {
    const end = this.src.indexOf("\n", this.i);
    this.advance((end < 0 ? this.src.length : end) - this.i);
  }

  /** A control or redirection operator at the cursor; false when a word starts here. */
  private readOperator(): boolean {
    const { src } = this;
    const two = src.slice(this.i, this.i + 2);
    const ch = src[this.i]!;
    if (two === "&&" || two === "||" || two === ";;") {
      this.advance(2);
      this.endCommand(false);
      return true;
    }
    if (two === "|&") {
      this.advance(2);
      this.endCommand(true);
      return true;
    }
    if (two === "&>") return this.readRedirection(undefined);
    if (ch === ";" || ch === "&" || ch === "(" || ch === ")") {
      this.advance(1);
      this.endCommand(false);
      return true;
    }
    if (ch === "|") {
      this.advance(1);
      this.endCommand(true);
      return true;
    }
    let j = this.i;
    while (j < src.length && j - this.i < 4 && src[j]! >= "0" && src[j]! <= "9") j++;
    if (src[j] === "<" || src[j] === ">") {
      const fd = j > this.i ? Number(src.slice(this.i, j)) : undefined;
      this.advance(j - this.i);
      return this.readRedirection(fd);
    }
    return false;
  }

  private readRedirection(fd: number | undefined): boolean {
    const op = ["<<<", "<<-", "&>>", "<<", "<&", "<>", ">>", ">&", ">|", "&>", "<", ">"].find((o) => this.src.startsWith(o, this.i))!;
    this.advance(op.length);
    while (this.i < this.src.length && BLANK.has(this.src[this.i]!)) this.advance(1);
    const redirection: Redirection = { op, ...(fd !== undefined ? { fd } : {}) };
    if (this.i < this.src.length && !WORD_END.has(this.src[this.i]!)) redirection.target = this.readWord();
    if ((op === "<<" || op === "<<-") && redirection.target) {
      this.pendingHeredocs.push({ redirection, delimiter: redirection.target.value, stripTabs: op === "<<-" });
    }
    this.current.redirections.push(redirection);
    return true;
  }

  /** After a newline: the bodies of the heredocs opened on the line just ended, in order. */
  private readHeredocBodies(): void {
    const { src } = this;
    for (const pending of this.pendingHeredocs) {
      const bodyLine = this.line;
      const body: string[] = [];
      let closed = false;
      while (this.i < src.length) {
        const end = src.indexOf("\n", this.i);
        const stop = end < 0 ? src.length : end;
        let text = src.slice(this.i, stop);
        this.advance(stop - this.i + (end < 0 ? 0 : 1));
        this.line++;
        if (pending.stripTabs) text = text.replace(/^\t+/, "");
        if (text === pending.delimiter || text === `${pending.delimiter}\r`) {
          closed = true;
          break;
        }
        body.push(text);
      }
      if (!closed) this.unterminated ??= { line: bodyLine, what: "heredoc" };
      pending.redirection.heredoc = { body: body.join("\n"), bodyLine, quoted: pending.redirection.target!.quoted };
    }
    this.pendingHeredocs = [];
  }

  private readWord(): ShellWord {
    const { src } = this;
    const word: ShellWord = { value: "", line: this.line, quoted: false, assignment: false, expands: false };
    let value = "";
    let unquotedSoFar = true;
    while (this.i < src.length) {
      const ch = src[this.i]!;
      if (WORD_END.has(ch)) break;
      if (ch === "'") {
        value += this.readSingleQuoted();
        word.quoted = true;
        unquotedSoFar = false;
      } else if (ch === '"') {
        value += this.readDoubleQuoted(word);
        word.quoted = true;
        unquotedSoFar = false;
      } else if (ch === "\\") {
        const next = src[this.i + 1];
        this.advance(next === undefined ? 1 : 2);
        if (next === "\n") this.line++;
        else if (next !== undefined) value += next;
        word.quoted = true;
        unquotedSoFar = false;
      } else if (ch === "$" && src[this.i + 1] === "'") {
        value += this.readAnsiQuoted();
        word.quoted = true;
        unquotedSoFar = false;
      } else if (ch === "$" || ch === "`") {
        if (ch === "`" || EXPANSION_START.test(src[this.i + 1] ?? "")) word.expands = true;
        value += this.readExpansion();
        unquotedSoFar = false;
      } else if (ch === "=") {
        if (unquotedSoFar && !word.assignment && NAME.test(value)) word.assignment = true;
        value += ch;
        this.advance(1);
      } else {
        const end = this.plainRunEnd();
        value += src.slice(this.i, end);
        this.advance(end - this.i);
      }
    }
    word.value = value;
    return word;
  }

  /** End of a run of characters that are only themselves in a word (one slice instead of one per character). */
  private plainRunEnd(): number {
    const { src } = this;
    let j = this.i + 1;
    while (j < src.length) {
      const code = src.charCodeAt(j);
      if (code < 128 && WORD_SPECIAL[code] === 1) break;
      j++;
    }
    return j;
  }

  private readSingleQuoted(): string {
    const start = this.i + 1;
    const end = this.src.indexOf("'", start);
    const stop = end < 0 ? this.src.length : end;
    const text = this.src.slice(start, stop);
    if (end < 0) this.unterminated ??= { line: this.line, what: "'" };
    this.advance(stop + 1 - this.i);
    this.line += countNewlines(text);
    return text;
  }

  private readDoubleQuoted(word: ShellWord): string {
    const { src } = this;
    const openLine = this.line;
    this.advance(1);
    let value = "";
    while (this.i < src.length) {
      const ch = src[this.i]!;
      if (ch === '"') {
        this.advance(1);
        return value;
      }
      if (ch === "\\" && this.i + 1 < src.length) {
        const next = src[this.i + 1]!;
        this.advance(2);
        if (next === "\n") this.line++;
        else value += '"\\$`'.includes(next) ? next : `\\${next}`;
      } else if (ch === "$" || ch === "`") {
        if (ch === "`" || EXPANSION_START.test(src[this.i + 1] ?? "")) word.expands = true;
        value += this.readExpansion();
      } else if (ch === "\n") {
        this.line++;
        value += ch;
        this.advance(1);
      } else {
        let end = this.i + 1;
        while (end < src.length && !'"\\$`\n'.includes(src[end]!)) end++;
        value += src.slice(this.i, end);
        this.advance(end - this.i);
      }
    }
    this.unterminated ??= { line: openLine, what: '"' };
    return value;
  }

  /** bash `$'…'`: backslash escapes are decoded. */
  private readAnsiQuoted(): string {
    const { src } = this;
    const openLine = this.line;
    this.advance(2);
    const escapes: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"', a: "\x07", b: "\b", e: "\x1b", f: "\f", v: "\v" };
    let value = "";
    while (this.i < src.length) {
      const ch = src[this.i]!;
      if (ch === "'") {
        this.advance(1);
        return value;
      }
      if (ch === "\\" && this.i + 1 < src.length) {
        const next = src[this.i + 1]!;
        value += escapes[next] ?? `\\${next}`;
        this.advance(2);
      } else {
        if (ch === "\n") this.line++;
        value += ch;
        this.advance(1);
      }
    }
    this.unterminated ??= { line: openLine, what: "$'" };
    return value;
  }

  /**
   * `$name`, `${…}`, `$(…)`, `$((…))` or `` `…` `` as written. Substitutions may hold quotes, nested
   * substitutions and heredocs; one stack of open contexts keeps the scan linear and recursion-free.
   */
  private readExpansion(): string {
    const { src } = this;
    const start = this.i;
    const openLine = this.line;
    const first = src[this.i]!;
    const second = src[this.i + 1];
    if (first === "$" && second !== "(" && second !== "{") {
      this.advance(1);
      if (second !== undefined && /[@*#?$!0-9-]/.test(second)) this.advance(1);
      else while (this.i < src.length && /[A-Za-z0-9_]/.test(src[this.i]!)) this.advance(1);
      return src.slice(start, this.i);
    }
    const stack: string[] = [];
    if (first === "`") {
      stack.push("`");
      this.advance(1);
    } else {
      stack.push(second === "(" ? ")" : "}");
      this.advance(2);
    }
    const heredocs: Array<{ delimiter: string; stripTabs: boolean }> = [];
    while (this.i < src.length && stack.length > 0) {
      const ch = src[this.i]!;
      const top = stack[stack.length - 1]!;
      if (top === "'") {
        if (ch === "'") stack.pop();
      } else if (ch === "\\") {
        this.advance(1); // the escaped character is passed below
      } else if (ch === top) {
        stack.pop();
      } else if (top === '"') {
        if (ch === "$" && (src[this.i + 1] === "(" || src[this.i + 1] === "{")) {
          stack.push(src[this.i + 1] === "(" ? ")" : "}");
          this.advance(1);
        } else if (ch === "`") stack.push("`");
      } else if (ch === "'" || ch === '"' || ch === "`") {
        stack.push(ch);
      } else if (ch === "(" && top === ")") {
        stack.push(")");
      } else if (ch === "$" && (src[this.i + 1] === "(" || src[this.i + 1] === "{")) {
        stack.push(src[this.i + 1] === "(" ? ")" : "}");
        this.advance(1);
      } else if (ch === "<" && src.startsWith("<<", this.i) && !src.startsWith("<<<", this.i)) {
        const marker = /^<<(-?)[ \t]*(['"]?)([A-Za-z0-9_.-]+)\2/.exec(src.slice(this.i, this.i + 80));
        if (marker) {
          heredocs.push({ delimiter: marker[3]!, stripTabs: marker[1] === "-" });
          this.advance(marker[0].length - 1);
        }
      } else if (ch === "\n" && heredocs.length > 0) {
        this.advance(1);
        this.line++;
        for (const h of heredocs) this.skipHeredocBody(h.delimiter, h.stripTabs);
        heredocs.length = 0;
        continue;
      }
      if (src[this.i] === "\n") this.line++;
      this.advance(1);
    }
    if (stack.length > 0) this.unterminated ??= { line: openLine, what: first === "`" ? "`" : `$${second}` };
    return src.slice(start, this.i);
  }

  private skipHeredocBody(delimiter: string, stripTabs: boolean): void {
    const { src } = this;
    while (this.i < src.length) {
      const end = src.indexOf("\n", this.i);
      const stop = end < 0 ? src.length : end;
      let text = src.slice(this.i, stop);
      this.advance(stop - this.i + (end < 0 ? 0 : 1));
      this.line++;
      if (stripTabs) text = text.replace(/^\t+/, "");
      if (text === delimiter) return;
    }
  }
}

function countNewlines(text: string): number {
  let n = 0;
  for (let k = text.indexOf("\n"); k >= 0; k = text.indexOf("\n", k + 1)) n++;
  return n;
}

/** The simple commands of a POSIX shell script; `baseLine` is the script's first line in the resource. */
export function lexPosix(script: string, baseLine = 0): PosixLexResult {
  return new Lexer(script, baseLine).run();
}
