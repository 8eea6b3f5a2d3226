import type { ResourceInput } from "../../../src/extractors/types";

export function resourceInput(type: string, props: Record<string, unknown>, name = "r", extra: Partial<ResourceInput> = {}): ResourceInput {
  return { urn: `urn:pulumi:test::mailflow::${type}::${name}`, name, type, props, dependencies: [], propertyDependencies: {}, ...extra };
}
