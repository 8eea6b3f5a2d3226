/**
 * `mailflow-guard flows`: every flow the model derives (src/engine/flows.ts) — each sending
 * organisation or hosted client × hybrid path / internet path to another Exchange Online tenant /
 * internet path outside Microsoft — with the attribution it should get, as a matrix, as a Pester test
 * plan an administrator runs after a change (the msxfaq seed's advice), and as a Mermaid picture with
 * each wrong-tenant flow in red.
 */
import { presentedIdentities } from "../engine/certificates";
import { deriveFlows, type MailFlow } from "../engine/flows";
import { indexesOf } from "../engine/indexes";
import type { MailFlowModel } from "../model/types";
import { psQuote as ps } from "../sdk/scripts";

/** What one flow should look like in the message trace. */
export interface ExpectedAttribution {
  senderDomain: string;
  path: "hybrid" | "internet to the sender's own tenant" | "internet to another Exchange Online tenant" | "internet outside Microsoft";
  /** For mail to the own tenant outside the hybrid path (R10): the tenant's domain it is addressed to. */
  recipientDomain?: string;
  route: string;
  /** The tenant that should record the message as Originating (hybrid), or none: it must not be any tenant's own. */
  expectedTenant?: string;
  direction: "Originating" | "Incoming (recipient's tenant)" | "not through Exchange Online";
  /** Connector Exchange Online should use, and the certificate name it should match (hybrid paths). */
  connector?: string;
  certificateName?: string;
  /** The IP Exchange Online should see the message come from (the last hop's egress), when the model knows it. */
  sourceIp?: string;
  /** Tenants that must not record the message as Originating: the sender's own (off the hybrid path) and the one the model predicts takes it. */
  mustNotOriginateIn: string[];
  /** What the model says Exchange Online does today. */
  actual: string;
  /** A flow a finding names as wrong (drawn red; its test is predicted to fail). */
  wrongTenant: boolean;
  /** What is wrong with it, as the matrix says: WRONG TENANT, or NOT ON THE HYBRID PATH. */
  problem?: string;
}

const PATHS: Record<MailFlow["destination"], ExpectedAttribution["path"]> = {
  "own-tenant": "hybrid",
  "own-tenant-outside-hybrid": "internet to the sender's own tenant",
  "other-exo-tenant": "internet to another Exchange Online tenant",
  "non-microsoft": "internet outside Microsoft",
};

const routeOf = (f: MailFlow): string => [...f.route.map((c) => `${c.name} (${c.org})`), ...(f.unknownRelays ?? []).map((h) => `smart host ${h} (not described)`)].join(" → ");

/** The egress IP of the route's last hop, as the attribution saw it. */
function sourceIpOf(model: MailFlowModel, f: MailFlow): string | undefined {
  const last = f.route[f.route.length - 1];
  return presentedIdentities(model, f.route[0]!).find((i) => i.connector === last)?.egressIps[0];
}

function mustNotOriginateIn(model: MailFlowModel, f: MailFlow): string[] {
  const own = f.expectedTenant !== undefined ? undefined : indexesOf(model).orgById.get(f.senderOrg)?.tenant;
  const taken = f.misattributed && f.attribution?.verdict === "originating" ? f.attribution.tenant : undefined;
  return [...new Set([own, taken].filter((t): t is string => t !== undefined && t !== f.expectedTenant))];
}

