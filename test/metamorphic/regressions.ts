/**
 * One named case per failure class the metamorphic runs found: a stack, and the same stack with one
 * script rewritten by the operator (meaning unchanged). Each must get the original's verdict; while
 * the class's operator is in OPERATORS_KNOWN_TO_FAIL, the test asserts the verdicts still differ.
 */
import { connect, tenant } from "../unit/support/scenarios";
import { exo } from "../unit/support/stack";
import { encodeCommand, POSIX_SHELL } from "./sites";
import type { TestStack } from "./sources";

export interface Regression {
  name: string;
  /** The operator whose rewrite the evaluator did not see through. */
  operator: string;
  original: TestStack;
  rewritten: TestStack;
  /** The original's verdict (not empty: a rewrite that loses it is seen). */
  verdict: string[];
}

const contoso = tenant("contoso.onmicrosoft.com", ["contoso.com", "smtpo365.contoso.com"]);
const CONNECT = connect("contoso.onmicrosoft.com");
const WILDCARD = `New-InboundConnector -Name "From on-prem" -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName *.contoso.com`;

/** A wildcard OnPremises connector: blocked by wildcard-onpremises-certificate-name. */
const wildcardStack = (script: string, name: string): TestStack => ({ name, resources: [contoso, exo("exo", script)] });
const WILDCARD_VERDICT = ["wildcard-onpremises-certificate-name on exo (mandatory)"];

function regression(name: string, operator: string, rewrittenScript: string): Regression {
  return { name, operator, original: wildcardStack(`${CONNECT}\n${WILDCARD}`, name), rewritten: wildcardStack(rewrittenScript, name), verdict: WILDCARD_VERDICT };
}

/** Two tenants trusting overlapping names: which tenant each connector is in decides the verdict. */
function twoTenants(name: string, connectContoso: string): TestStack {
  const fabrikam = tenant("fabrikam.onmicrosoft.com", ["fabrikam.com"]);
  const hcw = (tls: string) => `New-InboundConnector -Name "Inbound from 6fc3" -ConnectorType OnPremises -ConnectorSource HybridWizard -SenderDomains 'smtp:*;1' -RequireTls $true -TlsSenderCertificateName '${tls}'`;
  return {
    name,
    resources: [
      tenant("contoso.onmicrosoft.com", ["contoso.com"]),
      fabrikam,
      exo("exo-contoso", `${connectContoso}\n${hcw("*.corp.example")}`),
      exo("exo-fabrikam", `${connect("fabrikam.onmicrosoft.com")}\n${hcw("ex01.corp.example")}`),
    ],
  };
}

