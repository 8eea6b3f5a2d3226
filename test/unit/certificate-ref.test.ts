import { describe, expect, it } from "vitest";
import { certificateRef, normalizeThumbprint, thumbprintKey, thumbprintOf, thumbprintRef } from "../../src/model/certificate-ref";

const HEX = "0123456789abcdef0123456789abcdef01234567";

describe("certificate references, parsed in one place", () => {
  it("reads the thumbprint of each spelling a script or export uses", () => {
    expect(certificateRef(`thumbprint:${HEX}`)).toEqual({ kind: "thumbprint", thumbprint: HEX.toUpperCase() });
    expect(certificateRef(`EX01\\${HEX}`)).toEqual({ kind: "thumbprint", thumbprint: HEX.toUpperCase() });
    expect(certificateRef("01 23 45 67 89 ab cd ef 01 23 45 67 89 ab cd ef 01 23 45 67")).toEqual({ kind: "thumbprint", thumbprint: HEX.toUpperCase() });
    expect(certificateRef(" hybrid-cert ")).toEqual({ kind: "name", name: "hybrid-cert" });
  });

  it("writes a reference as thumbprint:<HEX> whatever the spelling", () => {
    expect(thumbprintRef(`EX01\\${HEX}`)).toBe(`thumbprint:${HEX.toUpperCase()}`);
    expect(normalizeThumbprint("ab cd")).toBe("ABCD");
    expect(thumbprintOf("hybrid-cert")).toBeUndefined();
  });

  it("looks a name up as the thumbprint it may be (a descriptor may give a short one)", () => {
    expect(thumbprintKey(`thumbprint:${HEX}`)).toBe(`thumbprint:${HEX.toUpperCase()}`);
    expect(thumbprintKey("abc123")).toBe("thumbprint:ABC123");
  });
});
