/**
 * `Export-Clixml` files: PowerShell's typed serialisation (MS-PSRP 2.2.5, "Serialization of objects",
 * https://learn.microsoft.com/openspecs/windows_protocols/ms-psrp/c8c85974-ffd7-4455-84a8-e49016c20683),
 * the format Exchange administrators and Microsoft's own Health Checker keep cmdlet output in. Each
 * object becomes the plain value ConvertTo-Json would give for it, so the same object readers read it:
 * `<Props>` and `<MS>` members by their `N` names; `<LST>`/`<IE>`/`<STK>`/`<QUE>` as lists; `<DCT>` as
 * an object; an enum (`<Obj>` typed `System.Enum` holding `<ToString>` and `<I32>`) as
 * `{ ToString, value }` (decoded by enums.ts); a value with only its `<ToString>` (a size, a time span)
 * as that text; `<Ref RefId>` as the object it refers to; `<Nil>` as null; `<S>` with `_xHHHH_`
 * escapes decoded. A `<SS>` SecureString is never read (null), nor is `SerializationData`.
 *
 * Parsed with saxes (6.0.0, pinned): a pure-JS, strict (well-formed XML 1.0 only) streaming parser that
 * reports the line of every element, so each exported object is located on its line and a malformed
 * file is named at its line and column. It expands no entity beyond XML's five and character
 * references, so a hostile file cannot make it fetch or multiply anything. (fast-xml-parser reports no
 * element positions.)
 */
import { SaxesParser, type SaxesTag } from "saxes";

export interface ClixmlObject {
  value: unknown;
  /** Type names, most specific first (`Deserialized.`/`Selected.` prefixes kept as written). */
  typeNames: string[];
  /** 1-based line of the object's `<Obj>` (or primitive) element. */
  line: number;
}

export type ClixmlRead = { objects: ClixmlObject[] } | { line: number; column: number; problem: string };

const PRIMITIVES: Record<string, (text: string) => unknown> = {
  S: (t) => decodeEscapes(t),
  C: (t) => String.fromCharCode(Number(t)),
  B: (t) => t.trim().toLowerCase() === "true",
  DT: (t) => t.trim(),
  TS: (t) => t.trim(),
  G: (t) => t.trim(),
  URI: (t) => decodeEscapes(t),
  Version: (t) => t.trim(),
  XD: (t) => decodeEscapes(t),
  SBK: (t) => decodeEscapes(t),
  BA: (t) => t.trim(),
  // A SecureString is never decrypted, kept or shown.
  SS: () => null,
  Nil: () => null,
};
for (const tag of ["By", "SB", "I16", "U16", "I32", "U32", "I64", "U64", "Sg", "Db", "D"]) PRIMITIVES[tag] = (t) => Number(t.trim());

const LISTS = new Set(["LST", "IE", "STK", "QUE"]);
/** Members that are never read: Exchange's binary rehydration data, the session's runspace. */
const SKIPPED_MEMBERS = new Set(["SerializationData", "RunspaceId"]);

/** `_x000D__x000A_` → CR LF: PowerShell's escape for characters XML cannot hold (MS-PSRP 2.2.5.3.2). */
const decodeEscapes = (s: string): string => s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

interface Frame {
  tag: string;
  name?: string;
  refId?: string;
  line: number;
  text: string;
  typeNames: string[];
  /** The object's `<ToString>` text. */
  asText?: string;
  members?: Record<string, unknown>;
  list?: unknown[];
  dict?: Record<string, unknown>;
  entry?: { key?: unknown; value?: unknown };
  base?: { value: unknown };
}

const record = (): Record<string, unknown> => Object.create(null) as Record<string, unknown>;

/** The plain value of a closed `<Obj>`. */
function objectValue(f: Frame): unknown {
  if (f.list) return f.list;
  if (f.dict) return f.dict;
  if (f.base) return f.typeNames.includes("System.Enum") || f.typeNames.some((t) => t.endsWith("System.Enum")) ? { ToString: f.asText, value: f.base.value } : f.base.value;
  if (f.members && Object.keys(f.members).length > 0) {
    const out = record();
    Object.assign(out, f.members);
    if (f.asText !== undefined && !("ToString" in out)) out["ToString"] = f.asText;
    return { ...out };
  }
  return f.asText ?? null;
}

