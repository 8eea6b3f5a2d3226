/**
 * Gets the PowerShell text out of a command resource, and says what it could not read.
 *
 * The resource runs `interpreter + [script]`. PowerShell is found in the interpreter itself
 * (`pwsh -Command`, `powershell.exe -EncodedCommand`), or inside a POSIX shell script (read with one
 * linear scan, see posix-lexer.ts) through the usual wrappers (`cd … && pwsh -c '…'`, `FOO=1`,
 * `exec`, `env`, `sudo`, `nohup`, `time`, `command`, pipes, nested `bash -c`, heredocs), or inside a
 * `cmd.exe /c` script (best effort). What is evidently PowerShell but not readable (a `-File`, an
 * invalid `-EncodedCommand`, an unknown interpreter, too deep nesting) is reported with a reason that
 * never quotes script text (it may hold secrets).
 */
import { isUnknown } from "../types";
import { lexPosix, posixCharsVisited } from "./posix-lexer";
import { cmdCommands, plainWord, programWords, windowsArgs, type Heredoc, type ShellWord, type SimpleCommand } from "./shell-words";

export { posixCharsVisited };

export interface PowerShellText {
  text: string;
  /** How it was found, for messages. */
  via: "interpreter" | "encoded-command" | "posix-wrapper" | "cmd-wrapper" | "remote-shell";
  /** 0-based line offset of `text` in the original script, for line numbers. */
  lineOffset: number;
  /** The resource's `stdin`, when the text is what the interpreter reads from it (lines count in `stdin`). */
  fromStdin?: true;
}

export interface Unreadable {
  /** 0-based line in the script. */
  line: number;
  reason: string;
}

export interface PowerShellReading {
  texts: PowerShellText[];
  unreadable: Unreadable[];
}

/** Shells nested in one another (the script's own shell counts) before the pack stops reading. */
const MAX_SHELL_DEPTH = 4;

const POWERSHELL = /^(?:.*[\\/])?(?:pwsh|powershell)(?:\.exe)?$/i;
const WINDOWS_POWERSHELL = /^(?:.*[\\/])?powershell(?:\.exe)?$/i;
const POSIX_SHELL = /^(?:.*\/)?(?:sh|bash|dash|zsh|ksh|mksh|ash)$/;
const CMD = /^(?:.*[\\/])?cmd(?:\.exe)?$/i;

export const isPowerShellExecutable = (word: string | undefined): boolean => word !== undefined && POWERSHELL.test(word);

export function decodeEncodedCommand(base64: string): string | undefined {
  if (!/^[A-Za-z0-9+/=\s]+$/.test(base64)) return undefined;
  const bytes = Buffer.from(base64.replace(/\s+/g, ""), "base64");
  if (bytes.length < 2 || bytes.length % 2 !== 0) return undefined;
  return bytes.toString("utf16le");
}

/** A command word short and plain enough to name in a reason; anything else is not quoted. */
function nameOf(word: string, fallback: string): string {
  const base = word.replace(/^.*[\\/]/, "");
  return /^[A-Za-z0-9_.+-]{1,40}$/.test(base) ? base : fallback;
}

const REASONS = {
  unknownInterpreter: (exe: string) => `an interpreter the pack does not know (${nameOf(exe, "unnamed")})`,
  file: (exe: string, file: string) => `\`${nameOf(exe, "pwsh")} -File ${/\.ps1$/i.test(file) ? nameOf(file, "…") : "…"}\`: the file's content is not in the resource`,
  encoded: "-EncodedCommand that is not base64 of UTF-16LE",
  tooDeep: `nesting deeper than ${MAX_SHELL_DEPTH} shells`,
  stdinFile: (exe: string) => `\`${nameOf(exe, "pwsh")}\` reads its script from a file given as input; the file's content is not in the resource`,
  stdinPipe: (exe: string) => `\`${nameOf(exe, "pwsh")}\` reads its script from the output of another command`,
  substitutedFile: (exe: string) => `\`${nameOf(exe, "pwsh")}\` runs a script produced by a command substitution the pack cannot read`,
  shellExpands: "the POSIX shell expands `$` or backticks in the PowerShell before pwsh runs it; quote it with '…' or <<'EOF' to keep it as written",
  afterStdinDash: (exe: string) => `\`${nameOf(exe, "pwsh")} -Command -\` runs what it reads from standard input: the text after \`-\` is not its script, and was not read`,
  unterminated: (what: string) => `a ${what} that is never closed: the script ends inside it`,
} as const;

