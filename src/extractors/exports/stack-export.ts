/**
 * `pulumi stack export` files: every resource of the checkpoint becomes a ResourceInput for the same
 * extractors the pack runs in preview. Secret values stay unknown (their text is never read), so a
 * secret script is reported as unverifiable, never printed.
 */
import { UnknownValue, type ResourceInput } from "../types";

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SKIPPED_TYPES = new Set(["pulumi:pulumi:Stack"]);

export const isStackExport = (v: unknown): v is { deployment: { resources?: unknown[] } } =>
  v !== null && typeof v === "object" && "deployment" in v && typeof (v as { deployment: unknown }).deployment === "object";

/** Secret leaves become unknown values: the audit does not decrypt, and never prints, a secret. */
function withoutSecrets(v: unknown, path: string): unknown {
  if (Array.isArray(v)) return v.map((item, i) => withoutSecrets(item, `${path}[${i}]`));
  if (v === null || typeof v !== "object") return v;
  const record = v as Record<string, unknown>;
  if (record[SECRET_SIG] === "1b47061264138c4ac30d75fd1eb44270") return new UnknownValue(path, "a secret in the stack export (not decrypted by the audit)");
  const out: Record<string, unknown> = {};
  for (const [k, item] of Object.entries(record)) out[k] = withoutSecrets(item, path ? `${path}.${k}` : k);
  return out;
}

const nameOfUrn = (urn: string): string => urn.slice(urn.lastIndexOf("::") + 2);

/** The resources of one stack export, in checkpoint order (the order they were registered). */
export function stackExportResources(exported: { deployment: { resources?: unknown[] } }): ResourceInput[] {
  const resources = Array.isArray(exported.deployment.resources) ? exported.deployment.resources : [];
  const out: ResourceInput[] = [];
  for (const r of resources) {
    if (r === null || typeof r !== "object") continue;
    const { urn, type, inputs, dependencies, propertyDependencies } = r as Record<string, unknown>;
    if (typeof urn !== "string" || typeof type !== "string" || SKIPPED_TYPES.has(type) || type.startsWith("pulumi:providers:")) continue;
    out.push({
      urn,
      name: nameOfUrn(urn),
      type,
      props: (withoutSecrets(inputs ?? {}, "") ?? {}) as Record<string, unknown>,
      dependencies: Array.isArray(dependencies) ? dependencies.filter((d): d is string => typeof d === "string") : [],
      propertyDependencies: propertyDependencies && typeof propertyDependencies === "object" ? (propertyDependencies as Record<string, string[]>) : {},
    });
  }
  return out;
}
