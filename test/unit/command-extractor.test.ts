/** PowerShell in @pulumi/command resources → facts, construct by construct, through the tree-sitter grammar. */
import { beforeAll, describe, expect, it } from "vitest";
import { commandExtractor } from "../../src/extractors/command";
import { loadExtractors } from "../../src/extractors";
import { UnknownValue } from "../../src/extractors/types";
import type { Fact } from "../../src/model/facts";
import { UNKNOWN_ORG, UNKNOWN_TENANT } from "../../src/model/types";
import { resourceInput } from "./support/resources";

beforeAll(loadExtractors);

const PWSH = ["pwsh", "-NoProfile", "-NonInteractive", "-Command"];
const local = (create: string, extra: Record<string, unknown> = {}) => commandExtractor.extract(resourceInput("command:local:Command", { interpreter: PWSH, create, ...extra }, "exo"));
const remote = (create: string, host: unknown = "ex01.contoso.com") => commandExtractor.extract(resourceInput("command:remote:Command", { connection: { host, password: "S3cret!" }, create }, "onprem"));
const connectors = (facts: Fact[]) => facts.filter((f) => f.kind !== "unverifiable");
const unverifiable = (facts: Fact[]) => facts.flatMap((f) => (f.kind === "unverifiable" ? [f.item] : []));
const encode = (ps: string) => Buffer.from(ps, "utf16le").toString("base64");