interface Context {
  /** Shells entered so far, this one included. */
  depth: number;
  /** Whether the shell reading the text expands `$` (a POSIX shell of a local command). */
  posixExpands: boolean;
  via: PowerShellText["via"];
  out: PowerShellReading;
  /** The resource's `stdin` while no command of the script has read it yet (a shell passes it on). */
  resourceStdin?: { value: Stdin };
}

/** Where a `pwsh` reading its standard input gets it. */
type Stdin = { text: string; line: number; expands: boolean; resource?: true } | { unreadable: (exe: string) => string; line: number } | undefined;

// pwsh / powershell.exe command-line parameters: full name, shortest accepted prefix, what follows.
export type ParameterKind = "command" | "encoded" | "file" | "value" | "switch";
const PARAMETERS: Array<[string, string, ParameterKind]> = [
  ["command", "c", "command"],
  ["configurationname", "config", "value"],
  ["configurationfile", "configurationf", "value"],
  ["custompipename", "cus", "value"],
  ["encodedcommand", "e", "encoded"],
  ["encodedarguments", "encodeda", "value"],
  ["executionpolicy", "ex", "value"],
  ["file", "f", "file"],
  ["inputformat", "inp", "value"],
  ["interactive", "i", "switch"],
  ["outputformat", "o", "value"],
  ["psconsolefile", "psc", "value"],
  ["settingsfile", "settings", "value"],
  ["windowstyle", "w", "value"],
  ["workingdirectory", "wo", "value"],
];
const PARAMETER_ALIASES: Record<string, ParameterKind> = { ec: "encoded", ep: "value", if: "value", of: "value", wd: "value" };

/** The kind of a pwsh parameter written as `-name` (any case, any unambiguous prefix). */
export function parameterKind(name: string, windowsPowerShell: boolean): ParameterKind {
  const lower = name.toLowerCase();
  if (PARAMETER_ALIASES[lower]) return PARAMETER_ALIASES[lower];
  // Windows PowerShell's -Version takes a value (`-Version 2`); pwsh's prints the version.
  if (windowsPowerShell && lower.length >= 1 && "version".startsWith(lower) && lower.startsWith("v")) return "value";
  const match = PARAMETERS.find(([full, shortest]) => full.startsWith(lower) && lower.startsWith(shortest));
  return match ? match[2] : "switch";
}

function add(ctx: Context, text: PowerShellText): void {
  ctx.out.texts.push(decodeNested(text));
}

function report(ctx: Context, line: number, reason: string): void {
  ctx.out.unreadable.push({ line, reason });
}

/**
 * `pwsh` (or `powershell.exe`) with these arguments. `lenientPositional`: a first plain argument is
 * the command text (an interpreter array running its script), not a file as pwsh would take it.
 */
function readPowerShellArgs(exe: string, args: readonly ShellWord[], stdin: Stdin, line: number, ctx: Context, lenientPositional = false): void {
  const windows = WINDOWS_POWERSHELL.test(exe);
  const isParameter = (w: string) => w.length > 1 && (w.startsWith("-") || (windows && w.startsWith("/")));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!isParameter(arg.value)) {
      // powershell.exe runs the rest as a command; pwsh 7 takes a first plain argument as a file.
      if (windows || lenientPositional) readCommandText(exe, args.slice(i), stdin, ctx);
      else report(ctx, arg.line, REASONS.file(exe, arg.value));
      return;
    }
    const kind = parameterKind(arg.value.replace(/^(?:--?|\/)/, ""), windows);
    const next = args[i + 1];
    if (kind === "command") return readCommandText(exe, args.slice(i + 1), stdin, ctx);
    if (kind === "encoded") {
      const decoded = next === undefined ? undefined : decodeEncodedCommand(next.value);
      if (decoded === undefined) report(ctx, (next ?? arg).line, REASONS.encoded);
      else add(ctx, { text: decoded, via: "encoded-command", lineOffset: 0 });
      return;
    }
    if (kind === "file") {
      if (next?.value === "-") readStdin(exe, stdin, ctx);
      else if (next !== undefined) report(ctx, next.line, REASONS.file(exe, next.value));
      return;
    }
    if (kind === "value") i++;
  }
  // No script in the arguments: pwsh runs what it is given as input, if anything.
  if (stdin !== undefined) readStdin(exe, stdin, ctx);
}

