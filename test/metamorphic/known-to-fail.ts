/**
 * Operators the evaluator does not yet see through (issue 10: Invoke-Command, & { }, . { }, functions
 * with parameters, prefixes, case-insensitive enums are being taught in parallel). The in-`npm test`
 * run leaves them out; a test asserts each still breaks invariance on some case, so this list must
 * shrink as the evaluator learns them, and is empty when that work lands.
 */
export const OPERATORS_KNOWN_TO_FAIL: readonly string[] = [
  "case-enum",
  "invoke-command-wrapper",
  "call-operator-wrapper",
  "dot-source-wrapper",
  "function-with-parameters",
  "module-qualification",
  "connect-prefix",
];
