/**
 * Organisations inferred from what the stack already says (issue 10): the HCW's OrganizationGuid in
 * connector names, and the forest domain in server FQDNs — and R9 firing on them, stating the
 * inference, without false positives for one forest's several servers.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { organisationsDistinct, hcwOrganizationGuid, serverDomainOf } from "../../src/engine/organisations";
import { loadExtractors } from "../../src/extractors";
import type { Fact } from "../../src/model/facts";
import { buildModel } from "../../src/model/build";
import { UNNAMED_ORG, type Provenance } from "../../src/model/types";
import { multiForestCertificatesNotDistinct } from "../../src/rules/multi-forest-certificates-not-distinct";
import { RuleTester } from "./support/rule-tester";
import { inbound, organization, publicCert, tenant } from "./support/scenarios";
import { onPrem } from "./support/stack";

beforeAll(loadExtractors);

const G1 = "6fc3a33e-3ca2-4528-8e3c-75e5d4e9db76";
const G2 = "9ab1c2d3-4e5f-4a6b-8c7d-0e1f2a3b4c5d";

describe("hcwOrganizationGuid", () => {
  it.each([
    [`Outbound to Office 365 - ${G1}`, G1],
    [`Inbound from ${G1.toUpperCase()}`, G1],
    [`Outbound to ${G2}`, G2],
    ["Outbound to Office 365 - 6fc3a33e", undefined],
    ["Outbound to Office 365", undefined],
    [`Internet ${G1}`, undefined],
  ])("%s → %s", (name, guid) => {
    expect(hcwOrganizationGuid(name)).toBe(guid);
  });
});

describe("serverDomainOf", () => {
  it.each([
    ["ex01.corp.contoso.com", "corp.contoso.com"],
    ["EX01.fabrikam.local", "fabrikam.local"],
    ["ex01.contoso.com", "contoso.com"],
    ["ex01.local", undefined],
    ["ex01", undefined],
    ["10.0.0.5", undefined],
  ])("%s → %s", (host, domain) => {
    expect(serverDomainOf(host)).toBe(domain);
  });
});

describe("organisationsDistinct", () => {
  const at = (urn: string): Provenance => ({ urn, resourceName: urn, resourceType: "t" });
  const send = (org: string | undefined, name: string): Fact => ({ kind: "send-connector", op: "new", ...(org ? { org } : {}), identity: name, fields: { addressSpaces: ["contoso.mail.onmicrosoft.com"] }, unknown: [], provenance: at(`${org}/${name}`) });
  const verdict = (facts: Fact[]) => {
    const m = buildModel(facts);
    return organisationsDistinct(m, m.sendConnectors[0]!, m.sendConnectors[1]!);
  };

  it.each([
    ["servers in unrelated domains", [send("ex01.corp.contoso.com", "Hybrid"), send("ex01.fabrikam.local", "Hybrid")], { distinct: true, inferred: "inferred from the server domains corp.contoso.com and fabrikam.local (no Organization descriptor claims these servers)" }],
    ["two servers of one domain", [send("ex01.contoso.com", "Hybrid"), send("ex02.contoso.com", "Hybrid")], { distinct: false }],
    ["a child domain (possibly one forest)", [send("ex01.contoso.com", "Hybrid"), send("ex02.corp.contoso.com", "Hybrid")], { distinct: false }],
    ["two HCW OrganizationGuids, even on one domain's servers", [send("ex01.contoso.com", `Outbound to Office 365 - ${G1}`), send("ex02.contoso.com", `Outbound to Office 365 - ${G2}`)], { distinct: true, inferred: `inferred from the HCW connector names 'Outbound to Office 365 - ${G1}' and 'Outbound to Office 365 - ${G2}' (two on-premises OrganizationGuids)` }],
    ["two HCW OrganizationGuids in scripts that name no organisation", [send(undefined, `Outbound to Office 365 - ${G1}`), send(undefined, `Outbound to Office 365 - ${G2}`)], { distinct: true, inferred: `inferred from the HCW connector names 'Outbound to Office 365 - ${G1}' and 'Outbound to Office 365 - ${G2}' (two on-premises OrganizationGuids)` }],
    ["one OrganizationGuid on servers of unrelated domains", [send("ex01.contoso.com", `Outbound to Office 365 - ${G1}`), send("ex01.fabrikam.local", `Outbound to Office 365 - ${G1}`)], { distinct: false }],
    ["a GUID connector beside a non-GUID connector of one domain", [send("ex01.contoso.com", `Outbound to Office 365 - ${G1}`), send("ex02.contoso.com", "Outbound to Office 365")], { distinct: false }],
    ["hosts without a domain", [send("ex01", "Hybrid"), send("ex02", "Hybrid")], { distinct: false }],
    ["scripts that name no organisation, no GUIDs", [send(undefined, "Hybrid A"), send(undefined, "Hybrid B")], { distinct: false }],
  ])("%s", (_name, facts, expected) => {
    expect(verdict(facts)).toEqual(expected);
  });

  it("a descriptor claiming both servers overrides the inference", () => {
    const descriptor: Fact = { kind: "organization", organization: { id: "contoso", servers: ["ex01.corp.contoso.com", "ex01.fabrikam.local"] }, provenance: at("org") };
    const m = buildModel([descriptor, send("ex01.corp.contoso.com", "Hybrid"), send("ex01.fabrikam.local", "Hybrid 2")]);
    expect(m.sendConnectors.map((s) => s.org)).toEqual(["contoso", "contoso"]);
    expect(organisationsDistinct(m, m.sendConnectors[0]!, m.sendConnectors[1]!)).toEqual({ distinct: false });
  });

  it("placeholder organisations carry no server domain", () => {
    const m = buildModel([send(undefined, "Hybrid"), send("ex01.fabrikam.local", "Hybrid")], { inferDefaults: false });
    expect(m.sendConnectors[0]!.org).toBe(UNNAMED_ORG);
    expect(organisationsDistinct(m, m.sendConnectors[0]!, m.sendConnectors[1]!)).toEqual({ distinct: false });
  });
});

const tester = new RuleTester();
const contoso = tenant("contoso.onmicrosoft.com", ["contoso.com", "smtpo365.contoso.com"]);
const cert = publicCert("hybrid-cert", "hybrid.contoso.com");
/** An HCW-style hybrid Send connector pinned to the shared certificate. */
const hybrid = (resource: string, host: string, name: string) =>
  onPrem(
    resource,
    host,
    `New-SendConnector -Name "${name}" -AddressSpaces "smtp:contoso.mail.onmicrosoft.com;1" -CloudServicesMailEnabled $true -RequireTLS $true -Fqdn hybrid.contoso.com -TlsCertificateName "<I>CN=GeoTrust TLS RSA CA G1, O=DigiCert Inc, C=US<S>CN=hybrid.contoso.com"`,
  );

