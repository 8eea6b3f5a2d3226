/** R5 — two tenants could claim the same connection: overlapping OnPremises names, or one organisation sharing a certificate across tenants. */
import { effectiveCertificates } from "../engine/certificates";
import { domainSuffixes, indexesOf } from "../engine/indexes";
import { certificateNames, patternsOverlap, wildcardBase } from "../engine/names";
import type { InboundConnector } from "../model/types";
import type { Finding } from "../findings/types";
import { perTenantCertificateFix } from "./utils/remediation";
import { sendConnectorsUsing } from "../engine/reverse";
import { certificateKey, describeInbound, describeSend, fingerprint, hybridTenants, inModelOrder, isKnownOnPremises, isOneOrganization, knownDistinct, provenanceOf, SOURCES } from "./utils/support";
import type { Rule } from "./utils/define-rule";

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
  check({ model, about }) {
    const findings: Finding[] = [];
    // Overlapping patterns share a domain suffix: each pair is found from its more specific side, so
    // a resource's connectors are asked about together with the connectors under their patterns.
    const ix = indexesOf(model);
    const pairs = new Map<string, [InboundConnector, InboundConnector]>();
    const inbound = about
      ? inModelOrder(model, about.inbound.flatMap((a) => [a, ...(a.tlsSenderCertificateName ? (ix.inboundByNameSuffix.get(wildcardBase(a.tlsSenderCertificateName)) ?? []) : [])]))
      : model.inboundConnectors;
    for (const a of inbound) {
      if (!isKnownOnPremises(a) || !a.tlsSenderCertificateName) continue;
      for (const suffix of domainSuffixes(wildcardBase(a.tlsSenderCertificateName))) {
        for (const b of [...(ix.inboundByExactName.get(suffix) ?? []), ...(ix.inboundByWildcardBase.get(suffix) ?? [])]) {
          if (b === a || !knownDistinct(a.tenant, b.tenant) || !isKnownOnPremises(b) || !patternsOverlap(a.tlsSenderCertificateName, b.tlsSenderCertificateName!)) continue;
          const [x, y] = [a, b].sort((p, q) => `${p.tenant}/${p.name}`.localeCompare(`${q.tenant}/${q.name}`)) as [InboundConnector, InboundConnector];
          pairs.set(`${x.tenant}/${x.name}|${y.tenant}/${y.name}`, [x, y]);
        }
      }
    }
    for (const [a, b] of pairs.values()) {
      {
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
    // A resource's Send connectors and certificates are asked about through their organisations.
    const senders = about ? inModelOrder(model, [...about.send, ...about.certificates.flatMap((c) => sendConnectorsUsing(model, c))]) : model.sendConnectors;
    const byOrg = new Map<string, Array<{ s: (typeof model.sendConnectors)[number]; tenant: string }>>();
    for (const org of new Set(senders.map((s) => s.org))) {
      if (!isOneOrganization(model, org)) continue;
      for (const s of ix.sendByOrg.get(org) ?? []) {
        for (const tenant of hybridTenants(model, s)) {
          if (!byOrg.has(s.org)) byOrg.set(s.org, []);
          byOrg.get(s.org)!.push({ s, tenant });
        }
      }
    }
    for (const [org, hybrids] of byOrg) {
      for (let i = 0; i < hybrids.length; i++) {
        for (let j = i + 1; j < hybrids.length; j++) {
          const a = hybrids[i]!;
          const b = hybrids[j]!;
          if (!knownDistinct(a.tenant, b.tenant)) continue;
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
