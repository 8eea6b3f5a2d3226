/**
 * Words of the POSIX shell lexer: quoting (`'…'`, `"…"`, `$'…'`, backslashes), `NAME=` assignments and
 * expansions kept as written, read from a shared cursor so every character is visited a bounded
 * number of times.
 */
import { type PosixCursor, WORD_END } from "./posix-cursor";
import type { ShellWord } from "./shell-words";

/** ASCII characters that end a word or change how it is read. */
const WORD_SPECIAL = new Uint8Array(128);
for (const ch of " \t\r\n;&|()<>'\"\\$`=") WORD_SPECIAL[ch.charCodeAt(0)] = 1;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const EXPANSION_START = /[A-Za-z0-9_{(@*#?$!-]/;

export function readWord(c: PosixCursor): ShellWord {
  const { src } = c;
  const word: ShellWord = { value: "", line: c.line, quoted: false, assignment: false, expands: false };
  let value = "";
  let unquotedSoFar = true;
  while (c.i < src.length) {
    const ch = src[c.i]!;
    if (WORD_END.has(ch)) break;
    if (ch === "'") {
      value += readSingleQuoted(c);
      word.quoted = true;
      unquotedSoFar = false;
    } else if (ch === '"') {
      value += readDoubleQuoted(c, word);
      word.quoted = true;
      unquotedSoFar = false;
    } else if (ch === "\\") {
      const next = src[c.i + 1];
      c.advance(next === undefined ? 1 : 2);
      if (next === "\n") c.line++;
      else if (next !== undefined) value += next;
      word.quoted = true;
      unquotedSoFar = false;
    } else if (ch === "$" && src[c.i + 1] === "'") {
      value += readAnsiQuoted(c);
      word.quoted = true;
      unquotedSoFar = false;
    } else if (ch === "$" || ch === "`") {
      if (ch === "`" || EXPANSION_START.test(src[c.i + 1] ?? "")) word.expands = true;
      value += readExpansion(c);
      unquotedSoFar = false;
    } else if (ch === "=") {
      if (unquotedSoFar && !word.assignment && NAME.test(value)) word.assignment = true;
      value += ch;
      c.advance(1);
    } else {
      const end = plainRunEnd(c);
      value += src.slice(c.i, end);
      c.advance(end - c.i);
    }
  }
  word.value = value;
  return word;
}

/** End of a run of characters that are only themselves in a word (one slice instead of one per character). */
function plainRunEnd(c: PosixCursor): number {
  const { src } = c;
  let j = c.i + 1;
  while (j < src.length) {
    const code = src.charCodeAt(j);
    if (code < 128 && WORD_SPECIAL[code] === 1) break;
    j++;
  }
  return j;
}

function readSingleQuoted(c: PosixCursor): string {
  const start = c.i + 1;
  const end = c.src.indexOf("'", start);
  const stop = end < 0 ? c.src.length : end;
  const text = c.src.slice(start, stop);
  if (end < 0) c.unterminated ??= { line: c.line, what: "'" };
  c.advance(stop + 1 - c.i);
  c.line += countNewlines(text);
  return text;
}

function readDoubleQuoted(c: PosixCursor, word: ShellWord): string {
  const { src } = c;
  const openLine = c.line;
  c.advance(1);
  let value = "";
  while (c.i < src.length) {
    const ch = src[c.i]!;
    if (ch === '"') {
      c.advance(1);
      return value;
    }
    if (ch === "\\" && c.i + 1 < src.length) {
      const next = src[c.i + 1]!;
      c.advance(2);
      if (next === "\n") c.line++;
      else value += '"\\$`'.includes(next) ? next : `\\${next}`;
    } else if (ch === "$" || ch === "`") {
      if (ch === "`" || EXPANSION_START.test(src[c.i + 1] ?? "")) word.expands = true;
      value += readExpansion(c);
    } else if (ch === "\n") {
      c.line++;
      value += ch;
      c.advance(1);
    } else {
      let end = c.i + 1;
      while (end < src.length && !'"\\$`\n'.includes(src[end]!)) end++;
      value += src.slice(c.i, end);
      c.advance(end - c.i);
    }
  }
  c.unterminated ??= { line: openLine, what: '"' };
  return value;
}

/** bash `$'…'`: backslash escapes are decoded. */
function readAnsiQuoted(c: PosixCursor): string {
  const { src } = c;
  const openLine = c.line;
  c.advance(2);
  const escapes: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"', a: "\x07", b: "\b", e: "\x1b", f: "\f", v: "\v" };
  let value = "";
  while (c.i < src.length) {
    const ch = src[c.i]!;
    if (ch === "'") {
      c.advance(1);
      return value;
    }
    if (ch === "\\" && c.i + 1 < src.length) {
      const next = src[c.i + 1]!;
      value += escapes[next] ?? `\\${next}`;
      c.advance(2);
    } else {
      if (ch === "\n") c.line++;
      value += ch;
      c.advance(1);
    }
  }
  c.unterminated ??= { line: openLine, what: "$'" };
  return value;
}

/**
 * `$name`, `${…}`, `$(…)`, `$((…))` or `` `…` `` as written. Substitutions may hold quotes, nested
 * substitutions and heredocs; one stack of open contexts keeps the scan linear and recursion-free.
 */
function readExpansion(c: PosixCursor): string {
  const { src } = c;
  const start = c.i;
  const openLine = c.line;
  const first = src[c.i]!;
  const second = src[c.i + 1];
  if (first === "$" && second !== "(" && second !== "{") {
    c.advance(1);
    if (second !== undefined && /[@*#?$!0-9-]/.test(second)) c.advance(1);
    else while (c.i < src.length && /[A-Za-z0-9_]/.test(src[c.i]!)) c.advance(1);
    return src.slice(start, c.i);
  }
  const stack: string[] = [];
  if (first === "`") {
    stack.push("`");
    c.advance(1);
  } else {
    stack.push(second === "(" ? ")" : "}");
    c.advance(2);
  }
  const heredocs: Array<{ delimiter: string; stripTabs: boolean }> = [];
  while (c.i < src.length && stack.length > 0) {
    const ch = src[c.i]!;
    const top = stack[stack.length - 1]!;
    if (top === "'") {
      if (ch === "'") stack.pop();
    } else if (ch === "\\") {
      c.advance(1); // the escaped character is passed below
    } else if (ch === top) {
      stack.pop();
    } else if (top === '"') {
      if (ch === "$" && (src[c.i + 1] === "(" || src[c.i + 1] === "{")) {
        stack.push(src[c.i + 1] === "(" ? ")" : "}");
        c.advance(1);
      } else if (ch === "`") stack.push("`");
    } else if (ch === "'" || ch === '"' || ch === "`") {
      stack.push(ch);
    } else if (ch === "(" && top === ")") {
      stack.push(")");
    } else if (ch === "$" && (src[c.i + 1] === "(" || src[c.i + 1] === "{")) {
      stack.push(src[c.i + 1] === "(" ? ")" : "}");
      c.advance(1);
    } else if (ch === "<" && src.startsWith("<<", c.i) && !src.startsWith("<<<", c.i)) {
      const marker = /^<<(-?)[ \t]*(['"]?)([A-Za-z0-9_.-]+)\2/.exec(src.slice(c.i, c.i + 80));
      if (marker) {
        heredocs.push({ delimiter: marker[3]!, stripTabs: marker[1] === "-" });
        c.advance(marker[0].length - 1);
      }
    } else if (ch === "\n" && heredocs.length > 0) {
      c.advance(1);
      c.line++;
      for (const h of heredocs) skipHeredocBody(c, h.delimiter, h.stripTabs);
      heredocs.length = 0;
      continue;
    }
    if (src[c.i] === "\n") c.line++;
    c.advance(1);
  }
  if (stack.length > 0) c.unterminated ??= { line: openLine, what: first === "`" ? "`" : `$${second}` };
  return src.slice(start, c.i);
}

function skipHeredocBody(c: PosixCursor, delimiter: string, stripTabs: boolean): void {
  const { src } = c;
  while (c.i < src.length) {
    const end = src.indexOf("\n", c.i);
    const stop = end < 0 ? src.length : end;
    let text = src.slice(c.i, stop);
    c.advance(stop - c.i + (end < 0 ? 0 : 1));
    c.line++;
    if (stripTabs) text = text.replace(/^\t+/, "");
    if (text === delimiter) return;
  }
}

function countNewlines(text: string): number {
  let n = 0;
  for (let k = text.indexOf("\n"); k >= 0; k = text.indexOf("\n", k + 1)) n++;
  return n;
}
