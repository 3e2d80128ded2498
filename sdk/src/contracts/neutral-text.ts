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

/**
 * A name people choose and others see (user, mesh, device, token): trimmed,
 * 1–`max` characters, none of them control or bidirectional-formatting ones.
 */
export function DisplayName(max: number) {
  return z
    .string()
    .trim()
    .min(1, "is required")
    .max(max, `at most ${max} characters`)
    .refine((name) => !hasUnsafeCharacters(name), UNSAFE_NAME_MESSAGE);
}
