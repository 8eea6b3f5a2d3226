/**
 * The run as a SARIF 2.1.0 log, for code-scanning dashboards (GitHub, Azure DevOps, DefectDojo): one
 * `rule` per policy, one `result` per finding on the resource it is reported on, waived findings kept
 * with their `suppressions`.
 */
import { renderedFixOf, standalone } from "../fix/render";
import { fixRecord } from "./json";
import type { Finding, Severity } from "../../findings/types";
import type { Provenance } from "../../model/types";
import { renderFinding, type Wording } from "../text";
import { DOCS_BASE_URL, docsUrl } from "./docs-url";
import type { LocateDeclaration } from "./program-location";
import type { ReportedFinding, ReportPolicy, RunSnapshot, Waiver } from "./run-report";

export const SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";
/** The key of the finding's fingerprint in `partialFingerprints` (bump the version if its meaning changes). */
export const FINGERPRINT_KEY = "mailflowGuardFinding/v1";

/** GitHub reads `security-severity` (0–10) to rank security results: critical > 9, high 7–8.9, medium 4–6.9, low < 4. */
export const SECURITY_SEVERITY: Record<Severity, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };

export type SarifLevel = "error" | "warning" | "note";
export const sarifLevel = (severity: Severity): SarifLevel => (severity === "critical" || severity === "high" ? "error" : severity === "medium" ? "warning" : "note");

// Loosely typed: the log is plain JSON; the unit tests validate it against the official 2.1.0 schema.
type Json = Record<string, unknown>;

/** A script inside a resource property, as the artifact a fix edits: named by the resource URN (no file holds it). */
function artifactLocation(urn: string, property: string): Json {
  return { uri: encodeURI(urn), description: { text: `PowerShell in the resource's \`${property}\` input` }, properties: { property } };
}

function sarifRule(p: ReportPolicy): Json {
  const meta = p.rule;
  return {
    id: p.name,
    name: p.name,
    shortDescription: { text: meta.description },
    fullDescription: { text: `${meta.description} (${meta.code}) ${meta.remediationSteps}` },
    help: { text: meta.remediationSteps },
    helpUri: docsUrl(meta.id),
    defaultConfiguration: { level: sarifLevel(meta.severity) },
    properties: { "security-severity": SECURITY_SEVERITY[meta.severity], severity: meta.severity, enforcementLevel: p.enforcement, tags: ["security", "exchange-online", "mail-flow"] },
  };
}

/** The PowerShell line the result points at: the reporting resource's own, else any of the finding's. */
function primaryLine(f: Finding, urn: string): Provenance | undefined {
  const lined = f.provenance.filter((p) => p.line !== undefined && p.property !== undefined);
  return lined.find((p) => p.urn === urn) ?? lined[0];
}

/** A file the fact was read from (the audit's inputs), as code scanning anchors results: a relative URI where it can. */
export function fileUri(file: string): string {
  const path = file.replace(/\\/g, "/");
  const encoded = path.split("/").map(encodeURIComponent).join("/");
  return /^(\/|[A-Za-z]:\/)/.test(path) ? `file://${path.startsWith("/") ? "" : "/"}${encoded.replace(/^([A-Za-z])%3A/, "$1:")}` : encoded;
}

/**
 * Where a fact is in the repository: the file it was read from (the audit's exports), else, for a
 * resource of a Pulumi program, the line that declares it (program-location.ts). A script inside a
 * resource's input is no file code scanning can show: the script line goes in the message and properties.
 */
function physicalLocation(p: Provenance, locate: LocateDeclaration | undefined): Json | undefined {
  if (p.location) return { artifactLocation: { uri: fileUri(p.location.file) }, ...(p.location.line ? { region: { startLine: p.location.line } } : {}) };
  const declared = locate?.(p.resourceName);
  return declared ? { artifactLocation: { uri: declared.uri }, ...(declared.line ? { region: { startLine: declared.line } } : {}) } : undefined;
}