export const REGRESSIONS: readonly Regression[] = [
  regression("an enum value in another case (-ConnectorType ONPREMISES) is still OnPremises", "case-enum", `${CONNECT}\n${WILDCARD.replace("OnPremises", "ONPREMISES")}`),
  regression("a script run by Invoke-Command -ScriptBlock (no -ComputerName: locally, in a child scope)", "invoke-command-wrapper", `Invoke-Command -ScriptBlock {\n${CONNECT}\n${WILDCARD}\n}`),
  regression("a script block run with the call operator & { … }", "call-operator-wrapper", `& {\n${CONNECT}\n${WILDCARD}\n}`),
  regression("a script block dot-sourced . { … }", "dot-source-wrapper", `. {\n${CONNECT}\n${WILDCARD}\n}`),
  regression(
    "a function whose parameters receive the certificate name and connector type from its call",
    "function-with-parameters",
    `function Set-Hybrid {\n  param($Type, $Name)\n${CONNECT}\nNew-InboundConnector -Name "From on-prem" -ConnectorType $Type -SenderDomains * -TlsSenderCertificateName $Name\n}\nSet-Hybrid -Type OnPremises -Name *.contoso.com`,
  ),
  {
    name: "Connect-ExchangeOnline qualified with its module (ExchangeOnlineManagement\\Connect-ExchangeOnline) still names the tenant",
    operator: "module-qualification",
    original: twoTenants("module-qualified connect", CONNECT),
    rewritten: twoTenants("module-qualified connect", `ExchangeOnlineManagement\\${CONNECT}`),
    verdict: [
      "ambiguous-tenant-across-connectors on exo-contoso (mandatory)",
      "hybrid-wizard-will-revert-certificate on exo-fabrikam (advisory)",
      "onpremises-certificate-name-not-accepted-domain on exo-contoso (mandatory)",
      "onpremises-certificate-name-not-accepted-domain on exo-fabrikam (mandatory)",
      "wildcard-onpremises-certificate-name on exo-contoso (mandatory)",
    ],
  },
  regression(
    "Connect-ExchangeOnline -Prefix Cloud: the connector is created by New-CloudInboundConnector",
    "connect-prefix",
    `${CONNECT} -Prefix Cloud\n${WILDCARD.replace("New-InboundConnector", "New-CloudInboundConnector")}`,
  ),
  // Issue 23: the grammar made one error region of the function's body; the fail-closed scan walked the tree, so it was blind too.
  regression("a function whose param() shares its line with the body", "param-same-line", `function Set-HybridInline1 { param($mfUnused1) ${CONNECT}\n${WILDCARD}\n}\nSet-HybridInline1`),
  regression("a function whose param() shares its line with a body holding a quoted ';' (an error region around the function's name)", "param-same-line", `function Set-HybridInline1 { param($mfUnused1) ${CONNECT}\nNew-SendConnector -Name x -AddressSpaces "SMTP:*;1"\n${WILDCARD}\n}\nSet-HybridInline1`),
  regression("& { param($c) … } with the body on its line and the argument after the block", "param-same-line", `& { param($c) ${CONNECT}\n${WILDCARD.replace("*.contoso.com", "$c")}\n} '*.contoso.com'`),
  regression(
    "literal parameters moved into a table of tables, walked with GetEnumerator() and read through .Value",
    "table-and-loop",
    `${CONNECT}\n$mfSets1 = @{ 'only' = @{ Name = "From on-prem"; ConnectorType = 'OnPremises'; SenderDomains = '*'; TlsSenderCertificateName = '*.contoso.com' } }\nforeach ($mfSet1 in $mfSets1.GetEnumerator()) { New-InboundConnector -Name $mfSet1.Value.Name -ConnectorType $mfSet1.Value.ConnectorType -SenderDomains $mfSet1.Value.SenderDomains -TlsSenderCertificateName $mfSet1.Value.TlsSenderCertificateName }`,
  ),
  regression("the cmdlet run through CIPP's New-ExoRequest on the script's tenant", "through-cipp-wrapper", `${CONNECT}\nNew-ExoRequest -tenantid 'contoso.onmicrosoft.com' -cmdlet 'New-InboundConnector' -cmdParams @{ Name = "From on-prem"; ConnectorType = 'OnPremises'; SenderDomains = '*'; TlsSenderCertificateName = '*.contoso.com' }`),
];

/** Rewrites the evaluator already sees through, kept so they stay seen through (one per wrapper kind). */
export const HELD: readonly Regression[] = [
  {
    name: "the script as a POSIX pwsh -EncodedCommand line (UTF-16LE base64)",
    operator: "encoded-command",
    original: wildcardStack(`${CONNECT}\n${WILDCARD}`, "encoded"),
    rewritten: { name: "encoded", resources: [contoso, { ...exo("exo", ""), props: { interpreter: POSIX_SHELL, create: `pwsh -NoProfile -NonInteractive -EncodedCommand ${encodeCommand(`${CONNECT}\n${WILDCARD}`)}` } }] },
    verdict: WILDCARD_VERDICT,
  },
  regression("the script wrapped in a function that is then called", "function-wrapper", `function Set-Hybrid {\n${CONNECT}\n${WILDCARD}\n}\nSet-Hybrid`),
  regression(
    "nested functions: the inner one sees what its caller holds (PowerShell scopes are dynamic)",
    "function-with-parameters",
    `function Outer {\n  param($Type)\n  function Inner {\n    param($Name)\n${CONNECT}\nNew-InboundConnector -Name "From on-prem" -ConnectorType $Type -SenderDomains * -TlsSenderCertificateName $Name\n  }\n  Inner -Name *.contoso.com\n}\nOuter -Type OnPremises`,
  ),
  {
    name: "a declared parameter the call does not pass takes its default in the function: it shadows the caller's variable of the same name",
    operator: "function-with-parameters",
    original: wildcardStack(`${CONNECT}\n${WILDCARD}`, "shadowed"),
    rewritten: wildcardStack(`$Name = 'smtpo365.contoso.com'\nfunction Set-Hybrid {\n  param($Name = '*.contoso.com')\n${CONNECT}\nNew-InboundConnector -Name "From on-prem" -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName $Name\n}\nSet-Hybrid`, "shadowed"),
    verdict: WILDCARD_VERDICT,
  },
];