describe("argument binding", () => {
  it.each([
    ["HCW-style connector with backtick continuation and quoted SenderDomains", `Connect-ExchangeOnline -AppId $env:APP -Organization Varunagroup.onmicrosoft.com -ShowBanner:$false\nNew-InboundConnector -Name "Inbound from 6fc3" -ConnectorType OnPremises -ConnectorSource HybridWizard \`\n  -SenderDomains 'smtp:*;1' -RequireTls $true -CloudServicesMailEnabled $true -TlsSenderCertificateName '*.Varunagroup.de'`,
      { kind: "inbound-connector", op: "new", identity: "Inbound from 6fc3", tenant: "varunagroup.onmicrosoft.com", fields: { connectorType: "OnPremises", connectorSource: "HybridWizard", senderDomains: ["smtp:*;1"], requireTls: true, cloudServicesMailEnabled: true, tlsSenderCertificateName: "*.varunagroup.de" } }],
    ["case-insensitive cmdlet and parameter names, unambiguous prefixes", `new-inboundconnector -name X -connectortype onpremises -TlsSenderCert mail.contoso.com -SenderDom *`,
      { kind: "inbound-connector", op: "new", identity: "X", fields: { connectorType: "OnPremises", tlsSenderCertificateName: "mail.contoso.com", senderDomains: ["*"] } }],
    ["-Param:value and positional identity", `Set-InboundConnector "From on-prem" -TlsSenderCertificateName:smtpo365.contoso.com -Enabled:$false`,
      { kind: "inbound-connector", op: "set", identity: "From on-prem", fields: { tlsSenderCertificateName: "smtpo365.contoso.com", enabled: false } }],
    ["multi-valued edit @{Add=…;Remove=…}", `Set-InboundConnector -Identity Relay -SenderIPAddresses @{Add="203.0.113.25"; Remove="198.51.100.0/24"}`,
      { kind: "inbound-connector", op: "set", identity: "Relay", fields: { senderIpAddresses: { add: ["203.0.113.25"], remove: ["198.51.100.0/24"] } } }],
    ["unquoted IP list recovered from the grammar's error node", `New-InboundConnector -Name Relay -ConnectorType OnPremises -SenderDomains * -SenderIPAddresses 198.51.100.0/24,203.0.113.7`,
      { kind: "inbound-connector", op: "new", identity: "Relay", fields: { connectorType: "OnPremises", senderDomains: ["*"], senderIpAddresses: ["198.51.100.0/24", "203.0.113.7"] } }],
    ["array literals @(…) and a, b", `Set-SendConnector -Identity "Outbound to Office 365" -AddressSpaces @("contoso.mail.onmicrosoft.com", "groups.contoso.com") -SmartHosts "a.example","b.example"`,
      { kind: "send-connector", op: "set", identity: "Outbound to Office 365", fields: { addressSpaces: ["contoso.mail.onmicrosoft.com", "groups.contoso.com"], smartHosts: ["a.example", "b.example"] } }],
    ["splatting a hashtable assigned earlier, variables and comments", `# hybrid connector\n$name = 'From on-prem'\n$p = @{ Name = $name; ConnectorType = 'OnPremises'; SenderDomains = '*'; TlsSenderCertificateName = "*.contoso.com" }\nNew-InboundConnector @p -RequireTls $true # trailing comment`,
      { kind: "inbound-connector", op: "new", identity: "From on-prem", fields: { connectorType: "OnPremises", senderDomains: ["*"], tlsSenderCertificateName: "*.contoso.com", requireTls: true } }],
    ["double-quoted expansion of $var and $env:, here-strings", `$d = "contoso.com"\nNew-OutboundConnector -Name @"\nTo on-prem\n"@ -ConnectorType OnPremises -RecipientDomains "mail.$d" -SmartHosts $env:SMART_HOST -UseMXRecord $false`,
      { kind: "outbound-connector", op: "new", identity: "To on-prem", fields: { connectorType: "OnPremises", recipientDomains: ["mail.contoso.com"], smartHosts: ["ex01.contoso.com"], useMxRecord: false } }],
    ["switches do not swallow the next argument", `New-SendConnector -Internet -Name "Internet" -AddressSpaces "SMTP:*;1" -Fqdn mx01.contoso.com -TlsCertificateName "<I>CN=R11, O=Let's Encrypt, C=US<S>CN=mx01.contoso.com"`,
      { kind: "send-connector", op: "new", identity: "Internet", fields: { addressSpaces: ["SMTP:*;1"], fqdn: "mx01.contoso.com", tlsCertificateName: { issuer: "CN=R11, O=Let's Encrypt, C=US", subject: "CN=mx01.contoso.com", raw: "<I>CN=R11, O=Let's Encrypt, C=US<S>CN=mx01.contoso.com" } } }],
    ["Remove- and -Confirm:$false", `Remove-InboundConnector -Identity "Old IP relay" -Confirm:$false`, { kind: "inbound-connector", op: "remove", identity: "Old IP relay", fields: {} }],
  ])("%s", (_name, script, expected) => {
    const facts = connectors(local(script, { environment: { SMART_HOST: "ex01.contoso.com" } }));
    expect(facts).toHaveLength(1);
    expect(facts[0]).toMatchObject({ ...expected, unknown: [], provenance: { resourceName: "exo", property: "create" } });
  });

  it("records the line of each statement and applies create then update", () => {
    const facts = connectors(local(`\n\nNew-InboundConnector -Name A -SenderDomains *`, { update: `Set-InboundConnector -Identity A -Enabled $false` }));
    expect(facts.map((f) => [f.kind === "inbound-connector" ? f.op : "", (f as { provenance: { property: string; line: number } }).provenance.property, (f as { provenance: { line: number } }).provenance.line])).toEqual([
      ["new", "create", 3],
      ["set", "update", 1],
    ]);
  });

  it("Get-ExchangeCertificate variables bind the certificate by thumbprint; the identifier itself stays unknown", () => {
    const facts = remote(`$h = Get-ExchangeCertificate -Thumbprint 2222aaaa\nSet-SendConnector -Identity "Outbound to Office 365" -TlsCertificateName "<I>$($h.Issuer)<S>$($h.Subject)" -Fqdn smtpo365.contoso.com`);
    expect(connectors(facts)).toMatchObject([{ kind: "send-connector", org: "ex01.contoso.com", fields: { certificateIds: ["thumbprint:2222AAAA"], fqdn: "smtpo365.contoso.com" }, unknown: ["tlsCertificateName"] }]);
    expect(unverifiable(facts).map((u) => [u.property, u.reason])).toEqual([["TlsCertificateName", "the Issuer of certificate 2222AAAA is only known on the Exchange server"]]);
  });
});

