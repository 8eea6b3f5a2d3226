/**
 * Issue 16: `Get-SendConnector | Set-SendConnector -TlsCertificateName …` re-pins every Send connector
 * the stack knows of (filtered by name where the filter is readable) — exactly how R1 happens in
 * certificate rotation; and the certificate a script makes or imports stays bound to its variable.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { extractResource, loadExtractors } from "../../src/extractors";
import { commandExtractor } from "../../src/extractors/command";
import { buildModel } from "../../src/model/build";
import { isInventoryPolicy } from "../../src/reporters/pulumi/policies";
import { rules } from "../../src/rules";
import { resourceInput } from "./support/resources";
import { runStack } from "./support/rule-tester";
import { hybridSend, internetDirect, publicCert, tenant } from "./support/scenarios";
import { onPrem, type TestResource } from "./support/stack";

beforeAll(loadExtractors);

const contoso = tenant("contoso.onmicrosoft.com", ["contoso.com", "smtpo365.contoso.com"]);
const HOST = "ex01.contoso.com";
const WILDCARD = `"<I>CN=GeoTrust TLS RSA CA G1, O=DigiCert Inc, C=US<S>CN=*.contoso.com"`;
const baseline: TestResource[] = [
  contoso,
  publicCert("hybrid-cert", "smtpo365.contoso.com"),
  publicCert("wildcard-cert", "*.contoso.com"),
  publicCert("internet-cert", "mx01.contoso.com", { issuer: "CN=R11, O=Let's Encrypt, C=US" }),
  hybridSend("hybrid-send", HOST, "contoso.mail.onmicrosoft.com", "smtpo365.contoso.com"),
  internetDirect("internet-send", HOST, "mx01.contoso.com", "mx01.contoso.com"),
];

const R1_AND_R8 = rules.filter((r) => r.meta.code === "R1" || r.meta.code === "R8");

/** R1's and R8's verdicts (the findings another rule has on this minimal stack are not the point here). */
async function verdicts(resources: TestResource[]): Promise<string[]> {
  const violations = await runStack(R1_AND_R8, resources);
  return violations.filter((v) => !isInventoryPolicy(v.policy)).map((v) => `${v.policy} on ${v.resource}`).sort();
}

const facts = (script: string) => commandExtractor.extract(resourceInput("command:remote:Command", { connection: { host: HOST }, create: script }, "rotation"));
const advisories = (script: string) => facts(script).flatMap((f) => (f.kind === "unverifiable" ? [`${f.item.subject} ${f.item.property}: ${f.item.reason}`] : []));
const sendFacts = (script: string) => facts(script).filter((f) => f.kind === "send-connector");