/** `-Command` and what follows: PowerShell joins the remaining arguments with spaces; `-` is stdin. */
function readCommandText(exe: string, rest: readonly ShellWord[], stdin: Stdin, ctx: Context): void {
  if (rest.length === 0) return;
  const first = rest[0]!;
  if (first.value === "-") {
    // about_Pwsh: "If the value of Command is -, the command text is read from standard input."
    readStdin(exe, stdin, ctx);
    if (rest.slice(1).some((w) => w.value.trim() !== "")) report(ctx, rest[1]!.line, REASONS.afterStdinDash(exe));
    return;
  }
  if (rest.length === 1 && ctx.via !== "interpreter" && isCommandSubstitution(first.value)) return readSubstitution(exe, first, ctx);
  if (ctx.posixExpands && rest.some((w) => w.expands)) report(ctx, first.line, REASONS.shellExpands);
  add(ctx, { text: rest.map((w) => w.value).join(" "), via: ctx.via, lineOffset: first.line });
}

function readStdin(exe: string, stdin: Stdin, ctx: Context): void {
  if (stdin === undefined) return;
  if ("unreadable" in stdin) return report(ctx, stdin.line, stdin.unreadable(exe));
  if (ctx.posixExpands && stdin.expands) report(ctx, stdin.line, REASONS.shellExpands);
  add(ctx, { text: stdin.text, via: ctx.via, lineOffset: stdin.line, ...(stdin.resource ? { fromStdin: true as const } : {}) });
}

const isCommandSubstitution = (value: string) => value.startsWith("$(") && !value.startsWith("$((") && value.endsWith(")");

/** `pwsh -c "$(cat <<'EOF' … EOF)"`: the heredoc of a lone `cat` is the script. */
function readSubstitution(exe: string, word: ShellWord, ctx: Context): void {
  const inner = lexPosix(word.value.slice(2, -1), word.line);
  const only = inner.commands.length === 1 ? inner.commands[0]! : undefined;
  const heredoc = only?.redirections.find((r) => r.heredoc)?.heredoc;
  if (only && only.words.length === 1 && only.words[0]!.value === "cat" && heredoc) {
    if (ctx.posixExpands && !heredoc.quoted && expandsInHeredoc(heredoc.body)) report(ctx, heredoc.bodyLine, REASONS.shellExpands);
    add(ctx, { text: heredoc.body, via: ctx.via, lineOffset: heredoc.bodyLine });
  } else report(ctx, word.line, REASONS.substitutedFile(exe));
}