describe("what cannot be resolved is recorded, never guessed", () => {
  it.each([
    ["a variable never assigned", `New-InboundConnector -Name X -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName $certName`, "TlsSenderCertificateName", "$certName is not assigned earlier in the script"],
    ["an environment value unknown in preview", `New-InboundConnector -Name X -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName $env:CERT`, "TlsSenderCertificateName", "the environment value is unknown during preview"],
    ["an ambiguous parameter prefix", `New-InboundConnector -Name X -Restrict $true -SenderDomains *`, "-Restrict", "the parameter prefix is ambiguous (RestrictDomainsToCertificate, RestrictDomainsToIPAddresses); PowerShell would refuse it"],
    ["a connector named by an expression", `New-InboundConnector -Name (Get-Date) -SenderDomains *`, "Name", "this expression is only known when the script runs"],
  ])("%s", (_name, script, property, reason) => {
    const facts = local(script, { environment: { CERT: new UnknownValue("environment.CERT") } });
    expect(unverifiable(facts).map((u) => [u.property, u.reason])).toContainEqual([property, reason]);
  });

  it("a whole script unknown in preview is one explicit unverifiable fact", () => {
    const facts = commandExtractor.extract(resourceInput("command:local:Command", { interpreter: PWSH, create: new UnknownValue("create") }, "exo"));
    expect(facts).toEqual([
      {
        kind: "unverifiable",
        item: expect.objectContaining({ subject: "command 'exo'", property: "create", reason: expect.stringContaining("pass values that are unknown until deploy through `environment`") }),
      },
    ]);
  });

  it("an imported certificate is reported as unverifiable, its file never read", () => {
    const facts = remote(`Import-ExchangeCertificate -Server EX01 -FileData ([System.IO.File]::ReadAllBytes('c:\\certs\\smtpo365.pfx')) -Password (Read-Host -AsSecureString)`);
    expect(unverifiable(facts)).toMatchObject([{ subject: "certificate imported on EX01", property: "FileData" }]);
  });

  it("never stores secret parameters", () => {
    const facts = local(`Connect-ExchangeOnline -AppId x -CertificatePassword (ConvertTo-SecureString 'Pa55w0rd!' -AsPlainText -Force) -Organization contoso.onmicrosoft.com\nImport-ExchangeCertificate -Server EX01 -FileData ([IO.File]::ReadAllBytes('c:\\\\x.pfx')) -Password $pw`);
    expect(JSON.stringify(facts)).not.toContain("Pa55w0rd!");
  });
});

