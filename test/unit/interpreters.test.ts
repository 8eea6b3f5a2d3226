/** Finding the PowerShell a command resource runs, through interpreters and shell wrappers, and what cannot be read. */
import { beforeAll, describe, expect, it } from "vitest";
import { commandExtractor } from "../../src/extractors/command";
import { loadExtractors } from "../../src/extractors";
import { decodeEncodedCommand, isPowerShellExecutable, posixCharsVisited, powerShellOfLocal, powerShellOfRemote } from "../../src/extractors/powershell/interpreters";
import { lexPosix } from "../../src/extractors/powershell/posix-lexer";
import { resourceInput } from "./support/resources";

beforeAll(loadExtractors);

const encode = (ps: string) => Buffer.from(ps, "utf16le").toString("base64");
const PS = "New-InboundConnector -Name X -TlsSenderCertificateName '*.contoso.com'";
/** The same PowerShell inside POSIX single quotes. */
const QUOTED = `'${PS.replace(/'/g, "'\\''")}'`;

describe("POSIX wrappers: the PowerShell text and the line it starts on", () => {
  it.each<[string, string, string, number]>([
    ["after cd and &&", `cd /tmp && pwsh -c ${QUOTED}`, PS, 0],
    ["assignment prefixes", `FOO=1 BAR='a b' pwsh -c ${QUOTED}`, PS, 0],
    ["exec", `exec pwsh -c ${QUOTED}`, PS, 0],
    ["env with assignments and options", `env -u HOME X=1 pwsh -c ${QUOTED}`, PS, 0],
    ["sudo -u user", `sudo -u exadmin -E pwsh -c ${QUOTED}`, PS, 0],
    ["nohup, redirections and &", `nohup pwsh -c ${QUOTED} > /var/log/x.log 2>&1 &`, PS, 0],
    ["time", `time pwsh -c ${QUOTED}`, PS, 0],
    ["command", `command pwsh -c ${QUOTED}`, PS, 0],
    ["last in a chain of ;, ||, && and |", `set -e; command -v pwsh || exit 1\necho start | tee log && pwsh -c ${QUOTED} | tee -a log`, PS, 1],
    ["first in a pipe", `pwsh -c ${QUOTED} | grep -q Name`, PS, 0],
    ["inside if … then", `if [ -n "$X" ]; then\n  pwsh -c ${QUOTED}\nfi`, PS, 1],
    ["bash -c nesting", `bash -c "pwsh -c ${QUOTED.replace(/'\\''/g, "'\\\\''")}"`, PS, 0],
    ["sh -ec in bash -c", `bash -c 'sh -ec "pwsh -c Get-Mailbox"'`, "Get-Mailbox", 0],
    ["bash reading a heredoc", `bash <<'SH'\npwsh -c ${QUOTED}\nSH`, PS, 1],
    ["an absolute path", `/usr/bin/pwsh -c ${QUOTED}`, PS, 0],
    ["pwsh.exe", `pwsh.exe -c ${QUOTED}`, PS, 0],
    ["powershell.exe", `powershell.exe -c ${QUOTED}`, PS, 0],
    ["-NoProfile -NonInteractive -Command", `pwsh -NoProfile -NonInteractive -Command ${QUOTED}`, PS, 0],
    ["-ExecutionPolicy takes a value", `pwsh -ExecutionPolicy Bypass -Command ${QUOTED}`, PS, 0],
    ["-COMMAND in capitals", `pwsh -COMMAND ${QUOTED}`, PS, 0],
    ["-comm prefix", `pwsh -comm ${QUOTED}`, PS, 0],
    ["--command", `pwsh --command ${QUOTED}`, PS, 0],
    ["the -Command value split over several words", `pwsh -c New-InboundConnector -Name x`, "New-InboundConnector -Name x", 0],
    ["powershell.exe runs plain arguments as a command", `powershell Get-Mailbox -ResultSize 1`, "Get-Mailbox -ResultSize 1", 0],
    ["a multi-line quoted argument", `set -e\npwsh -NoProfile -c '\n${PS.replace(/'/g, "'\\''")}\n'`, `\n${PS}\n`, 1],
    ["-Command - with a quoted heredoc", `echo go\npwsh -NoProfile -Command - <<'EOF'\n${PS}\nEOF\necho done`, PS, 2],
    ["-Command - with a <<- heredoc (tabs stripped)", `pwsh -Command - <<-"EOF"\n\t${PS}\n\tEOF`, PS, 1],
    ["pwsh reading a heredoc without -Command", `pwsh -NoProfile <<'EOF'\n${PS}\nEOF`, PS, 1],
    ["-File - with a heredoc", `pwsh -File - <<'EOF'\n${PS}\nEOF`, PS, 1],
    ["a cat heredoc piped in", `cat <<'EOF' | pwsh -c -\n${PS}\nEOF`, PS, 1],
    ["echo piped in", `echo ${QUOTED} | pwsh -Command -`, PS, 0],
    ["a bash here-string", `pwsh -Command - <<< ${QUOTED}`, PS, 0],
    ["-c with a cat heredoc on the following lines", `pwsh -c "$(cat <<'EOF'\n${PS}\nGet-Date\nEOF\n)"`, `${PS}\nGet-Date`, 1],
    ["a comment before, a backslash continuation", `# deploy (pwsh -c 'Get-Nothing')\npwsh -NoProfile \\\n  -c ${QUOTED}`, PS, 2],
    ["a second script after a heredoc", `cat > /tmp/x <<EOF\npwsh -c 'not run'\nEOF\npwsh -c ${QUOTED}`, PS, 3],
  ])("%s", (_name, script, text, lineOffset) => {
    expect(powerShellOfLocal(undefined, script)).toEqual({ texts: [{ text, via: "posix-wrapper", lineOffset }], unreadable: [] });
  });

  it("-EncodedCommand, -enc, -e and -ec", () => {
    for (const flag of ["-EncodedCommand", "-enc", "-e", "-ec", "-ENC"]) {
      expect(powerShellOfLocal(undefined, `pwsh -NoProfile ${flag} ${encode(PS)}`)).toEqual({ texts: [{ text: PS, via: "encoded-command", lineOffset: 0 }], unreadable: [] });
    }
  });

  it("every pwsh of a script, in order", () => {
    expect(powerShellOfLocal(["/bin/bash", "-c"], `pwsh -c Get-A; pwsh -c Get-B && pwsh -c 'Get-C'\npwsh -c Get-D`).texts.map((t) => [t.text, t.lineOffset])).toEqual([
      ["Get-A", 0],
      ["Get-B", 0],
      ["Get-C", 0],
      ["Get-D", 1],
    ]);
  });

  it("pwsh only named, never run, is not PowerShell", () => {
    expect(powerShellOfLocal(undefined, `command -v pwsh\necho "pwsh -c Get-A"\nwhich pwsh # pwsh -c 'Get-B'`)).toEqual({ texts: [], unreadable: [] });
  });
});

