/**
 * The extractor registry: one extractor per resource kind. Adding a resource type means adding one
 * extractor here. Extraction never throws: a failing extractor becomes an `unverifiable` fact.
 */
import { CERTIFICATE_TYPES, certificateExtractor, extractCertificates, holdsCertificateText } from "./certificates";
import { commandExtractor } from "./command";
import { descriptorExtractor } from "./descriptors";
import { loadPowerShellGrammar } from "./powershell/grammar";
import type { Extractor, ResourceInput } from "./types";
import type { Fact } from "../model/facts";
import { provenanceOf } from "./types";

export const extractors: readonly Extractor[] = [commandExtractor, certificateExtractor, descriptorExtractor];

/** Loads what extractors need before the first resource (the PowerShell grammar). */
export function loadExtractors(): Promise<void> {
  return loadPowerShellGrammar();
}

export function extractResource(resource: ResourceInput): Fact[] {
  const facts: Fact[] = [];
  for (const extractor of extractors) {
    if (!extractor.appliesTo(resource.type)) continue;
    try {
      facts.push(...extractor.extract(resource));
    } catch (e) {
      facts.push({
        kind: "unverifiable",
        item: {
          subject: `resource '${resource.name}'`,
          property: "(all)",
          reason: `the ${extractor.name} extractor failed: ${e instanceof Error ? e.message : String(e)}`,
          provenance: provenanceOf(resource),
        },
      });
    }
  }
  return facts;
}

const typesRead = new Map<string, boolean>();
/** Whether some extractor reads this type beyond the PEM scan every resource gets (cached: asked on every policy call). */
function readsType(type: string): boolean {
  let reads = typesRead.get(type);
  if (reads === undefined) {
    reads = certificateTypes.has(type) || extractors.some((e) => e !== certificateExtractor && e.appliesTo(type));
    typesRead.set(type, reads);
  }
  return reads;
}

/**
 * Whether a resource states nothing the pack reads, whatever else its props say (a bystander: a
 * storage bucket, a network): no extractor reads its type, and no text in its props holds a PEM
 * certificate (the one thing read from every resource). Its facts are none, so it is neither
 * snapshotted nor extracted. `props` as the policy received them (raw, not snapshotted).
 */
export function isBystander(type: string, props: unknown): boolean {
  return !readsType(type) && !holdsCertificateText(props);
}

/**
 * Facts that need more than one resource: certificates completed by the resource they are issued
 * from (a LocallySignedCert and its CertRequest), and Pulumi's own links (a command that depends on a
 * certificate resource presents that certificate when its Send connector names none).
 */
export function linkResources(resources: readonly ResourceInput[], factsOf: (r: ResourceInput) => readonly Fact[] = extractResource): Fact[] {
  try {
    return [...extractCertificates(resources), ...dependencyLinks(resources, factsOf)];
  } catch {
    return [];
  }
}

const certificateTypes = new Set<string>(Object.values(CERTIFICATE_TYPES));

/** `factsOf`: a resource's facts, as extracted already (a command is not read twice). */
function dependencyLinks(resources: readonly ResourceInput[], factsOf: (r: ResourceInput) => readonly Fact[]): Fact[] {
  const certificateUrns = new Set(resources.filter((r) => certificateTypes.has(r.type)).map((r) => r.urn));
  const facts: Fact[] = [];
  for (const r of resources) {
    if (!commandExtractor.appliesTo(r.type)) continue;
    const certs = r.dependencies.filter((d) => certificateUrns.has(d));
    if (certs.length === 0) continue;
    for (const f of factsOf(r)) {
      if (f.kind !== "send-connector" || f.op === "remove" || f.fields.tlsCertificateName) continue;
      facts.push({ ...f, op: "set", fields: { certificateIds: { add: certs, remove: [] } }, unknown: [] });
    }
  }
  return facts;
}
