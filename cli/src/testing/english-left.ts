import { stripVTControlCharacters } from "node:util";

// Finds English left in a Spanish run, two ways: a sentence the English run of the
// same flow printed that the Spanish run prints too, and words English uses all the
// time and Spanish never does. What is the same in every language (names, URLs,
// paths, commands, flags, codes) is taken out of both texts first.

/** Frequent English words that are not Spanish words (so "a", "no", "me", "once" are not here). */
const ENGLISH_WORDS = new Set(
  (
    "the is are was were be been being not to of and with from for this that these those your you it its " +
    "have had will would can cannot could did does do don't an at by on or into instead kept keep " +
    "reach answer answered time which when what who how here there now again please owner member admin " +
    "file read write refused readable others changed changing invalid address email corrupted " +
    "signed sign login logged must fix move aside belongs another user only own remove removed try " +
    "link regular folder private token's keychain system entry saved older run running started start " +
    "waiting confirmation browser open opening visit enter code expires expired never used last " +
    "created revoked session sessions mesh meshes joined launching launch name role yes yet"
  ).split(" "),
);

/** A claudemesh command line as typed, where it is shown without backticks ("▸ Invite peers: claudemesh invite …"). */
const COMMAND_LINE =
  /\bclaudemesh(?: (?:login|logout|whoami|auth|status|token|sessions|tokens|list|create|revoke|invite|join|launch|sync|telemetry|on|off|completion|<[^>\n]*>|--?[\w-]+(?:[ =][^\s-][^\s]*)?))+/g;

/** Shapes that read the same in any language: taken out before comparing. */
const LANGUAGE_FREE = [
  /`[^`\n]*`/g, // commands, as typed
  /\bhttps?:\/\/\S+/g,
  /(?:~|\.{0,2})\/[\w.@/~-]*/g, // paths
  /--?[a-z][\w-]*/gi, // flags
  /\bcm_(?:pat|session)_\w+/g,
  /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g, // email addresses
  /\b[A-Z]{4}-[A-Z]{4}\b/g, // device codes
  /\b[A-Z][A-Z0-9_]{2,}\b/g, // environment variables, errno codes (ECONNREFUSED)
  /\b[0-9a-f]{8,}\b…?/g, // ids
  /\b[\w-]*\d[\w-]*\b/g, // anything with a digit: dates, modes, versions, pids
  /"[^"\n]*"|«[^»\n]*»/g, // quoted names (tokens, meshes)
];

/** Names every run prints as they are: the product, the people and things of the test. */
export interface Allowed {
  names: readonly string[];
}

const PRODUCT_NAMES = ["claudemesh", "Claude Code", "auth.json", "config.json", "PAT", "CLI", "TLS", "JSON"];

/** The text with everything language-free blanked out, one line per line. */
function words(text: string, allowed: Allowed): string {
  let rest = stripVTControlCharacters(text).replace(COMMAND_LINE, " ");
  // Longest first: "Ada Lovelace" before "Ada".
  for (const name of [...allowed.names, ...PRODUCT_NAMES].sort((a, b) => b.length - a.length)) {
    rest = rest.split(name).join(" ");
  }
  for (const shape of LANGUAGE_FREE) rest = rest.replace(shape, " ");
  return rest;
}

/** Runs of three or more words between punctuation: what a sentence of one language looks like in another. */
function phrases(text: string): string[] {
  return text
    .split(/[\n.;:!?¿¡()[\],✔✘!▸●…—]+/)
    .map((phrase) => phrase.replace(/\s+/g, " ").trim())
    .filter((phrase) => phrase.split(" ").filter((word) => /\p{L}{2,}/u.test(word)).length >= 3);
}

/**
 * What of `spanish` is English: phrases the English run of the same flow
 * printed, and common English words. Empty when the run is all Spanish.
 */
export function englishLeft(spanish: string, english: string, allowed: Allowed): string[] {
  const spanishWords = words(spanish, allowed);
  const flat = spanishWords.replace(/\s+/g, " ");
  const found = new Set<string>();
  for (const phrase of phrases(words(english, allowed))) {
    if (flat.includes(phrase)) found.add(`English sentence: "${phrase}"`);
  }
  for (const line of spanishWords.split("\n")) {
    const english = (line.toLowerCase().match(/[\p{L}']+/gu) ?? []).filter((word) => ENGLISH_WORDS.has(word));
    if (english.length > 0) found.add(`English words ${english.join(", ")} in: ${line.replace(/\s+/g, " ").trim()}`);
  }
  return [...found];
}
