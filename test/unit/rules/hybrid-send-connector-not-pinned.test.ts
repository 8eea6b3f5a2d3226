import { beforeAll } from "vitest";
import { loadExtractors } from "../../../src/extractors";
import { RuleTester } from "../support/rule-tester";
import { cases, rule } from "./cases/hybrid-send-connector-not-pinned.cases";

beforeAll(loadExtractors);

new RuleTester().run(rule, cases);