export function expectedAttributions(model: MailFlowModel): ExpectedAttribution[] {
  return deriveFlows(model).map((f) => {
    const a = f.attribution;
    const hybrid = f.destination === "own-tenant";
    const ownTenant = f.expectedTenant !== undefined;
    const sourceIp = f.destination === "non-microsoft" ? undefined : sourceIpOf(model, f);
    return {
      senderDomain: f.senderDomain,
      path: PATHS[f.destination],
      ...(f.recipientDomain ? { recipientDomain: f.recipientDomain } : {}),
      route: routeOf(f),
      ...(f.expectedTenant ? { expectedTenant: f.expectedTenant } : {}),
      direction: ownTenant ? "Originating" : f.destination === "other-exo-tenant" ? "Incoming (recipient's tenant)" : "not through Exchange Online",
      ...(hybrid && a?.connector ? { connector: a.connector.name } : {}),
      ...(hybrid && a?.matchedName ? { certificateName: a.matchedName } : {}),
      ...(sourceIp ? { sourceIp } : {}),
      mustNotOriginateIn: mustNotOriginateIn(model, f),
      actual: a ? `${a.verdict}${a.tenant ? ` in ${a.tenant}` : ""}${a.connector ? ` by '${a.connector.name}'` : ""}` : f.unknownRelays && f.destination !== "non-microsoft" ? "not known: the smart host is not described" : "never reaches Exchange Online",
      wrongTenant: f.misattributed,
      ...(f.misattributed ? { problem: f.destination === "own-tenant-outside-hybrid" ? "NOT ON THE HYBRID PATH" : "WRONG TENANT" } : {}),
    };
  });
}

const cell = (s: string | undefined): string => (s ?? "").replace(/\|/g, "\\|");

/** The matrix as a Markdown table (readable as text). */
export function renderMatrix(rows: readonly ExpectedAttribution[]): string {
  const lines = [
    "| sender | path | route | expected tenant | direction | source IP | connector | certificate name | Exchange Online today |",
    "|---|---|---|---|---|---|---|---|---|",
    ...rows.map((r) =>
      `| ${cell(r.senderDomain)} | ${r.path}${r.recipientDomain ? ` (${cell(r.recipientDomain)})` : ""} | ${cell(r.route)} | ${cell(r.expectedTenant ?? "none (not the sender's)")} | ${r.direction} | ${cell(r.sourceIp)} | ${cell(r.connector)} | ${cell(r.certificateName)} | ${r.problem ? `**${r.problem}**: ` : ""}${cell(r.actual)} |`,
    ),
  ];
  return lines.join("\n");
}

/*
 * Where the plan reads each outcome (Microsoft's documentation):
 * - Get-MessageTraceV2 (https://learn.microsoft.com/powershell/module/exchange/get-messagetracev2) finds
 *   the message: its rows carry Subject, Status, FromIP ("for incoming messages, the public IP address
 *   of the SMTP email server that sent the message", https://learn.microsoft.com/graph/api/resources/exchangemessagetrace)
 *   and MessageTraceId; the trace's Organization is "the fully qualified domain name that processed the
 *   email, e.g. example.onmicrosoft.com" (MessageTrace report,
 *   https://learn.microsoft.com/previous-versions/office/developer/o365-enterprise-developers/jj984335(v=office.15)).
 * - Its rows have no direction or original client IP: the extended message trace report names them
 *   `directionality` and `original_client_ip`; per message they are in the Data of the Receive event of
 *   Get-MessageTraceDetailV2 (https://learn.microsoft.com/powershell/module/exchange/get-messagetracedetailv2),
 *   as Directionality (Originating / Incoming, the values docs/attribution uses) and OriginalClientIP,
 *   read with FromIP and ClientIP as fallbacks.
 */
