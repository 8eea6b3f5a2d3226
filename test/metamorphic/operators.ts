/**
 * Semantics-preserving rewrites of Exchange PowerShell: each operator is a small pure function from a
 * script site to a rewritten one (or undefined when it does not apply), guided by the tree-sitter
 * parse. Each keeps what PowerShell would do EXACTLY when the script runs without error.
 */
import { CMDLETS, type CmdletSpec } from "../../src/extractors/powershell/catalogue";
import { quoteBareLists } from "../../src/extractors/powershell/quotes";
import type { Rng } from "./rng";
import { applyEdits, asExpression, NUMBER_LIKE, SIMPLE_TOKEN, type Argument, type ArgValue, type CommandInfo, type ScriptInfo, type StringInfo } from "./script-info";
import { LAYOUT_OPERATORS } from "./layout-operators";
import { fresh, textOperator, type Operator } from "./text-operator";
import { isLocalSite } from "./sites";

export type { Operator } from "./text-operator";

const pickOrNone = <T,>(rng: Rng, items: readonly T[]): T | undefined => (items.length ? rng.pick(items) : undefined);

/** Another spelling of the same letters (PowerShell names and enum values ignore case). */
function otherCase(text: string, rng: Rng): string {
  const variants = [text.toLowerCase(), text.toUpperCase(), [...text].map((ch, i) => (i % 2 ? ch.toLowerCase() : ch.toUpperCase())).join("")].filter((v) => v !== text);
  return variants.length ? rng.pick(variants) : text;
}

const knownCommands = (info: ScriptInfo): CommandInfo[] => info.commands.filter((c) => c.known);

// ---- case ------------------------------------------------------------------------------------------

const caseOfCmdlet = textOperator("case-cmdlet", (info, rng) => {
  const c = pickOrNone(rng, knownCommands(info).filter((c) => !c.moduleQualified));
  return c && applyEdits(info.text, [{ ...c.name, text: otherCase(c.name.text, rng) }]);
});

const caseOfParameter = textOperator("case-parameter", (info, rng) => {
  const params = knownCommands(info).flatMap((c) => c.arguments.flatMap((a) => (a.parameter ? [a.parameter] : [])));
  const p = pickOrNone(rng, params);
  return p && applyEdits(info.text, [{ start: p.start + 1, end: p.start + 1 + p.written.length, text: otherCase(p.written, rng) }]);
});

/** Parameters whose values are enums: Exchange converts them ignoring case. */
const ENUM_PARAMETERS = new Set(["ConnectorType", "ConnectorSource", "TlsAuthLevel", "DomainType", "TlsSettings"]);

const caseOfEnum = textOperator("case-enum", (info, rng) => {
  const values = knownCommands(info).flatMap((c) =>
    c.arguments.filter((a) => a.parameter?.canonical && ENUM_PARAMETERS.has(a.parameter.canonical) && a.value && /^(?:'[A-Za-z]+'|"[A-Za-z]+"|[A-Za-z]+)$/.test(a.value.text)).map((a) => a.value!),
  );
  const v = pickOrNone(rng, values);
  return v && applyEdits(info.text, [{ ...v, text: otherCase(v.text, rng) }]);
});

const caseOfConstant = textOperator("case-boolean", (info, rng) => {
  const c = pickOrNone(rng, info.constants);
  return c && applyEdits(info.text, [{ ...c, text: `$${otherCase(c.text.slice(1), rng)}` }]);
});

// ---- parameters ------------------------------------------------------------------------------------

/** Every name PowerShell matches a prefix against: the cmdlet's, all common parameters and their aliases. */
const ALL_COMMON = [
  "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable", "WarningVariable",
  "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable", "WhatIf", "Confirm",
  "vb", "db", "ea", "wa", "infa", "proga", "ev", "wv", "iv", "ov", "ob", "pv", "wi", "cf",
];

/** Prefixes of `name` no other parameter of the cmdlet starts with, one letter longer than the shortest for margin. */
function unambiguousPrefixLengths(spec: CmdletSpec, name: string): number[] {
  const others = [...new Set([...spec.parameters, ...ALL_COMMON])].filter((p) => p.toLowerCase() !== name.toLowerCase()).map((p) => p.toLowerCase());
  const lower = name.toLowerCase();
  let shortest = 1;
  while (shortest < lower.length && others.some((o) => o.startsWith(lower.slice(0, shortest)))) shortest++;
  const lengths: number[] = [];
  for (let n = Math.max(shortest + 1, 3); n < lower.length; n++) lengths.push(n);
  return lengths;
}

