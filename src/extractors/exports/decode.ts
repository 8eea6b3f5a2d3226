/**
 * The text of an input file, in whichever encoding Windows wrote it. Windows PowerShell 5.1 (the
 * Exchange Management Shell) writes UTF-16LE with a byte-order mark through `>` and `Out-File`, UTF-8
 * with a BOM through `-Encoding UTF8`, the ANSI code page through `Set-Content`, and `Export-Clixml`
 * writes UTF-16LE by default; PowerShell 7 writes UTF-8 without a BOM. Lines end in CRLF.
 * https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_character_encoding
 *
 * The encoding is told from the byte-order mark, else from the pattern of NUL bytes (UTF-16 without a
 * BOM: every other byte of ASCII text is NUL), else UTF-8, else the ANSI code page (read as
 * Windows-1252). The encoding found is named in every message about the file; the file's bytes never
 * are (a message quotes a character only as `U+XXXX` when it is not printable ASCII).
 */

export type Decoded = { text: string; encoding: string } | { problem: string; encoding?: string };

/** How many leading bytes the NUL pattern is judged on (enough for any export's first lines). */
const SNIFF_BYTES = 4096;

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.length <= bytes.length && prefix.every((b, i) => bytes[i] === b);
}

/** UTF-16 of `bytes` (an odd trailing byte, a cut-off file, is left out: the parser then says where the text ends). */
function utf16(bytes: Uint8Array, bigEndian: boolean): string {
  const even = bytes.subarray(0, bytes.length - (bytes.length % 2));
  if (!bigEndian) return new TextDecoder("utf-16le").decode(even);
  const swapped = new Uint8Array(even.length);
  for (let i = 0; i < even.length; i += 2) {
    swapped[i] = even[i + 1]!;
    swapped[i + 1] = even[i]!;
  }
  return new TextDecoder("utf-16le").decode(swapped);
}

/** UTF-32 (`Out-File -Encoding UTF32`): code points that are not Unicode scalar values become U+FFFD. */
function utf32(bytes: Uint8Array, bigEndian: boolean): string {
  const out: string[] = [];
  for (let i = 0; i + 4 <= bytes.length; i += 4) {
    const cp = bigEndian
      ? ((bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!) >>> 0
      : ((bytes[i + 3]! << 24) | (bytes[i + 2]! << 16) | (bytes[i + 1]! << 8) | bytes[i]!) >>> 0;
    out.push(cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? "\uFFFD" : String.fromCodePoint(cp));
  }
  return out.join("");
}

/** UTF-16 without a BOM, by where the NUL bytes of ASCII characters fall; `binary` when NULs fall anywhere else. */
function nulPattern(bytes: Uint8Array): "utf-16le" | "utf-16be" | "binary" | "none" {
  const n = Math.min(bytes.length, SNIFF_BYTES);
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i++) if (bytes[i] === 0) i % 2 === 0 ? evenNul++ : oddNul++;
  if (evenNul + oddNul === 0) return "none";
  const half = Math.max(1, Math.floor(n / 2));
  // ASCII text in UTF-16: at least a third of one parity is NUL, (almost) none of the other.
  if (oddNul >= half / 3 && evenNul <= half / 50) return "utf-16le";
  if (evenNul >= half / 3 && oddNul <= half / 50) return "utf-16be";
  return "binary";
}

const withoutBom = (text: string): string => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/** The text of `bytes` and the encoding it was read in, or why it is not a text export (never throws). */
export function decodeExport(bytes: Uint8Array): Decoded {
  try {
    if (startsWith(bytes, [0x00, 0x00, 0xfe, 0xff])) return { text: withoutBom(utf32(bytes.subarray(4), true)), encoding: "UTF-32BE with BOM" };
    if (startsWith(bytes, [0xff, 0xfe, 0x00, 0x00])) return { text: withoutBom(utf32(bytes.subarray(4), false)), encoding: "UTF-32LE with BOM" };
    if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return checked(new TextDecoder("utf-8").decode(bytes.subarray(3)), "UTF-8 with BOM");
    if (startsWith(bytes, [0xff, 0xfe])) return checked(utf16(bytes.subarray(2), false), "UTF-16LE with BOM");
    if (startsWith(bytes, [0xfe, 0xff])) return checked(utf16(bytes.subarray(2), true), "UTF-16BE with BOM");
    const pattern = nulPattern(bytes);
    if (pattern === "utf-16le") return checked(utf16(bytes, false), "UTF-16LE without BOM");
    if (pattern === "utf-16be") return checked(utf16(bytes, true), "UTF-16BE without BOM");
    if (pattern === "binary") return { problem: "holds NUL bytes that are not the pattern of UTF-16 text: not a text export (binary data?)" };
    try {
      return checked(new TextDecoder("utf-8", { fatal: true }).decode(bytes), "UTF-8");
    } catch {
      // Not UTF-8: the ANSI code page `Set-Content` writes in Windows PowerShell 5.1.
      return checked(new TextDecoder("windows-1252").decode(bytes), "Windows-1252 (ANSI)");
    }
  } catch (e) {
    return { problem: `could not be decoded (${e instanceof Error ? e.name : "error"})` };
  }
}

/** A decoded text that still holds NUL characters is not an export (a BOM on binary data, a wrong guess). */
function checked(text: string, encoding: string): Decoded {
  return text.includes("\u0000") ? { problem: `holds NUL characters when read as ${encoding}: not a text export (binary data?)`, encoding } : { text, encoding };
}

/** A character as a message may show it: printable ASCII quoted, anything else by its code point. */
export function describeCharacter(ch: string | undefined): string {
  if (ch === undefined) return "the end of the file";
  const cp = ch.codePointAt(0)!;
  if (cp >= 0x21 && cp <= 0x7e) return `'${ch}'`;
  const names: Record<number, string> = { 0x20: "a space", 0x09: "a tab", 0x0a: "a line break", 0x0d: "a carriage return", 0xfeff: "a byte-order mark (U+FEFF)", 0xfffd: "an undecodable byte (U+FFFD)" };
  return names[cp] ?? `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** Line starts of a text (CRLF, LF and a lone CR end a line), for `lineAndColumn`. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) starts.push(i + 1);
    else if (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a) starts.push(i + 1);
  }
  return starts;
}

/** 1-based line and column of `offset` (columns in UTF-16 code units, as editors and SARIF count them). */
export function lineAndColumn(starts: readonly number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}
