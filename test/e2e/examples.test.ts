/**
 * The pack inside the real Pulumi engine: `pulumi preview --policy-pack <repo>` on every example and
 * variant, asserting the exact policies, the resources they are reported on, their enforcement level
 * and the verdict (exit code); then `pulumi up --skip-preview` with a stand-in `pwsh`, asserting the
 * offending connector's command never ran.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeExchangeShell, previewWithPack, printedViolations, resourceOf, toolchain, violationsOf, workspace, type RunResult, type Workspace } from "./harness";

beforeAll(() => {
  toolchain();
});

interface Expectation {
  blocked: boolean;
  /** `<level> <policy> -> <resource>`, sorted: every policy event of the run. */
  violations: string[];
  /** Texts the message of a policy must contain. */
  messages?: Record<string, string[]>;
}

const m = (level: "mandatory" | "advisory", policy: string, resource: string) => `${level} ${policy} -> ${resource}`;

/** The run's summary, the last violation the engine prints (a run with findings). */
const SUMMARY = m("advisory", "mailflow-summary", "(stack)");

const EXPECTED: Record<string, Record<string, Expectation>> = {
  "msp-wildcard-journaling": {
    incident: {
      blocked: true,
      violations: [
        SUMMARY,
        m("mandatory", "ambiguous-connector-grants-internal-trust", "varunagroup-exo-inbound"),
        m("mandatory", "internet-identity-matches-onpremises-connector", "varunagroup-exo-inbound"),
        m("mandatory", "wildcard-onpremises-certificate-name", "varunagroup-exo-inbound"),
      ],
      messages: {
        "internet-identity-matches-onpremises-connector": [
          "mail from varunagroup.de, setebos-ag.com sent through mx01.varunagroup.de",
          "is attributed to tenant varunagroup.onmicrosoft.com by that connector",
          "OnPremises inbound connector 'Inbound from 6fc3a33e-3ca2-4528-8e3c-75e5d4e9db76' of tenant varunagroup.onmicrosoft.com trusts *.varunagroup.de",
          "journal",
          // The plan is printed once, on the first finding the engine lists; the others refer to it.
          "Fix: cleared by fix #1 above (finding 2 of 3).",
        ],
        "ambiguous-connector-grants-internal-trust": [
          "Fix #1 (proven: clears this and the 2 findings below, adds no blocking one): Trust exactly smtpo365.varunagroup.de (the hybrid certificate 'edge-hybrid-certificate') and make it an accepted domain.",
          "varunagroup-exo-inbound.create:3, columns 242–259: '*.varunagroup.de' → 'smtpo365.varunagroup.de'",
          "Set-InboundConnector -Identity 'Inbound from 6fc3a33e-3ca2-4528-8e3c-75e5d4e9db76' -TlsSenderCertificateName 'smtpo365.varunagroup.de'",
          "index.ts:91: *.varunagroup.de → smtpo365.varunagroup.de",
        ],
        "wildcard-onpremises-certificate-name": ["FAQ #6(a)", "Fix: cleared by fix #1 above (finding 3 of 3)."],
      },
    },
    fixed: { blocked: false, violations: [] },
  },
  "gateway-self-signed-shared": {
    incident: {
      blocked: true,
      violations: [
        SUMMARY,
        m("mandatory", "internet-identity-matches-onpremises-connector", "contoso-exo-inbound"),
        m("mandatory", "shared-certificate-hybrid-and-internet", "gateway"),
        m("mandatory", "untrusted-certificate-on-hybrid-path", "gateway"),
      ],
      messages: {
        "shared-certificate-hybrid-and-internet": ["'Office 365 Connector'", "'Internet Connector'", "silent discard"],
        "untrusted-certificate-on-hybrid-path": ["self-signed", "5.7.64"],
      },
    },
    fixed: { blocked: false, violations: [] },
  },
  "shared-wildcard-certificate": {
    incident: {
      blocked: true,
      violations: [
        SUMMARY,
        m("mandatory", "ambiguous-connector-grants-internal-trust", "msxfaq-exo-inbound"),
        m("mandatory", "internet-identity-matches-onpremises-connector", "msxfaq-exo-inbound"),
        m("mandatory", "shared-certificate-hybrid-and-internet", "spam-filter"),
        m("mandatory", "wildcard-onpremises-certificate-name", "msxfaq-exo-inbound"),
      ],
      messages: {
        "shared-certificate-hybrid-and-internet": ["'Outbound to Office 365 - 2f1a0c4e'", "'Internet' of msxfaq-spamfilter", "*.msxfaq.de"],
      },
    },
    fixed: { blocked: false, violations: [] },
  },
  "one-org-two-tenants": {
    incident: {
      blocked: true,
      violations: [
        SUMMARY,
        m("advisory", "hybrid-wizard-will-revert-certificate", "fabrikam-exo-inbound"),
        m("mandatory", "ambiguous-connector-grants-internal-trust", "fabrikam-exo-inbound"),
        m("mandatory", "ambiguous-connector-grants-internal-trust", "fabrikam-exo-inbound"),
        m("mandatory", "ambiguous-tenant-across-connectors", "corp-send-connectors"),
        m("mandatory", "ambiguous-tenant-across-connectors", "fabrikam-exo-inbound"),
        m("mandatory", "onpremises-certificate-name-not-accepted-domain", "fabrikam-exo-inbound"),
      ],
      messages: {
        "ambiguous-tenant-across-connectors": ["contoso.onmicrosoft.com", "fabrikam.onmicrosoft.com", "Fix: cleared by fix #1 above"],
        "onpremises-certificate-name-not-accepted-domain": ["hybrid.corp.example is not an accepted domain of fabrikam.onmicrosoft.com"],
      },
    },
    fixed: { blocked: false, violations: [] },
  },
  "dedicated-hybrid": { fixed: { blocked: false, violations: [] } },
  "unknown-until-deploy": {
    incident: {
      blocked: false,
      violations: [
        m("advisory", "mailflow-inventory", "environment-script"),
        m("advisory", "mailflow-inventory", "interpolated-script"),
        // Its tenant declares no accepted domains: whether the connector's name is one cannot be checked.
        m("advisory", "mailflow-inventory", "environment-script"),
      ],
      messages: {
        "mailflow-inventory": ["Could not verify", "unknown during preview", "pulumi up", "declares no accepted domains", "cannot be checked", "Tenant descriptor"],
      },
    },
  },
};

