/**
 * No secret in any output (issue 21): secrets planted in every input channel of the resources a blocked
 * finding is reported on — a command's `environment` (where a secret Output's plaintext arrives), its
 * remote `connection` (password, private key, its passphrase), `triggers`, `stdin`, and a literal
 * password in the script itself — and in a `pulumi stack export` (plaintext and as a secret envelope).
 * None of them may appear in a violation message, the pack's console output, its SARIF, JSON and
 * Markdown reports, its model dump, or the audit's text, JSON, SARIF, Markdown and written state.
 * (Resource options carry URNs, aliases and timeouts only: no channel for a secret.)
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main as auditMain } from "../../src/audit/cli";
import { loadExtractors } from "../../src/extractors";
import { analyzeInProcess, type StackResource } from "../../src/reporters/pulumi/in-process";
import { rules } from "../../src/rules";
import { stackResources } from "./support/rule-tester";
import { connect, gateway, tenant } from "./support/scenarios";
import type { TestResource } from "./support/stack";

const SECRETS = {
  environment: "Env-Secret-Pl4nted-01",
  password: "Conn-Pass-Pl4nted-02",
  privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAAPl4ntedKeyMaterial03\n-----END OPENSSH PRIVATE KEY-----",
  privateKeyPassword: "Key-Pass-Pl4nted-04",
  trigger: "Trigger-Pl4nted-05",
  stdin: "Stdin-Pl4nted-06",
  script: "Script-Literal-Pl4nted-07",
};
/** What must appear nowhere: each secret, and the private key's material on its own. */
const NEEDLES = [...Object.values(SECRETS), "Pl4ntedKeyMaterial03"];

const scratch = mkdtempSync(join(tmpdir(), "mailflow-no-secret-"));
beforeAll(loadExtractors);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const exoScript = [
  connect("contoso.onmicrosoft.com"),
  `$pfx = ConvertTo-SecureString $env:EXO_PFX_PW -AsPlainText -Force`,
  `$other = ConvertTo-SecureString '${SECRETS.script}' -AsPlainText -Force`,
  `New-InboundConnector -Name "Inbound from hcw" -ConnectorType OnPremises -SenderDomains * -CloudServicesMailEnabled $true -TlsSenderCertificateName *.contoso.com`,
].join("\n");

/** The seed wildcard (R2, R3, R11 on exo-inbound) and an on-premises internet connector (over SSH) presenting mx01. */
const STACK: TestResource[] = [
  tenant("contoso.onmicrosoft.com", ["contoso.com"]),
  gateway("gateway", { name: "gw", servers: ["mx01.contoso.com"], connectors: [{ name: "Internet", addressSpaces: ["*"], dnsRouting: true, certificate: { subject: "CN=mx01.contoso.com", trust: "public" } }] }),
  {
    type: "command:local:Command",
    name: "exo-inbound",
    props: { interpreter: ["pwsh", "-NoProfile", "-Command"], create: exoScript, environment: { EXO_PFX_PW: SECRETS.environment }, triggers: [SECRETS.trigger], stdin: SECRETS.stdin },
  },
  {
    type: "command:remote:Command",
    name: "onprem-internet",
    props: {
      connection: { host: "ex01.contoso.com", user: "svc-exchange", password: SECRETS.password, privateKey: SECRETS.privateKey, privateKeyPassword: SECRETS.privateKeyPassword },
      create: `New-SendConnector -Internet -Name "Internet" -AddressSpaces "SMTP:*;1" -Fqdn mx01.contoso.com`,
      environment: { SSH_PASS: SECRETS.password },
    },
  },
];

function leaks(where: string, text: string): string[] {
  return NEEDLES.filter((n) => text.includes(n)).map((n) => `${where}: ${n.slice(0, 24)}`);
}

async function captured<T>(work: () => Promise<T>): Promise<{ result: T; output: string }> {
  const chunks: string[] = [];
  const [log, error, out, err] = [console.log, console.error, process.stdout.write, process.stderr.write];
  console.log = (...a: unknown[]) => void chunks.push(a.map(String).join(" "));
  console.error = console.log;
  process.stdout.write = ((c: unknown) => (chunks.push(String(c)), true)) as typeof process.stdout.write;
  process.stderr.write = process.stdout.write;
  try {
    return { result: await work(), output: chunks.join("\n") };
  } finally {
    [console.log, console.error, process.stdout.write, process.stderr.write] = [log, error, out, err];
  }
}

describe("a planted secret reaches no output", () => {
  it.each(["preview", "update"] as const)("the pack in a %s: messages, console, SARIF, JSON, Markdown, model dump", async (mode) => {
    const dir = mkdtempSync(join(scratch, `${mode}-`));
    const report = { sarif: join(dir, "r.sarif"), json: join(dir, "r.json"), markdown: join(dir, "r.md") };
    const dump = join(dir, "model.json");
    process.env.MAILFLOW_GUARD_DUMP_MODEL = dump;
    const stack: StackResource[] = stackResources(STACK, true);
    const { result: violations, output } = await captured(() => analyzeInProcess(rules, stack, { report }, { mode })).finally(() => delete process.env.MAILFLOW_GUARD_DUMP_MODEL);
    // The run is blocked on the resources that carry the secrets: there is something to leak.
    expect(violations.filter((v) => v.level === "mandatory").map((v) => v.resource)).toContain("exo-inbound");
    const found = [
      ...violations.flatMap((v) => leaks(`${v.policy} on ${v.resource}`, v.message)),
      ...leaks("console", output),
      ...readdirSync(dir).flatMap((f) => leaks(f, readFileSync(join(dir, f), "utf8"))),
    ];
    expect(found).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(["model.json", "r.json", "r.md", "r.sarif"]);
  });

  it("the audit of a stack export: text, JSON, SARIF, Markdown and the state it writes", async () => {
    const dir = mkdtempSync(join(scratch, "audit-"));
    const envelope = (value: string) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", plaintext: JSON.stringify(value) });
    const resources = stackResources(STACK, true).map((r, i) => ({
      urn: r.urn,
      type: r.type,
      custom: true,
      // The first command's secrets as `pulumi stack export --show-secrets` writes them, the second's in envelopes.
      inputs: i === 3 ? { ...r.props, connection: envelope(JSON.stringify(r.props.connection)) } : r.props,
      outputs: { ...r.props, stdout: SECRETS.stdin },
      dependencies: r.dependencies ?? [],
    }));
    const exported = join(dir, "contoso.stack.json");
    writeFileSync(exported, JSON.stringify({ version: 3, deployment: { manifest: { time: "2026-12-07T00:00:00Z", version: "v3.259.0" }, resources } }, null, 2));
    const out = join(dir, "out");
    const files = { json: join(out, "a.json"), sarif: join(out, "a.sarif"), markdown: join(out, "a.md"), state: join(out, "a.state.json") };
    const text = await captured(() => auditMain(["audit", exported, "--sarif", files.sarif, "--markdown", files.markdown, "--write-state", files.state]));
    const json = await captured(() => auditMain(["audit", "--json", exported]));
    expect(text.result).toBe(1);
    expect(text.output).toContain("wildcard-onpremises-certificate-name");
    const found = [...leaks("audit text", text.output), ...leaks("audit --json", json.output), ...readdirSync(out).flatMap((f) => leaks(f, readFileSync(join(out, f), "utf8")))];
    expect(found).toEqual([]);
    expect(readdirSync(out).sort()).toEqual(["a.md", "a.sarif", "a.state.json"]);
  });
});
