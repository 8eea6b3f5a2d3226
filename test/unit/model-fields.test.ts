import { describe, expect, it } from "vitest";
import { CMDLETS } from "../../src/extractors/powershell/catalogue";
import { CONNECTOR_FIELDS, elementNormaliser, fieldOfParameter, parameterFields, parseCertificateIdentifier } from "../../src/model/fields";

describe("connector field schema", () => {
  it("names only parameters the New- and Set- cmdlets of its connector kind accept", () => {
    for (const kind of ["inbound", "outbound", "send", "receive"] as const) {
      for (const op of ["new", "set"]) {
        const accepted = CMDLETS[`${op}-${kind}connector`]!.parameters;
        const missing = parameterFields(kind).filter((f) => !accepted.includes(f.parameter)).map((f) => f.parameter);
        expect(missing, `${op}-${kind}connector`).toEqual([]);
      }
    }
  });

  it("leaves out of the script parameters the fields only descriptors and the model set", () => {
    expect(CONNECTOR_FIELDS.send.filter((f) => f.parameter === undefined).map((f) => f.field)).toEqual(["egressIps", "certificateIds"]);
    expect(parameterFields("send").map((f) => f.field)).not.toContain("egressIps");
  });

  it("maps an exported member or parameter to its field case-insensitively", () => {
    expect(fieldOfParameter("SenderIPAddresses")).toBe("senderIpAddresses");
    expect(fieldOfParameter("dnsroutingenabled")).toBe("dnsRoutingEnabled");
    expect(fieldOfParameter("UseMXRecord")).toBe("useMxRecord");
    expect(fieldOfParameter("Comment")).toBeUndefined();
  });

  it("normalises multi-valued elements by their element kind", () => {
    const field = (kind: keyof typeof CONNECTOR_FIELDS, name: string) => CONNECTOR_FIELDS[kind].find((f) => f.field === name)!;
    expect(elementNormaliser(field("send", "addressSpaces"))("SMTP:Contoso.COM;1")).toBe("contoso.com");
    expect(elementNormaliser(field("send", "certificateIds"))("  Hybrid Cert ")).toBe("Hybrid Cert");
    expect(elementNormaliser(field("inbound", "senderIpAddresses"))(" 10.0.0.1 ")).toBe("10.0.0.1");
  });

  it("gives enum fields the values the cmdlet reference spells", () => {
    expect(CONNECTOR_FIELDS.outbound.find((f) => f.field === "tlsSettings")!.values).toEqual(["EncryptionOnly", "CertificateValidation", "DomainValidation"]);
  });

  it("parses <I>issuer<S>subject and refuses other text", () => {
    expect(parseCertificateIdentifier("<I>CN=CA<S>CN=mail.contoso.com")).toEqual({ issuer: "CN=CA", subject: "CN=mail.contoso.com", raw: "<I>CN=CA<S>CN=mail.contoso.com" });
    expect(parseCertificateIdentifier("CN=mail.contoso.com")).toBeUndefined();
  });
});
