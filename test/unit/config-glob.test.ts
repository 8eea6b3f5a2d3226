import { describe, expect, it } from "vitest";
import { isCalendarDate } from "../../src/config/dates";
import { exemptionFor, expiredExemptionNote } from "../../src/config/exemptions";
import { globMatches, type GlobWork } from "../../src/config/glob";

/** Obviously correct (and exponential): `*` takes nothing, or one more character. Case-insensitive. */
function referenceMatches(pattern: string, text: string): boolean {
  const p = pattern.toLowerCase();
  const t = text.toLowerCase();
  const at = (pi: number, ti: number): boolean => {
    if (pi === p.length) return ti === t.length;
    if (p[pi] === "*") return at(pi + 1, ti) || (ti < t.length && at(pi, ti + 1));
    return ti < t.length && p[pi] === t[ti] && at(pi + 1, ti + 1);
  };
  return at(0, 0);
}

/** mulberry32: a small seeded generator, so a failure reproduces. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const randomString = (random: () => number, alphabet: string, maxLength: number): string =>
  Array.from({ length: Math.floor(random() * (maxLength + 1)) }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");

describe("exemption glob matching", () => {
  it.each([
    ["exo-*", "exo-inbound", true],
    ["exo-*", "EXO-Inbound", true],
    ["exo-*", "legacy-exo-inbound", false],
    ["*::legacy-relay", "urn:pulumi:dev::p::command:local:Command::legacy-relay", true],
    ["a.b", "axb", false],
    ["a+b(c)", "A+B(C)", true],
    ["", "", true],
    ["", "x", false],
    ["*", "", true],
    ["**", "anything", true],
    ["a*b*c", "abc", true],
    ["a*b*c", "acb", false],
  ])("%s against %s is %s", (pattern, text, expected) => {
    expect(globMatches(pattern, text)).toBe(expected);
  });

  it("agrees with a recursive reference matcher on 20,000 random small cases", () => {
    const random = seededRandom(20261130);
    const disagreements: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const pattern = randomString(random, "aAb*.", 7);
      const text = randomString(random, "aAbB.", 9);
      if (globMatches(pattern, text) !== referenceMatches(pattern, text)) disagreements.push(`${pattern} / ${text}`);
    }
    expect(disagreements).toEqual([]);
  });

  it("matches the pathological pattern in at most pattern × text steps (a backtracking regexp took 6.8 s)", () => {
    const pattern = "*a*a*a*a*a*a*a*a*b";
    const text = "a".repeat(51);
    const work: GlobWork = { steps: 0 };
    expect(globMatches(pattern, text, work)).toBe(false);
    expect(work.steps).toBeLessThanOrEqual((pattern.length + 1) * (text.length + 1));
  });

  it("grows its work linearly with the text for a fixed pathological pattern", () => {
    const stepsFor = (n: number): number => {
      const work: GlobWork = { steps: 0 };
      globMatches("*a*a*a*a*a*a*a*a*b", "a".repeat(n), work);
      return work.steps;
    };
    // Exponential or polynomial growth would multiply far more than 2× when the text doubles.
    expect(stepsFor(2000) / stepsFor(1000)).toBeLessThan(2.1);
  });

  it("matches a 50,000-character pattern without building a regular expression", () => {
    const pattern = `${"x".repeat(49_999)}*`;
    expect(globMatches(pattern, `${"x".repeat(49_999)}-tail`)).toBe(true);
    expect(globMatches(pattern, "x-tail")).toBe(false);
  });
});

describe("exemption expiry", () => {
  const resources = [{ name: "legacy-inbound", urn: "urn:pulumi:dev::p::command:local:Command::legacy-inbound" }];
  const exemption = (expires: string) => [{ policy: "wildcard-onpremises-certificate-name", resource: "legacy-*", reason: "HCW re-run", expires }];

  it("exempts through the expiry day and says it expired the day after", () => {
    expect(exemptionFor(exemption("2026-11-30"), ["wildcard-onpremises-certificate-name"], resources, "2026-11-30").kind).toBe("exempt");
    expect(exemptionFor(exemption("2026-11-30"), ["wildcard-onpremises-certificate-name"], resources, "2026-12-01").kind).toBe("expired");
  });

  it.each(["", "2026-13-01", "2026-02-30", "31.12.2026", "2999-12-31T00:00:00Z"])("an invalid expiry %j never exempts (it is not 'never expires')", (expires) => {
    expect(exemptionFor(exemption(expires), ["wildcard-onpremises-certificate-name"], resources, "2026-11-30").kind).toBe("none");
  });

  it("names an expired exemption with its configured values cut short", () => {
    const note = expiredExemptionNote({ policy: "*", resource: `legacy-${"x".repeat(5000)}`, reason: "HCW re-run", expires: "2020-01-31" });
    expect(note).toBe(`Exemption expired: "HCW re-run" (legacy-${"x".repeat(53)}… (5007 characters)) ended on 2020-01-31 and no longer applies.`);
  });
});

describe("calendar dates", () => {
  it.each([
    ["2026-12-31", true],
    ["2024-02-29", true],
    ["2000-02-29", true],
    ["1900-02-29", false],
    ["2026-02-29", false],
    ["2026-04-31", false],
    ["2026-00-10", false],
    ["2026-1-01", false],
    ["２０２６-01-01", false],
    ["2026-01-01 ", false],
  ])("%s is a calendar date: %s", (value, expected) => {
    expect(isCalendarDate(value)).toBe(expected);
  });
});
