/**
 * How scripts and descriptors refer to a certificate, parsed in one place: `thumbprint:<hex>`, an
 * Exchange identity `EX01\<hex>`, a bare 40-digit thumbprint, or else an id / label / resource name.
 */
export type CertificateRef = { kind: "thumbprint"; thumbprint: string } | { kind: "name"; name: string };

const SHA1_HEX = /^[0-9a-f]{40}$/i;

/** A thumbprint as Exchange prints it: upper-case hex, without spaces or a `Server\` identity prefix. */
export const normalizeThumbprint = (raw: string): string => raw.replace(/^.*\\/, "").replace(/\s+/g, "").toUpperCase();

export function certificateRef(raw: string): CertificateRef {
  const trimmed = raw.trim();
  if (/^thumbprint:/i.test(trimmed)) return { kind: "thumbprint", thumbprint: normalizeThumbprint(trimmed.slice("thumbprint:".length)) };
  const tail = normalizeThumbprint(trimmed);
  if (SHA1_HEX.test(tail) && (trimmed.includes("\\") || SHA1_HEX.test(trimmed.replace(/\s+/g, "")))) return { kind: "thumbprint", thumbprint: tail };
  return { kind: "name", name: trimmed };
}

/** The reference a script's thumbprint (or `Server\thumbprint` identity) stands for. */
export const thumbprintRef = (thumbprint: string): string => `thumbprint:${normalizeThumbprint(thumbprint)}`;

/** The upper-case thumbprint a reference names, if it names one. */
export function thumbprintOf(ref: string): string | undefined {
  const parsed = certificateRef(ref);
  return parsed.kind === "thumbprint" ? parsed.thumbprint : undefined;
}

/** The thumbprint a reference is looked up as: the one it names, else the name itself (a descriptor may give a bare, short thumbprint). */
export function thumbprintLookup(ref: string): string {
  const parsed = certificateRef(ref);
  return parsed.kind === "thumbprint" ? parsed.thumbprint : normalizeThumbprint(parsed.name);
}

/** The key a reference is looked up under among certificates' thumbprints (`thumbprint:<HEX>`). */
export const thumbprintKey = (ref: string): string => thumbprintRef(thumbprintLookup(ref));
