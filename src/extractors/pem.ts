/** Reads PEM certificates and certificate requests with @peculiar/x509. Never touches private keys. */
import { createHash } from "node:crypto";
import type * as X509 from "@peculiar/x509";
import { normalizeHostName } from "../model/normalize";
import type { Certificate } from "../model/types";

type Read = Omit<Certificate, "id" | "label" | "provenance">;

/**
 * The library, loaded on the first PEM (a quarter of a second at start-up otherwise, paid by every
 * preview, most of which hold no PEM at all).
 */
let library: typeof X509 | undefined;
function x509(): typeof X509 {
  if (!library) {
    require("reflect-metadata");
    library = require("@peculiar/x509") as typeof X509;
  }
  return library;
}

function dnsNames(ext: X509.SubjectAlternativeNameExtension | null): string[] {
  return ext ? ext.names.items.filter((n) => n.type === "dns").map((n) => normalizeHostName(n.value)) : [];
}

const cnOf = (name: X509.Name): string | undefined => {
  const cn = name.getField("CN")[0];
  return cn === undefined ? undefined : normalizeHostName(cn);
};

export function readPemCertificates(pem: string): { kind: "ok"; certificates: Read[] } | { kind: "error"; reason: string } {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) return { kind: "error", reason: "not a readable X.509 certificate (no PEM block)" };
  try {
    const certificates = blocks.map((block): Read => {
      const cert = new (x509().X509Certificate)(block);
      const cn = cnOf(cert.subjectName);
      // Self-signed here means issued by itself (subject = issuer); the signature is not verified.
      const selfIssued = cert.subject === cert.issuer;
      return {
        ...(cn ? { subjectCN: cn } : {}),
        subjectDN: cert.subject,
        sanDns: dnsNames(cert.getExtension(x509().SubjectAlternativeNameExtension)),
        issuerDN: cert.issuer,
        trust: selfIssued ? "self-signed" : "unknown",
        thumbprint: createHash("sha1").update(Buffer.from(cert.rawData)).digest("hex").toUpperCase(),
        notBefore: cert.notBefore.toISOString(),
        notAfter: cert.notAfter.toISOString(),
        servers: [],
        services: [],
        unknown: [],
      };
    });
    return { kind: "ok", certificates };
  } catch (e) {
    return { kind: "error", reason: `not a readable X.509 certificate (${e instanceof Error ? e.message : "parse error"})` };
  }
}

export function readPemCertificateRequest(pem: string): { subjectCN?: string; subjectDN: string; sanDns: string[] } | undefined {
  try {
    const lib = x509();
    const csr = new lib.Pkcs10CertificateRequest(pem);
    const cn = cnOf(csr.subjectName);
    const san = csr.extensions.find((e): e is X509.SubjectAlternativeNameExtension => e instanceof lib.SubjectAlternativeNameExtension) ?? null;
    return { ...(cn ? { subjectCN: cn } : {}), subjectDN: csr.subject, sanDns: dnsNames(san) };
  } catch {
    return undefined;
  }
}