describe("a pipeline from Get-SendConnector changes every Send connector it finds", () => {
  it("the baseline (dedicated certificates) passes", async () => {
    expect(await verdicts(baseline)).toEqual([]);
  });

  it("re-pinning every Send connector to the wildcard is blocked by R1, and R8 does not call the hybrid connector unpinned", async () => {
    const rotation = onPrem("rotation", HOST, `Get-SendConnector | Set-SendConnector -TlsCertificateName ${WILDCARD}`);
    // Reported on the resource whose facts complete the problem: the rotation.
    expect(await verdicts([...baseline, rotation])).toEqual(["shared-certificate-hybrid-and-internet on rotation"]);
  });

  it("the pipeline registered before the connectors it finds still finds them, and the verdict stays on the rotation", async () => {
    const rotation = onPrem("rotation", HOST, `Get-SendConnector | Set-SendConnector -TlsCertificateName ${WILDCARD}`);
    const [t, ...rest] = baseline;
    // Nothing orders the resources: the finding goes to its subject's latest change, whatever the registration order.
    expect(await verdicts([t!, rotation, ...rest])).toEqual(["shared-certificate-hybrid-and-internet on rotation"]);
  });

  it("the fact names the selection, and the advisory says which connectors it applies to", () => {
    const script = `Get-SendConnector | Where-Object { $_.Name -like 'Internet*' } | Set-SendConnector -TlsCertificateName ${WILDCARD}`;
    expect(sendFacts(script).map((f) => [f.identity, f.selection])).toEqual([["every send connector", { noun: "sendconnector", filters: [{ operator: "like", value: "Internet*" }] }]]);
    expect(advisories(script)).toEqual([
      "Set-SendConnector (pipeline) Identity: Set-SendConnector changes every send connector whose Name -like 'Internet*' that Get-sendconnector finds: the pack applies it to each such connector the stack (or configuration) knows of; connectors made outside the stack are not known to it",
    ]);
  });

  it.each([
    ["a script-block filter", `Get-SendConnector | Where-Object { $_.Name -like 'Internet*' } | Set-SendConnector -TlsCertificateName ${WILDCARD}`],
    ["-FilterScript", `Get-SendConnector | Where-Object -FilterScript { $PSItem.Identity -ilike 'inter*' } | Set-SendConnector -TlsCertificateName ${WILDCARD}`],
    ["the simplified syntax", `Get-SendConnector | Where-Object Name -eq 'Internet' | Set-SendConnector -TlsCertificateName ${WILDCARD}`],
    ["-Property/-Value", `Get-SendConnector | ? -Property Name -Match '^Int' | Set-SendConnector -TlsCertificateName ${WILDCARD}`],
    ["ForEach-Object with $_.Identity", `Get-SendConnector | ? Name -NotLike 'Outbound to Office 365*' | ForEach-Object { Set-SendConnector -Identity $_.Identity -TlsCertificateName ${WILDCARD} }`],
    ["a variable and foreach", `$all = Get-SendConnector | Where-Object { $_.Name -notmatch 'Office 365' }\nforeach ($c in $all) { Set-SendConnector $c -TlsCertificateName ${WILDCARD} }`],
  ])("a filter on the name keeps the hybrid connector out (%s): no R1", async (_name, script) => {
    const model = buildModel([...baseline, onPrem("rotation", HOST, script)].flatMap((r) => extractResource(resourceInput(r.type, r.props, r.name))));
    const pinned = model.sendConnectors.map((s) => [s.name, s.tlsCertificateName?.subject]);
    expect(pinned).toEqual([
      ["Outbound to Office 365 - 6fc3a33e", "CN=smtpo365.contoso.com"],
      ["Internet", "CN=*.contoso.com"],
    ]);
  });

  it("a filter the pack cannot read applies to no connector and says so", () => {
    const script = `Get-SendConnector | Where-Object { $_.AddressSpaces -contains 'SMTP:*;1' } | Set-SendConnector -TlsCertificateName ${WILDCARD}`;
    expect(sendFacts(script)).toEqual([]);
    expect(advisories(script)).toEqual([
      "Set-SendConnector (pipeline) Identity: the Where-Object filter tests the connector's AddressSpaces, which the pack does not know for connectors made outside the stack: which connectors Set-SendConnector changes is not known, so none is checked; name the connector (-Identity) or filter on its name",
    ]);
  });

  it("Where-Object Name -eq names the connector", () => {
    expect(sendFacts(`Get-SendConnector | Where-Object Name -eq 'Internet' | Set-SendConnector -Fqdn mx02.contoso.com`).map((f) => [f.identity, f.selection, f.fields])).toEqual([["Internet", undefined, { fqdn: "mx02.contoso.com" }]]);
  });
});

