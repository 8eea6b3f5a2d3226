/** Host names and connector patterns compare in one canonical form: trailing dot, case, IDN. */
import { describe, expect, it } from "vitest";
import { acceptedDomainCheck, certificateNames, nameMatches, patternsOverlap } from "../../src/engine/names";
import { addressSpaceDomain, commonNameOf, normalizeHostName } from "../../src/model/normalize";
import type { Certificate, Tenant } from "../../src/model/types";

const certificate = (subjectCN: string | undefined, sanDns: string[]): Certificate => ({ id: "c", label: "c", ...(subjectCN !== undefined ? { subjectCN } : {}), sanDns, trust: "public", servers: [], services: [], unknown: [], provenance: [] });
const tenant = (names: string[]): Tenant => ({ id: "contoso.onmicrosoft.com", acceptedDomains: names.map((name) => ({ name, matchSubDomains: false })), acceptedDomainsComplete: true, provenance: [] });

describe("normalizeHostName", () => {
  it.each([
    ["mx09.contoso.com.", "mx09.contoso.com"],
    ["*.contoso.com.", "*.contoso.com"],
    ["  MX09.Contoso.COM  ", "mx09.contoso.com"],
    ["bücher.example", "xn--bcher-kva.example"],
    ["*.Bücher.example.", "*.xn--bcher-kva.example"],
    ["XN--BCHER-KVA.example", "xn--bcher-kva.example"],
    // Number-like ASCII names are not rewritten as WHATWG URL hosts would be (0x7f.1 → 127.0.0.1).
    ["0x7f.1", "0x7f.1"],
    ["10.0.0.1", "10.0.0.1"],
    ["[2001:db8::1]", "[2001:db8::1]"],
    // A Unicode name the IDNA conversion rejects stays lower-case.
    ["Ä B.example", "ä b.example"],
  ])("%j → %j", (name, expected) => {
    expect(normalizeHostName(name)).toBe(expected);
  });

  it("commonNameOf normalises the CN it finds", () => {
    expect(commonNameOf("CN=MX09.Contoso.com., O=Contoso")).toBe("mx09.contoso.com");
    expect(commonNameOf("bücher.example.")).toBe("xn--bcher-kva.example");
  });
});

describe("name comparisons see through trailing dots and IDN spellings", () => {
  it.each([
    ["*.contoso.com.", "mx09.contoso.com", true],
    ["*.contoso.com", "mx09.contoso.com.", true],
    ["mx09.contoso.com.", "MX09.contoso.com", true],
    ["*.bücher.example", "mx.xn--bcher-kva.example", true],
    ["*.xn--bcher-kva.example", "mx.bücher.example.", true],
    ["mail.bücher.example", "mail.xn--bcher-kva.example", true],
    ["*.contoso.com.", "mx09.fabrikam.com.", false],
    ["mail.bücher.example", "mail.bucher.example", false],
  ])("nameMatches(%j, %j) = %s", (pattern, name, expected) => {
    expect(nameMatches(pattern, name)).toBe(expected);
  });

  it("patternsOverlap and acceptedDomainCheck normalise both sides", () => {
    expect(patternsOverlap("*.contoso.com.", "mx09.Contoso.com")).toBe(true);
    expect(patternsOverlap("*.bücher.example", "*.mail.xn--bcher-kva.example")).toBe(true);
    expect(acceptedDomainCheck("*.Bücher.example.", tenant(["xn--bcher-kva.example"]))).toMatchObject({ accepted: true, via: "xn--bcher-kva.example" });
    expect(acceptedDomainCheck("mx.contoso.com.", tenant(["mx.contoso.com."]))).toMatchObject({ accepted: true });
    expect(acceptedDomainCheck("mx.contoso.com.", tenant(["contoso.com"]))).toMatchObject({ accepted: false });
  });

  it("certificateNames folds trailing-dot, case and IDN duplicates and drops empty names", () => {
    expect(certificateNames(certificate("MX09.contoso.com.", ["mx09.contoso.com", "bücher.example", "xn--bcher-kva.example.", " "]))).toEqual(["mx09.contoso.com", "xn--bcher-kva.example"]);
    expect(certificateNames(certificate(undefined, ["*.Contoso.com."]))).toEqual(["*.contoso.com"]);
  });
});

describe("odd names never throw", () => {
  const ODD = ["", " ", ".", "*", "*.", "**.x", "*.*.x", "a..b", "..", `${"a".repeat(300)}.example`, `${"ü".repeat(300)}.example`, "bücher.example", "😀.example", "*.😀", "xn--", "xn--zz.example", "\u0000.example", "\u200b.example", "ä b", "-.example", "[::1]", "ü。", " *.Ü。 "];

  it.each(ODD.map((n) => [n]))("%j", (name) => {
    expect(() => normalizeHostName(name)).not.toThrow();
    const normalized = normalizeHostName(name);
    // Idempotent: a normalised name normalises to itself.
    expect(normalizeHostName(normalized)).toBe(normalized);
    for (const other of ["*.example", "a.example", name, "*"]) {
      expect(() => nameMatches(name, other)).not.toThrow();
      expect(() => nameMatches(other, name)).not.toThrow();
      expect(() => patternsOverlap(name, other)).not.toThrow();
    }
    expect(() => certificateNames(certificate(name, [name]))).not.toThrow();
    expect(() => acceptedDomainCheck(name, tenant([name]))).not.toThrow();
  });

  it("what the odd names become", () => {
    expect(["", " ", ".", "..", "*", "*.", "**.x", "a..b", "😀.example", "ü。"].map(normalizeHostName)).toEqual(["", "", "", "", "*", "*", "**.x", "a..b", "xn--e28h.example", "xn--tda"]);
    expect(nameMatches("", "")).toBe(false);
    expect(nameMatches("*.", "x")).toBe(false);
  });
});

describe("address spaces and sender domains", () => {
  it.each([
    ["SMTP:contoso.com;1", "contoso.com"],
    ["smtp:*;1", "*"],
    ["SMTP:*.Contoso.com.;1", "*.contoso.com"],
    ["SMTP:Bücher.example;1", "xn--bcher-kva.example"],
    [" contoso.com. ", "contoso.com"],
  ])("addressSpaceDomain(%j) = %j", (value, expected) => {
    expect(addressSpaceDomain(value)).toBe(expected);
  });
});
