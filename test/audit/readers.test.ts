/**
 * The readers under the audit: bytes in every encoding Windows writes, JSON errors at a line and
 * column in the pack's words, Exchange enums in every exported form, Export-Clixml shapes as
 * Microsoft's Health Checker keeps them.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadExtractors } from "../../src/extractors";
import { readExport } from "../../src/extractors/exports";
import { readClixml } from "../../src/extractors/exports/clixml";
import { decodeExport, describeCharacter } from "../../src/extractors/exports/decode";
import { ALLOWED_SERVICES, readEnum, TENANT_CONNECTOR_SOURCE, TENANT_CONNECTOR_TYPE, TLS_AUTH_LEVEL, TLS_SETTINGS } from "../../src/extractors/exports/enums";
import { CONNECTOR_FIELDS } from "../../src/model/fields";
import { readJsonText } from "../../src/extractors/exports/json-text";

beforeAll(() => loadExtractors());

const TEXT = '[\r\n  { "Name": "Ä connector" }\r\n]';
const utf16le = (s: string, bom = true) => Buffer.concat([Buffer.from(bom ? [0xff, 0xfe] : []), Buffer.from(s, "utf16le")]);
const swap = (b: Buffer) => Buffer.from(b).swap16();

describe("decodeExport: every encoding Windows writes", () => {
  // https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_character_encoding
  it.each([
    ["UTF-8", Buffer.from(TEXT, "utf8")],
    ["UTF-8 with BOM", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT, "utf8")])],
    ["UTF-16LE with BOM", utf16le(TEXT)],
    ["UTF-16BE with BOM", Buffer.concat([Buffer.from([0xfe, 0xff]), swap(Buffer.from(TEXT, "utf16le"))])],
    ["UTF-16LE without BOM", utf16le(TEXT, false)],
    ["UTF-16BE without BOM", swap(Buffer.from(TEXT, "utf16le"))],
    ["UTF-32LE with BOM", Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), ...[...TEXT].map((c) => { const b = Buffer.alloc(4); b.writeUInt32LE(c.codePointAt(0)!); return b; })])],
    ["Windows-1252 (ANSI)", Buffer.from(TEXT, "latin1")],
  ])("%s", (encoding, bytes) => {
    expect(decodeExport(bytes)).toEqual({ text: TEXT, encoding });
  });

  it("an empty file is empty UTF-8 text; a cut-off UTF-16 file keeps its whole characters", () => {
    expect(decodeExport(Buffer.alloc(0))).toEqual({ text: "", encoding: "UTF-8" });
    expect(decodeExport(utf16le("[1]").subarray(0, 7))).toEqual({ text: "[1", encoding: "UTF-16LE with BOM" });
  });

  it("binary data is named, never decoded into NUL characters", () => {
    expect(decodeExport(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x00, 0x08, 0x14, 0x00, 0x00, 0x00]))).toEqual({ problem: expect.stringContaining("NUL bytes") });
    expect(decodeExport(Buffer.from([0xef, 0xbb, 0xbf, 0x41, 0x00, 0x42]))).toEqual({ problem: expect.stringContaining("when read as UTF-8 with BOM"), encoding: "UTF-8 with BOM" });
  });

  it("characters are described, never printed raw", () => {
    expect([describeCharacter("}"), describeCharacter("\u0000"), describeCharacter("\uFEFF"), describeCharacter("\uFFFD"), describeCharacter("ÿ"), describeCharacter(undefined)]).toEqual([
      "'}'",
      "U+0000",
      "a byte-order mark (U+FEFF)",
      "an undecodable byte (U+FFFD)",
      "U+00FF",
      "the end of the file",
    ]);
  });
});

describe("readJsonText: the place and kind of a JSON error, in the pack's words", () => {
  it.each([
    ['[\n  { "Name": "A",\n  }\n]', 3, 3, "expected a property name in double quotes, found '}'"],
    ['[\r\n  { "Name": "A" }', 2, 18, "the file ends inside a list: is it cut off?"],
    ['[\n  { "Name": "A" ', 2, 17, "the file ends inside an object: is it cut off?"],
    ['[1,]', 1, 4, "expected a value (text, number, true, false, null, an object or a list), found ']'"],
    ['{"a" 1}', 1, 6, "expected ':' after the property name, found '1'"],
    ['["abc', 1, 2, "a text value is not closed (a line break or the end of the file comes before its closing quote)"],
    ["[1] x", 1, 5, "expected the end of the file after the JSON value, found 'x'"],
    ["\uFEFF[]", 1, 1, "expected a value (text, number, true, false, null, an object or a list), found a byte-order mark (U+FEFF)"],
    ["ÿþ[", 1, 1, "expected a value (text, number, true, false, null, an object or a list), found U+00FF"],
  ])("%j → line %i, column %i", (text, line, column, problem) => {
    expect(readJsonText(text)).toEqual({ line, column, problem });
  });

  it("locates each object of a list, a ScubaGear section, a stack export's resources", () => {
    const read = readJsonText('[\n  {"a": 1},\n  {"b": {"c": [1]}}\n]');
    if ("problem" in read) throw new Error(read.problem);
    expect([read.locations.lineOf(""), read.locations.lineOf("[0]"), read.locations.lineOf("[1]"), read.locations.lineOf("[1].b"), read.locations.lineOf("[2]")]).toEqual([1, 2, 3, 3, undefined]);
  });

  it("an export cut off mid-file is one problem at its last line, naming the encoding", () => {
    const read = readExport("Get-SendConnector.json", '[\r\n  {\r\n    "Name": "Internet",\r\n    "AddressSpaces": [', {}, "UTF-16LE with BOM");
    expect(read.problems).toEqual([{ file: "Get-SendConnector.json", place: "line 4, column 23", problem: "not valid JSON (UTF-16LE with BOM): the file ends inside a list: is it cut off?" }]);
  });
});

describe("readEnum: Exchange enums in every form an export writes", () => {
  // AllowedServices: https://learn.microsoft.com/previous-versions/office/exchange-server-api/ff319670(v=exchg.150)
  it.each([
    ["names", "IMAP, POP, IIS, SMTP", ["IMAP", "POP", "IIS", "SMTP"]],
    ["the flags number", 27, ["IMAP", "POP", "IIS", "SMTP"]],
    ["the number as text", "16", ["SMTP"]],
    ["every flag", 127, ["IMAP", "POP", "UM", "IIS", "SMTP", "Federation", "UMCallRouter"]],
    ["None", 0, []],
    ["a list of names", ["smtp", "IIS"], ["SMTP", "IIS"]],
    ["an Export-Clixml enum", { ToString: "SMTP, Federation", value: 48 }, ["SMTP", "Federation"]],
    ["5.1's deserialised value", { value: 24, PSComputerName: "ex01" }, ["IIS", "SMTP"]],
  ])("Services as %s", (_form, raw, names) => {
    expect(readEnum(raw, ALLOWED_SERVICES)).toEqual({ names });
  });

  it("names an unknown bit, an unknown name, an undocumented number", () => {
    expect(readEnum(16 + 128, ALLOWED_SERVICES)).toEqual({ problem: "144 has bits Microsoft does not document for AllowedServices (128): read as SMTP and unknown" });
    expect(readEnum("SMTP, Fax", ALLOWED_SERVICES)).toEqual({ problem: '"Fax" is not a value of AllowedServices (None, IMAP, POP, UM, IIS, SMTP, Federation, UMCallRouter)' });
    expect(readEnum(2, TENANT_CONNECTOR_TYPE)).toEqual({ problem: expect.stringContaining("exported as the number 2, and Microsoft does not document the numbers of TenantConnectorType") });
    expect(readEnum("onpremises", TENANT_CONNECTOR_TYPE)).toEqual({ names: ["OnPremises"] });
    expect(readEnum(true, TENANT_CONNECTOR_TYPE)).toEqual({ problem: "true is not a value of TenantConnectorType" });
    expect(readEnum(null, TENANT_CONNECTOR_TYPE)).toBeUndefined();
  });

  // The exports and the scripts read one connector: every value the scripts' field schema accepts
  // (the cmdlet reference's, AdminUI included for ConnectorSource) is a value the exports accept.
  it.each([
    ["inbound", "connectorType", TENANT_CONNECTOR_TYPE],
    ["inbound", "connectorSource", TENANT_CONNECTOR_SOURCE],
    ["send", "tlsAuthLevel", TLS_AUTH_LEVEL],
    ["outbound", "tlsSettings", TLS_SETTINGS],
  ] as const)("%s %s: the export's enumeration has every value the connector schema has", (kind, field, e) => {
    const values = CONNECTOR_FIELDS[kind].find((f) => f.field === field)?.values ?? [];
    expect(values.length).toBeGreaterThan(0);
    for (const v of values) expect(readEnum(v, e)).toEqual({ names: [v] });
  });
});

describe("Export-Clixml, in the shapes of Microsoft's Health Checker data", () => {
  const clixml = (body: string) => `<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">\r\n${body}\r\n</Objs>`;

  it("reads members, lists, enums, Nil, escapes and references; never a SecureString or SerializationData", () => {
    const read = readClixml(
      clixml(`  <Obj RefId="0">
    <TN RefId="0"><T>Microsoft.Exchange.Data.Directory.SystemConfiguration.ReceiveConnector</T><T>System.Object</T></TN>
    <ToString>EX01\\Default EX01</ToString>
    <Props>
      <Obj N="PermissionGroups" RefId="1"><TN RefId="1"><T>Microsoft.Exchange.Data.PermissionGroups</T><T>System.Enum</T></TN><ToString>ExchangeUsers, ExchangeServers</ToString><I32>6</I32></Obj>
      <Obj N="Fqdn" RefId="2"><TN RefId="2"><T>Microsoft.Exchange.Data.Fqdn</T></TN><ToString>ex01.contoso.com</ToString><Props><S N="Domain">ex01.contoso.com</S></Props></Obj>
      <Nil N="TlsCertificateName" />
      <S N="Comment">line one_x000D__x000A_line two</S>
      <SS N="Password">01000000d08c9ddf</SS>
      <Obj N="Again" RefId="3"><TNRef RefId="2" /><Ref RefId="2" /></Obj>
      <Obj N="Bindings" RefId="4"><TN RefId="3"><T>System.Collections.ArrayList</T></TN><LST><S>0.0.0.0:25</S><I32>25</I32></LST></Obj>
      <Obj N="Table" RefId="5"><TN RefId="4"><T>System.Collections.Hashtable</T></TN><DCT><En><S N="Key">a</S><B N="Value">true</B></En></DCT></Obj>
    </Props>
    <MS><S N="PSComputerName">ex01.contoso.com</S><BA N="SerializationData">AAEAAAD/////</BA></MS>
  </Obj>`),
    );
    if ("problem" in read) throw new Error(read.problem);
    expect(read.objects).toHaveLength(1);
    expect(read.objects[0]!.line).toBe(2);
    expect(read.objects[0]!.typeNames[0]).toBe("Microsoft.Exchange.Data.Directory.SystemConfiguration.ReceiveConnector");
    expect(read.objects[0]!.value).toEqual({
      PermissionGroups: { ToString: "ExchangeUsers, ExchangeServers", value: 6 },
      Fqdn: { Domain: "ex01.contoso.com", ToString: "ex01.contoso.com" },
      TlsCertificateName: null,
      Comment: "line one\r\nline two",
      Password: null,
      Again: { Domain: "ex01.contoso.com", ToString: "ex01.contoso.com" },
      Bindings: ["0.0.0.0:25", 25],
      Table: { a: true },
      PSComputerName: "ex01.contoso.com",
      ToString: "EX01\\Default EX01",
    });
  });

  it("a certificate exported with only its RawData (the Management Shell's Export-Clixml) is read from its bytes", () => {
    const pem = readFileSync(join(__dirname, "..", "fuzz", "fixtures", "wildcard-idn-san.pem"), "utf8");
    const raw = pem.replace(/-----[A-Z ]+-----|\s/g, "");
    const read = readExport(
      "Get-ExchangeCertificate.xml",
      clixml(`  <Obj RefId="0">
    <TN RefId="0"><T>Microsoft.Exchange.Management.SystemConfigurationTasks.ExchangeCertificate</T><T>System.Security.Cryptography.X509Certificates.X509Certificate2</T></TN>
    <ToString>[Subject]_x000D__x000A_  CN=smtpo365.contoso.com</ToString>
    <Props><BA N="RawData">${raw}</BA></Props>
    <MS><S N="PSComputerName">ex01.contoso.com</S></MS>
  </Obj>`),
    );
    const certificate = read.facts.find((f) => f.kind === "certificate");
    expect(certificate).toMatchObject({
      certificate: { subjectCN: "smtpo365.contoso.com", thumbprint: "C6FA465CA113AED9D43166950B25676A0ACE3272", trust: "self-signed", servers: ["ex01.contoso.com"], services: [], unknown: ["Services"] },
    });
    expect(read.facts.filter((f) => f.kind === "unverifiable").map((f) => f.kind === "unverifiable" && f.item.property)).toEqual(["Services"]);
  });

  it("a malformed file is named at its line and column, and never as anything but CliXml", () => {
    expect(readClixml(clixml('  <Obj RefId="0">\r\n    <S N="a">x</Obj>'))).toEqual({ line: 3, column: 20, problem: "unexpected close tag." });
    expect(readClixml("<root/>")).toMatchObject({ problem: "the root element is <root>, not <Objs>: not an Export-Clixml file" });
    expect(readExport("x.xml", "<Objs><!DOCTYPE x [<!ENTITY a 'b'>]></Objs>", {}, "UTF-16LE with BOM").problems[0]!.problem).toMatch(/^not a readable Export-Clixml file \(UTF-16LE with BOM\): /);
  });

  it("an empty export (no objects) of a cmdlet named by the file says 'none'; an empty file of no cmdlet is a problem", () => {
    expect(readExport("Get-InboundConnector.xml", clixml(""), { tenant: "contoso.onmicrosoft.com" })).toMatchObject({ problems: [], objects: 0, covers: [{ kind: "inbound-connector", tenant: "contoso.onmicrosoft.com" }] });
    expect(readExport("Get-SendConnector.json", "\r\n")).toMatchObject({ problems: [], covers: [{ kind: "send-connector" }] });
    expect(readExport("notes.json", "").problems[0]!.problem).toMatch(/^is empty, and its name names no cmdlet/);
  });
});