const PESTER_HELPERS = [
  "    BeforeAll {",
  "        # The tenant whose message trace is read; $Connect signs in to it (once per tenant in a row).",
  "        function Use-Tenant([string]$Tenant) {",
  "            if ($script:ConnectedTenant -eq $Tenant) { return }",
  "            & $Connect $Tenant",
  "            $script:ConnectedTenant = $Tenant",
  "        }",
  "",
  "        function Send-TestMessage([string]$From, [string]$To, [string]$SmtpServer, [string]$Tag) {",
  "            $subject = \"mailflow-guard $Tag $(Get-Date -Format o)\"",
  "            Send-MailMessage -From $From -To $To -Subject $subject -Body $Tag -SmtpServer $SmtpServer -WarningAction SilentlyContinue",
  "            $subject",
  "        }",
  "",
  "        # The message as $Tenant's trace logged it: Organization, Direction, OriginalClientIP, Status; nothing if it did not.",
  "        function Get-TraceOutcome([string]$Tenant, [string]$From, [string]$To, [string]$Subject, [int]$Wait = $WaitSeconds) {",
  "            Use-Tenant $Tenant",
  "            $deadline = (Get-Date).AddSeconds($Wait)",
  "            while ($true) {",
  "                $row = Get-MessageTraceV2 -SenderAddress $From -RecipientAddress $To -StartDate (Get-Date).AddHours(-2) -EndDate (Get-Date) |",
  "                    Where-Object Subject -eq $Subject | Select-Object -First 1",
  "                if ($row -or (Get-Date) -ge $deadline) { break }",
  "                Start-Sleep -Seconds 30",
  "            }",
  "            if (-not $row) { return }",
  "            $receive = Get-MessageTraceDetailV2 -MessageTraceId $row.MessageTraceId -RecipientAddress $To | Where-Object Event -eq 'Receive' | Select-Object -First 1",
  "            $data = @{}",
  "            if ($receive.Data) { foreach ($mep in ([xml]\"<r>$($receive.Data)</r>\").SelectNodes('//MEP')) { $data[$mep.Name] = $mep.String } }",
  "            [pscustomobject]@{",
  "                Organization     = $(if ($row.Organization) { $row.Organization } else { (Get-AcceptedDomain | Where-Object InitialDomain).DomainName })",
  "                Direction        = $data['Directionality']",
  "                OriginalClientIP = $(if ($data['OriginalClientIP']) { $data['OriginalClientIP'] } elseif ($data['ClientIP']) { $data['ClientIP'] } else { $row.FromIP })",
  "                Status           = $row.Status",
  "            }",
  "        }",
  "    }",
];

/** The `It` of one flow: send along its path, then assert what each tenant's trace must (not) show. */
function pesterIt(r: ExpectedAttribution, index: number): string[] {
  const tag = `flow-${index + 1}`;
  const domain = ps(r.senderDomain);
  const hybrid = r.path === "hybrid";
  // Mail to the own tenant outside the hybrid path (R10) must arrive as the hybrid path would deliver it.
  const ownTenant = r.expectedTenant !== undefined;
  const outside = r.path === "internet outside Microsoft";
  const to = hybrid ? `$TenantRecipients[${ps(r.expectedTenant ?? "")}]` : ownTenant ? `$InitialDomainRecipients[${ps(r.expectedTenant ?? "")}]` : outside ? "$InternetRecipient" : "$OtherTenantRecipient";
  const logTenant = ownTenant ? ps(r.expectedTenant ?? "") : "$OtherTenant";
  const out = [
    `    It ${ps(`${tag}: ${r.senderDomain} — ${r.path} via ${r.route}`)} {`,
    `        $from = $Senders[${domain}]; $server = $SmtpServers[${domain}]; $to = ${to}`,
    `        if (-not $from -or -not $server -or -not $to${outside || ownTenant ? "" : " -or -not $OtherTenant"}) { Set-ItResult -Skipped -Because 'no test sender, SMTP server or recipient for this flow'; return }`,
    `        $subject = Send-TestMessage $from $to $server ${ps(tag)}`,
  ];
  if (!outside) {
    const expected = ownTenant
      ? `logged by ${r.expectedTenant} as Originating${r.connector ? ` by inbound connector '${r.connector}'` : ""}${r.certificateName ? ` (certificate name ${r.certificateName})` : ""}${hybrid ? "" : ", as the hybrid path would deliver it"}`
      : "logged as Incoming by the recipient's tenant only";
    out.push(
      `        # Expected: ${expected}.`,
      `        $outcome = Get-TraceOutcome ${logTenant} $from $to $subject`,
      `        $outcome | Should -Not -BeNullOrEmpty -Because ${ps(hybrid ? "the hybrid message must arrive in its own tenant" : ownTenant ? "mail to its own tenant must arrive there" : "the recipient's tenant must receive it")}`,
      `        $outcome.Organization | Should -Be ${logTenant}`,
      `        $outcome.Direction | Should -Be ${ps(ownTenant ? "Originating" : "Incoming")}`,
      ...(r.sourceIp ? [`        $outcome.OriginalClientIP | Should -Be ${ps(r.sourceIp)}`] : []),
    );
  } else if (r.mustNotOriginateIn.length > 0) {
    out.push("        # Expected: it does not pass Exchange Online (check its headers at the recipient).", "        Start-Sleep -Seconds $WaitSeconds");
  } else {
    // Nothing the trace can show: the It says so instead of passing without an assertion.
    out.push("        Set-ItResult -Inconclusive -Because 'no tenant of the model could take it: check its headers at the recipient'");
  }
  for (const tenant of r.mustNotOriginateIn) {
    out.push(
      `        Get-TraceOutcome ${ps(tenant)} $from $to $subject -Wait 0 | Where-Object Direction -eq 'Originating' |`,
      `            Should -BeNullOrEmpty -Because ${ps(`${tenant} must not take it as its own (the wrong tenant)`)}`,
    );
  }
  if (r.wrongTenant) out.push(`        # mailflow-guard predicts this test FAILS today${r.problem && r.problem !== "WRONG TENANT" ? ` (${r.problem})` : ""}: ${r.actual}.`);
  out.push("    }");
  return out;
}