describe("interpreter arrays", () => {
  it.each<[string[], string, string, string]>([
    [["pwsh", "-NoProfile", "-Command"], PS, PS, "interpreter"],
    [["powershell.exe", "-c"], PS, PS, "interpreter"],
    [["pwsh"], PS, PS, "interpreter"],
    [["/usr/bin/env", "pwsh", "-c"], PS, PS, "interpreter"],
    [["pwsh", "-EncodedCommand"], encode(PS), PS, "encoded-command"],
    [["/bin/bash", "-c"], `set -eu\npwsh -c ${QUOTED}`, PS, "posix-wrapper"],
    [["/usr/bin/env", "bash", "-c"], `pwsh -c ${QUOTED}`, PS, "posix-wrapper"],
    [["cmd.exe", "/c"], `@echo off\r\npowershell -NoProfile -Command "New-InboundConnector -Name X -TlsSenderCertificateName '*.contoso.com'" & echo ok`, PS, "cmd-wrapper"],
    [["cmd", "/C"], `powershell.exe -Command ^\r\n"New-InboundConnector -Name \\"X\\" -TlsSenderCertificateName '*.contoso.com'"`, `New-InboundConnector -Name "X" -TlsSenderCertificateName '*.contoso.com'`, "cmd-wrapper"],
  ])("%j", (interpreter, script, text, via) => {
    const reading = powerShellOfLocal(interpreter, script);
    expect(reading.unreadable).toEqual([]);
    expect(reading.texts.map((t) => [t.text, t.via])).toEqual([[text, via]]);
  });

  it("the lines of a cmd.exe script count from 0", () => {
    expect(powerShellOfLocal(["cmd.exe", "/c"], `echo a\r\necho b\r\npwsh -c Get-A`).texts).toEqual([{ text: "Get-A", via: "cmd-wrapper", lineOffset: 2 }]);
  });

  it("a script that is only powershell -EncodedCommand is decoded again", () => {
    expect(powerShellOfLocal(["pwsh", "-c"], `powershell.exe -NoProfile -EncodedCommand ${encode(PS)}`).texts).toEqual([{ text: PS, via: "encoded-command", lineOffset: 0 }]);
  });
});

