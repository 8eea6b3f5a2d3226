/** R9 — two on-premises organisations send hybrid mail to one tenant with certificates that do not differ. */
import { effectiveCertificates } from "../engine/certificates";
import { organisationsDistinct } from "../engine/organisations";
import { hybridConnectorsTo, sendConnectorsUsing } from "../engine/reverse";
import { commonNameOf, normalizeDn } from "../model/normalize";
import type { Certificate, MailFlowModel, SendConnector } from "../model/types";
import { defineRule } from "./utils/define-rule";
import { dedicatedPlans } from "./utils/plans";
import { describeSend, hybridTenants, SOURCES } from "./utils/support";

/**
 * What a connector presents, as identities to compare: each certificate the stack describes (its CN and
 * issuer), the `"<I>issuer<S>subject"` it pins, and a certificate it names by reference (a thumbprint).
 * Identities decide; a certificate declaration only adds names (issue 23).
 */
interface Presented {
  key: string;
  /** How a finding names it. */
  name: string;
  certificate?: Certificate;
}

function presentedBy(model: MailFlowModel, s: SendConnector): Presented[] {
  const out: Presented[] = [];
  const certificates = effectiveCertificates(model, s).certificates;
  for (const c of certificates) {
    out.push({ key: `id:${c.id}`, name: c.subjectCN ?? c.label, certificate: c });
    if (c.subjectCN) out.push({ key: `cn:${c.subjectCN.toLowerCase()}|${normalizeDn(c.issuerDN ?? "")}`, name: c.subjectCN, certificate: c });
  }
  const pinned = s.tlsCertificateName;
  const cn = pinned ? commonNameOf(pinned.subject) : undefined;
  if (pinned && cn) out.push({ key: `cn:${cn.toLowerCase()}|${normalizeDn(pinned.issuer)}`, name: cn });
  for (const id of s.certificateIds) if (!certificates.some((c) => c.id === id)) out.push({ key: `id:${id}`, name: id.replace(/^thumbprint:/, "thumbprint ") });
  return out;
}

export const multiForestCertificatesNotDistinct = defineRule(
  {
    id: "multi-forest-certificates-not-distinct",
    code: "R9",
    severity: "high",
    description:
      "Each on-premises forest in a hybrid with one tenant needs its own certificate, differing in CN (preferred) or issuer.",
    remediationSteps: "Issue one CA certificate per forest with a distinct CN and create one OnPremises inbound connector per forest with that exact name.",
    sources: [SOURCES.multiForest],
    crossResource: true,
  },
  ({ model, partial, about, report }) => {
    const byTenant = new Map<string, Array<{ s: SendConnector; presented: Presented[] }>>();
    const enter = (tenant: string, s: SendConnector) => {
      if (!byTenant.has(tenant)) byTenant.set(tenant, []);
      byTenant.get(tenant)!.push({ s, presented: presentedBy(model, s) });
    };
    if (about) {
      // A resource's Send connectors and certificates are asked about through the tenants their hybrid paths reach.
      const senders = [...about.send, ...about.certificates.flatMap((c) => sendConnectorsUsing(model, c))];
      for (const tenant of new Set(senders.flatMap((s) => hybridTenants(model, s)))) for (const s of hybridConnectorsTo(model, tenant)) enter(tenant, s);
    } else {
      for (const s of model.sendConnectors) for (const t of hybridTenants(model, s)) enter(t, s);
    }
    for (const [tenant, entries] of byTenant) {
      for (let i = 0; i < entries.length; i++) {
        for (let j = i + 1; j < entries.length; j++) {
          const a = entries[i]!;
          const b = entries[j]!;
          const shared = a.presented.find((pa) => b.presented.some((pb) => pb.key === pa.key));
          if (!shared) continue;
          const forests = organisationsDistinct(model, a.s, b.s, tenant);
          // An inference a later Organization descriptor could reverse waits for the whole stack.
          if (!forests.distinct || (partial && forests.inferred)) continue;
          report({
            at: [a.s, b.s, shared.certificate],
            key: [tenant, ...[`${a.s.org}/${a.s.name}`, `${b.s.org}/${b.s.name}`].map((x) => x.toLowerCase()).sort()],
            what:
              `${describeSend(a.s)} and ${describeSend(b.s)} both send hybrid mail to ${tenant} with certificates of the same CN and issuer (${shared.name})` +
              `${forests.inferred ? `; they are two on-premises organisations, ${forests.inferred}` : ""}.`,
            flow: `Exchange Online cannot tell the two forests apart: both match the same inbound connector of ${tenant}.`,
            consequence: "Mail of one forest is handled with the other forest's connector settings; Microsoft's multi-forest requirement is not met.",
            // The second forest gets its own certificate and its own OnPremises connector trusting exactly that name (Microsoft's multi-forest set-up).
            plans: dedicatedPlans(model, tenant, {
              hybrids: [b.s],
              inbound: [],
              ...(shared.certificate ? { avoid: shared.certificate } : {}),
              extra: (name) => ({
                edits: [{ kind: "add-inbound-connector", tenant, name: `Inbound from ${b.s.org}`, tlsSenderCertificateName: name }],
                says: `add an OnPremises connector 'Inbound from ${b.s.org}' in ${tenant} that trusts exactly ${name}`,
              }),
            }),
          });
        }
      }
    }
  },
);
