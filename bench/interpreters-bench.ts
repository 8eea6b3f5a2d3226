/**
 * `npx tsx bench/interpreters-bench.ts`: finding the PowerShell in a remote `powershell -Command "…"`
 * of 1,000 to 64,000 lines (issue 10: 4,000 lines took 12.9 s when each continuation line re-read the
 * text before it). Prints the time and the characters the lexer visited per script character; the
 * unit tests hold the visit count, not the time, so this is for people.
 */
import { posixCharsVisited, powerShellOfRemote } from "../src/extractors/powershell/interpreters";

const LINE = "New-InboundConnector -Name 'X' -ConnectorType OnPremises -TlsSenderCertificateName mail.contoso.com";

for (const lines of [1_000, 2_000, 4_000, 16_000, 64_000]) {
  const script = `powershell -NoProfile -Command "\n${Array.from({ length: lines }, () => LINE).join("\n")}\n"`;
  const visitedBefore = posixCharsVisited();
  const start = performance.now();
  const reading = powerShellOfRemote(script);
  const ms = performance.now() - start;
  const perChar = (posixCharsVisited() - visitedBefore) / script.length;
  console.log(`${String(lines).padStart(6)} lines  ${(script.length / 1e6).toFixed(2)} MB  ${ms.toFixed(0).padStart(5)} ms  ${perChar.toFixed(2)} visits/char  ${reading.texts.length} text`);
}
