/** Every rule of the pack, in the order policies are listed (most severe first). */
import { ambiguousConnectorGrantsInternalTrust } from "./ambiguous-connector-grants-internal-trust";
import { ambiguousTenantAcrossConnectors } from "./ambiguous-tenant-across-connectors";
import { hybridSendConnectorNotPinned } from "./hybrid-send-connector-not-pinned";
import { hybridWizardWillRevertCertificate } from "./hybrid-wizard-will-revert-certificate";
import { internetIdentityMatchesOnPremisesConnector } from "./internet-identity-matches-onpremises-connector";
import { ipBasedOnPremisesConnectorInternetEgress } from "./ip-based-onpremises-connector-internet-egress";
import { ipBasedOnPremisesConnectorSharedIp } from "./ip-based-onpremises-connector-shared-ip";
import { multiForestCertificatesNotDistinct } from "./multi-forest-certificates-not-distinct";
import { onPremisesCertificateNameNotAcceptedDomain } from "./onpremises-certificate-name-not-accepted-domain";
import { sharedCertificateHybridAndInternet } from "./shared-certificate-hybrid-and-internet";
import { tenantDomainMissingFromHybridPath } from "./tenant-domain-missing-from-hybrid-path";
import type { Rule } from "./utils/define-rule";
import { untrustedCertificateOnHybridPath } from "./untrusted-certificate-on-hybrid-path";
import { wildcardOnPremisesCertificateName } from "./wildcard-onpremises-certificate-name";

export const rules: readonly Rule[] = [
  sharedCertificateHybridAndInternet, // R1
  internetIdentityMatchesOnPremisesConnector, // R2
  wildcardOnPremisesCertificateName, // R3
  onPremisesCertificateNameNotAcceptedDomain, // R4
  ambiguousTenantAcrossConnectors, // R5
  ipBasedOnPremisesConnectorSharedIp, // R6 (a)–(c)
  ipBasedOnPremisesConnectorInternetEgress, // R6 (d)
  untrustedCertificateOnHybridPath, // R7
  hybridSendConnectorNotPinned, // R8
  multiForestCertificatesNotDistinct, // R9
  tenantDomainMissingFromHybridPath, // R10
  ambiguousConnectorGrantsInternalTrust, // R11
  hybridWizardWillRevertCertificate, // R12
];
