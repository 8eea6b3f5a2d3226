import { describe, expect, it } from "vitest";
import { exemptionFor, todayUtc } from "../../src/config/exemptions";
import { UnknownValue } from "../../src/extractors/types";
import { snapshotProps } from "../../src/runner/snapshot";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxy = require("@pulumi/policy/proxy") as { unknownCheckingProxy<T>(v: T): T; unknownStringValue: string; unknownArrayValue: string };

describe("snapshotProps", () => {
  it("replaces unknown leaves with UnknownValue instead of throwing, keeping known values", () => {
    const props = proxy.unknownCheckingProxy({
      create: proxy.unknownStringValue,
      environment: { EXO_ORG: "contoso.onmicrosoft.com", EXO_TOKEN: proxy.unknownStringValue },
      interpreter: ["pwsh", "-Command"],
      triggers: proxy.unknownArrayValue,
    });
    expect(() => (props as { create: string }).create.length).toThrow();
    const snap = snapshotProps(props);
    expect(snap.create).toEqual(new UnknownValue("create"));
    expect((snap.environment as Record<string, unknown>).EXO_ORG).toBe("contoso.onmicrosoft.com");
    expect((snap.environment as Record<string, unknown>).EXO_TOKEN).toEqual(new UnknownValue("environment.EXO_TOKEN"));
    expect(snap.interpreter).toEqual(["pwsh", "-Command"]);
    expect(snap.triggers).toBeInstanceOf(UnknownValue);
  });

  it("returns an empty object for non-object input", () => {
    expect(snapshotProps(undefined)).toEqual({});
    expect(snapshotProps(proxy.unknownStringValue)).toEqual({});
  });
});

describe("exemptions", () => {
  const exemptions = [
    { policy: "wildcard-onpremises-certificate-name", resource: "exo-*", reason: "HCW re-run scheduled", expires: "2026-12-31" },
    { policy: "*", resource: "urn:pulumi:*::legacy-relay", reason: "decommissioning", expires: "2026-01-31" },
  ];
  it.each([
    ["matching name within expiry exempts", "wildcard-onpremises-certificate-name", { name: "exo-inbound", urn: "urn:x::exo-inbound" }, "2026-11-22", "exempt"],
    ["the expiry day itself still exempts", "wildcard-onpremises-certificate-name", { name: "exo-inbound", urn: "urn:x::exo-inbound" }, "2026-12-31", "exempt"],
    ["another policy is not exempted", "shared-certificate-hybrid-and-internet", { name: "exo-inbound", urn: "urn:x::exo-inbound" }, "2026-11-22", "none"],
    ["expired exemption says so", "shared-certificate-hybrid-and-internet", { name: "legacy-relay", urn: "urn:pulumi:dev::p::command:local:Command::legacy-relay" }, "2026-11-22", "expired"],
    ["no match", "wildcard-onpremises-certificate-name", { name: "hybrid", urn: "urn:x::hybrid" }, "2026-11-22", "none"],
  ] as const)("%s", (_name, policy, resource, today, kind) => {
    expect(exemptionFor(exemptions, [policy], [resource], today).kind).toBe(kind);
  });
  it("todayUtc formats as YYYY-MM-DD", () => {
    expect(todayUtc(new Date("2026-11-22T23:59:59Z"))).toBe("2026-11-22");
  });
});