describe("the certificate a script makes or imports stays bound to its variable", () => {
  it("New-ExchangeCertificate: -Thumbprint $c.Thumbprint and the connector's name built from it link to that certificate", () => {
    const script = [
      `$c = New-ExchangeCertificate -SubjectName "CN=smtpo365.contoso.com" -DomainName smtpo365.contoso.com -Services SMTP`,
      `Enable-ExchangeCertificate -Thumbprint $c.Thumbprint -Services SMTP`,
      `Set-SendConnector "Outbound to Office 365" -TlsCertificateName "<I>$($c.Issuer)<S>$($c.Subject)"`,
    ].join("\n");
    const f = facts(script);
    const id = "urn:pulumi:test::mailflow::command:remote:Command::rotation#line1";
    expect(f.filter((x) => x.kind === "certificate").map((x) => x.kind === "certificate" && x.certificate.id)).toEqual([id]);
    expect(f.filter((x) => x.kind === "certificate-binding").map((x) => x.kind === "certificate-binding" && x.certificate)).toEqual([id]);
    expect(f.filter((x) => x.kind === "send-connector").map((x) => x.kind === "send-connector" && x.fields.certificateIds)).toEqual([[id]]);
  });

  it("Import-ExchangeCertificate piped to Enable-ExchangeCertificate; the connector presenting it is named with what to declare", () => {
    const script = [
      `$cert = Import-ExchangeCertificate -FileData ([System.IO.File]::ReadAllBytes('C:\\certs\\new.pfx')) -Password $pw -PrivateKeyExportable $true`,
      `$cert | Enable-ExchangeCertificate -Services POP, IMAP, SMTP, IIS -Force`,
      `Set-SendConnector Internet -TlsCertificateName "<I>$($cert.Issuer)<S>$($cert.Subject)"`,
    ].join("\n");
    const f = facts(script);
    const id = "urn:pulumi:test::mailflow::command:remote:Command::rotation#line1";
    expect(f.filter((x) => x.kind === "certificate-binding").map((x) => x.kind === "certificate-binding" && [x.certificate, x.services])).toEqual([[id, ["POP", "IMAP", "SMTP", "IIS"]]]);
    expect(advisories(script).filter((a) => a.startsWith("send connector"))).toEqual([
      "send connector 'Internet' TlsCertificateName: the Issuer of the certificate imported at line 1 is only known on the server: declare that certificate with a Certificate descriptor (subject, issuer, dnsNames, thumbprint) or under mailflow-inventory.certificates so its names can be checked",
    ]);
  });

  it("Get-ExchangeCertificate -Thumbprint $c.Thumbprint is that certificate", () => {
    const script = [`$c = New-ExchangeCertificate -DomainName mx01.contoso.com`, `$same = Get-ExchangeCertificate -Thumbprint $c.Thumbprint`, `$same | Enable-ExchangeCertificate -Services SMTP`].join("\n");
    expect(facts(script).filter((x) => x.kind === "certificate-binding").map((x) => x.kind === "certificate-binding" && x.certificate)).toEqual(["urn:pulumi:test::mailflow::command:remote:Command::rotation#line1"]);
  });
});

describe("typographic quotes are read as the quotes PowerShell takes them for", () => {
  it("the statements after them are read, and that is said", () => {
    const script = [`$name = “Outbound to Office 365”`, `Set-SendConnector -Identity $name -Fqdn ‘smtpo365.contoso.com’`, `Set-SendConnector Internet -Fqdn mx01.contoso.com`].join("\n");
    expect(sendFacts(script).map((f) => [f.identity, f.fields.fqdn])).toEqual([
      ["Outbound to Office 365", "smtpo365.contoso.com"],
      ["Internet", "mx01.contoso.com"],
    ]);
    expect(advisories(script)).toEqual([
      "command 'rotation' typographic quotes: the script uses typographic quotes (‘ ’ “ ”) on lines 1, 2; PowerShell reads them as quotes and so did the pack, but editors and other tools may not: prefer ASCII quotes",
    ]);
  });
});

describe("Microsoft365DSC resource blocks are read as the connectors they declare", () => {
  const dsc = [
    `Configuration ContosoMailFlow {`,
    `  Import-DscResource -ModuleName Microsoft365DSC`,
    `  Node localhost {`,
    `    EXOInboundConnector "FromOnPrem" {`,
    `      Identity                 = "Inbound from on-prem"`,
    `      ConnectorType            = "OnPremises"`,
    `      SenderDomains            = @("*")`,
    `      TlsSenderCertificateName = "*.contoso.com"`,
    `      TenantId                 = "contoso.onmicrosoft.com"`,
    `      Credential               = $Credscredential`,
    `      Ensure                   = "Present"`,
    `    }`,
    `    EXOOutboundConnector "Legacy" { Identity = "Legacy relay"; Ensure = "Absent"; TenantId = "contoso.onmicrosoft.com" }`,
    `  }`,
    `}`,
  ].join("\n");
  it("EXOInboundConnector and EXOOutboundConnector become New-/Remove- of those connectors in the tenant TenantId names", () => {
    const connectors = facts(dsc).filter((f) => f.kind === "inbound-connector" || f.kind === "outbound-connector");
    expect(connectors.map((f) => [f.kind, f.op, f.identity, f.fields, "tenant" in f ? f.tenant : undefined])).toEqual([
      ["inbound-connector", "new", "Inbound from on-prem", { connectorType: "OnPremises", senderDomains: ["*"], tlsSenderCertificateName: "*.contoso.com" }, "contoso.onmicrosoft.com"],
      ["outbound-connector", "remove", "Legacy relay", {}, "contoso.onmicrosoft.com"],
    ]);
    expect(advisories(dsc)).toEqual([]);
  });
});

