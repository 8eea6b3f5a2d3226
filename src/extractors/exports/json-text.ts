/**
 * JSON text of an export: `JSON.parse` reads it; this scanner only locates. It never builds a value:
 * it records where each object and list up to a small depth begins (so a finding can point at the line
 * of the exported object, and SARIF at a region of the file), and, when the text is not JSON, the
 * place of the first error and what was expected there — in its own words, because the engine's
 * message quotes the text itself (raw bytes of a misread file included) and names no line.
 */
import { describeCharacter, lineAndColumn, lineStarts } from "./decode";

export interface JsonLocations {
  /** 1-based line of the object or list at a path (`[3]`, `inbound_connectors[0]`, `deployment.resources[2]`). */
  lineOf(path: string): number | undefined;
}

export type JsonRead = { value: unknown; locations: JsonLocations } | { line: number; column: number; problem: string };

/** How deep containers are recorded: a stack export's resources sit at depth 3. */
const RECORDED_DEPTH = 4;

interface Frame {
  kind: "object" | "array";
  path: string;
  count: number;
}

interface Scan {
  starts: Map<string, number>;
  error?: { offset: number; problem: string };
}

const isWhitespace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;

const childPath = (parent: string, key: string): string => (parent ? `${parent}.${key}` : key);

/** The end of the string starting at `i` (the index after its closing quote), or -1 when it is not closed on its line. */
function stringEnd(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x22) return j + 1;
    if (c === 0x5c) j++;
    else if (c < 0x20) return -1;
  }
  return -1;
}

/** Walks the text once, with an explicit stack (no recursion: any nesting depth is safe). */
function scan(text: string): Scan {
  const starts = new Map<string, number>();
  const stack: Frame[] = [];
  let i = 0;
  let state: "value" | "key" | "after" = "value";
  let path = "";
  const fail = (problem: string): Scan => ({ starts, error: { offset: i, problem } });
  const found = (): string => describeCharacter(text[i] === undefined ? undefined : String.fromCodePoint(text.codePointAt(i)!));
  for (;;) {
    while (i < text.length && isWhitespace(text.charCodeAt(i))) i++;
    const top = stack[stack.length - 1];
    if (state === "value") {
      const c = text[i];
      if (c === undefined) return fail(stack.length ? `the file ends inside ${top!.kind === "array" ? "a list" : "an object"}: is it cut off?` : "the file holds no JSON value");
      if (c === "{" || c === "[") {
        if (stack.length < RECORDED_DEPTH && !starts.has(path)) starts.set(path, i);
        stack.push({ kind: c === "{" ? "object" : "array", path, count: 0 });
        i++;
        while (i < text.length && isWhitespace(text.charCodeAt(i))) i++;
        if (text[i] === (c === "{" ? "}" : "]")) {
          i++;
          stack.pop();
          state = "after";
        } else if (c === "{") state = "key";
        else path = `${path}[0]`;
        continue;
      }
      if (c === '"') {
        const end = stringEnd(text, i);
        if (end < 0) return fail("a text value is not closed (a line break or the end of the file comes before its closing quote)");
        i = end;
      } else {
        const pattern = c === "-" || (c >= "0" && c <= "9") ? NUMBER : LITERAL;
        pattern.lastIndex = i;
        if (!pattern.test(text)) return fail(`expected a value (text, number, true, false, null, an object or a list), found ${found()}`);
        i = pattern.lastIndex;
      }
      state = "after";
      continue;
    }
    if (state === "key") {
      if (text[i] === undefined) return fail("the file ends inside an object: is it cut off?");
      if (text[i] !== '"') return fail(`expected a property name in double quotes, found ${found()}`);
      const end = stringEnd(text, i);
      if (end < 0) return fail("a property name is not closed");
      let key: string;
      try {
        key = JSON.parse(text.slice(i, end)) as string;
      } catch {
        return fail("a property name holds an invalid escape");
      }
      i = end;
      while (i < text.length && isWhitespace(text.charCodeAt(i))) i++;
      if (text[i] !== ":") return fail(`expected ':' after the property name, found ${found()}`);
      i++;
      path = childPath(top!.path, key);
      state = "value";
      continue;
    }
    if (!top) return i < text.length ? fail(`expected the end of the file after the JSON value, found ${found()}`) : { starts };
    const close = top.kind === "array" ? "]" : "}";
    if (text[i] === undefined) return fail(`the file ends inside ${top.kind === "array" ? "a list" : "an object"}: is it cut off?`);
    if (text[i] === ",") {
      i++;
      top.count++;
      if (top.kind === "array") {
        path = `${top.path}[${top.count}]`;
        state = "value";
      } else state = "key";
      continue;
    }
    if (text[i] !== close) return fail(`expected ',' or '${close}' after ${top.kind === "array" ? "a list item" : "a property"}, found ${found()}`);
    i++;
    stack.pop();
  }
}

/** Parses an export's JSON text: its value and where its objects begin, or the line, column and kind of its first error. */
export function readJsonText(text: string): JsonRead {
  let value: unknown;
  let parsed = true;
  try {
    value = JSON.parse(text);
  } catch {
    parsed = false;
  }
  const scanned = scan(text);
  const starts = lineStarts(text);
  if (!parsed || scanned.error) {
    // The scanner and JSON.parse agree on what JSON is; if the engine refused what the scanner passed, say where the text ends.
    const error = scanned.error ?? { offset: text.length, problem: "not valid JSON" };
    return { ...lineAndColumn(starts, error.offset), problem: error.problem };
  }
  return {
    value,
    locations: {
      lineOf: (path) => {
        const offset = scanned.starts.get(path);
        return offset === undefined ? undefined : lineAndColumn(starts, offset).line;
      },
    },
  };
}
