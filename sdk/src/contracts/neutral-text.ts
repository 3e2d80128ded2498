import * as z from "zod";

// Characters that change how text is shown rather than what it says: C0 controls
// (escape sequences, carriage return, backspace, newline), DEL and C1 controls (CSI,
// OSC), line and paragraph separators, and the bidirectional marks, embeddings,
// overrides and isolates that reorder what follows them ("Trojan Source").
const UNSAFE_SOURCE =
  "[\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]";
const UNSAFE_ONE = new RegExp(UNSAFE_SOURCE);
const UNSAFE_ALL = new RegExp(UNSAFE_SOURCE, "g");

/**
 * True when `text` holds a control, separator or bidirectional-formatting character.
 *
 * @example
 * hasUnsafeCharacters("Platform team"); // false
 * hasUnsafeCharacters("evil\u001b]0;owned\u0007"); // true
 */
export function hasUnsafeCharacters(text: string): boolean {
  return UNSAFE_ONE.test(text);
}

/**
 * `text` without control, separator and bidirectional-formatting characters, so it
 * prints as what it says: for anything a server sent, before a terminal, a status
 * bar or a child's environment sees it.
 *
 * @example
 * neutralText("ok\r✔ fake line"); // "ok✔ fake line"
 */
export function neutralText(text: string): string {
  return UNSAFE_ALL.test(text) ? text.replace(UNSAFE_ALL, "") : text;
}

/** How `escapeUnsafeCharacters` writes the common ones; the rest become `\uXXXX`. */
const ESCAPES: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/**
 * `text` with every control, separator and bidirectional-formatting character
 * written as an escape, so it stays on one line and says what it held: for text
 * from elsewhere in a log line, where dropping it would hide an attempt.
 *
 * @example
 * escapeUnsafeCharacters("/x\r\n[claudemesh] forged"); // "/x\\r\\n[claudemesh] forged"
 */
export function escapeUnsafeCharacters(text: string): string {
  if (!UNSAFE_ONE.test(text)) return text;
  return text.replace(
    UNSAFE_ALL,
    (character) => ESCAPES[character] ?? `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/**
 * A copy of a parsed JSON value with `neutralText` applied to every string in
 * it (keys too). Walked with a stack, not recursion, so no depth breaks it.
 */
export function neutralizeStrings<T>(value: T): T {
  if (typeof value === "string") return neutralText(value) as T;
  if (value === null || typeof value !== "object") return value;
  const root: unknown = Array.isArray(value) ? [] : {};
  const stack: [source: object, target: Record<string, unknown> | unknown[]][] = [
    [value as object, root as Record<string, unknown>],
  ];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [source, target] = next;
    for (const [key, item] of Object.entries(source)) {
      let copy: unknown = item;
      if (typeof item === "string") copy = neutralText(item);
      else if (item !== null && typeof item === "object") {
        copy = Array.isArray(item) ? [] : {};
        stack.push([item, copy as Record<string, unknown>]);
      }
      if (Array.isArray(target)) target.push(copy);
      else target[neutralText(key)] = copy;
    }
  }
  return root as T;
}

export const UNSAFE_NAME_MESSAGE = "must not contain control characters, line breaks or bidirectional overrides";

// Characters that show nothing, so a name holding them looks blank or like another
// name: zero-width space, non-joiner and joiner; word joiner and the invisible math
// operators; the deprecated format controls; the byte-order mark; soft hyphen; the
// combining grapheme joiner; Hangul fillers (choseong, jungseong, compatibility,
// halfwidth); Khmer's inherent vowels; the Mongolian vowel separator; the blank
// Braille pattern; and the tag characters, which also smuggle text past a reader.
const INVISIBLE_SOURCE =
  "[\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200d\u2060-\u2064\u206a-\u206f\u2800\u3164\ufeff\uffa0\u{e0000}-\u{e007f}]";
const INVISIBLE_ONE = new RegExp(INVISIBLE_SOURCE, "u");
const INVISIBLE_ALL = new RegExp(INVISIBLE_SOURCE, "gu");
/** Something a reader sees: not a space, control, format or invisible character, nor a mark on nothing. */
const VISIBLE_ONE = /[^\p{White_Space}\p{Cc}\p{Cf}\p{Mn}\p{Me}\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0]/u;

/**
 * The first invisible (format or filler) character in `text`, as `U+200B`, or
 * null when there is none.
 *
 * @example
 * invisibleCharacter("a\u200bb"); // "U+200B"
 * invisibleCharacter("Platform team"); // null
 */
export function invisibleCharacter(text: string): string | null {
  const found = INVISIBLE_ONE.exec(text)?.[0];
  return found === undefined ? null : `U+${(found.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
}

/** `text` without invisible characters: for a name this machine makes up (its host name), which the server would refuse. */
export function withoutInvisibleCharacters(text: string): string {
  return text.replace(INVISIBLE_ALL, "");
}

/**
 * Whether `text` has a character a reader sees (a letter, digit, symbol or
 * punctuation), not only spaces, marks and invisible ones.
 *
 * @example
 * hasVisibleCharacter("\u3164\u200b"); // false
 */
export function hasVisibleCharacter(text: string): boolean {
  return VISIBLE_ONE.test(text);
}

// Half of a surrogate pair, alone: JSON's \u escapes can write one, but it is not
// text, and Postgres refuses it (and NUL) in json and jsonb.
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * True when `text` can be stored as it came: no NUL character and no half of a
 * surrogate pair.
 *
 * @example
 * isStorableText("café ☕"); // true
 * isStorableText("a\u0000b"); // false
 * isStorableText("\ud83d"); // false: half of an emoji
 */
export function isStorableText(text: string): boolean {
  return !text.includes("\u0000") && !UNPAIRED_SURROGATE.test(text);
}

export const UNSTORABLE_TEXT_MESSAGE = "must be text, without NUL characters or unpaired surrogates";

/** A string that `isStorableText`. */
export function StorableText() {
  return z.string().refine(isStorableText, UNSTORABLE_TEXT_MESSAGE);
}

/**
 * A name people choose and others see (user, mesh, device, token): trimmed,
 * 1–`max` characters, none of them control, bidirectional-formatting or
 * invisible ones, and at least one a reader can see.
 */
export function DisplayName(max: number) {
  return z
    .string()
    .trim()
    .min(1, "is required")
    .max(max, `at most ${max} characters`)
    .refine((name) => !hasUnsafeCharacters(name), UNSAFE_NAME_MESSAGE)
    .refine(isStorableText, UNSTORABLE_TEXT_MESSAGE)
    .superRefine((name, context) => {
      const invisible = invisibleCharacter(name);
      if (invisible) {
        context.addIssue({
          code: "custom",
          message: `must not contain invisible characters (found ${invisible}), which make a name look blank or like another`,
        });
      } else if (name !== "" && !hasVisibleCharacter(name)) {
        context.addIssue({ code: "custom", message: "must contain at least one visible character" });
      }
    });
}
