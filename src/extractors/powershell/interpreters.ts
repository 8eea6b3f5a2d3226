/**
 * Gets the PowerShell text out of a command resource: an `interpreter` that is PowerShell
 * (`pwsh -Command`, `powershell.exe -Command`), `-EncodedCommand` (base64 of UTF-16LE), or a POSIX
 * shell script that runs `pwsh -c '…'`, `pwsh -Command "…"`, `pwsh -EncodedCommand …` or a quoted
 * heredoc `pwsh -Command - <<'EOF'`. A POSIX script without PowerShell yields nothing.
 */

export interface PowerShellText {
  text: string;
  /** How it was found, for messages. */
  via: "interpreter" | "encoded-command" | "posix-wrapper" | "remote-shell";
  /** 0-based line offset of `text` in the original script, for line numbers. */
  lineOffset: number;
}

const POWERSHELL = /^(?:.*[\\/])?(?:pwsh|powershell)(?:\.exe)?$/i;
const COMMAND_FLAGS = new Set(["-c", "-command", "-com", "-comm", "-comma", "-comman"]);
const ENCODED_FLAGS = new Set(["-e", "-ec", "-enc", "-encodedcommand", "-encoded", "-en"]);

export const isPowerShellExecutable = (word: string | undefined): boolean => word !== undefined && POWERSHELL.test(word);

export function decodeEncodedCommand(base64: string): string | undefined {
  if (!/^[A-Za-z0-9+/=\s]+$/.test(base64)) return undefined;
  const bytes = Buffer.from(base64.replace(/\s+/g, ""), "base64");
  if (bytes.length < 2 || bytes.length % 2 !== 0) return undefined;
  return bytes.toString("utf16le");
}

/** POSIX shell words of one command line, with their quoting removed (enough for `pwsh` lines). */
function shellWords(line: string): { words: string[]; rest: string } {
  const words: string[] = [];
  let i = 0;
  let word: string | undefined;
  while (i < line.length) {
    const ch = line[i]!;
    if (ch === " " || ch === "\t") {
      if (word !== undefined) words.push(word);
      word = undefined;
      i++;
    } else if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return { words: [...words, (word ?? "") + line.slice(i + 1)], rest: "'" };
      word = (word ?? "") + line.slice(i + 1, end);
      i = end + 1;
    } else if (ch === '"') {
      let j = i + 1;
      let s = "";
      while (j < line.length && line[j] !== '"') {
        if (line[j] === "\\" && j + 1 < line.length && '"\\$`'.includes(line[j + 1]!)) j++;
        s += line[j];
        j++;
      }
      if (j >= line.length) return { words: [...words, (word ?? "") + s], rest: '"' };
      word = (word ?? "") + s;
      i = j + 1;
    } else if (ch === "\\" && i + 1 < line.length) {
      word = (word ?? "") + line[i + 1];
      i += 2;
    } else if ((ch === ";" || ch === "&" || ch === "|") && word === undefined) {
      break;
    } else if (ch === "<" && line.startsWith("<<", i)) {
      if (word !== undefined) words.push(word);
      return { words, rest: line.slice(i) };
    } else {
      word = (word ?? "") + ch;
      i++;
    }
  }
  if (word !== undefined) words.push(word);
  return { words, rest: "" };
}

/** From the words after `pwsh`, the script: `-Command x`, `-EncodedCommand b64`, or `-Command -` with stdin. */
function scriptFromPowerShellArgs(args: string[]): { text?: string; encoded?: boolean; stdin?: boolean } {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!.toLowerCase();
    if (ENCODED_FLAGS.has(a) && i + 1 < args.length) return { text: decodeEncodedCommand(args[i + 1]!), encoded: true };
    if (COMMAND_FLAGS.has(a)) {
      const rest = args.slice(i + 1);
      if (rest.length === 1 && rest[0] === "-") return { stdin: true };
      return { text: rest.join(" ") };
    }
    if (!a.startsWith("-")) return { text: args.slice(i).join(" ") };
  }
  return {};
}

/** Finds PowerShell run from a POSIX shell script. Multi-line quoted arguments are supported. */
export function fromPosixScript(script: string): PowerShellText[] {
  const found: PowerShellText[] = [];
  const lines = script.split("\n");
  for (let row = 0; row < lines.length; row++) {
    const start = lines[row]!.trimStart();
    const first = start.split(/\s+/)[0];
    if (!isPowerShellExecutable(first)) continue;
    // Join following lines while a quote is open (pwsh -c '…multi-line…').
    let joined = start;
    let endRow = row;
    let parsed = shellWords(joined);
    while ((parsed.rest === "'" || parsed.rest === '"') && endRow + 1 < lines.length) {
      endRow++;
      joined += `\n${lines[endRow]}`;
      parsed = shellWords(joined);
    }
    const result = scriptFromPowerShellArgs(parsed.words.slice(1));
    if (result.stdin || parsed.rest.startsWith("<<")) {
      const marker = /^<<-?\s*['"]?([A-Za-z0-9_]+)['"]?/.exec(parsed.rest);
      if (marker) {
        const body: string[] = [];
        let r = endRow + 1;
        for (; r < lines.length && lines[r]!.trim() !== marker[1]; r++) body.push(lines[r]!);
        found.push({ text: body.join("\n"), via: "posix-wrapper", lineOffset: endRow + 1 });
        row = r;
        continue;
      }
    }
    if (result.text !== undefined) {
      // The quoted argument starts on the `pwsh` line; an opening newline is common.
      found.push({ text: result.text, via: result.encoded ? "encoded-command" : "posix-wrapper", lineOffset: row });
    }
    row = endRow;
  }
  return found;
}

/** PowerShell text that is itself only `powershell -EncodedCommand …` is decoded (once more if nested). */
function decodeNested(t: PowerShellText, depth = 0): PowerShellText {
  const words = shellWords(t.text.trim()).words;
  if (depth < 3 && words.length >= 2 && isPowerShellExecutable(words[0])) {
    const r = scriptFromPowerShellArgs(words.slice(1));
    if (r.encoded && r.text !== undefined) return decodeNested({ text: r.text, via: "encoded-command", lineOffset: 0 }, depth + 1);
  }
  return t;
}

/** The PowerShell a `command:local:Command` runs with this interpreter and script. */
export function powerShellOfLocal(interpreter: readonly string[] | undefined, script: string): PowerShellText[] {
  if (interpreter && interpreter.length > 0 && isPowerShellExecutable(interpreter[0])) {
    const flags = interpreter.slice(1).map((f) => f.toLowerCase());
    if (flags.some((f) => ENCODED_FLAGS.has(f))) {
      const decoded = decodeEncodedCommand(script.trim());
      return decoded === undefined ? [] : [{ text: decoded, via: "encoded-command", lineOffset: 0 }];
    }
    return [decodeNested({ text: script, via: "interpreter", lineOffset: 0 })];
  }
  return fromPosixScript(script).map((t) => decodeNested(t));
}

/**
 * The PowerShell a `command:remote:Command` runs: on an Exchange server reached over OpenSSH whose
 * default shell is PowerShell the script is PowerShell; a `powershell -Command "…"` line is unwrapped.
 */
export function powerShellOfRemote(script: string): PowerShellText[] {
  const wrapped = fromPosixScript(script);
  if (wrapped.length > 0) return wrapped.map((t) => decodeNested({ ...t, via: "remote-shell" }));
  return [{ text: script, via: "remote-shell", lineOffset: 0 }];
}
