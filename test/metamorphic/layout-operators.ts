/**
 * Issue 23: rewrites that change what the grammar is sensitive to and PowerShell is not — a body
 * sharing the line of its `param(…)`, blocks collapsed onto their braces' lines or expanded with each
 * brace on a line of its own, a command's literal parameters moved into a table and a loop, and an
 * Exchange Online cmdlet run through CIPP's wrapper. Each keeps what PowerShell does exactly.
 */
import { CMDLETS } from "../../src/extractors/powershell/catalogue";
import { relaidText } from "../../src/extractors/powershell/relayout";
import { applyEdits, asExpression, type CommandInfo } from "./script-info";
import { isLocalSite } from "./sites";
import { fresh, textOperator, type Operator } from "./text-operator";

/** A script whose first statement must stay first (its own param block, using, #requires): not wrapped. */
const mustStayFirst = (text: string): boolean => /^\s*(?:\[|param\b|using\s|#requires)/i.test(text);

// ---- a body on the line of its param(…) -------------------------------------------------------------

/** `function F { param($x) <script> }` and `& { param($x) <script> } 'v'`: the script's first line shares the param block's. */
const paramSameLine = textOperator(
  "param-same-line",
  (info, rng) => {
    if (mustStayFirst(info.text)) return undefined;
    const p = `$${fresh(info, "mfUnused")}`;
    if (rng.next() < 0.5) {
      const name = fresh(info, "Set-HybridInline");
      return `function ${name} { param(${p}) ${info.text}\n}\n${name}`;
    }
    return `& { param(${p}) ${info.text}\n} 'unused'`;
  },
  relaidText,
);

// ---- blocks collapsed and expanded ---------------------------------------------------------------------

/** `if ($true) { <script> }` with the braces on the script's first and last lines. */
const collapsedBlock = textOperator("collapsed-block", (info, rng) => {
  if (mustStayFirst(info.text)) return undefined;
  const t = info.text;
  return rng.pick([`if ($true) { ${t} }`, `try { ${t} } catch { throw }`, `foreach (${"$" + fresh(info, "mfOnce")} in @(1)) { ${t} }`]);
});

/** Each brace on a line of its own (Allman style), which PowerShell allows after if, foreach, try, catch and function names. */
const expandedBlock = textOperator("expanded-block", (info, rng) => {
  if (mustStayFirst(info.text)) return undefined;
  const t = info.text;
  const name = fresh(info, "Set-HybridExpanded");
  return rng.pick([`if ($true)\n{\n${t}\n}`, `try\n{\n${t}\n}\ncatch\n{\n  throw\n}`, `function ${name}\n{\n${t}\n}\n${name}`, `foreach (${"$" + fresh(info, "mfOnce")} in @(1))\n{\n${t}\n}`]);
});

// ---- a command's parameters moved into a table and a loop ----------------------------------------------

/** A statement-level command whose named, literal arguments can move (at least one). */
function movable(c: CommandInfo) {
  const moved = c.arguments.filter((a) => a.parameter && a.value && !a.parameter.colon && /^[A-Za-z]\w*$/.test(a.parameter.written) && asExpression(a.value) !== undefined);
  return moved.length > 0 && c.statementStart !== undefined && c.known ? moved : undefined;
}

const tableAndLoop = textOperator("table-and-loop", (info, rng) => {
  const candidates = info.commands.filter((c) => movable(c));
  if (candidates.length === 0) return undefined;
  const c = rng.pick(candidates);
  const moved = movable(c)!;
  const kept = c.arguments.filter((a) => !moved.includes(a)).map((a) => info.text.slice(a.parameter?.start ?? a.value!.start, a.value?.end ?? a.parameter!.end));
  const table = `@{ ${moved.map((a) => `${a.parameter!.written} = ${asExpression(a.value!)}`).join("; ")} }`;
  const sets = `$${fresh(info, "mfSets")}`;
  const item = `$${fresh(info, "mfSet")}`;
  const call = (args: string[]) => [c.name.text, ...kept, ...args].join(" ");
  const members = (of: string) => moved.map((a) => `-${a.parameter!.written} ${of}.${a.parameter!.written}`);
  const forms = [
    // An array of tables, each splatted (about_Splatting).
    `${sets} = @(${table})\nforeach (${item} in ${sets}) { ${call([`@${item.slice(1)}`])} }`,
    // A table of tables, walked with GetEnumerator() and read through .Value (about_Hash_Tables).
    `${sets} = @{ 'only' = ${table} }\nforeach (${item} in ${sets}.GetEnumerator()) { ${call(members(`${item}.Value`))} }`,
    // The tables piped to ForEach-Object and read through $_ (about_Foreach, ForEach-Object).
    `@(${table}) | ForEach-Object { ${call(members("$_"))} }`,
  ];
  return applyEdits(info.text, [{ start: c.start, end: c.end, text: rng.pick(forms) }]);
});

// ---- an Exchange Online cmdlet through CIPP's wrapper ----------------------------------------------------

const WRAPPABLE = /^(?:new|set|remove)-(?:inbound|outbound)connector$/;

/** `New-ExoRequest -tenantid <the script's tenant> -cmdlet '<cmdlet>' -cmdParams @{ … }`, after the one Connect-ExchangeOnline. */
const throughWrapper = textOperator("through-cipp-wrapper", (info, rng, site) => {
  if (!isLocalSite(site) || /\bNew-ExoRequest\b/i.test(info.text)) return undefined;
  const connects = info.commands.filter((c) => c.cmdlet === "connect-exchangeonline");
  if (connects.length !== 1) return undefined;
  const connect = connects[0]!;
  const organization = connect.arguments.find((a) => a.parameter?.canonical === "Organization")?.value;
  const tenant = organization && (organization.kind === "token" || organization.kind === "verbatim-string") ? organization.text.replace(/^'|'$/g, "") : undefined;
  if (!tenant || connect.arguments.some((a) => a.parameter?.canonical === "Prefix" || a.value?.kind === "splat")) return undefined;
  const candidates = info.commands.filter((c) => {
    if (!WRAPPABLE.test(c.cmdlet) || c.moduleQualified || c.start < connect.end || c.statementStart === undefined) return false;
    // Every argument a named literal, or the one positional identity.
    return c.arguments.every((a) => (a.parameter ? a.value && !a.parameter.colon && a.parameter.canonical && asExpression(a.value) !== undefined : a.value && asExpression(a.value) !== undefined));
  });
  if (candidates.length === 0) return undefined;
  const c = rng.pick(candidates);
  const spec = CMDLETS[c.cmdlet]!;
  const entries = c.arguments.map((a) => `${a.parameter ? a.parameter.canonical! : spec.positional!} = ${asExpression(a.value!)}`);
  if (c.arguments.filter((a) => !a.parameter).length > 1) return undefined;
  return applyEdits(info.text, [{ start: c.start, end: c.end, text: `New-ExoRequest -tenantid '${tenant}' -cmdlet '${c.name.text}' -cmdParams @{ ${entries.join("; ")} }` }]);
});

export const LAYOUT_OPERATORS: readonly Operator[] = [paramSameLine, collapsedBlock, expandedBlock, tableAndLoop, throughWrapper];
