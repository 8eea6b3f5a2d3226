/**
 * The audit: exported configuration (any mix of formats, any number of tenants and stacks) → one
 * model → the pack's rules, checked on the whole picture as the stack-level policies check a stack.
 */
import { configFacts } from "../extractors/config-facts";
import type { InventoryConfig } from "../config/schema";
import { extractResource, linkResources, loadExtractors } from "../extractors";
import { readExport, type ExportCoverage, type ExportProblem } from "../extractors/exports";
import type { ResourceInput } from "../extractors/types";
import type { Fact } from "../model/facts";
import { SEVERITY_ORDER, type Finding } from "../findings/types";
import { buildModel } from "../model/build";
import type { MailFlowModel, Provenance, Unverifiable } from "../model/types";
import { rules as allRules } from "../rules";
import { checkRule, type Rule } from "../rules/utils/define-rule";
import { todayUtc } from "../config/exemptions";
import type { ExemptionConfig } from "../config/schema";
import { modelFixes } from "../reporters/fix/model-fixes";
import type { FixText } from "../reporters/fix/render";
import { coverageOf, type Coverage } from "./coverage";
import { readInputs, type AuditInput, type InputFile } from "./inputs";
import { AuditLocations } from "./locations";
import { judge, ruleLevels, type Baseline, type BaselineFinding, type Judged, type JudgeOptions, type PolicyConfigInput } from "./policy";

export { collectFiles, readInputs, scopeOfPath, type AuditInput, type InputFile } from "./inputs";

