/** The official SARIF 2.1.0 schema (vendored, see test/fixtures/sarif/SOURCE.md), compiled with ajv 8. */
import Ajv, { type ValidateFunction } from "ajv";
import { readFileSync } from "node:fs";
import { join } from "node:path";

let compiled: ValidateFunction | undefined;

export function sarifValidator(): ValidateFunction {
  if (compiled) return compiled;
  const schema = JSON.parse(readFileSync(join(__dirname, "..", "..", "fixtures", "sarif", "sarif-2.1.0-rtm.5.json"), "utf8")) as Record<string, unknown>;
  // A draft-04 schema: ajv 8 has no draft-04 meta-schema; its keywords mean the same in draft 7.
  delete schema.$schema;
  delete schema.id;
  // unicodeRegExp off: the official schema's `language` pattern is not a valid regular expression in unicode mode.
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    unicodeRegExp: false,
    formats: { "date-time": (s: string) => !Number.isNaN(Date.parse(s)), uri: (s: string) => URL.canParse(s), "uri-reference": () => true },
  });
  return (compiled = ajv.compile(schema));
}
