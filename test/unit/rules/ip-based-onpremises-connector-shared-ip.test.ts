import { beforeAll } from "vitest";
import { loadExtractors } from "../../../src/extractors";
import { RuleTester } from "../support/rule-tester";
import { cases, rule } from "./cases/ip-based-onpremises-connector-shared-ip.cases";

beforeAll(loadExtractors);

new RuleTester().run(rule, cases);
