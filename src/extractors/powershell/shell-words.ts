/**
 * Words of shell command lines, without reading them: the shapes the POSIX lexer (posix-lexer.ts)
 * produces; which words of a POSIX simple command name the program it runs (wrappers such as
 * `sudo`, `env`, `timeout` removed); Windows command-line words (CommandLineToArgvW) and the
 * commands of a cmd.exe script.
 */

export interface ShellWord {
  /** The word with its quoting removed; expansions are kept as written. */
  value: string;
  /** 0-based line of the word's first character. */
  line: number;
  /** Whether any part of the word was quoted or escaped. */
  quoted: boolean;
  /** `NAME=…` with an unquoted name: an assignment when it precedes the command name. */
  assignment: boolean;
  /** Contains `$…` or a backtick the shell expands (unquoted or inside double quotes). */
  expands: boolean;
}

export interface Heredoc {
  body: string;
  /** 0-based line of the body's first line. */
  bodyLine: number;
  /** `<<'EOF'` or `<<"EOF"`: the shell leaves the body as written. */
  quoted: boolean;
}

export interface Redirection {
  /** `<`, `<<`, `<<-`, `<<<`, `>`, `>>`, `>&`, `<&`, `<>`, `>|`, `&>`, `&>>`. */
  op: string;
  /** The file descriptor written before the operator, when there is one. */
  fd?: number;
  /** The file, here-string or heredoc delimiter word. */
  target?: ShellWord;
  heredoc?: Heredoc;
}

export interface SimpleCommand {
  words: ShellWord[];
  redirections: Redirection[];
  /** `cmd | next`: this command's output is the next one's input. */
  pipesToNext: boolean;
}

export interface PosixLexResult {
  commands: SimpleCommand[];
  /** A quote, substitution or heredoc still open at the end of the script. */
  unterminated?: { line: number; what: string };
}

const RESERVED = new Set(["if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}", "case", "esac", "in"]);
const SUDO_VALUE_OPTIONS = new Set(["-u", "-g", "-h", "-p", "-C", "-D", "-r", "-t", "-U", "-T", "-R"]);
const ENV_VALUE_OPTIONS = new Set(["-u", "-C", "--unset", "--chdir"]);

/** Index of the first option-less word after `from`, skipping the options a wrapper takes. */
function skipOptions(words: readonly ShellWord[], from: number, valueOptions: ReadonlySet<string>): number {
  let k = from;
  while (k < words.length && words[k]!.value.startsWith("-") && words[k]!.value.length > 1) {
    const option = words[k]!.value;
    k++;
    if (option === "--") break;
    if (valueOptions.has(option)) k++;
  }
  return k;
}

/**
 * The words that name the program a simple command runs, with what runs it removed: reserved words,
 * `NAME=value` prefixes and the wrappers `exec`, `command`, `builtin`, `nohup`, `time`, `nice`,
 * `timeout`, `env`, `sudo`, `doas`. Undefined when the command only looks a program up.
 */
export function programWords(words: readonly ShellWord[]): readonly ShellWord[] | undefined {
  let k = 0;
  for (let guard = 0; guard < 64 && k < words.length; guard++) {
    const word = words[k]!;
    const name = word.quoted ? "" : word.value.replace(/^.*\//, "");
    if (word.assignment || (!word.quoted && RESERVED.has(word.value))) k++;
    else if (name === "exec") k = skipOptions(words, k + 1, new Set(["-a"]));
    else if (name === "command") {
      if (words[k + 1]?.value === "-v" || words[k + 1]?.value === "-V") return undefined;
      k = skipOptions(words, k + 1, new Set());
    } else if (name === "builtin" || name === "nohup") k++;
    else if (name === "time") k = skipOptions(words, k + 1, new Set(["-f", "-o"]));
    else if (name === "nice") k = skipOptions(words, k + 1, new Set(["-n"]));
    else if (name === "timeout") k = skipOptions(words, k + 1, new Set(["-s", "-k"])) + 1;
    else if (name === "sudo" || name === "doas") k = skipOptions(words, k + 1, SUDO_VALUE_OPTIONS);
    else if (name === "env") {
      k = skipOptions(words, k + 1, ENV_VALUE_OPTIONS);
      while (k < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[k]!.value)) k++;
    } else break;
  }
  return words.slice(k);
}

/** Windows command-line words (the rules of CommandLineToArgvW): `"` groups, `\"` and `""` are quotes. */
export function windowsArgs(text: string, line: number): ShellWord[] {
  const words: ShellWord[] = [];
  let value: string | undefined;
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "\\") {
      let end = i;
      while (text[end] === "\\") end++;
      const slashes = end - i;
      // Backslashes are literal unless a quote follows: then each pair is one, and an odd one escapes it.
      const quoteFollows = text[end] === '"';
      value = (value ?? "") + "\\".repeat(quoteFollows ? Math.floor(slashes / 2) : slashes);
      if (quoteFollows && slashes % 2 === 1) {
        value += '"';
        i = end;
      } else i = end - 1;
    } else if (ch === '"') {
      if (inQuotes && text[i + 1] === '"') {
        value = (value ?? "") + '"';
        i++;
      } else {
        inQuotes = !inQuotes;
        value ??= "";
      }
    } else if ((ch === " " || ch === "\t") && !inQuotes) {
      if (value !== undefined) words.push(plainWord(value, line));
      value = undefined;
    } else value = (value ?? "") + ch;
  }
  if (value !== undefined) words.push(plainWord(value, line));
  return words;
}

export const plainWord = (value: string, line: number): ShellWord => ({ value, line, quoted: false, assignment: false, expands: false });

/** Commands of a cmd.exe script: lines (`^` at the end continues one), split at `&`, `&&`, `||`, `|` outside quotes. */
export function cmdCommands(script: string): Array<{ text: string; line: number }> {
  const commands: Array<{ text: string; line: number }> = [];
  let text = "";
  let line = 0;
  let startLine = 0;
  let inQuotes = false;
  const flush = () => {
    if (text.trim().length > 0) commands.push({ text: text.trim(), line: startLine });
    text = "";
    startLine = line;
  };
  for (let i = 0; i < script.length; i++) {
    const ch = script[i]!;
    if (ch === "\n") {
      line++;
      if (text.endsWith("^") && !inQuotes) text = text.slice(0, -1);
      else {
        inQuotes = false;
        flush();
      }
    } else if (ch === '"') {
      inQuotes = !inQuotes;
      text += ch;
    } else if (ch === "^" && !inQuotes && script[i + 1] !== "\n" && script[i + 1] !== "\r" && i + 1 < script.length) {
      text += script[++i];
    } else if ((ch === "&" || ch === "|") && !inQuotes) {
      if (script[i + 1] === ch) i++;
      flush();
    } else if (ch !== "\r") text += ch;
  }
  flush();
  return commands;
}
