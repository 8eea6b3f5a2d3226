/** Each rewrite operator writes exactly the PowerShell it should (one choice only in these scripts). */
import { beforeAll, describe, expect, it } from "vitest";
import { loadExtractors } from "../../src/extractors";
import { operatorNamed } from "./operators";
import { seededRng } from "./rng";
import { encodeCommand, siteOf, withSite, type Site } from "./sites";
import { exo } from "../unit/support/stack";

beforeAll(loadExtractors);

const CONNECT = "Connect-ExchangeOnline -Organization contoso.onmicrosoft.com";
const site = (text: string): Site => ({ kind: "interpreter", pwsh: ["pwsh", "-NoProfile"], text });
const rewrite = (operator: string, text: string): string | undefined => {
  const out = operatorNamed(operator).apply(site(text), seededRng(1));
  return out?.text;
};

describe("rewrite operators", () => {
  it.each([
    ["invoke-command-wrapper", "New-InboundConnector x", "Invoke-Command -ScriptBlock {\nNew-InboundConnector x\n}"],
    ["call-operator-wrapper", "New-InboundConnector x", "& {\nNew-InboundConnector x\n}"],
    ["dot-source-wrapper", "New-InboundConnector x", ". {\nNew-InboundConnector x\n}"],
    ["function-wrapper", "New-InboundConnector x", "function Set-Hybrid1 {\nNew-InboundConnector x\n}\nSet-Hybrid1"],
    ["foreach-wrapper", "New-InboundConnector x", "foreach ($mfItem1 in @('a')) {\nNew-InboundConnector x\n}"],
    ["try-catch-wrapper", "New-InboundConnector x", "try {\nNew-InboundConnector x\n} catch {\n  throw\n}"],
    ["if-true-wrapper", "New-InboundConnector x", "if ($true) {\nNew-InboundConnector x\n}"],
    ["colon-form", "New-InboundConnector -Name 'x'", "New-InboundConnector -Name:'x'"],
    ["here-string", "New-InboundConnector -Name 'it''s'", "New-InboundConnector -Name @'\nit's\n'@"],
    ["quoting-style", "New-InboundConnector -Name 'x y'", 'New-InboundConnector -Name "x y"'],
    ["variable-indirection", "New-InboundConnector -ConnectorType OnPremises", "$mfValue1 = 'OnPremises'; New-InboundConnector -ConnectorType $mfValue1"],
    ["splatting", 'New-InboundConnector -Name \'x\' -SenderDomains "a","b" -RequireTls $true', "$mfSplat1 = @{\n  Name = 'x'\n  SenderDomains = \"a\",\"b\"\n  RequireTls = $true\n}\nNew-InboundConnector @mfSplat1"],
    ["module-qualification", CONNECT, `ExchangeOnlineManagement\\${CONNECT}`],
    ["connect-prefix", `New-InboundConnector a\n${CONNECT}\nSet-InboundConnector b`, `New-InboundConnector a\n${CONNECT} -Prefix Cloud\nSet-CloudInboundConnector b`],
    ["list-layout", `Set-SendConnector x -SourceTransportServers "ex01","ex02", 'ex03' -Fqdn a.b`, "Set-SendConnector x -SourceTransportServers ex01, ex02, # the next one\n    ex03 -Fqdn a.b"],
    ["reorder-statements", "New-InboundConnector -Name a\nSet-SendConnector b", "Set-SendConnector b\nNew-InboundConnector -Name a"],
  ])("%s", (operator, text, expected) => {
    expect(rewrite(operator, text)).toBe(expected);
  });

  it("does not reorder statements on the same connector name, nor across a connect", () => {
    expect(rewrite("reorder-statements", "New-InboundConnector -Name a\nSet-InboundConnector -Identity A")).toBeUndefined();
    expect(rewrite("reorder-statements", `New-InboundConnector -Name a\n${CONNECT}\nNew-InboundConnector -Name b`)).toBeUndefined();
  });

  it("keeps numbers PowerShell reads as numbers out of quotes", () => {
    expect(rewrite("quoting-style", "New-SendConnector -Name x -MaxMessageSize 1kb")).toBe("New-SendConnector -Name 'x' -MaxMessageSize 1kb");
    expect(rewrite("variable-indirection", "New-SendConnector -MaxMessageSize 10mb")).toBeUndefined();
  });

  it("picks a parameter prefix no other parameter (common ones included) starts with", () => {
    const out = rewrite("parameter-prefix", "New-InboundConnector -TlsSenderCertificateName x");
    expect(out).toMatch(/^New-InboundConnector -Tl[A-Za-z]* x$/);
    expect(out!.length).toBeLessThan("New-InboundConnector -TlsSenderCertificateName x".length);
    // -RequireTls: -Re alone is ambiguous (RestrictDomainsTo…), so the prefix is at least -Req plus one letter.
    expect(rewrite("parameter-prefix", "New-InboundConnector -RequireTls $true")).toMatch(/^New-InboundConnector -Requ[A-Za-z]* \$true$/);
  });

  it("wraps a local pwsh script in POSIX and encoded forms that read back to the same PowerShell", () => {
    const resource = exo("exo", "New-InboundConnector -Name 'it''s'");
    const posix = withSite(resource, operatorNamed("posix-pwsh-wrapper").apply(siteOf(resource)!, seededRng(1))!);
    expect(posix.props).toEqual({ interpreter: ["/bin/sh", "-c"], create: String.raw`pwsh -NoProfile -NonInteractive -Command 'New-InboundConnector -Name '\''it'\'''\''s'\'''` });
    expect(siteOf(posix)).toEqual({ kind: "posix-command", pwsh: ["pwsh", "-NoProfile", "-NonInteractive"], text: "New-InboundConnector -Name 'it''s'", flag: "-Command" });
    const encoded = withSite(posix, operatorNamed("encoded-command").apply(siteOf(posix)!, seededRng(1))!);
    expect(encoded.props.create).toBe(`pwsh -NoProfile -NonInteractive -EncodedCommand ${encodeCommand("New-InboundConnector -Name 'it''s'")}`);
  });

  it("leaves remote scripts to operators that do not start a process", () => {
    const remote: Site = { kind: "remote", text: "New-SendConnector -Name x" };
    expect(operatorNamed("encoded-command").apply(remote, seededRng(1))).toBeUndefined();
    expect(operatorNamed("posix-pwsh-wrapper").apply(remote, seededRng(1))).toBeUndefined();
    expect(operatorNamed("connect-prefix").apply({ kind: "remote", text: `${CONNECT}\nNew-InboundConnector x` }, seededRng(1))).toBeUndefined();
  });
});
