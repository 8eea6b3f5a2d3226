/** R8 — the hybrid Send connector leaves its certificate to best-match selection, or lacks hybrid TLS settings. */
import { organizationById } from "../engine/lookups";
import { defineRule } from "./utils/define-rule";
import type { ModelEdit } from "../model/edits";
import { dedicatedPlans, sendRef, sentence } from "./utils/plans";
import { describeSend, SOURCES, tenantBoundTenants } from "./utils/support";

const VALIDATING = new Set(["certificatevalidation", "domainvalidation"]);

export const hybridSendConnectorNotPinned = defineRule(
  {
    id: "hybrid-send-connector-not-pinned",
    code: "R8",
    severity: "medium",
    description:
      "The hybrid Send connector should pin its certificate (-TlsCertificateName and -Fqdn), enable CloudServicesMailEnabled and validate TLS, so it never presents the internet certificate.",
    remediationSteps: "Set -TlsCertificateName \"<I>issuer<S>subject\" and -Fqdn of the dedicated hybrid certificate, -CloudServicesMailEnabled $true and -TlsAuthLevel DomainValidation.",
    sources: [SOURCES.hybridTls, SOURCES.newSendConnector],
    crossResource: false,
  },
  ({ model, about, report }) => {
    // A finding names only its connector.
    for (const s of about ? about.send : model.sendConnectors) {
      // A relay through the own tenant is tenant-bound too: R8 applies to it as to a hybrid connector (research §6).
      const tenants = tenantBoundTenants(model, s);
      const org = organizationById(model, s.org);
      // Gateway descriptors are not Exchange: these Exchange parameters do not apply to them.
      if (!s.enabled || tenants.length === 0 || org?.kind === "gateway") continue;
      const known = (k: string): boolean => !s.unknown.includes(k);
      const gaps: string[] = [];
      if (!s.tlsCertificateName && known("tlsCertificateName")) gaps.push("no -TlsCertificateName (the certificate is chosen by best match and may be the internet one)");
      if (!s.fqdn && known("fqdn")) gaps.push("no -Fqdn");
      if (s.cloudServicesMailEnabled !== true && known("cloudServicesMailEnabled")) gaps.push("-CloudServicesMailEnabled is not $true");
      if (!VALIDATING.has((s.tlsAuthLevel ?? "").toLowerCase()) && known("tlsAuthLevel"))
        gaps.push(`-TlsAuthLevel is ${s.tlsAuthLevel ?? "not set"} (needs CertificateValidation or DomainValidation)`);
      if (gaps.length === 0) continue;
      // What the rule wants set besides the certificate: hybrid mail enabled, TLS validated.
      const settings: ModelEdit[] = [];
      if (s.cloudServicesMailEnabled !== true && known("cloudServicesMailEnabled")) settings.push({ kind: "set-connector-field", connector: sendRef(s), field: "cloudServicesMailEnabled", value: true });
      if (!VALIDATING.has((s.tlsAuthLevel ?? "").toLowerCase()) && known("tlsAuthLevel")) settings.push({ kind: "set-connector-field", connector: sendRef(s), field: "tlsAuthLevel", value: "DomainValidation" });
      const unpinned = (!s.tlsCertificateName && known("tlsCertificateName")) || (!s.fqdn && known("fqdn"));
      const says = settings.length ? "set -CloudServicesMailEnabled $true and -TlsAuthLevel DomainValidation where they are not" : undefined;
      report({
        at: [s],
        key: [s.org, s.name.toLowerCase()],
        what: `Hybrid ${describeSend(s)} (to ${tenants.join(", ")}): ${gaps.join("; ")}.`,
        consequence: "Exchange may present whichever certificate best matches the server name, feeding shared-certificate and wildcard misattribution; Health Checker flags the same gaps.",
        plans: unpinned
          ? dedicatedPlans(model, tenants[0]!, { hybrids: [s], inbound: [], pin: true, extra: () => ({ edits: settings, ...(says ? { says } : {}) }) })
          : [{ summary: sentence([says!]), edits: settings }],
      });
    }
  },
);
