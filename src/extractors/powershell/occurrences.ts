/**
 * The textual guarantee (issue 23): every place a script's text names a cmdlet the pack reads — in any
 * case, under any session prefix (`Import-PSSession -Prefix`, `Connect-ExchangeOnline -Prefix`),
 * module-qualified, with backtick escapes, in code or inside a string — found by one linear lexical
 * pass that does not depend on the grammar. The evaluator says which of them it accounted for (ran
 * them, or read them as data); every other one becomes an advisory on its line. This only accounts:
 * it never reads a value.
 */
import { CMDLETS } from "./catalogue";
import { lexPowerShell, RegionKind } from "./lexical";

export interface Occurrence {
  start: number;
  end: number;
  /** As written (backticks kept), at most 60 characters. */
  written: string;
  /** Inside a string (a here-string, a quoted argument): text, unless something runs it. */
  inString: boolean;
}

export interface TextScan {
  occurrences: Occurrence[];
  /** Offsets of `<` in code (a placeholder such as `<THUMBPRINT>`): PowerShell refuses to run the script. */
  reservedLessThan: number[];
}

/** Nouns of the commands that change mail flow, under any prefix (`New-CloudInboundConnector`). */
const MAIL_FLOW_NOUN = /(?:connector|exchangecertificate|hybridconfiguration|accepteddomain)$/;
const MAIL_FLOW_VERB = new Set(["new", "set", "remove", "enable", "import", "add", "disable"]);
/** Microsoft365DSC resources the evaluator reads (dsc.ts). */
const DSC_NAME = /^exo(?:inboundconnector|outboundconnector|accepteddomain)$/;
/** Catalogued commands that decide where the rest acts (the tenant, the server). */
const SESSION_COMMANDS = new Set(Object.keys(CMDLETS).filter((name) => !name.startsWith("get-") && !MAIL_FLOW_NOUN.test(name)));

/**
 * A word that may be a command name: an optional module qualifier, then letters, a dash (any of the
 * dashes PowerShell reads as one) and a noun. Not inside a longer word, a path or a variable.
 */
const WORD = /(?<![\w$.\\/\u2013\u2014\u2015-])(?:[A-Za-z_][\w.]*\\)?[A-Za-z`]+(?:[-\u2013\u2014\u2015][\w`]+)?(?![\w`\u2013\u2014\u2015-]|\.\w)/g;

/** Whether a word (backticks removed, module qualifier removed, lower case) names a command the pack reads. */
export function isReadCommandName(word: string): boolean {
  const name = word.replace(/`/g, "").slice(word.lastIndexOf("\\") + 1).toLowerCase();
  const dash = name.search(/[-\u2013\u2014\u2015]/);
  if (dash === -1) return DSC_NAME.test(name);
  const verb = name.slice(0, dash);
  const noun = name.slice(dash + 1);
  if (MAIL_FLOW_VERB.has(verb) && MAIL_FLOW_NOUN.test(noun)) return true;
  return SESSION_COMMANDS.has(`${verb}-${noun}`);
}

/** Cheap test before the scan: every name the pack reads holds one of these (backticks removed, lower case). */
const ANY_NAME = /connector|exchangecertificate|hybridconfiguration|accepteddomain|exchangeonline|pssession/;

/** Every occurrence of a command name the pack reads in `text`, outside comments; one linear pass. */
export function scanText(text: string): TextScan {
  const { regions, reservedLessThan } = lexPowerShell(text);
  const occurrences: Occurrence[] = [];
  if (!ANY_NAME.test(text.toLowerCase()) && !/`/.test(text)) return { occurrences, reservedLessThan };
  let region = 0;
  for (const m of text.matchAll(WORD)) {
    if (!isReadCommandName(m[0])) continue;
    const start = m.index;
    while (region < regions.length && regions[region + 1]! <= start) region += 3;
    const inside = region < regions.length && regions[region]! <= start;
    if (inside && regions[region + 2] === RegionKind.Comment) continue;
    occurrences.push({ start, end: start + m[0].length, written: m[0].slice(0, 60), inString: inside });
  }
  return { occurrences, reservedLessThan };
}

/**
 * Whether each occurrence lies in one of the `spans` (flat [start, end) pairs, any order): sorts the
 * spans once and walks both lists, so the cost stays linear in what the walk recorded.
 */
export function unaccounted(occurrences: readonly Occurrence[], spans: readonly number[]): Occurrence[] {
  if (occurrences.length === 0) return [];
  const order = Array.from({ length: spans.length / 2 }, (_, k) => k).sort((a, b) => spans[2 * a]! - spans[2 * b]!);
  const out: Occurrence[] = [];
  let k = 0;
  let reach = -1;
  for (const o of occurrences) {
    while (k < order.length && spans[2 * order[k]!]! <= o.start) {
      reach = Math.max(reach, spans[2 * order[k]! + 1]!);
      k++;
    }
    if (reach < o.end) out.push(o);
  }
  return out;
}