tester.run(multiForestCertificatesNotDistinct, {
  valid: [
    { name: "one forest, two servers (ex01/ex02.contoso.com), one certificate", resources: [contoso, cert, hybrid("send-1", "ex01.contoso.com", "Outbound to Office 365"), hybrid("send-2", "ex02.contoso.com", "Outbound to Office 365 (2)")] },
    { name: "a GUID connector and a non-GUID connector in one forest are not two organisations", resources: [contoso, cert, hybrid("send-1", "ex01.contoso.com", `Outbound to Office 365 - ${G1}`), hybrid("send-2", "ex02.contoso.com", "Outbound to Office 365")] },
    { name: "one OrganizationGuid on servers of two domains is one organisation", resources: [contoso, cert, hybrid("send-1", "ex01.corp.contoso.com", `Outbound to Office 365 - ${G1}`), hybrid("send-2", "ex01.fabrikam.local", `Outbound to Office 365 - ${G1}`)] },
    {
      name: "an Organization descriptor claiming both servers overrides their domains",
      resources: [contoso, organization("org", { name: "contoso", servers: ["ex01.corp.contoso.com", "ex01.fabrikam.local"] }), cert, hybrid("send-1", "ex01.corp.contoso.com", "Outbound to Office 365"), hybrid("send-2", "ex01.fabrikam.local", "Outbound to Office 365 (2)")],
    },
  ],
  // An inferred organisation waits for the whole stack: a later Organization descriptor could claim both servers.
  invalid: [
    {
      name: "two HCW OrganizationGuids pinned to one certificate identity, on servers of one domain",
      resources: [contoso, cert, hybrid("send-1", "ex01.contoso.com", `Outbound to Office 365 - ${G1}`), hybrid("send-2", "ex02.contoso.com", `Outbound to Office 365 - ${G2}`)],
      errors: [{ resource: "send-2", includes: [`inferred from the HCW connector names 'Outbound to Office 365 - ${G1}' and 'Outbound to Office 365 - ${G2}' (two on-premises OrganizationGuids).`, "hybrid.contoso.com", "contoso.onmicrosoft.com"] }],
    },
    {
      name: "two HCW OrganizationGuids, with the tenant's HCW inbound connectors named in the inference",
      resources: [
        contoso,
        cert,
        inbound("exo-1", "contoso.onmicrosoft.com", `-Name "Inbound from ${G1}" -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName hybrid.contoso.com`),
        inbound("exo-2", "contoso.onmicrosoft.com", `-Name "Inbound from ${G2}" -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName hybrid.contoso.com`),
        inbound("exo-3", "contoso.onmicrosoft.com", `-Name "Inbound from partner" -ConnectorType Partner -SenderDomains partner.example`),
        hybrid("send-1", "ex01.contoso.com", `Outbound to Office 365 - ${G1}`),
        hybrid("send-2", "ex02.contoso.com", `Outbound to Office 365 - ${G2}`),
      ],
      errors: [{ resource: "send-2", includes: [`(two on-premises OrganizationGuids; in contoso.onmicrosoft.com: 'Inbound from ${G1}', 'Inbound from ${G2}')`] }],
    },
    {
      name: "servers of two forests (corp.contoso.com, fabrikam.local) pinned to one certificate identity",
      resources: [contoso, cert, hybrid("send-1", "ex01.corp.contoso.com", "Outbound to Office 365"), hybrid("send-2", "ex01.fabrikam.local", "Outbound to Office 365")],
      errors: [{ resource: "send-2", includes: ["inferred from the server domains corp.contoso.com and fabrikam.local", "connector 'Outbound to Office 365' of ex01.corp.contoso.com", "connector 'Outbound to Office 365' of ex01.fabrikam.local"] }],
    },
  ],
});