export interface AuditResult {
  /** Every finding of every rule not disabled, in severity order (waived ones too). */
  findings: Finding[];
  /** What the configuration and options make of each finding (same order): level, waiver, baseline state, whether it fails. */
  judged: Judged[];
  /** Configured exemptions that matched no finding (a misspelt one exempts nothing: it is named). */
  unusedExemptions: ExemptionConfig[];
  /** Each finding's proven fix as it is shown (by fingerprint). */
  fixes: ReadonlyMap<string, FixText>;
  unverifiable: Unverifiable[];
  problems: ExportProblem[];
  /** An open finding fails the audit: a mandatory rule's (critical and high by default), or at the --fail-on severity. */
  blocking: boolean;
  model: MailFlowModel;
  files: number;
  /** Every file under the given paths: read (with its encoding and format), skipped or unreadable, and why. */
  inputs: InputFile[];
  /** What was read per tenant and organisation, and what was expected and not read. */
  coverage: Coverage;
  /** The configuration the audit ran with (every configuration among the inputs, then --config). */
  config: InventoryConfig;
  /** The baseline compared with, and its findings that went away. */
  baseline?: { file: string; resolved: BaselineFinding[] };
  failOn?: JudgeOptions["failOn"];
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

export interface AuditOptions {
  /** The files the inputs came from (read or skipped): each read one gains what it was read as. */
  files?: InputFile[];
  /** The configuration given with --config: the same JSON as --policy-pack-config, applied after any found among the inputs. */
  config?: AuditInput;
  /** The day exemptions are judged on (`YYYY-MM-DD`, UTC); today by default. */
  today?: string;
  /** The previous run's JSON report (read by `baselineOf`): only findings it does not hold fail. */
  baseline?: Baseline;
  failOn?: JudgeOptions["failOn"];
  rules?: readonly Rule[];
}

/** Audits inputs already read. Call `loadExtractors()` first (the PowerShell grammar). */
export function auditInputs(inputs: readonly AuditInput[], problems: ExportProblem[] = [], options: AuditOptions = {}): AuditResult {
  const facts: Fact[] = [];
  const resources: ResourceInput[] = [];
  const configs: InventoryConfig[] = [];
  const policyConfigs: PolicyConfigInput[] = [];
  const covers: ExportCoverage[] = [];
  const locations = new AuditLocations();
  const read = (input: AuditInput, asConfig: boolean): void => {
    const r = readExport(input.path, input.text, input.scope, input.encoding);
    const entry = options.files?.find((f) => f.file === input.path && f.status === "read");
    if (entry) Object.assign(entry, { format: r.format, objects: r.objects });
    if (asConfig && !r.config) problems.push({ file: input.path, place: "the whole file", problem: `is not a policy configuration (read as ${r.format}): give the JSON of --policy-pack-config` });
    facts.push(...r.facts);
    resources.push(...r.resources);
    covers.push(...r.covers);
    problems.push(...r.problems);
    if (r.config) {
      configs.push(r.config);
      locations.addConfig({ file: input.path, config: r.config, ...(r.lines?.config ? { lineOf: r.lines.config } : {}) });
    }
    if (r.policyConfig) policyConfigs.push({ file: input.path, value: r.policyConfig });
    if (r.lines?.resources) locations.addResources(input.path, r.lines.resources);
  };
  for (const input of inputs) read(input, false);
  if (options.config) read(options.config, true);
  const config = mergeConfigs(configs);
  const rules = options.rules ?? allRules;
  const { levels, problems: levelProblems } = ruleLevels(policyConfigs, rules);
  problems.push(...levelProblems);
  const modelFacts = [...configFacts(config), ...facts, ...stackFacts(resources)];
  const buildOptions = {
    ...(config.defaultTenant ? { defaultTenant: config.defaultTenant } : {}),
    ...(config.defaultOrganization ? { defaultOrganization: config.defaultOrganization } : {}),
    inferDefaults: true,
  };
  const model = buildModel(modelFacts, buildOptions);
  const locate = (p: Provenance) => locations.locate(p);
  const findings = checkAll(model, rules.filter((r) => levels.get(r.meta.id) !== "disabled")).map((f) => ({ ...f, provenance: f.provenance.map(locate) }));
  const { judged, unusedExemptions } = judge(findings, {
    levels,
    exemptions: config.exemptions ?? [],
    today: options.today ?? todayUtc(),
    ...(options.baseline ? { baseline: options.baseline.fingerprints } : {}),
    ...(options.failOn ? { failOn: options.failOn } : {}),
  });
  const current = new Set(findings.map((f) => f.fingerprint));
  // Proven fixes, in the order the findings are printed (one plan printed once, referred to by the others).
  const fixes = modelFixes(modelFacts, buildOptions, judged.map((j) => ({ finding: j.finding, level: j.level === "mandatory" ? "mandatory" : "advisory", waived: j.status === "waived" })), resources);
  return {
    findings,
    judged,
    unusedExemptions,
    fixes,
    unverifiable: model.unverifiable.map((u) => ({ ...u, provenance: locate(u.provenance) })),
    problems,
    blocking: judged.some((j) => j.fails),
    model,
    files: inputs.length,
    inputs: options.files ?? inputs.map((i) => ({ file: i.path, status: "read" as const, ...(i.encoding ? { encoding: i.encoding } : {}) })),
    coverage: coverageOf(model, covers),
    config,
    ...(options.baseline ? { baseline: { file: options.baseline.file, resolved: options.baseline.findings.filter((f) => !current.has(f.fingerprint)) } } : {}),
    ...(options.failOn ? { failOn: options.failOn } : {}),
  };
}

/** Reads and audits files and folders (and the configuration given with --config). */
export async function auditPaths(paths: readonly string[], options: Omit<AuditOptions, "files" | "config"> & { config?: string } = {}): Promise<AuditResult> {
  await loadExtractors();
  const problems: ExportProblem[] = [];
  const files: InputFile[] = [];
  const inputs = readInputs(paths, problems, files);
  const { config: configPath, ...rest } = options;
  const config = configPath !== undefined ? readInputs([configPath], problems, files)[0] : undefined;
  return auditInputs(inputs, problems, { ...rest, files, ...(config ? { config } : {}) });
}
