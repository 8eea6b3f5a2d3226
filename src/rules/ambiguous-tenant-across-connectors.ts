/** R5 — two tenants could claim the same connection: overlapping OnPremises names, or one organisation sharing a certificate across tenants. */
import { effectiveCertificates } from "../engine/certificates";
import { domainSuffixes } from "../engine/indexes";
import { inboundConnectorsNaming, inboundConnectorsUnder, sendConnectorsOf } from "../engine/lookups";
import { certificateNames, patternsOverlap, wildcardBase } from "../engine/names";
import { sendConnectorsUsing } from "../engine/reverse";
import type { InboundConnector } from "../model/types";
import { defineRule } from "./utils/define-rule";
import { dedicatedPlans, exactNamePlans } from "./utils/plans";
import { certificateKey, describeInbound, describeSend, hybridTenants, inModelOrder, isKnownOnPremises, isOneOrganization, knownDistinct, SOURCES } from "./utils/support";

export const ambiguousTenantAcrossConnectors = defineRule(
  {
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
  ({ model, about, report }) => {
    // Overlapping patterns share a domain suffix: each pair is found from its more specific side, so
    // a resource's connectors are asked about together with the connectors under their patterns.
    const pairs = new Map<string, [InboundConnector, InboundConnector]>();
    const inbound = about
      ? inModelOrder(model, about.inbound.flatMap((a) => [a, ...(a.tlsSenderCertificateName ? inboundConnectorsUnder(model, wildcardBase(a.tlsSenderCertificateName)) : [])]))
      : model.inboundConnectors;
    for (const a of inbound) {
      if (!isKnownOnPremises(a) || !a.tlsSenderCertificateName) continue;
      for (const suffix of domainSuffixes(wildcardBase(a.tlsSenderCertificateName))) {
        for (const b of inboundConnectorsNaming(model, suffix)) {
          if (b === a || !knownDistinct(a.tenant, b.tenant) || !isKnownOnPremises(b) || !patternsOverlap(a.tlsSenderCertificateName, b.tlsSenderCertificateName!)) continue;
          const [x, y] = [a, b].sort((p, q) => `${p.tenant}/${p.name}`.localeCompare(`${q.tenant}/${q.name}`)) as [InboundConnector, InboundConnector];
          pairs.set(`${x.tenant}/${x.name}|${y.tenant}/${y.name}`, [x, y]);
        }
      }
    }
    for (const [a, b] of pairs.values()) {
      report({
        at: [a, b],
        key: ["overlap", ...[`${a.tenant}/${a.name}`, `${b.tenant}/${b.name}`].map((s) => s.toLowerCase()).sort()],
        what: `${describeInbound(a)} trusts ${a.tlsSenderCertificateName} and ${describeInbound(b)} trusts ${b.tlsSenderCertificateName}: the names overlap.`,
        flow: `a server presenting a name both patterns match is attributed to whichever tenant wins the most-exact match, or to neither; mail of ${a.tenant} can land in ${b.tenant} and the reverse.`,
        consequence: "Mail runs the other tenant's rules and journal, or is refused; Microsoft may change the outcome without notice (MC1226222).",
        plans: [...exactNamePlans(model, b), ...exactNamePlans(model, a)],
      });
    }
    // One organisation, hybrid connectors to two tenants, certificates sharing an identity or a name.
    // A resource's Send connectors and certificates are asked about through their organisations.
    const senders = about ? inModelOrder(model, [...about.send, ...about.certificates.flatMap((c) => sendConnectorsUsing(model, c))]) : model.sendConnectors;
    const byOrg = new Map<string, Array<{ s: (typeof model.sendConnectors)[number]; tenant: string }>>();
    for (const org of new Set(senders.map((s) => s.org))) {
      if (!isOneOrganization(model, org)) continue;
      for (const s of sendConnectorsOf(model, org)) {
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
          report({
            at: [a.s, b.s, shared],
            key: ["org", org, ...[a.s.name, b.s.name].map((s) => s.toLowerCase()).sort()],
            what: `Organisation ${org} sends to tenant ${a.tenant} through ${describeSend(a.s)} and to tenant ${b.tenant} through ${describeSend(b.s)} with the same certificate identity (${shared.subjectCN ?? shared.label}).`,
            flow: `hybrid mail for ${b.tenant} presents the identity ${a.tenant} also trusts, so Exchange Online's choice of tenant depends on accepted-domain tie-breaking and MAIL FROM fallbacks.`,
            consequence: "Mail for one tenant is attributed to the other: wrong rules, wrong journal, relay denied (MC1226222 requires a unique certificate per tenant).",
            plans: [...dedicatedPlans(model, b.tenant, { hybrids: [b.s], avoid: shared }), ...dedicatedPlans(model, a.tenant, { hybrids: [a.s], avoid: shared })],
          });
        }
      }
    }
  },
);