const levelled = (r: RunResult): string[] => r.policyEvents.map((e) => `${e.enforcementLevel} ${e.policyName} -> ${resourceOf(e)}`).sort();

for (const [example, variants] of Object.entries(EXPECTED)) {
  describe(`examples/${example}`, () => {
    let ws: Workspace;
    beforeAll(() => {
      ws = workspace(example);
    });
    afterAll(() => ws?.dispose());

    for (const [variant, expected] of Object.entries(variants)) {
      it(`${variant}: pulumi preview --policy-pack ${expected.blocked ? "blocks" : "passes"} with exactly the expected policies`, () => {
        ws.run(["config", "set", "variant", variant]);
        const r = previewWithPack(ws);
        expect(levelled(r), r.stdout + r.stderr).toEqual([...expected.violations].sort());
        if (expected.violations.includes(SUMMARY)) expect(printedViolations(r.stdout).at(-1)).toMatch(/^advisory mailflow-summary \(pulumi:pulumi:Stack: /);
        if (expected.blocked) {
          expect(r.stdout).toContain("mailflow-guard blocked this deployment: ");
          expect(r.status).not.toBe(0);
          expect(r.stdout).toContain("error: preview failed");
        } else {
          expect(r.status, r.stdout + r.stderr).toBe(0);
        }
        for (const [policy, texts] of Object.entries(expected.messages ?? {})) {
          const messages = r.policyEvents.filter((e) => e.policyName === policy).map((e) => e.message);
          expect(messages.length).toBeGreaterThan(0);
          for (const text of texts) expect(messages.some((msg) => msg.includes(text)), `${policy}: ${text}\n${messages.join("\n---\n")}`).toBe(true);
        }
        // Nothing secret reaches a message.
        for (const e of r.policyEvents) expect(e.message).not.toMatch(/PRIVATE KEY|password/i);
      });
    }
  });
}

describe("pulumi up --skip-preview stops before the offending connector is created", () => {
  let ws: Workspace;
  beforeAll(() => {
    ws = workspace("gateway-self-signed-shared");
  });
  afterAll(() => ws?.dispose());

  it("the Exchange Online inbound connector's command never runs", () => {
    const shell = fakeExchangeShell();
    ws.run(["config", "set", "variant", "incident"]);
    const r = ws.run(["up", "--yes", "--skip-preview", "--policy-pack", `${__dirname}/../..`], { extraPath: shell.dir });
    expect(r.status, r.stdout + r.stderr).not.toBe(0);
    expect(violationsOf(r, "mandatory")).toContain("shared-certificate-hybrid-and-internet -> gateway");
    // The stand-in shell ran the commands registered before the conflict…
    expect(shell.recorded()).toContain("New-OutboundConnector -Name 'To gateway'");
    // …and never the connector that would have made the set-up live.
    expect(shell.recorded()).not.toContain("New-InboundConnector");
    expect(r.completedResources).not.toContain("contoso-exo-inbound");
  });
});

describe("the model the pack builds from a real preview of a stack with every runnable resource kind", () => {
  let ws: Workspace;
  beforeAll(() => {
    ws = workspace("msp-wildcard-journaling");
  });
  afterAll(() => ws?.dispose());

  it("holds tenants, organisations, gateways, certificates and connectors from descriptors and from local and remote PowerShell, with provenance", () => {
    const dump = `${ws.env.TMPDIR ?? "/tmp"}/mailflow-guard-model-${process.pid}.json`;
    ws.run(["config", "set", "variant", "incident"]);
    const r = ws.run(["preview", "--policy-pack", `${__dirname}/../..`], { env: { MAILFLOW_GUARD_DUMP_MODEL: dump } });
    expect(r.status).not.toBe(0);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const model = JSON.parse(require("node:fs").readFileSync(dump, "utf8")) as import("../../src/model/types").MailFlowModel;
    expect(model.tenants.map((t) => [t.id, t.acceptedDomains.map((d) => d.name).sort()])).toEqual([
      ["varunagroup.onmicrosoft.com", ["varunagroup.de", "varunagroup.mail.onmicrosoft.com", "varunagroup.onmicrosoft.com"]],
    ]);
    expect(model.organizations.map((o) => [o.id, o.kind]).sort()).toEqual([["setebos-ag", "exchange"], ["varuna-gateway", "gateway"], ["varunagroup", "exchange"]]);
    expect(model.inboundConnectors).toMatchObject([
      { tenant: "varunagroup.onmicrosoft.com", name: "Inbound from 6fc3a33e-3ca2-4528-8e3c-75e5d4e9db76", connectorType: "OnPremises", tlsSenderCertificateName: "*.varunagroup.de", connectorSource: "HybridWizard", provenance: [{ resourceName: "varunagroup-exo-inbound", property: "create", line: 3 }] },
    ]);
    expect(model.sendConnectors.map((s) => [s.org, s.name, s.addressSpaces]).sort()).toEqual([
      ["setebos-ag", "Internet via provider gateway", ["*"]],
      ["varuna-gateway", "Internet (mx01/mx02)", ["*"]],
      ["varunagroup", "Internet via gateway", ["*"]],
      ["varunagroup", "Outbound to Office 365 - 6fc3a33e-3ca2-4528-8e3c-75e5d4e9db76", ["varunagroup.mail.onmicrosoft.com", "varunagroup.onmicrosoft.com"]],
    ]);
    expect(model.certificates.map((c) => [c.subjectCN, c.trust]).sort()).toEqual([["mx01.varunagroup.de", "public"], ["smtpo365.varunagroup.de", "public"]]);
  });
});