describe("what cannot be read is reported, with a reason that quotes no script", () => {
  it.each<[string, string[] | undefined, string, Array<{ line: number; reason: string }>]>([
    ["an unknown interpreter", ["python3", "-c"], "import os", [{ line: 0, reason: "an interpreter the pack does not know (python3)" }]],
    ["an unknown interpreter with an odd name", ["/opt/my tool"], "x", [{ line: 0, reason: "an interpreter the pack does not know (unnamed)" }]],
    ["-File", undefined, "cd /srv\npwsh -NoProfile -File deploy.ps1 -Tenant x", [{ line: 1, reason: "`pwsh -File deploy.ps1`: the file's content is not in the resource" }]],
    ["pwsh 7 takes a plain first argument as a file", undefined, "pwsh ./deploy.ps1", [{ line: 0, reason: "`pwsh -File deploy.ps1`: the file's content is not in the resource" }]],
    ["-File as the interpreter names no script text", ["pwsh", "-File"], "Secret-Token-123", [{ line: 0, reason: "`pwsh -File …`: the file's content is not in the resource" }]],
    ["-EncodedCommand that is not base64", undefined, "pwsh -enc 'Get-Mailbox|x'", [{ line: 0, reason: "-EncodedCommand that is not base64 of UTF-16LE" }]],
    ["-EncodedCommand of an odd number of bytes", ["pwsh", "-EncodedCommand"], "QUJD", [{ line: 0, reason: "-EncodedCommand that is not base64 of UTF-16LE" }]],
    ["nesting deeper than 4 shells", undefined, `bash -c "sh -c 'bash -c \\"sh -c pwsh\\"'"`, [{ line: 0, reason: "nesting deeper than 4 shells" }]],
    ["stdin from a file", undefined, "pwsh -Command - < /tmp/deploy.ps1", [{ line: 0, reason: "`pwsh` reads its script from a file given as input; the file's content is not in the resource" }]],
    ["stdin from another command", undefined, "curl -s https://example.com/x | pwsh -c -", [{ line: 0, reason: "`pwsh` reads its script from the output of another command" }]],
    ["a substitution other than cat of a heredoc", undefined, `pwsh -c "$(cat deploy.ps1)"`, [{ line: 0, reason: "`pwsh` runs a script produced by a command substitution the pack cannot read" }]],
  ])("%s", (_name, interpreter, script, unreadable) => {
    const reading = powerShellOfLocal(interpreter, script);
    expect(reading.unreadable).toEqual(unreadable);
    expect(reading.texts).toEqual([]);
  });

  it("a `$` the POSIX shell expands is reported; the text is still read as written", () => {
    const reason = "the POSIX shell expands `$` or backticks in the PowerShell before pwsh runs it; quote it with '…' or <<'EOF' to keep it as written";
    expect(powerShellOfLocal(undefined, `pwsh -c "Get-Mailbox $NAME"`)).toEqual({ texts: [{ text: "Get-Mailbox $NAME", via: "posix-wrapper", lineOffset: 0 }], unreadable: [{ line: 0, reason }] });
    expect(powerShellOfLocal(undefined, `x=1\npwsh -Command - <<EOF\n$p = 1\nEOF`)).toEqual({ texts: [{ text: "$p = 1", via: "posix-wrapper", lineOffset: 2 }], unreadable: [{ line: 2, reason }] });
    expect(powerShellOfLocal(undefined, `pwsh -Command - <<EOF\n\\$p = 1\nEOF`)).toEqual({ texts: [{ text: "$p = 1", via: "posix-wrapper", lineOffset: 1 }], unreadable: [] });
    expect(powerShellOfLocal(undefined, `pwsh -Command - <<'EOF'\n$p = 1\nEOF`).unreadable).toEqual([]);
  });

  it("a quote never closed is reported; what it holds is still read", () => {
    expect(powerShellOfLocal(undefined, `echo\npwsh -c 'Get-Mailbox\nSet-X`)).toEqual({
      texts: [{ text: "Get-Mailbox\nSet-X", via: "posix-wrapper", lineOffset: 1 }],
      unreadable: [{ line: 1, reason: "a ' that is never closed: the script ends inside it" }],
    });
  });

  it("reasons never contain the script's text", () => {
    const secret = "Pa55w0rd-Z";
    const scripts = [`pwsh -File ${secret}`, `pwsh -enc ${secret}!`, `${secret} | pwsh -c -`, `pwsh -c "$(${secret})"`, `pwsh -c "${secret} $x"`];
    for (const script of scripts) {
      const reading = powerShellOfLocal(undefined, script);
      expect(reading.unreadable.length).toBeGreaterThan(0);
      expect(JSON.stringify(reading.unreadable)).not.toContain(secret);
    }
  });
});