/** Reads an Export-Clixml text: its top-level objects as plain values, or where and why it is not CliXml (never throws). */
export function readClixml(text: string): ClixmlRead {
  const parser = new SaxesParser({ position: true });
  const stack: Frame[] = [];
  const objects: ClixmlObject[] = [];
  const typeNamesByRef = new Map<string, string[]>();
  const objectsByRef = new Map<string, unknown>();
  let error: { line: number; column: number; problem: string } | undefined;
  let rootSeen = false;

  const attach = (child: Frame, value: unknown): void => {
    const parent = stack[stack.length - 1];
    if (!parent) return;
    if (parent.tag === "Objs") objects.push({ value, typeNames: child.typeNames, line: child.line });
    else if (parent.tag === "Props" || parent.tag === "MS") {
      if (child.name !== undefined && !SKIPPED_MEMBERS.has(child.name)) parent.members![child.name] = value;
    } else if (LISTS.has(parent.tag)) parent.list!.push(value);
    else if (parent.tag === "En") {
      if (child.name === "Key") parent.entry!.key = value;
      else if (child.name === "Value") parent.entry!.value = value;
    } else if (parent.tag === "Obj") {
      if (child.name !== undefined) parent.members![child.name] = value;
      else parent.base = { value };
    }
  };

  parser.on("error", (e) => {
    error ??= { line: parser.line, column: parser.column, problem: safeMessage(e.message) };
  });
  parser.on("opentag", (tag: SaxesTag) => {
    if (error) return;
    const attrs = tag.attributes as Record<string, unknown>;
    const attr = (name: string): string | undefined => (typeof attrs[name] === "string" ? (attrs[name] as string) : undefined);
    if (stack.length === 0) {
      if (tag.name !== "Objs") error = { line: parser.line, column: parser.column, problem: `the root element is <${safeMessage(tag.name)}>, not <Objs>: not an Export-Clixml file` };
      rootSeen = true;
    }
    const frame: Frame = { tag: tag.name, line: parser.line, text: "", typeNames: [], ...(attr("N") !== undefined ? { name: decodeEscapes(attr("N")!) } : {}), ...(attr("RefId") !== undefined ? { refId: attr("RefId")! } : {}) };
    if (tag.name === "Obj") frame.members = record();
    else if (tag.name === "Props" || tag.name === "MS") frame.members = record();
    else if (LISTS.has(tag.name)) frame.list = [];
    else if (tag.name === "DCT") frame.dict = record();
    else if (tag.name === "En") frame.entry = {};
    stack.push(frame);
  });
  parser.on("text", (t) => {
    const top = stack[stack.length - 1];
    if (top && !error) top.text += t;
  });
  parser.on("closetag", () => {
    if (error) return;
    const f = stack.pop();
    if (!f) return;
    const parent = stack[stack.length - 1];
    switch (f.tag) {
      case "T":
        parent?.typeNames.push(f.text.trim());
        return;
      case "TN":
        if (parent) parent.typeNames = f.typeNames;
        if (f.refId !== undefined) typeNamesByRef.set(f.refId, f.typeNames);
        return;
      case "TNRef":
        if (parent) parent.typeNames = typeNamesByRef.get(f.refId ?? "") ?? [];
        return;
      case "ToString":
        if (parent) parent.asText = decodeEscapes(f.text);
        return;
      case "Props":
      case "MS":
        if (parent?.members) Object.assign(parent.members, f.members);
        return;
      case "DCT":
        if (parent) parent.dict = f.dict;
        return;
      case "En":
        if (parent?.dict && (typeof f.entry?.key === "string" || typeof f.entry?.key === "number")) parent.dict[String(f.entry.key)] = f.entry.value ?? null;
        return;
      case "Obj": {
        const value = objectValue(f);
        if (f.refId !== undefined) objectsByRef.set(f.refId, value);
        attach(f, value);
        return;
      }
      case "Ref":
        attach(f, objectsByRef.get(f.refId ?? "") ?? null);
        return;
      case "Objs":
        return;
      default:
        if (LISTS.has(f.tag)) {
          if (parent) parent.list = f.list;
          return;
        }
        // Primitives (and any element the format may add later, read as its text).
        attach(f, (PRIMITIVES[f.tag] ?? decodeEscapes)(f.text));
    }
  });
  try {
    parser.write(text).close();
  } catch (e) {
    error ??= { line: parser.line, column: parser.column, problem: safeMessage(e instanceof Error ? e.message : String(e)) };
  }
  if (error) return error;
  if (!rootSeen) return { line: 1, column: 1, problem: "no <Objs> element: not an Export-Clixml file" };
  return { objects };
}

/** A parser message as the audit may print it: without its own position prefix, printable ASCII only, short. */
function safeMessage(message: string): string {
  const text = message.replace(/^\d+:\d+:\s*/, "").replace(/[^\x20-\x7e]/g, (c) => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`);
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}
