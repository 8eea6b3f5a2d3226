/** Valid and invalid tables for R6 (d), R7, R9, R10, R11 and R12. */
import { beforeAll } from "vitest";
import { loadExtractors } from "../../../src/extractors";
import { RuleTester } from "../support/rule-tester";
import * as ipBasedOnpremisesConnectorInternetEgress from "./cases/ip-based-onpremises-connector-internet-egress.cases";
import * as untrustedCertificateOnHybridPath from "./cases/untrusted-certificate-on-hybrid-path.cases";
import * as multiForestCertificatesNotDistinct from "./cases/multi-forest-certificates-not-distinct.cases";
import * as tenantDomainMissingFromHybridPath from "./cases/tenant-domain-missing-from-hybrid-path.cases";
import * as ambiguousConnectorGrantsInternalTrust from "./cases/ambiguous-connector-grants-internal-trust.cases";
import * as hybridWizardWillRevertCertificate from "./cases/hybrid-wizard-will-revert-certificate.cases";

beforeAll(loadExtractors);

const tester = new RuleTester();
tester.run(ipBasedOnpremisesConnectorInternetEgress.rule, ipBasedOnpremisesConnectorInternetEgress.cases);
tester.run(untrustedCertificateOnHybridPath.rule, untrustedCertificateOnHybridPath.cases);
tester.run(multiForestCertificatesNotDistinct.rule, multiForestCertificatesNotDistinct.cases);
tester.run(tenantDomainMissingFromHybridPath.rule, tenantDomainMissingFromHybridPath.cases);
tester.run(ambiguousConnectorGrantsInternalTrust.rule, ambiguousConnectorGrantsInternalTrust.cases);
tester.run(hybridWizardWillRevertCertificate.rule, hybridWizardWillRevertCertificate.cases);