const expandsInHeredoc = (body: string) => /(?:^|[^\\])(?:\$[A-Za-z0-9_{(@*#?$!-]|`)/.test(body);

/** The stdin a heredoc gives: an unquoted one has its `\$`, `` \` `` and `\\` unescaped by the shell. */
function heredocStdin(heredoc: Heredoc): Stdin {
  if (heredoc.quoted) return { text: heredoc.body, line: heredoc.bodyLine, expands: false };
  return { text: heredoc.body.replace(/\\([$`\\])/g, "$1"), line: heredoc.bodyLine, expands: expandsInHeredoc(heredoc.body) };
}

/** What a command gets as standard input: its own heredoc / here-string / file, or a `cat`/`echo` piped in. */
function stdinOf(command: SimpleCommand, previous: SimpleCommand | undefined): Stdin {
  for (const r of [...command.redirections].reverse()) {
    if (r.fd !== undefined && r.fd !== 0) continue;
    if (r.heredoc) return heredocStdin(r.heredoc);
    if (r.op === "<<<" && r.target) return { text: r.target.value, line: r.target.line, expands: r.target.expands };
    if (r.op === "<" && r.target) return { unreadable: REASONS.stdinFile, line: r.target.line };
  }
  if (previous?.pipesToNext) {
    const words = previous.words.filter((w) => !w.assignment);
    const name = words[0]?.value;
    const heredoc = previous.redirections.find((r) => r.heredoc)?.heredoc;
    if (name === "cat" && words.length === 1 && heredoc) return heredocStdin(heredoc);
    if (name === "echo" && words.length >= 2) {
      const args = words.slice(1).filter((w, k) => !(k === 0 && /^-[neE]+$/.test(w.value)));
      if (args.length > 0) return { text: args.map((w) => w.value).join(" "), line: args[0]!.line, expands: args.some((w) => w.expands) };
    }
    return { unreadable: REASONS.stdinPipe, line: words[0]?.line ?? 0 };
  }
  return undefined;
}

/** `sh -c 'script'`, `bash -ec "…"`, or a shell reading a heredoc: the script is read as POSIX, one level deeper. */
function readShellArgs(args: readonly ShellWord[], stdin: Stdin, line: number, ctx: Context): void {
  let runsArgument = false;
  let k = 0;
  for (; k < args.length; k++) {
    const option = args[k]!.value;
    if (option === "--" || option === "-") {
      k++;
      break;
    }
    if (!/^[-+]/.test(option) || option.length < 2) break;
    if (option === "-o" || option === "+o" || option === "--rcfile" || option === "--init-file") k++;
    else if (!option.startsWith("--") && option.slice(1).includes("c")) runsArgument = true;
  }
  if (runsArgument) {
    const script = args[k];
    if (script !== undefined) readNestedPosix(script.value, script.line, line, ctx);
    return;
  }
  // `bash file.sh` runs a file that need not be PowerShell-related: not reported.
  if (k >= args.length && stdin !== undefined && !("unreadable" in stdin)) readNestedPosix(stdin.text, stdin.line, line, ctx);
}

function readNestedPosix(script: string, baseLine: number, line: number, ctx: Context): void {
  if (ctx.depth >= MAX_SHELL_DEPTH) return report(ctx, line, REASONS.tooDeep);
  readPosixScript(script, baseLine, { ...ctx, depth: ctx.depth + 1 });
}

/** The PowerShell run by one POSIX shell script (at `baseLine` of the resource's script). */
function readPosixScript(script: string, baseLine: number, ctx: Context): void {
  const before = ctx.out.texts.length + ctx.out.unreadable.length;
  const lexed = lexPosix(script, baseLine);
  const commands = lexed.commands;
  for (let c = 0; c < commands.length; c++) {
    const command = commands[c]!;
    const words = programWords(command.words);
    const program = words?.[0];
    if (!words || !program) continue;
    // A command with no input of its own reads the script's: the resource's `stdin`, read once.
    const stdin = (): Stdin => {
      const own = stdinOf(command, commands[c - 1]);
      if (own !== undefined || !ctx.resourceStdin) return own;
      const given = ctx.resourceStdin.value;
      ctx.resourceStdin = undefined;
      return given;
    };
    if (isPowerShellExecutable(program.value)) readPowerShellArgs(program.value, words.slice(1), stdin(), program.line, ctx);
    else if (POSIX_SHELL.test(program.value)) readShellArgs(words.slice(1), stdin(), program.line, ctx);
  }
  const found = ctx.out.texts.length + ctx.out.unreadable.length > before;
  if (lexed.unterminated && found) report(ctx, lexed.unterminated.line, REASONS.unterminated(lexed.unterminated.what));
}

/** `powershell -Command "…"` lines of a cmd.exe script (best effort: no variables, no `for`, no `call`). */
function readCmdScript(script: string, ctx: Context): void {
  for (const command of cmdCommands(script)) {
    const words = windowsArgs(command.text.replace(/^@/, ""), command.line);
    const program = words[0];
    if (program && isPowerShellExecutable(program.value)) readPowerShellArgs(program.value, words.slice(1), undefined, command.line, { ...ctx, via: "cmd-wrapper" });
  }
}

/** PowerShell text that is itself only `powershell -EncodedCommand …` is decoded (once more if nested). */
function decodeNested(t: PowerShellText, depth = 0): PowerShellText {
  const trimmed = t.text.trim();
  // Only a short text that starts with pwsh is lexed again: the work stays linear.
  if (depth >= 3 || trimmed.length > 100_000 || !isPowerShellExecutable(/^\S*/.exec(trimmed)![0])) return t;
  const lexed = lexPosix(trimmed);
  const words = lexed.commands.length === 1 ? lexed.commands[0]!.words : [];
  for (let i = 1; i + 1 < words.length; i++) {
    const name = words[i]!.value;
    if (!name.startsWith("-")) break;
    const kind = parameterKind(name.slice(1), false);
    if (kind === "encoded") {
      const decoded = decodeEncodedCommand(words[i + 1]!.value);
      return decoded === undefined ? t : decodeNested({ text: decoded, via: "encoded-command", lineOffset: t.lineOffset }, depth + 1);
    }
    if (kind !== "switch") break;
  }
  return t;
}

const emptyReading = (): PowerShellReading => ({ texts: [], unreadable: [] });

/** The resource's `stdin` (@pulumi/command passes it to the process): text, unknown in preview, or none. */
function resourceStdin(stdin: unknown): Stdin {
  if (typeof stdin === "string" && !isUnknown(stdin)) return stdin.length > 0 ? { text: stdin, line: 0, expands: false, resource: true } : undefined;
  if (stdin === undefined || stdin === null) return undefined;
  return { unreadable: (exe) => `\`${nameOf(exe, "pwsh")}\` reads its script from the command's stdin, which is unknown during preview`, line: 0 };
}
const asWords = (values: readonly string[]): ShellWord[] => values.map((v) => plainWord(v, 0));

/** The PowerShell a `command:local:Command` runs: `interpreter` (default `/bin/sh -c`) with `script` as its last argument. */
export function powerShellOfLocal(interpreter: readonly string[] | undefined, script: string, stdin?: unknown): PowerShellReading {
  const out = emptyReading();
  const given = resourceStdin(stdin);
  const ctx: Context = { depth: 1, posixExpands: true, via: "posix-wrapper", out, ...(given ? { resourceStdin: { value: given } } : {}) };
  const argv = interpreter && interpreter.length > 0 ? asWords(interpreter) : asWords(["/bin/sh", "-c"]);
  const words = programWords(argv) ?? argv;
  const program = words[0]?.value ?? "";
  const args = words.slice(1);
  if (isPowerShellExecutable(program)) {
    const scriptWord: ShellWord = { ...plainWord(script, 0), quoted: true };
    readPowerShellArgs(program, [...args, scriptWord], given, 0, { ...ctx, posixExpands: false, via: "interpreter" }, true);
  } else if (POSIX_SHELL.test(program)) readPosixScript(script, 0, ctx);
  else if (CMD.test(program)) readCmdScript(script, { ...ctx, posixExpands: false });
  else report(ctx, 0, REASONS.unknownInterpreter(program));
  return out;
}

/**
 * The PowerShell a `command:remote:Command` runs: on an Exchange server reached over OpenSSH whose
 * default shell is PowerShell the script is PowerShell; a `powershell -Command "…"` line is unwrapped.
 */
export function powerShellOfRemote(script: string): PowerShellReading {
  const out = emptyReading();
  readPosixScript(script, 0, { depth: 1, posixExpands: false, via: "remote-shell", out });
  if (out.texts.length === 0) out.texts.push({ text: script, via: "remote-shell", lineOffset: 0 });
  return out;
}