function location(p: Provenance, locate: LocateDeclaration | undefined): Json {
  const physical = physicalLocation(p, locate);
  return {
    ...(physical ? { physicalLocation: physical } : {}),
    logicalLocations: [{ fullyQualifiedName: p.urn, name: p.resourceName, kind: "resource" }],
    ...(p.line !== undefined && p.property !== undefined ? { properties: { scriptLine: { property: p.property, line: p.line } } } : {}),
  };
}

function suppression(w: Waiver): Json {
  const expires = w.expires ? { expires: w.expires } : {};
  return w.source === "inline"
    ? { kind: "inSource", status: "accepted", justification: w.reason, properties: { where: w.where, ...expires } }
    : { kind: "external", status: "accepted", justification: w.reason, properties: { exemptedResource: w.resource, ...expires } };
}

function sarifFix(r: ReportedFinding): Json[] {
  const fix = renderedFixOf(r.fix);
  const v = fix?.valueFix;
  if (!fix || !v) return [];
  return [
    {
      description: { text: `Set -${v.parameter} to ${v.replacement.replace(/^ -\S+ /, "")} (fix ${fix.id}): ${fix.summary}` },
      artifactChanges: [
        {
          artifactLocation: artifactLocation(v.urn, v.property),
          replacements: [{ deletedRegion: { startLine: v.line, startColumn: v.startColumn, endColumn: v.endColumn }, insertedContent: { text: v.replacement } }],
        },
      ],
    },
  ];
}

function sarifResult(r: ReportedFinding, ruleIndex: number, wording?: Wording, locate?: LocateDeclaration): Json {
  const f = r.finding;
  const urn = r.resource.urn || f.provenance[0]?.urn || "";
  const line = primaryLine(f, urn);
  // A fact read from a file (the audit's) is where the result is anchored: the reporting resource's, else the first one's.
  const inFile = f.provenance.find((p) => p.urn === urn && p.location) ?? f.provenance.find((p) => p.location);
  const primary = inFile ?? line ?? f.provenance.find((p) => p.urn === urn) ?? { urn, resourceName: r.resource.name, resourceType: "" };
  const related = f.provenance.filter((p) => p !== primary).map((p, i) => ({ id: i + 1, ...location(p, locate), message: { text: `${p.resourceName}${p.property ? `.${p.property}` : ""}${p.line ? `:${p.line}` : ""}` } }));
  const fixes = sarifFix(r);
  return {
    ruleId: r.policy,
    ruleIndex,
    level: sarifLevel(f.severity),
    // A result is read on its own (code scanning shows one at a time): the whole fix on each.
    message: { text: [renderFinding(f, wording, standalone(r.fix), true), ...r.notes].join("\n") },
    locations: [{ ...location(primary, locate), logicalLocations: [{ fullyQualifiedName: urn, name: r.resource.name, kind: "resource" }] }],
    ...(related.length ? { relatedLocations: related } : {}),
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
    ...(fixes.length ? { fixes } : {}),
    ...(r.waiver ? { suppressions: [suppression(r.waiver)] } : {}),
    properties: { policy: r.policy, severity: f.severity, enforcementLevel: r.enforcement, ...(f.flow ? { flow: f.flow } : {}), consequence: f.consequence, fix: fixRecord(r) },
  };
}

/** The SARIF log of a run, as an object (serialise with JSON.stringify). */
export function toSarif(run: RunSnapshot, options: { wording?: Wording; baselineStates?: ReadonlyMap<string, "new" | "unchanged">; locate?: LocateDeclaration } = {}): Json {
  const index = new Map(run.policies.map((p, i) => [p.name, i]));
  return {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: run.tool.name, version: run.tool.version, informationUri: DOCS_BASE_URL, rules: run.policies.map(sarifRule) } },
        invocations: [{ executionSuccessful: true, startTimeUtc: run.startedAt }],
        results: run.findings.map((r) => {
          const result = sarifResult(r, index.get(r.policy) ?? -1, options.wording, options.locate);
          const state = options.baselineStates?.get(r.finding.fingerprint);
          return state ? { ...result, baselineState: state } : result;
        }),
        columnKind: "utf16CodeUnits",
      },
    ],
  };
}
