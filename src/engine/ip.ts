/** IPv4 addresses and CIDR ranges as connectors use them (SenderIPAddresses: single IPv4 or CIDR /24–/32). */

function parseIpv4(s: string): number | undefined {
  const parts = s.split(".");
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

/** `198.51.100.0/24` → [first, last]; a single address is its own range; anything else undefined. */
export function parseRange(s: string): [number, number] | undefined {
  const [ip, bits] = s.trim().split("/");
  const base = parseIpv4(ip ?? "");
  if (base === undefined) return undefined;
  if (bits === undefined) return [base, base];
  const b = Number(bits);
  if (!/^\d{1,2}$/.test(bits) || b > 32) return undefined;
  const size = 2 ** (32 - b);
  const first = Math.floor(base / size) * size;
  return [first, first + size - 1];
}

export function rangesOverlap(a: string, b: string): boolean {
  const x = parseRange(a);
  const y = parseRange(b);
  return x !== undefined && y !== undefined && x[0] <= y[1] && y[0] <= x[1];
}