const parameterPrefix = textOperator("parameter-prefix", (info, rng) => {
  const candidates = info.commands.flatMap((c) => {
    const spec = CMDLETS[c.cmdlet];
    if (!spec) return [];
    return c.arguments.flatMap((a) => (a.parameter?.canonical && a.parameter.written.length === a.parameter.canonical.length ? [{ p: a.parameter, lengths: unambiguousPrefixLengths(spec, a.parameter.canonical) }] : [])).filter((x) => x.lengths.length > 0);
  });
  const chosen = pickOrNone(rng, candidates);
  if (!chosen) return undefined;
  const length = rng.pick(chosen.lengths);
  return applyEdits(info.text, [{ start: chosen.p.start + 1, end: chosen.p.start + 1 + chosen.p.written.length, text: chosen.p.written.slice(0, length) }]);
});

const colonForm = textOperator("colon-form", (info, rng) => {
  const args = knownCommands(info).flatMap((c) => c.arguments.filter((a) => a.parameter && !a.parameter.colon && !a.parameter.isSwitch && a.value && a.separator?.text === " "));
  const a = pickOrNone(rng, args);
  return a && applyEdits(info.text, [{ start: a.parameter!.end, end: a.value!.start, text: ":" }]);
});

// ---- values ----------------------------------------------------------------------------------------


/** A literal with nothing to expand: its text means the same wherever it is evaluated. */
const isConstantLiteral = (v: ArgValue): boolean =>
  (v.kind === "verbatim-string" || v.kind === "expandable-string" || v.kind === "here-string") ? !/[$`]/.test(v.text) : false;


const statementCommands = (info: ScriptInfo): CommandInfo[] => knownCommands(info).filter((c) => c.statementStart !== undefined);

const variableIndirection = textOperator("variable-indirection", (info, rng) => {
  const choices = statementCommands(info).flatMap((c) =>
    c.arguments.filter((a) => a.value && (isConstantLiteral(a.value) || a.value.kind === "token" || a.value.kind === "token-list") && asExpression(a.value) !== undefined).map((a) => ({ c, v: a.value! })),
  );
  const chosen = pickOrNone(rng, choices);
  if (!chosen) return undefined;
  const name = fresh(info, "$mfValue");
  return applyEdits(info.text, [
    { start: chosen.c.statementStart!, end: chosen.c.statementStart!, text: `${name} = ${asExpression(chosen.v)}; ` },
    { ...chosen.v, text: name },
  ]);
});

const splatting = textOperator("splatting", (info, rng) => {
  const commands = statementCommands(info).filter((c) => c.arguments.some((a) => a.parameter && a.value && asExpression(a.value) !== undefined));
  const c = pickOrNone(rng, commands);
  if (!c) return undefined;
  const moved = c.arguments.filter((a) => a.parameter && a.value && asExpression(a.value) !== undefined && /^[A-Za-z]\w*$/.test(a.parameter.written));
  if (!moved.length) return undefined;
  const kept = c.arguments.filter((a) => !moved.includes(a));
  const name = fresh(info, "mfSplat");
  const entries = moved.map((a) => `  ${a.parameter!.written} = ${asExpression(a.value!)}`).join("\n");
  const argText = (a: Argument): string => info.text.slice(a.parameter?.start ?? a.value!.start, a.value?.end ?? a.parameter!.end);
  const call = [c.name.text, ...kept.map(argText), `@${name}`].join(" ");
  return applyEdits(info.text, [{ start: c.start, end: c.end, text: `$${name} = @{\n${entries}\n}\n${call}` }]);
});

function hereString(s: StringInfo): string | undefined {
  const body = s.text.slice(1, -1);
  if (s.kind === "verbatim-string") {
    const value = body.replace(/''/g, "'");
    return /\n['"]@/.test(`\n${value}`) ? undefined : `@'\n${value}\n'@`;
  }
  // A double-quoted string without `$`, backtick or embedded quotes reads the same as a here-string.
  if (s.kind === "expandable-string" && !/[$`"]/.test(body)) return /\n['"]@/.test(`\n${body}`) ? undefined : `@"\n${body}\n"@`;
  return undefined;
}

