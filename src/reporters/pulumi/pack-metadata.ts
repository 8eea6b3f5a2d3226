/**
 * The policy pack's own metadata (what `pulumi policy publish` and Pulumi Cloud show): display name,
 * README, tags and repository, as @pulumi/policy 1.21's PolicyPackArgs accepts them. The version is
 * not here: @pulumi/policy reads it from the package.json of the pack directory.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const PACK_NAME = "mailflow-guard";
export const PACK_DESCRIPTION =
  "Blocks Exchange Online hybrid mail-flow deployments that make Exchange Online attribute mail to the wrong tenant.";
export const PACK_TAGS: readonly string[] = ["exchange-online", "exchange-hybrid", "mail-flow", "tenant-attribution", "connectors", "certificates"];

export interface PackMetadata {
  description: string;
  displayName: string;
  tags: string[];
  readme?: string;
  repository?: string;
}

/** A browsable repository URL from package.json's `repository` (string or `{ url }`, `git+…​.git` form). */
export function repositoryUrl(repository: unknown): string | undefined {
  const raw = typeof repository === "string" ? repository : typeof repository === "object" && repository !== null ? (repository as { url?: unknown }).url : undefined;
  if (typeof raw !== "string" || !/^(git\+)?https:\/\//.test(raw)) return undefined;
  return raw.replace(/^git\+/, "").replace(/\.git$/, "");
}

/** The metadata from the package manifest and README text (either may be missing: metadata is optional). */
export function packMetadata(manifest: { repository?: unknown } | undefined, readme: string | undefined): PackMetadata {
  const repository = repositoryUrl(manifest?.repository);
  return {
    description: PACK_DESCRIPTION,
    displayName: "mailflow-guard: Exchange Online mail-flow tenant attribution",
    tags: [...PACK_TAGS],
    ...(readme ? { readme } : {}),
    ...(repository ? { repository } : {}),
  };
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

interface Manifest {
  name?: string;
  version?: string;
  repository?: unknown;
}

function readManifest(root: string): Manifest | undefined {
  try {
    return (JSON.parse(readOptional(join(root, "package.json")) ?? "null") as Manifest | null) ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * The pack root (package.json, README.md): three levels above this file in the sources, four in the
 * compiled dist/ — the one whose package.json names this pack.
 */
export function packRoot(): string {
  const candidates = [join(__dirname, "..", "..", ".."), join(__dirname, "..", "..", "..", "..")];
  return candidates.find((root) => readManifest(root)?.name === PACK_NAME) ?? candidates[0]!;
}

/** The pack's version, from its package.json ("0.0.0" when it cannot be read). */
export function packVersion(root = packRoot()): string {
  const manifest = readManifest(root);
  return manifest?.name === PACK_NAME && manifest.version ? manifest.version : "0.0.0";
}

/** Reads package.json and README.md of the pack root (`root`); never throws. */
export function packMetadataAt(root: string): PackMetadata {
  return packMetadata(readManifest(root), readOptional(join(root, "README.md")));
}