describe("interpreters", () => {
  const expectWildcard = (facts: Fact[]) => expect(connectors(facts)).toMatchObject([{ kind: "inbound-connector", fields: { tlsSenderCertificateName: "*.contoso.com" } }]);
  const ps = `New-InboundConnector -Name X -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName '*.contoso.com'`;
  it("powershell.exe -Command", () => expectWildcard(local(ps, { interpreter: ["powershell.exe", "-NonInteractive", "-Command"] })));
  it("-EncodedCommand in the interpreter (base64 of UTF-16LE)", () => expectWildcard(local(encode(ps), { interpreter: ["pwsh", "-EncodedCommand"] })));
  it("a pwsh -EncodedCommand line inside the script", () => expectWildcard(local(`pwsh -NoProfile -EncodedCommand ${encode(ps)}`)));
  it("a POSIX shell running pwsh -c '…' over several lines", () => expectWildcard(commandExtractor.extract(resourceInput("command:local:Command", { create: `set -e\npwsh -NoProfile -c '\n${ps.replace(/'/g, "'\\''")}\n'` }))));
  it("a POSIX shell running pwsh -Command - with a quoted heredoc", () => expectWildcard(commandExtractor.extract(resourceInput("command:local:Command", { interpreter: ["bash", "-c"], create: `pwsh -NoProfile -Command - <<'EOF'\n${ps}\nEOF` }))));
  it("a POSIX script without PowerShell yields nothing", () => expect(commandExtractor.extract(resourceInput("command:local:Command", { create: "echo New-InboundConnector is not run here" }))).toEqual([]));
  it("a remote command on an Exchange server is PowerShell; its organisation is the host", () => {
    expect(connectors(remote(`New-SendConnector -Name Internet -AddressSpaces '*'`))).toMatchObject([{ kind: "send-connector", org: "ex01.contoso.com" }]);
  });
  it("an unknown remote host is reported, the script is still read, for an organisation known only at deploy time", () => {
    const facts = remote(`New-SendConnector -Name Internet -AddressSpaces '*'`, new UnknownValue("connection.host"));
    expect(connectors(facts)).toHaveLength(1);
    expect(connectors(facts)[0]).toMatchObject({ org: UNKNOWN_ORG });
    expect(unverifiable(facts).map((u) => u.property)).toContain("connection.host");
  });
  it("a tenant or organisation named by a value unknown in preview is not the stack's default", () => {
    const exoFacts = local(`Connect-ExchangeOnline -Organization $env:TENANT\nNew-InboundConnector -Name X -ConnectorType OnPremises -TlsSenderCertificateName a.contoso.com`, { environment: { TENANT: new UnknownValue("environment.TENANT") } });
    expect(connectors(exoFacts)[0]).toMatchObject({ tenant: UNKNOWN_TENANT });
    const sessionFacts = local(`$s = New-PSSession -ConfigurationName Microsoft.Exchange -ConnectionUri $env:EXCHANGE_URI\nImport-PSSession $s\nNew-SendConnector -Name Internet -AddressSpaces '*'`, { environment: { EXCHANGE_URI: new UnknownValue("environment.EXCHANGE_URI") } });
    expect(connectors(sessionFacts)[0]).toMatchObject({ org: UNKNOWN_ORG });
    const envFacts = local(`New-SendConnector -Name Internet -AddressSpaces '*'`, { environment: { MAILFLOW_ORG: new UnknownValue("environment.MAILFLOW_ORG") } });
    expect(connectors(envFacts)[0]).toMatchObject({ org: UNKNOWN_ORG });
  });
});

describe("fuzzing: mutated real-looking scripts never make extraction throw", () => {
  const seeds = [
    `Connect-ExchangeOnline -Organization contoso.onmicrosoft.com\n$p = @{ Name = "X"; ConnectorType = 'OnPremises' }\nNew-InboundConnector @p -TlsSenderCertificateName:*.contoso.com -SenderIPAddresses 198.51.100.0/24,203.0.113.7 -RequireTls $true \`\n -SenderDomains 'smtp:*;1'`,
    `$h = Get-ExchangeCertificate -Thumbprint 2222\nSet-SendConnector "Out" -TlsCertificateName "<I>$($h.Issuer)<S>$($h.Subject)" -AddressSpaces @{Add="a.com"} -Fqdn @"\nx\n"@`,
    `pwsh -c 'New-InboundConnector -Name "A" -SenderDomains *'`,
  ];
  let state = 42;
  const random = (n: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
  const noise = ['"', "'", "`", "{", "}", "(", ")", "@", "$", ",", ";", "\n", "-", ":", "<", ">", "|", "#"];
  function mutate(s: string): string {
    let out = s;
    for (let k = 0, n = 1 + random(4); k < n; k++) {
      const i = random(out.length + 1);
      switch (random(4)) {
        case 0: out = out.slice(0, i) + out.slice(i + 1 + random(5)); break;
        case 1: out = out.slice(0, i) + noise[random(noise.length)] + out.slice(i); break;
        case 2: out = out.slice(0, i) + out.slice(random(out.length), random(out.length)) + out.slice(i); break;
        default: out = out.slice(0, i);
      }
    }
    return out;
  }
  it("2,000 mutants across interpreters", () => {
    for (let i = 0; i < 2000; i++) {
      const script = mutate(seeds[i % seeds.length]!);
      const interpreter = i % 3 === 0 ? undefined : PWSH;
      const facts = commandExtractor.extract(resourceInput(i % 5 === 0 ? "command:remote:Command" : "command:local:Command", { interpreter, create: script, connection: { host: "ex01" } }));
      expect(Array.isArray(facts)).toBe(true);
    }
  });
});
