/**
 * Where the evaluator read each value: a fix that changes one value names the place from the
 * positions the grammar gave when the value was read (issue 22), never by matching the line again.
 * Every span must point at text of the script that reads exactly as recorded.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { extractResource, loadExtractors } from "../../src/extractors";
import type { Fact, ValueSpan } from "../../src/model/facts";

beforeAll(loadExtractors);

const factsOf = (script: string): Fact[] =>
  extractResource({ urn: "urn:test", name: "r", type: "command:local:Command", props: { interpreter: ["pwsh", "-Command"], create: script }, dependencies: [], propertyDependencies: {} });

const spansOf = (script: string): Array<{ field: string; span: ValueSpan }> =>
  factsOf(script).flatMap((f) => ("spans" in f && f.spans ? Object.entries(f.spans).map(([field, span]) => ({ field, span: span as ValueSpan })) : []));

/** What the script has where the span says. */
const at = (script: string, s: ValueSpan): string => script.split("\n")[s.line - 1]!.slice(s.column - 1, s.endColumn - 1);

describe("value spans", () => {
  it("point at the literal as written: single and double quotes, bare words, $true", () => {
    const script = [
      "Connect-ExchangeOnline -Organization 'contoso.onmicrosoft.com'",
      `New-InboundConnector -Name 'In' -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName "mx.contoso.com" -RequireTls $true`,
    ].join("\n");
    const spans = spansOf(script);
    expect(spans.map(({ field, span }) => [field, span.line, span.written])).toEqual([
      ["connectorType", 2, "OnPremises"],
      ["tlsSenderCertificateName", 2, '"mx.contoso.com"'],
      ["senderDomains", 2, "*"],
      ["requireTls", 2, "$true"],
    ]);
    for (const { span } of spans) expect(at(script, span)).toBe(span.written);
  });

  it("follow a variable to the literal it was assigned (the line the value is written on)", () => {
    const script = "$name = '*.contoso.com'\n\nSet-InboundConnector -Identity 'In' -TlsSenderCertificateName $name";
    const [only] = spansOf(script);
    expect(only).toEqual({ field: "tlsSenderCertificateName", span: { line: 1, column: 9, endColumn: 24, written: "'*.contoso.com'" } });
  });

  it("count UTF-16 code units, as JavaScript strings and SARIF columns do", () => {
    const script = "# Ünïcødé 😀 comment\nSet-InboundConnector -Identity 'Eingang 😀' -TlsSenderCertificateName 'smtp.contoso.com'";
    const span = spansOf(script).find((s) => s.field === "tlsSenderCertificateName")!.span;
    expect(at(script, span)).toBe("'smtp.contoso.com'");
  });

  it("are absent for values read from text Invoke-Expression runs (its positions are not the script's)", () => {
    const script = `Invoke-Expression "Set-InboundConnector -Identity 'In' -TlsSenderCertificateName 'x.contoso.com'"`;
    expect(factsOf(script).some((f) => f.kind === "inbound-connector")).toBe(true);
    expect(spansOf(script)).toEqual([]);
  });

  it("record where the statement ends, for a fix that adds a parameter", () => {
    const script = "Set-SendConnector -Identity 'Hybrid' `\n  -Fqdn 'smtp.contoso.com'";
    const fact = factsOf(script).find((f) => f.kind === "send-connector")!;
    expect("end" in fact && fact.end).toEqual({ line: 2, column: 27 });
  });
});
