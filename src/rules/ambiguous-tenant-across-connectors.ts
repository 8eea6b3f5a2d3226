/** R5 — two tenants could claim the same connection: overlapping OnPremises names, or one organisation sharing a certificate across tenants. */
import { effectiveCertificates } from "../engine/certificates";
import { certificateNames, patternsOverlap } from "../engine/names";
import type { Finding } from "../findings/types";
import { perTenantCertificateFix } from "./remediation";
import { certificateKey, describeInbound, describeSend, fingerprint, hybridTenants, isKnownOnPremises, provenanceOf, SOURCES } from "./support";
import type { Rule } from "./types";

export const ambiguousTenantAcrossConnectors: Rule = {
  meta: {
    id: "ambiguous-tenant-across-connectors",
    code: "R5",
    severity: "critical",
    description:
      "No two tenants may accept the same certificate identity: each tenant needs its own client certificate and its own Send connector.",
    remediationSteps:
      "Give every tenant a unique client certificate and a separate Send connector, and set an exact TlsSenderCertificateName in each tenant.",
    sources: [SOURCES.mc1226222, SOURCES.attribution, SOURCES.multiForest],
    crossResource: true,
  },
  check({ model }) {
    const findings: Finding[] = [];
    const onPrem = model.inboundConnectors.filter((ic) => isKnownOnPremises(ic) && ic.tlsSenderCertificateName);
    for (let i = 0; i < onPrem.length; i++) {
      for (let j = i + 1; j < onPrem.length; j++) {
        const a = onPrem[i]!;
        const b = onPrem[j]!;
        if (a.tenant === b.tenant || !patternsOverlap(a.tlsSenderCertificateName!, b.tlsSenderCertificateName!)) continue;
        findings.push({
          ruleId: "ambiguous-tenant-across-connectors",
          severity: "critical",
          what: `${describeInbound(a)} trusts ${a.tlsSenderCertificateName} and ${describeInbound(b)} trusts ${b.tlsSenderCertificateName}: the names overlap.`,
          flow: `a server presenting a name both patterns match is attributed to whichever tenant wins the most-exact match, or to neither; mail of ${a.tenant} can land in ${b.tenant} and the reverse.`,
          consequence: "Mail runs the other tenant's rules and journal, or is refused; Microsoft may change the outcome without notice (MC1226222).",
          fix: perTenantCertificateFix(model, [a.tenant, b.tenant]),
          provenance: provenanceOf(a, b),
          fingerprint: fingerprint("R5", "overlap", ...[`${a.tenant}/${a.name}`, `${b.tenant}/${b.name}`].map((s) => s.toLowerCase()).sort()),
        });
      }
    }
    // One organisation, hybrid connectors to two tenants, certificates sharing an identity or a name.
    const byOrg = new Map<string, Array<{ s: (typeof model.sendConnectors)[number]; tenant: string }>>();
    for (const s of model.sendConnectors) {
      for (const tenant of hybridTenants(model, s)) {
        if (!byOrg.has(s.org)) byOrg.set(s.org, []);
        byOrg.get(s.org)!.push({ s, tenant });
      }
    }
    for (const [org, hybrids] of byOrg) {
      for (let i = 0; i < hybrids.length; i++) {
        for (let j = i + 1; j < hybrids.length; j++) {
          const a = hybrids[i]!;
          const b = hybrids[j]!;
          if (a.tenant === b.tenant) continue;
          const ca = effectiveCertificates(model, a.s).certificates;
          const cb = effectiveCertificates(model, b.s).certificates;
          const keysA = new Set(ca.map(certificateKey));
          const namesA = new Set(ca.flatMap(certificateNames));
          const shared = cb.find((c) => keysA.has(certificateKey(c)) || certificateNames(c).some((n) => namesA.has(n)));
          if (!shared) continue;
          findings.push({
            ruleId: "ambiguous-tenant-across-connectors",
            severity: "critical",
            what: `Organisation ${org} sends to tenant ${a.tenant} through ${describeSend(a.s)} and to tenant ${b.tenant} through ${describeSend(b.s)} with the same certificate identity (${shared.subjectCN ?? shared.label}).`,
            flow: `hybrid mail for ${b.tenant} presents the identity ${a.tenant} also trusts, so Exchange Online's choice of tenant depends on accepted-domain tie-breaking and MAIL FROM fallbacks.`,
            consequence: "Mail for one tenant is attributed to the other: wrong rules, wrong journal, relay denied (MC1226222 requires a unique certificate per tenant).",
            fix: perTenantCertificateFix(model, [a.tenant, b.tenant]),
            provenance: provenanceOf(a.s, b.s, shared),
            fingerprint: fingerprint("R5", "org", org, ...[a.s.name, b.s.name].map((s) => s.toLowerCase()).sort()),
          });
        }
      }
    }
    return findings;
  },
};
