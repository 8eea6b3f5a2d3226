/**
 * What a command invokes (a name, a script block, or something the pack cannot follow) and the
 * advisory a command without a readable name gets: each case names the command and why.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { loadExtractors } from "../../src/extractors";
import { commandExtractor } from "../../src/extractors/command";
import { resourceInput } from "./support/resources";

beforeAll(loadExtractors);

const advisories = (script: string): string[] =>
  commandExtractor
    .extract(resourceInput("command:local:Command", { interpreter: ["pwsh", "-NoProfile", "-Command"], create: script }, "r"))
    .flatMap((f) => (f.kind === "unverifiable" ? [`${f.item.property}:${f.item.provenance.line}: ${f.item.reason}`] : []));

describe("a command the pack cannot name", () => {
  it.each([
    ["an empty quoted name", `& '' -Name x`, ":1: a dynamic invocation the pack cannot follow: no command name"],
    ["a name that is only a path", `& 'C:\\scripts\\' -Name x`, "C:\\scripts\\:1: a dynamic invocation the pack cannot follow: no command name"],
    ["a variable holding an empty name", `$cmd = ''\n& $cmd -Name x`, ":2: a dynamic invocation the pack cannot follow: no command name"],
    ["a name that is not text", `& 42 -Name x`, "a computed command name:1: a dynamic invocation the pack cannot follow: the command name is not text"],
  ])("%s", (_name, script, expected) => {
    expect(advisories(script)).toEqual([expected]);
  });

  it("a named command and an invoked script block are followed, not reported", () => {
    expect(advisories(`& 'Get-Date'\n& { New-InboundConnector -Name x -ConnectorType OnPremises -SenderDomains * }`)).toEqual([]);
  });
});