/**
 * A Pester 5 test plan: one `It` per flow. It sends a test message from a mailbox of the sending
 * domain through the route's SMTP server, then reads the message trace of the tenant that must log it
 * (Get-MessageTraceV2, Get-MessageTraceDetailV2) and asserts that flow's expected organisation,
 * direction and source IP — and that no tenant takes as Originating what is not its own.
 */
export function renderPester(rows: readonly ExpectedAttribution[]): string {
  const out = [
    "# Mail-flow test plan generated by `mailflow-guard flows --format pester`. Run after every connector,",
    "# certificate or routing change (and again an hour later: Exchange caches connector settings):",
    "#   Invoke-Pester -Container (New-PesterContainer -Path ./mailflow-test-plan.ps1 -Data @{ Senders = @{ 'contoso.com' = 'test@contoso.com' }; ... })",
    "# Requires: Pester 5, ExchangeOnlineManagement 3.7+ (Get-MessageTraceV2, Get-MessageTraceDetailV2), a sign-in to each tenant named below.",
    "param(",
    "    [hashtable]$Senders = @{},            # sender domain → a test mailbox of that domain",
    "    [hashtable]$SmtpServers = @{},        # sender domain → the on-premises server its mail leaves from",
    "    [hashtable]$TenantRecipients = @{},   # tenant → a cloud mailbox of that tenant (hybrid paths)",
    "    [hashtable]$InitialDomainRecipients = @{}, # tenant → an address at its initial domain (e.g. a group@<tenant>.onmicrosoft.com)",
    "    [string]$OtherTenant,                 # another Exchange Online tenant (its initial domain) you can read the trace of",
    "    [string]$OtherTenantRecipient,        # a mailbox in that tenant",
    "    [string]$InternetRecipient,           # a mailbox outside Microsoft 365",
    "    [scriptblock]$Connect = { param($Tenant) Connect-ExchangeOnline -DelegatedOrganization $Tenant -ShowBanner:$false },",
    "    [int]$WaitSeconds = 600",
    ")",
    "",
    "Describe 'Mail flows derived by mailflow-guard' {",
    ...PESTER_HELPERS,
    "",
    ...rows.flatMap((r, i) => pesterIt(r, i)),
    "}",
  ];
  return out.join("\n");
}

/** The picture is drawn by the reporters (the pack's Markdown summary draws it too). */
export { renderMermaid } from "../reporters/mermaid";