const hereStrings = textOperator("here-string", (info, rng) => {
  const choices = info.strings.filter((s) => s.valuePosition && hereString(s) !== undefined);
  const s = pickOrNone(rng, choices);
  return s && applyEdits(info.text, [{ ...s, text: hereString(s)! }]);
});

function requoted(s: StringInfo): string | undefined {
  const body = s.text.slice(1, -1);
  if (s.kind === "verbatim-string" && !/[$`"]|''/.test(body)) return `"${body}"`;
  if (s.kind === "expandable-string" && !/[$`'"]/.test(body)) return `'${body}'`;
  return undefined;
}

const quotingStyle = textOperator("quoting-style", (info, rng) => {
  const strings = info.strings.filter((s) => s.valuePosition && requoted(s) !== undefined).map((s) => ({ ...s, text: requoted(s)! }));
  // A bare word in argument mode is the same string quoted (numbers excepted: they bind as numbers).
  const tokens = knownCommands(info).flatMap((c) => c.arguments.flatMap((a) => (a.value?.kind === "token" && SIMPLE_TOKEN.test(a.value.text) && !NUMBER_LIKE.test(a.value.text) && !a.value.text.startsWith("@") ? [{ ...a.value, text: `'${a.value.text}'` }] : [])));
  const edit = pickOrNone(rng, [...strings, ...tokens]);
  return edit && applyEdits(info.text, [edit]);
});

// ---- layout ----------------------------------------------------------------------------------------

const lineContinuation = textOperator("line-continuation", (info, rng) => {
  const s = pickOrNone(rng, knownCommands(info).flatMap((c) => c.spaces));
  return s && applyEdits(info.text, [{ ...s, text: " `\n    " }]);
});

/** What may go between the elements of a bare-word list: PowerShell continues a list after a comma, across lines and comments. */
const LIST_SEPARATORS = [", ", " , ", ",\n    ", ", # the next one\n    ", ", <# and #> ", ",  <# on #>\n  # its own\n    "];
/** An element written bare means the same string as quoted (numbers, splats and parameters excepted). */
const BARE_ELEMENT = /^[A-Za-z0-9*._/:+=][A-Za-z0-9*._/:@+=-]*$/;

/** A list argument (`-Services "POP","SMTP"`, `a,b`) written as bare words laid out the way administrators do. */
const listLayout: Operator = { ...textOperator("list-layout", (info, rng) => {
  const lists = knownCommands(info).flatMap((c) =>
    c.arguments.flatMap((a) => {
      if (!a.parameter || !a.value || (a.value.kind !== "array" && a.value.kind !== "token-list")) return [];
      const elements = info.text.slice(a.value.start, a.value.end).split(",").map((e) => e.trim().replace(/^'([^'$`"]*)'$|^"([^'$`"]*)"$/, "$1$2"));
      return elements.length > 1 && elements.every((e) => BARE_ELEMENT.test(e) && !NUMBER_LIKE.test(e)) ? [{ value: a.value, elements }] : [];
    }),
  );
  const list = pickOrNone(rng, lists);
  if (!list) return undefined;
  const text = list.elements.reduce((out, e, i) => (i === 0 ? e : `${out}${rng.pick(LIST_SEPARATORS)}${e}`), "");
  return applyEdits(info.text, [{ start: list.value.start, end: list.value.end, text }]);
}), readAs: quoteBareLists };

const LOOK_ALIKES = [
  "# New-InboundConnector -Name \"Evil\" -ConnectorType Partner -TlsSenderCertificateName *.evil.example",
  "# Connect-ExchangeOnline -Organization evil.onmicrosoft.com",
  "<# New-InboundConnector -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName *.contoso.com #>",
  "# Set-InboundConnector -Identity \"From on-prem\" -TlsSenderCertificateName *.fabrikam.com -TreatMessagesAsInternal $true",
  "<#\nNew-SendConnector -Internet -Name Internet -AddressSpaces \"SMTP:*;1\" -TlsCertificateName \"<I>CN=X<S>CN=*.contoso.com\"\n#>",
];

const lookAlikeComment = textOperator("look-alike-comment", (info, rng) => {
  const at = rng.pick([0, ...info.statements.map((s) => s.start)]);
  return applyEdits(info.text, [{ start: at, end: at, text: `${rng.pick(LOOK_ALIKES)}\n` }]);
});

/** Two adjacent top-level connector commands on different, literal identities commute. */
const CONNECTOR_CMDLET = /^(new|set|remove)-(inbound|outbound|send|receive)connector$/;
function identityOf(c: CommandInfo): string | undefined {
  if (!CONNECTOR_CMDLET.test(c.cmdlet) || c.arguments.some((a) => a.value?.kind === "splat")) return undefined;
  const named = c.arguments.find((a) => a.parameter?.canonical === "Name" || a.parameter?.canonical === "Identity");
  const positional = c.arguments.find((a) => !a.parameter && a.value);
  const v = named?.value ?? positional?.value;
  if (!v || !(isConstantLiteral(v) || v.kind === "token")) return undefined;
  return `${c.cmdlet.split("-")[1]}:${v.text.replace(/^(@?)(['"])\n?|\n?(['"])@?$/g, "").toLowerCase()}`;
}

const reorderStatements = textOperator("reorder-statements", (info, rng) => {
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i + 1 < info.statements.length; i++) {
    const a = info.statements[i]!.command;
    const b = info.statements[i + 1]!.command;
    if (!a || !b) continue;
    const ia = identityOf(a);
    const ib = identityOf(b);
    // Never across a connect (what follows acts on another session) nor on the same connector.
    const nameOf = (id: string) => id.slice(id.indexOf(":") + 1);
    if (ia && ib && nameOf(ia) !== nameOf(ib)) pairs.push([i, i + 1]);
  }
  const pair = pickOrNone(rng, pairs);
  if (!pair) return undefined;
  const [a, b] = [info.statements[pair[0]]!, info.statements[pair[1]]!];
  return applyEdits(info.text, [
    { start: a.start, end: a.end, text: b.text },
    { start: b.start, end: b.end, text: a.text },
  ]);
});

// ---- wrappers of the whole script (child scopes see everything the script assigns) -------------------

const wholeScript = (name: string, wrap: (text: string, info: ScriptInfo) => string): Operator => textOperator(name, (info) => wrap(info.text, info));

const invokeCommandWrapper = wholeScript("invoke-command-wrapper", (t) => `Invoke-Command -ScriptBlock {\n${t}\n}`);
const callOperatorWrapper = wholeScript("call-operator-wrapper", (t) => `& {\n${t}\n}`);
const dotSourceWrapper = wholeScript("dot-source-wrapper", (t) => `. {\n${t}\n}`);
const functionWrapper = wholeScript("function-wrapper", (t, info) => {
  const name = fresh(info, "Set-Hybrid");
  return `function ${name} {\n${t}\n}\n${name}`;
});
const foreachWrapper = wholeScript("foreach-wrapper", (t, info) => `foreach (${fresh(info, "$mfItem")} in @('a')) {\n${t}\n}`);
const tryCatchWrapper = wholeScript("try-catch-wrapper", (t) => `try {\n${t}\n} catch {\n  throw\n}`);
const ifTrueWrapper = wholeScript("if-true-wrapper", (t) => `if ($true) {\n${t}\n}`);

/** Literal argument values the function receives as parameters instead (evaluated at the call, as before). */
const functionWithParameters = textOperator("function-with-parameters", (info, rng) => {
  const values = knownCommands(info).flatMap((c) => c.arguments.flatMap((a) => (a.value && (isConstantLiteral(a.value) || (a.value.kind === "token" && SIMPLE_TOKEN.test(a.value.text) && !a.value.text.startsWith("@"))) ? [a.value] : [])));
  if (!values.length) return undefined;
  const lifted = rng.shuffle(values).slice(0, 1 + rng.int(Math.min(3, values.length)));
  const name = fresh(info, "Set-HybridWith");
  // Letters, not digits: tree-sitter-powershell reads `-mfArg1 x` as `-mfArg` and a redirection `1>` (PowerShell does not).
  // Names of their own per application: nested wrappers must not shadow each other's parameters
  // (a declared parameter the call does not pass is $null in the function, whatever the caller holds).
  const tag = name.replace(/\D/g, "").split("").map((d) => "JKLMNOPQRS"[Number(d)]).join("");
  const params = lifted.map((_, i) => `mfArg${tag}${"ABC"[i]}`);
  const body = applyEdits(info.text, lifted.map((v, i) => ({ ...v, text: `$${params[i]}` })));
  const call = [name, ...lifted.map((v, i) => `-${params[i]} ${v.text}`)].join(" ");
  return `function ${name} {\n  param(${params.map((p) => `$${p}`).join(", ")})\n${body}\n}\n${call}`;
});

// ---- names -----------------------------------------------------------------------------------------

/** Connect-ExchangeOnline is ExchangeOnlineManagement's own; the cmdlets it loads live in a tmpEXO_* module. */
const moduleQualification = textOperator("module-qualification", (info, rng) => {
  const c = pickOrNone(rng, info.commands.filter((c) => c.cmdlet === "connect-exchangeonline" && !c.moduleQualified));
  return c && applyEdits(info.text, [{ ...c.name, text: `ExchangeOnlineManagement\\${c.name.text}` }]);
});

/** `Connect-ExchangeOnline -Prefix Cloud`: every Exchange Online cmdlet after it is Verb-CloudNoun. */
const connectPrefix = textOperator("connect-prefix", (info, _rng, site) => {
  if (!isLocalSite(site) || /import-(module|pssession)|new-pssession/i.test(info.text)) return undefined;
  const connects = info.commands.filter((c) => c.cmdlet === "connect-exchangeonline");
  if (connects.length !== 1) return undefined;
  const connect = connects[0]!;
  if (connect.arguments.some((a) => a.parameter?.canonical === "Prefix" || a.value?.kind === "splat")) return undefined;
  const renamed = info.commands.filter((c) => c.start > connect.end && CMDLETS[c.cmdlet] && c.cmdlet !== "new-pssession");
  if (renamed.some((c) => c.moduleQualified)) return undefined;
  return applyEdits(info.text, [
    { start: connect.end, end: connect.end, text: " -Prefix Cloud" },
    ...renamed.map((c) => {
      const dash = c.name.text.indexOf("-");
      return { ...c.name, text: `${c.name.text.slice(0, dash + 1)}Cloud${c.name.text.slice(dash + 1)}` };
    }),
  ]);
});

// ---- process wrappers (local commands only: they start a fresh pwsh themselves) ----------------------

const encodedCommand: Operator = {
  name: "encoded-command",
  apply(site, rng) {
    if (site.kind === "interpreter") return rng.next() < 0.5 ? { ...site, kind: "interpreter-encoded" } : { ...site, kind: "posix-encoded" };
    if (site.kind === "posix-command") return { ...site, kind: "posix-encoded" };
    return undefined;
  },
};

const posixWrapper: Operator = {
  name: "posix-pwsh-wrapper",
  apply(site, rng) {
    return site.kind === "interpreter" && site.pwsh.every((w) => /^[A-Za-z-]+$/.test(w)) ? { ...site, kind: "posix-command", flag: rng.pick(["-c", "-Command"] as const) } : undefined;
  },
};

export const OPERATORS: readonly Operator[] = [
  caseOfCmdlet,
  caseOfParameter,
  caseOfEnum,
  caseOfConstant,
  parameterPrefix,
  colonForm,
  splatting,
  variableIndirection,
  hereStrings,
  lineContinuation,
  listLayout,
  lookAlikeComment,
  invokeCommandWrapper,
  callOperatorWrapper,
  dotSourceWrapper,
  functionWrapper,
  functionWithParameters,
  foreachWrapper,
  tryCatchWrapper,
  ifTrueWrapper,
  encodedCommand,
  posixWrapper,
  quotingStyle,
  reorderStatements,
  moduleQualification,
  connectPrefix,
  // Issue 23: layouts the grammar is sensitive to, data and wrappers.
  ...LAYOUT_OPERATORS,
];

export const operatorNamed = (name: string): Operator => {
  const op = OPERATORS.find((o) => o.name === name);
  if (!op) throw new Error(`no operator ${name}`);
  return op;
};