describe("bare-word lists PowerShell continues after a trailing comma", () => {
  it("a comment between the elements does not drop the rest of the list", () => {
    const script = `Set-SendConnector Internet -SourceTransportServers 10.0.0.1, # the first\n  10.0.0.2, <# the second #> 10.0.0.3 -Fqdn mx01.contoso.com`;
    expect(sendFacts(script).map((f) => [f.fields.sourceTransportServers, f.fields.fqdn])).toEqual([[["10.0.0.1", "10.0.0.2", "10.0.0.3"], "mx01.contoso.com"]]);
    expect(advisories(script).filter((a) => !a.includes("outside the stack"))).toEqual([]);
  });
});

describe("bare-word name lists with comments and line breaks", () => {
  const spellings: [string, string][] = [
    ["names, comment after the comma, next on a new line", `Set-SendConnector Internet -SourceTransportServers ex01, # the first\n  ex02, ex03 -Fqdn mx01.contoso.com`],
    ["names, block comment then new line", `Set-SendConnector Internet -SourceTransportServers ex01, <# a #>\n  ex02,\n  ex03 -Fqdn mx01.contoso.com`],
    ["names, each on its own line", `Set-SendConnector Internet -SourceTransportServers ex01,\n  ex02,\n  ex03 -Fqdn mx01.contoso.com`],
    ["fqdns, comment after the comma", `Set-SendConnector Internet -SourceTransportServers ex01.contoso.com, # the first\n  ex02, ex03 -Fqdn mx01.contoso.com`],
  ];
  it.each(spellings)("%s", (_name, script) => {
    const servers = (script.match(/-SourceTransportServers (\S+),/)![1] === "ex01" ? "ex01" : "ex01.contoso.com");
    expect(sendFacts(script).map((f) => [f.fields.sourceTransportServers, f.fields.fqdn])).toEqual([[[servers, "ex02", "ex03"], "mx01.contoso.com"]]);
    expect(advisories(script).filter((a) => !a.includes("outside the stack"))).toEqual([]);
  });
});

describe("a bare-word list inside a string or a comment is text", () => {
  it.each([
    ["single-quoted", `Write-Host 'then run: Set-SendConnector x -SourceTransportServers ex01, ex02'`],
    ["double-quoted", `Write-Host "then run: Set-SendConnector x -SourceTransportServers ex01, ex02"`],
    ["here-string", `Write-Host @'\nthen run: Set-SendConnector x -SourceTransportServers ex01, ex02\n'@`],
    ["comment", `# then run: Set-SendConnector x -SourceTransportServers ex01, ex02`],
  ])("%s: the statements after it are still read", (_name, hint) => {
    // The unquoted list of the connector below makes the script one the grammar recovers from.
    const script = `${hint}\nSet-SendConnector Internet -SourceTransportServers ex01, ex02 -Fqdn mx01.contoso.com`;
    expect(sendFacts(script).map((f) => [f.fields.sourceTransportServers, f.fields.fqdn])).toEqual([[["ex01", "ex02"], "mx01.contoso.com"]]);
  });
});

it("Invoke-Expression of known text with a bare-word list reads the list", () => {
  const script = `Invoke-Expression 'Set-SendConnector Internet -SourceTransportServers ex01, # why\n ex02 -Fqdn mx01.contoso.com'\nSet-SendConnector Internet -SourceTransportServers ex03, ex04`;
  expect(sendFacts(script).map((f) => [f.fields.sourceTransportServers, f.fields.fqdn])).toEqual([[["ex01", "ex02"], "mx01.contoso.com"], [["ex03", "ex04"], undefined]]);
});
