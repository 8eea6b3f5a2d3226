/**
 * Where a command resource's PowerShell lives, and how to write it back: the script of a `pwsh -Command`
 * interpreter, of `pwsh -EncodedCommand`, of a `pwsh -Command '…'` or `pwsh -EncodedCommand …` line in a
 * POSIX shell script, or the script of a remote command (PowerShell is the server's shell).
 */
import type { TestResource } from "../unit/support/stack";

export type Site =
  | { kind: "interpreter"; pwsh: string[]; text: string }
  | { kind: "interpreter-encoded"; pwsh: string[]; text: string }
  | { kind: "posix-command"; pwsh: string[]; text: string; flag?: "-c" | "-Command" }
  | { kind: "posix-encoded"; pwsh: string[]; text: string }
  | { kind: "remote"; text: string };

export const LOCAL = "command:local:Command";
export const REMOTE = "command:remote:Command";
const PWSH = /^(?:pwsh|powershell)(?:\.exe)?$/i;
/** @pulumi/command's interpreter on Linux and macOS when none is given. */
export const POSIX_SHELL = ["/bin/sh", "-c"];

export const encodeCommand = (text: string): string => Buffer.from(text, "utf16le").toString("base64");
const decodeCommand = (b64: string): string => Buffer.from(b64, "base64").toString("utf16le");

/** POSIX single quotes hold anything but a single quote, which is written `'\''`. */
export const posixSingleQuoted = (text: string): string => `'${text.replace(/'/g, "'\\''")}'`;

const isPosixInterpreter = (interpreter: unknown): boolean =>
  interpreter === undefined || (Array.isArray(interpreter) && interpreter.length === 2 && /^(?:\/bin\/|\/usr\/bin\/)?(?:sh|bash)$/.test(String(interpreter[0])) && interpreter[1] === "-c");

/** Plain words only: the pwsh options this reader writes back unquoted. */
const PLAIN_WORDS = /^pwsh(?: -[A-Za-z]+)*$/;

export function siteOf(resource: TestResource): Site | undefined {
  const { create, interpreter } = resource.props;
  if (typeof create !== "string") return undefined;
  if (resource.type === REMOTE) return /^\s*(?:pwsh|powershell)/im.test(create) ? undefined : { kind: "remote", text: create };
  if (resource.type !== LOCAL) return undefined;
  if (Array.isArray(interpreter) && interpreter.every((w) => typeof w === "string") && PWSH.test(interpreter[0] as string)) {
    const words = interpreter as string[];
    const flag = words[words.length - 1]!.toLowerCase();
    if (flag === "-command") return { kind: "interpreter", pwsh: words.slice(0, -1), text: create };
    if (flag === "-encodedcommand") return { kind: "interpreter-encoded", pwsh: words.slice(0, -1), text: decodeCommand(create.trim()) };
    return undefined;
  }
  if (!isPosixInterpreter(interpreter)) return undefined;
  const command = /^(pwsh(?: -[A-Za-z]+)*?) (-Command|-c) ('(?:[^']|'\\'')*')$/s.exec(create);
  if (command && PLAIN_WORDS.test(command[1]!)) {
    const quoted = command[3]!;
    return { kind: "posix-command", pwsh: command[1]!.split(" "), text: quoted.slice(1, -1).replace(/'\\''/g, "'"), flag: command[2] as "-c" | "-Command" };
  }
  const encoded = /^(pwsh(?: -[A-Za-z]+)*?) -EncodedCommand ([A-Za-z0-9+/=]+)$/.exec(create);
  if (encoded) return { kind: "posix-encoded", pwsh: encoded[1]!.split(" "), text: decodeCommand(encoded[2]!) };
  return undefined;
}

export function withSite(resource: TestResource, site: Site): TestResource {
  const props = { ...resource.props };
  // A POSIX script keeps the shell it had (none given is @pulumi/command's /bin/sh -c).
  const posixShell = isPosixInterpreter(resource.props.interpreter) ? resource.props.interpreter : POSIX_SHELL;
  switch (site.kind) {
    case "remote":
      props.create = site.text;
      break;
    case "interpreter":
      props.interpreter = [...site.pwsh, "-Command"];
      props.create = site.text;
      break;
    case "interpreter-encoded":
      props.interpreter = [...site.pwsh, "-EncodedCommand"];
      props.create = encodeCommand(site.text);
      break;
    case "posix-command":
      props.interpreter = posixShell;
      props.create = `${site.pwsh.join(" ")} ${site.flag ?? "-Command"} ${posixSingleQuoted(site.text)}`;
      break;
    case "posix-encoded":
      props.interpreter = posixShell;
      props.create = `${site.pwsh.join(" ")} -EncodedCommand ${encodeCommand(site.text)}`;
      break;
  }
  if (props.interpreter === undefined) delete props.interpreter;
  return { ...resource, props };
}

/** A local command starts a fresh pwsh process: wrappers that start one themselves keep its meaning. */
export const isLocalSite = (site: Site): boolean => site.kind !== "remote";