describe("remote commands", () => {
  it("a PowerShell script is read whole", () => {
    expect(powerShellOfRemote(`Get-A\nSet-B -X 'it''s'`)).toEqual({ texts: [{ text: `Get-A\nSet-B -X 'it''s'`, via: "remote-shell", lineOffset: 0 }], unreadable: [] });
  });
  it("a powershell -Command line is unwrapped", () => {
    expect(powerShellOfRemote(`powershell -NoProfile -Command "${PS}"`)).toEqual({ texts: [{ text: PS, via: "remote-shell", lineOffset: 0 }], unreadable: [] });
  });
  it("a -File is reported and the script is still read", () => {
    expect(powerShellOfRemote(`powershell -File C:\\deploy\\hybrid.ps1`)).toEqual({
      texts: [{ text: `powershell -File C:\\deploy\\hybrid.ps1`, via: "remote-shell", lineOffset: 0 }],
      unreadable: [{ line: 0, reason: "`powershell -File …`: the file's content is not in the resource" }],
    });
  });
});

describe("linear work", () => {
  it("a 200,000-line quoted argument is read visiting each character a bounded number of times", () => {
    const body = Array.from({ length: 200_000 }, (_, k) => `Set-InboundConnector -Identity 'C${k}' -Enabled 1`).join("\n");
    const script = `set -e\npowershell -NoProfile -Command "\n${body}\n"\necho done`;
    const before = posixCharsVisited();
    const reading = powerShellOfLocal(undefined, script);
    const visited = posixCharsVisited() - before;
    expect(reading.texts).toHaveLength(1);
    // Compared as a boolean: a failing diff of megabytes would take minutes to print.
    expect(reading.texts[0]!.text === `\n${body}\n`).toBe(true);
    expect(reading.unreadable).toEqual([]);
    expect(reading.texts[0]!.lineOffset).toBe(1);
    expect(visited).toBeGreaterThanOrEqual(script.length);
    expect(visited).toBeLessThanOrEqual(2 * script.length);
  });

  it("many pwsh lines and nested shells stay linear", () => {
    const script = Array.from({ length: 20_000 }, (_, k) => (k % 2 ? `pwsh -c 'Get-A ${k}'` : `bash -c "sh -c 'pwsh -c Get-B'"`)).join("\n");
    const before = posixCharsVisited();
    const reading = powerShellOfLocal(undefined, script);
    expect(reading.texts).toHaveLength(20_000);
    // Each nested shell re-reads its own argument once: at most once per level.
    expect(posixCharsVisited() - before).toBeLessThanOrEqual(4 * script.length);
  });

  it("an unclosed substitution or quote ends the scan once", () => {
    for (const opener of ["$(", "'", '"', "`", "${", "$'"]) {
      const script = `pwsh -c ${opener}${"a(b'c\"d\n".repeat(50_000)}`;
      const before = posixCharsVisited();
      lexPosix(script);
      expect(posixCharsVisited() - before).toBeLessThanOrEqual(2 * script.length);
    }
  });
});

describe("exported helpers keep their contracts", () => {
  it("isPowerShellExecutable", () => {
    expect(["pwsh", "/usr/bin/pwsh", "PowerShell.exe", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"].map(isPowerShellExecutable)).toEqual([true, true, true, true]);
    expect(["bash", "pwsh2", undefined].map(isPowerShellExecutable)).toEqual([false, false, false]);
  });
  it("decodeEncodedCommand", () => {
    expect(decodeEncodedCommand(encode(PS))).toBe(PS);
    expect(decodeEncodedCommand("not base64!")).toBeUndefined();
  });
});

describe("the command extractor turns what cannot be read into unverifiable facts", () => {
  it("with the script property and its 1-based line", () => {
    const facts = commandExtractor.extract(resourceInput("command:local:Command", { create: "set -e\npwsh -File deploy.ps1", update: "pwsh -enc ???" }, "deploy"));
    expect(facts).toEqual([
      { kind: "unverifiable", item: { subject: "command 'deploy'", property: "create", reason: "`pwsh -File deploy.ps1`: the file's content is not in the resource", provenance: { urn: "urn:pulumi:test::mailflow::command:local:Command::deploy", resourceName: "deploy", resourceType: "command:local:Command", property: "create", line: 2 } } },
      { kind: "unverifiable", item: { subject: "command 'deploy'", property: "update", reason: "-EncodedCommand that is not base64 of UTF-16LE", provenance: { urn: "urn:pulumi:test::mailflow::command:local:Command::deploy", resourceName: "deploy", resourceType: "command:local:Command", property: "update", line: 1 } } },
    ]);
  });

  it("a wrapped connector is read with its line in the script", () => {
    const facts = commandExtractor.extract(resourceInput("command:local:Command", { create: `cd /tmp\nFOO=1 sudo -u ex pwsh -NoProfile -c ${QUOTED}` }, "exo"));
    expect(facts).toMatchObject([{ kind: "inbound-connector", op: "new", identity: "X", fields: { tlsSenderCertificateName: "*.contoso.com" }, provenance: { property: "create", line: 2 } }]);
  });
});
