/** The stacks the metamorphic tests rewrite: every case, valid and invalid, of every rule table. */
import type { InventoryConfig } from "../../src/config/schema";
import type { InvalidCase, ValidCase } from "../unit/support/rule-tester";
import type { TestResource } from "../unit/support/stack";
import * as r01 from "../unit/rules/cases/ambiguous-connector-grants-internal-trust.cases";
import * as r02 from "../unit/rules/cases/ambiguous-tenant-across-connectors.cases";
import * as r03 from "../unit/rules/cases/hybrid-send-connector-not-pinned.cases";
import * as r04 from "../unit/rules/cases/hybrid-wizard-will-revert-certificate.cases";
import * as r05 from "../unit/rules/cases/internet-identity-matches-onpremises-connector.cases";
import * as r06 from "../unit/rules/cases/ip-based-onpremises-connector-internet-egress.cases";
import * as r07 from "../unit/rules/cases/ip-based-onpremises-connector-shared-ip.cases";
import * as r08 from "../unit/rules/cases/multi-forest-certificates-not-distinct.cases";
import * as r09 from "../unit/rules/cases/onpremises-certificate-name-not-accepted-domain.cases";
import * as r10 from "../unit/rules/cases/shared-certificate-hybrid-and-internet.cases";
import * as r11 from "../unit/rules/cases/tenant-domain-missing-from-hybrid-path.cases";
import * as r12 from "../unit/rules/cases/untrusted-certificate-on-hybrid-path.cases";
import * as r13 from "../unit/rules/cases/wildcard-onpremises-certificate-name.cases";

export interface TestStack {
  /** `<rule-id>: <case name>`, or `example <dir> (<variant>)`. */
  name: string;
  resources: TestResource[];
  config?: InventoryConfig;
}

const TABLES: ReadonlyArray<{ rule: { meta: { id: string } }; cases: { valid: ValidCase[]; invalid: InvalidCase[] } }> = [r01, r02, r03, r04, r05, r06, r07, r08, r09, r10, r11, r12, r13];

export function ruleTableStacks(): TestStack[] {
  return TABLES.flatMap(({ rule, cases }) =>
    [...cases.valid, ...cases.invalid].map((c) => ({ name: `${rule.meta.id}: ${c.name}`, resources: c.resources, ...(c.config ? { config: c.config } : {}) })),
  );
}
