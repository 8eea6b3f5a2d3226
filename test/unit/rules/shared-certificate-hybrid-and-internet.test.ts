import { beforeAll } from "vitest";
import { loadExtractors } from "../../../src/extractors";
import { RuleTester } from "../support/rule-tester";
import { cases, rule } from "./cases/shared-certificate-hybrid-and-internet.cases";

beforeAll(loadExtractors);

new RuleTester().run(rule, cases);
