import { beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { auditPaths } from "../../src/audit/audit";
import { parseCli, renderFlows } from "../../src/audit/cli";
import { expectedAttributions, renderMermaid, renderPester } from "../../src/audit/flows";
import { loadExtractors } from "../../src/extractors";
import { withPowerShellTree, type SyntaxNode } from "../../src/extractors/powershell/grammar";

/** The parsed arguments, or the text a usage error prints. */
const parseArgs = (argv: string[]) => {
  const parsed = parseCli(argv, () => "0.0.0");
  return "run" in parsed ? parsed.run : parsed.print;
};


const seed000 = join(__dirname, "fixtures", "seed-000-msp-wildcard");

beforeAll(() => loadExtractors());

describe("mailflow-guard flows", () => {
  it("derives every flow of seed 000 with its expected attribution; the gateway's flows to other tenants are the wrong tenant", async () => {
    const { model } = await auditPaths([seed000]);
    const rows = expectedAttributions(model).map((r) => [r.senderDomain, r.path, r.expectedTenant ?? null, r.connector ?? null, r.certificateName ?? null, r.wrongTenant]);
    expect(rows).toEqual([
      ["setebos-ag.com", "internet to another Exchange Online tenant", null, null, null, true],
      ["setebos-ag.com", "internet outside Microsoft", null, null, null, false],
      ["varunagroup.de", "hybrid", "varunagroup.onmicrosoft.com", "Inbound from 6fc3a33e-3ca2-4528-8e3c-75e5d4e9db76", "smtpo365.varunagroup.de", false],
      ["varunagroup.de", "internet to another Exchange Online tenant", null, null, null, true],
      ["varunagroup.de", "internet outside Microsoft", null, null, null, false],
    ]);
  });

  it("writes one Pester It per flow, checked with Get-MessageTraceV2, and marks the ones predicted to fail", async () => {
    const { model } = await auditPaths([seed000]);
    const plan = renderPester(expectedAttributions(model));
    expect(plan.match(/^ {4}It '/gm)).toHaveLength(5);
    expect(plan.match(/predicts this test FAILS today/g)).toHaveLength(2);
  });

  it("asserts a hybrid flow's tenant and direction in that tenant's trace", async () => {
    const plan = renderPester(expectedAttributions((await auditPaths([seed000])).model)).split("\n");
    const start = plan.indexOf("    It 'flow-3: varunagroup.de — hybrid via Outbound to Office 365 - 6fc3a33e-3ca2-4528-8e3c-75e5d4e9db76 (varunagroup)' {");
    expect(start).toBeGreaterThan(0);
    expect(plan.slice(start + 1, plan.indexOf("    }", start) + 1)).toEqual([
      "        $from = $Senders['varunagroup.de']; $server = $SmtpServers['varunagroup.de']; $to = $TenantRecipients['varunagroup.onmicrosoft.com']",
      "        if (-not $from -or -not $server -or -not $to) { Set-ItResult -Skipped -Because 'no test sender, SMTP server or recipient for this flow'; return }",
      "        $subject = Send-TestMessage $from $to $server 'flow-3'",
      "        # Expected: logged by varunagroup.onmicrosoft.com as Originating by inbound connector 'Inbound from 6fc3a33e-3ca2-4528-8e3c-75e5d4e9db76' (certificate name smtpo365.varunagroup.de).",
      "        $outcome = Get-TraceOutcome 'varunagroup.onmicrosoft.com' $from $to $subject",
      "        $outcome | Should -Not -BeNullOrEmpty -Because 'the hybrid message must arrive in its own tenant'",
      "        $outcome.Organization | Should -Be 'varunagroup.onmicrosoft.com'",
      "        $outcome.Direction | Should -Be 'Originating'",
      "    }",
    ]);
  });

  it("asserts an internet flow's Incoming in the recipient's tenant from the gateway's IP, and not Originating in the tenant that takes it today", async () => {
    const plan = renderPester(expectedAttributions((await auditPaths([seed000])).model)).split("\n");
    const start = plan.indexOf("    It 'flow-1: setebos-ag.com — internet to another Exchange Online tenant via Internet (mx01/mx02) (varuna-gateway)' {");
    expect(start).toBeGreaterThan(0);
    expect(plan.slice(start + 1, plan.indexOf("    }", start) + 1)).toEqual([
      "        $from = $Senders['setebos-ag.com']; $server = $SmtpServers['setebos-ag.com']; $to = $OtherTenantRecipient",
      "        if (-not $from -or -not $server -or -not $to -or -not $OtherTenant) { Set-ItResult -Skipped -Because 'no test sender, SMTP server or recipient for this flow'; return }",
      "        $subject = Send-TestMessage $from $to $server 'flow-1'",
      "        # Expected: logged as Incoming by the recipient's tenant only.",
      "        $outcome = Get-TraceOutcome $OtherTenant $from $to $subject",
      "        $outcome | Should -Not -BeNullOrEmpty -Because 'the recipient''s tenant must receive it'",
      "        $outcome.Organization | Should -Be $OtherTenant",
      "        $outcome.Direction | Should -Be 'Incoming'",
      "        $outcome.OriginalClientIP | Should -Be '81.173.212.44'",
      "        Get-TraceOutcome 'varunagroup.onmicrosoft.com' $from $to $subject -Wait 0 | Where-Object Direction -eq 'Originating' |",
      "            Should -BeNullOrEmpty -Because 'varunagroup.onmicrosoft.com must not take it as its own (the wrong tenant)'",
      "        # mailflow-guard predicts this test FAILS today: originating in varunagroup.onmicrosoft.com by 'Inbound from 6fc3a33e-3ca2-4528-8e3c-75e5d4e9db76'.",
      "    }",
    ]);
  });

  it("the plan of every seed parses with the PowerShell grammar", async () => {
    const firstError = (node: SyntaxNode): string | undefined => {
      if (node.type === "ERROR" || node.isMissing) return `line ${node.startPosition.row + 1}: ${node.text.slice(0, 80)}`;
      for (const child of node.children) {
        const found = child ? firstError(child) : undefined;
        if (found) return found;
      }
      return undefined;
    };
    for (const seed of ["seed-000-msp-wildcard", "seed-003-gateway-self-signed", "seed-msxfaq-shared-wildcard", "msp-two-stacks"]) {
      const plan = renderPester(expectedAttributions((await auditPaths([join(__dirname, "fixtures", seed)])).model));
      expect(withPowerShellTree(plan, (root) => (root.hasError ? (firstError(root) ?? "an error") : "parses")), seed).toBe("parses");
    }
  });

  it("draws seed 000: gateway, certificates, connectors, tenant; the gateway's flows in red", async () => {
    const { model } = await auditPaths([seed000]);
    const inbound = "inbound_varunagroup_onmicrosoft_com_Inbound_from_6fc3a33e_3ca2_4528_8e3c_75e5d4e9db76";
    const gatewaySend = "send_varuna_gateway_Internet__mx01_mx02_";
    const gatewayCert = "cert_policy_config_mailflow_inventory_gateways_0__Internet__mx01_mx02_";
    const hybridSend = "send_varunagroup_Outbound_to_Office_365___6fc3a33e_3ca2_4528_8e3c_75e5d4e9db76";
    const hybridCert = "cert_thumbprint_3B1F0C2E9A4D5E6F708192A3B4C5D6E7F8091A2B";
    const red = (i: number) => `  linkStyle ${i} stroke:#d00,stroke-width:3px,color:#d00`;
    expect(renderMermaid(model).split("\n")).toEqual([
      "flowchart LR",
      '  tenant_varunagroup_onmicrosoft_com{{"tenant varunagroup.onmicrosoft.com"}}',
      '  internet(["internet / other tenants"])',
      '  org_setebos_ag(["organisation setebos-ag"])',
      '  org_varuna_gateway(["gateway varuna-gateway"])',
      `  ${gatewaySend}["Internet (mx01/mx02)<br/>(varuna-gateway)"]`,
      `  ${gatewayCert}[/"certificate mx01.varunagroup.de"/]`,
      `  ${inbound}["inbound 'Inbound from 6fc3a33e-3ca2-4528-8e3c-75e5d4e9db76'<br/>TLS *.varunagroup.de"]`,
      '  org_varunagroup(["organisation varunagroup"])',
      `  ${hybridSend}["Outbound to Office 365 - 6fc3a33e-3ca2-4528-8e3c-75e5d4e9db76<br/>(varunagroup)"]`,
      `  ${hybridCert}[/"certificate smtpo365.varunagroup.de"/]`,
      '  send_varunagroup_Internet_via_gateway["Internet via gateway<br/>(varunagroup)"]',
      '  org_setebos_ag -->|"setebos-ag.com"| org_varuna_gateway',
      `  org_varuna_gateway -->|"setebos-ag.com"| ${gatewaySend}`,
      `  ${gatewaySend} -->|"presents"| ${gatewayCert}`,
      `  ${gatewayCert} -->|"name mx01.varunagroup.de"| ${inbound}`,
      `  ${inbound} -->|"WRONG TENANT"| tenant_varunagroup_onmicrosoft_com`,
      `  org_varunagroup -->|"varunagroup.de"| ${hybridSend}`,
      `  ${hybridSend} -->|"presents"| ${hybridCert}`,
      `  ${hybridCert} -->|"name smtpo365.varunagroup.de"| ${inbound}`,
      `  ${inbound} -->|"originating"| tenant_varunagroup_onmicrosoft_com`,
      '  org_varunagroup -->|"varunagroup.de"| send_varunagroup_Internet_via_gateway',
      '  send_varunagroup_Internet_via_gateway -->|"varunagroup.de"| org_varuna_gateway',
      `  org_varuna_gateway -->|"varunagroup.de"| ${gatewaySend}`,
      ...[0, 1, 2, 3, 4, 9, 10, 11].map(red),
    ]);
  });

  it("a clean stack has no red flow", async () => {
    const { model } = await auditPaths([join(__dirname, "fixtures", "msp-two-stacks", "fabrikam.stack.json")]);
    expect(renderMermaid(model)).not.toContain("#d00");
    expect(renderFlows(model, "all")).toContain("## Test plan (Pester)");
  });

  it("parses flows --format and refuses an unknown format", () => {
    expect(parseArgs(["flows", "--format", "mermaid", "x"])).toEqual({ command: "flows", json: false, format: "mermaid", files: {}, paths: ["x"] });
    expect(parseArgs(["flows", "--format", "svg", "x"])).toMatch(/^mailflow-guard: --format must be one of all, matrix, pester, mermaid, json/);
  });
});
