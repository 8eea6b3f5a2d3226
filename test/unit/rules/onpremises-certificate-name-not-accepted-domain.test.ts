import { beforeAll } from "vitest";
import { loadExtractors } from "../../../src/extractors";
import { RuleTester } from "../support/rule-tester";
import { cases, rule } from "./cases/onpremises-certificate-name-not-accepted-domain.cases";

beforeAll(loadExtractors);

new RuleTester().run(rule, cases);
