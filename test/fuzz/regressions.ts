/**
 * One named, minimal reproducer per class of failure the fuzz suite found. `open` names the issue
 * while it is unfixed: the test then asserts the case still fails with its kind (so the entry is
 * removed when the fix lands); without `open` the case must pass every oracle. Stall cases are not
 * run in vitest (no timing in tests): `scripts/fuzz-hostile.ts` and `npm run bench` measure them.
 */
import type { InventoryConfig } from "../../src/config/schema";
import type { StackResource } from "../../src/reporters/pulumi/in-process";
import type { Family, FuzzInput } from "./generators";
import type { FailureKind } from "./oracles";
import { dedicatedStack, TENANT } from "./stacks";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxy = require("@pulumi/policy/proxy") as Record<"unknownStringValue" | "unknownArrayValue", string>;

export interface RegressionCase {
  name: string;
  kind: FailureKind;
  family: Family;
  /** The open issue while the failure still occurs. */
  open?: string;
  input(): FuzzInput;
}

const input = (family: Family, description: string, parts: Partial<FuzzInput> & { resources: StackResource[] }): FuzzInput => ({
  family,
  seed: 0,
  index: 0,
  description,
  config: {},
  secrets: [],
  unknownResources: [],
  configMutated: false,
  ...parts,
});

const withConfig = (description: string, config: unknown): FuzzInput => input("descriptors-config", description, { resources: dedicatedStack(), config: config as InventoryConfig, configMutated: true });

/** The dedicated stack with one prop of one resource replaced. */
function dedicatedWith(resource: string, change: (props: Record<string, unknown>) => void): StackResource[] {
  const stack = dedicatedStack();
  change(stack.find((r) => r.name === resource)!.props);
  return stack;
}

const localScript = (name: string, create: string, interpreter: unknown = ["pwsh", "-NoProfile", "-NonInteractive", "-Command"]): StackResource => ({
  urn: `urn:pulumi:test::mailflow::command:local:Command::${name}`,
  name,
  type: "command:local:Command",
  props: { interpreter, create },
});

export const REGRESSIONS: RegressionCase[] = [
  {
    name: "a configuration list of the wrong type (tenants: false) crashes the pack",
    kind: "crash",
    family: "descriptors-config",
    input: () => withConfig("config tenants = false", { tenants: false }),
  },
  {
    name: "an exemption whose resource pattern is not text crashes the pack",
    kind: "crash",
    family: "descriptors-config",
    input: () => withConfig("config exemptions[0].resource = -1", { exemptions: [{ policy: "*", resource: -1, reason: "x" }] }),
  },
  {
    name: "an invalid configuration value is named by no violation",
    kind: "config-unreported",
    family: "descriptors-config",
    input: () => withConfig("config organizations[0].kind = 7", { organizations: [{ name: "ex01.fabrikam.com", kind: 7 }] }),
  },
  {
    name: "an unknown accepted domain of a tenant descriptor is not reported",
    kind: "silent-unknown",
    family: "unknowns",
    input: () => input("unknowns", "unknown tenant-contoso.acceptedDomains[0]", { resources: dedicatedWith("tenant-contoso", (p) => ((p.acceptedDomains as unknown[])[0] = proxy.unknownStringValue)), unknownResources: ["tenant-contoso"] }),
  },
  {
    name: "an unknown interpreter of a local command is not reported (the script is read as if no interpreter were given)",
    kind: "silent-unknown",
    family: "unknowns",
    input: () => input("unknowns", "unknown exo-inbound.interpreter", { resources: dedicatedWith("exo-inbound", (p) => (p.interpreter = proxy.unknownArrayValue)), unknownResources: ["exo-inbound"] }),
  },
  {
    name: "an unknown gateway name is not reported",
    kind: "silent-unknown",
    family: "unknowns",
    input: () => input("unknowns", "unknown gw.name", { resources: dedicatedWith("gw", (p) => (p.name = proxy.unknownStringValue)), unknownResources: ["gw"] }),
  },
  {
    name: "an unknown organisation name is not reported",
    kind: "silent-unknown",
    family: "unknowns",
    input: () => input("unknowns", "unknown org.name", { resources: dedicatedWith("org", (p) => (p.name = proxy.unknownStringValue)), unknownResources: ["org"] }),
  },
  {
    name: "a certificate password on a line that does not parse is not quoted by the parse-error advisory",
    kind: "leak",
    family: "secrets",
    input: () =>
      input("secrets", "secret parameter on a broken line", {
        resources: dedicatedWith("exo-inbound", (p) => (p.create = `${String(p.create)}\nNew-InboundConnector -Name 'Inbound' -CertificatePassword 'ZqSecretPlantedByFuzz0042' -ConnectorType OnPremises (((`)),
        secrets: ["ZqSecretPlantedByFuzz0042"],
      }),
  },
  {
    name: "a `*a*a*a*a*a*a*a*a*b` exemption backtracks for minutes on a 51-character resource name",
    kind: "stall",
    family: "descriptors-config",
    input: () =>
      input("descriptors-config", "hostile exemption pattern", {
        resources: [localScript("a".repeat(51), `Connect-ExchangeOnline -Organization ${TENANT}\nNew-InboundConnector -Name x -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName '*.contoso.com'`)],
        config: { exemptions: [{ policy: "*", resource: `${"*a".repeat(8)}*b`, reason: "fuzz" }] },
      }),
  },
  {
    name: "a 1 MB script inside a script block takes seconds",
    kind: "stall",
    family: "scripts",
    input: () => input("scripts", "1 MB script in & { }", { resources: [localScript("exo-big", `& { ${`New-InboundConnector -Name x -ConnectorType Partner -SenderDomains contoso.com\n`.repeat(13_000)} }`)] }),
  },
  {
    name: "a remote `powershell -Command` wrapper around a 10,000-element list takes seconds",
    kind: "stall",
    family: "scripts",
    input: () =>
      input("scripts", "powershell -Command wrapper, 10,000-element array", {
        resources: [localScript("exo-list", `powershell -NoProfile -Command "Set-InboundConnector -Identity Inbound -SenderDomains ${Array.from({ length: 10_000 }, (_, i) => `'d${i}.contoso.com'`).join(",")}"`, ["bash", "-c"])],
      }),
  },
];
