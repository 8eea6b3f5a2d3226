/** The copy the policy server makes for each call, as src/reporters/pulumi/in-process.ts makes it. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { unknownCheckingProxy } = require("@pulumi/policy/proxy") as { unknownCheckingProxy<T>(v: T): T };

export const copyForPolicyCall = (props: Record<string, unknown>): Record<string, unknown> => unknownCheckingProxy(structuredClone(props));
