/**
 * The audit: exported configuration (any mix of formats, any number of tenants and stacks) → one
 * model → the pack's rules, checked on the whole picture as the stack-level policies check a stack.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { configFacts } from "../extractors/config-facts";
import type { InventoryConfig } from "../config/schema";
import { extractResource, linkResources, loadExtractors } from "../extractors";
import { readExport, type ExportProblem, type ExportScope } from "../extractors/exports";
import { looksLikeDomain } from "../extractors/exports/fields";
import type { ResourceInput } from "../extractors/types";
import type { Fact } from "../model/facts";
import { SEVERITY_ORDER, type Finding } from "../findings/types";
import { buildModel } from "../model/build";
import type { MailFlowModel, Unverifiable } from "../model/types";
import { rules as allRules } from "../rules";
import { checkRule, defaultEnforcement, type Rule } from "../rules/utils/define-rule";

/** One input file: its path as given (relative to where the audit runs), its text, the tenant its folder names. */
export interface AuditInput {
  path: string;
  text: string;
  scope: ExportScope;
}

export interface AuditResult {
  findings: Finding[];
  unverifiable: Unverifiable[];
  problems: ExportProblem[];
  /** A critical or high finding: the audit fails. */
  blocking: boolean;
  model: MailFlowModel;
  files: number;
}

const READABLE = /\.(json|ps1)$/i;

/** The tenant a file's folder names (`exports/contoso.onmicrosoft.com/inbound.json`), if a folder is named like a domain. */
export function scopeOfPath(path: string): ExportScope {
  const folder = basename(dirname(path));
  return looksLikeDomain(folder) ? { tenant: folder.toLowerCase() } : {};
}

/** Every readable file under the paths, in a stable order; a path that does not exist is a problem. */
export function collectFiles(paths: readonly string[], problems: ExportProblem[]): string[] {
  const files: string[] = [];
  const walk = (path: string, given: boolean): void => {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      problems.push({ file: path, place: "the path", problem: "does not exist or cannot be read" });
      return;
    }
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path).sort()) walk(join(path, entry), false);
    } else if (given || READABLE.test(path)) files.push(path);
  };
  for (const p of paths) walk(p, true);
  return files;
}

/** Reads the files of `paths` (files or folders) as audit inputs. */
export function readInputs(paths: readonly string[], problems: ExportProblem[] = []): AuditInput[] {
  return collectFiles(paths, problems).flatMap((file) => {
    const path = relative(process.cwd(), file) || file;
    try {
      return [{ path, text: readFileSync(file, "utf8"), scope: scopeOfPath(file) }];
    } catch (e) {
      problems.push({ file: path, place: "the whole file", problem: `cannot be read: ${e instanceof Error ? e.message : String(e)}` });
      return [];
    }
  });
}

/** Configurations found among the inputs, one after the other: their lists joined, the first default kept. */
export function mergeConfigs(configs: readonly InventoryConfig[]): InventoryConfig {
  const merged: InventoryConfig = {};
  for (const c of configs) {
    for (const key of ["tenants", "organizations", "gateways", "certificates", "inboundConnectors", "sharedEgressIps", "exemptions"] as const) {
      const list = c[key];
      if (Array.isArray(list)) (merged as Record<string, unknown[]>)[key] = [...((merged[key] as unknown[] | undefined) ?? []), ...list];
    }
    if (c.defaultTenant && !merged.defaultTenant) merged.defaultTenant = c.defaultTenant;
    if (c.defaultOrganization && !merged.defaultOrganization) merged.defaultOrganization = c.defaultOrganization;
  }
  return merged;
}

const stackOf = (urn: string): string => /^urn:pulumi:([^:]+)::/.exec(urn)?.[1] ?? "";

/** Facts of stack-export resources: each through the pack's extractors, links within its own stack. */
export function stackFacts(resources: readonly ResourceInput[]): Fact[] {
  const byStack = new Map<string, ResourceInput[]>();
  for (const r of resources) byStack.set(stackOf(r.urn), [...(byStack.get(stackOf(r.urn)) ?? []), r]);
  return [...byStack.values()].flatMap((stack) => [...stack.flatMap(extractResource), ...linkResources(stack)]);
}

const bySeverity = (a: Finding, b: Finding): number => SEVERITY_ORDER.indexOf(b.severity) - SEVERITY_ORDER.indexOf(a.severity) || a.ruleId.localeCompare(b.ruleId);

/** Every rule's findings on the whole model, each problem once. */
export function checkAll(model: MailFlowModel, rules: readonly Rule[] = allRules): Finding[] {
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const rule of rules) {
    for (const f of checkRule(rule, { model, partial: false })) {
      if (seen.has(f.fingerprint)) continue;
      seen.add(f.fingerprint);
      findings.push(f);
    }
  }
  return findings.sort(bySeverity);
}

/** Audits inputs already read. Call `loadExtractors()` first (the PowerShell grammar). */
export function auditInputs(inputs: readonly AuditInput[], problems: ExportProblem[] = []): AuditResult {
  const facts: Fact[] = [];
  const resources: ResourceInput[] = [];
  const configs: InventoryConfig[] = [];
  for (const input of inputs) {
    const read = readExport(input.path, input.text, input.scope);
    facts.push(...read.facts);
    resources.push(...read.resources);
    if (read.config) configs.push(read.config);
    problems.push(...read.problems);
  }
  const config = mergeConfigs(configs);
  const all = [...configFacts(config), ...facts, ...stackFacts(resources)];
  const model = buildModel(all, {
    ...(config.defaultTenant ? { defaultTenant: config.defaultTenant } : {}),
    ...(config.defaultOrganization ? { defaultOrganization: config.defaultOrganization } : {}),
    inferDefaults: true,
  });
  const findings = checkAll(model);
  return {
    findings,
    unverifiable: model.unverifiable,
    problems,
    blocking: findings.some((f) => defaultEnforcement(f.severity) === "mandatory"),
    model,
    files: inputs.length,
  };
}

/** Reads and audits files and folders. */
export async function auditPaths(paths: readonly string[]): Promise<AuditResult> {
  await loadExtractors();
  const problems: ExportProblem[] = [];
  const inputs = readInputs(paths, problems);
  return auditInputs(inputs, problems);
}
