import { ClaudemeshError, ERROR_CODES, type ErrorCode, type ErrorDetail, type Notice } from "@claudemesh/sdk/errors";
import { en, type Messages } from "./en.js";
import { es } from "./es.js";

export const LANGUAGES = ["en", "es"] as const;
export type Language = (typeof LANGUAGES)[number];

const CATALOGUES: Record<Language, Messages> = { en, es };

/** The catalogue for a language. */
export function messagesFor(language: Language): Messages {
  return CATALOGUES[language];
}

/** `es`, `es_ES.UTF-8`, `es-MX` → es; anything else (C, POSIX, en_US, fr) → en. */
export function languageOf(tag: string): Language {
  return /^es(?:[_.@-]|$)/i.test(tag.trim()) ? "es" : "en";
}

/**
 * The language messages are in: `--lang`, else CLAUDEMESH_LANG, else the
 * locale as POSIX reads it for messages (the first set of LC_ALL,
 * LC_MESSAGES, LANG), else English.
 */
export function pickLanguage(flag: string | undefined, env: NodeJS.ProcessEnv): Language {
  const chosen = [flag, env.CLAUDEMESH_LANG, env.LC_ALL, env.LC_MESSAGES, env.LANG].find(
    (value) => value !== undefined && value.trim() !== "",
  );
  return chosen === undefined ? "en" : languageOf(chosen);
}

/**
 * `--lang` as typed anywhere before `--` (`--lang es`, `--lang=es`), read
 * before commander parses, since the commands' own descriptions depend on it.
 */
export function languageFlag(argv: readonly string[]): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? "";
    if (arg === "--") break;
    if (arg === "--lang") found = argv[i + 1];
    else if (arg.startsWith("--lang=")) found = arg.slice("--lang=".length);
  }
  return found;
}

/** A ClaudemeshError the CLI raised with words already from the user's catalogue. */
export class LocalizedError extends ClaudemeshError {}

/**
 * An error's message in the chosen language: the CLI's own as they are, the
 * SDK's and the server's by their code (their English message is the detail
 * a catalogue may quote), anything else as it came.
 */
export function errorText(error: unknown, t: Messages, apiUrl = ""): string {
  if (error instanceof LocalizedError) return error.message;
  // A newer server's code this CLI has no words for keeps its own message.
  if (error instanceof ClaudemeshError) {
    if (error.detail) return detailText(error.detail, t);
    return t.errors[error.code]?.(error.message, apiUrl) ?? error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** An SDK error's detail in the chosen language. */
export function detailText(detail: ErrorDetail, t: Messages): string {
  const words = t.details[detail.kind] as (detail: ErrorDetail) => string;
  return words(detail);
}

/** Something the SDK wants the user to hear (a fallback taken, a mode fixed), in the chosen language. */
export function noticeText(notice: Notice, t: Messages): string {
  const words = t.notices[notice.kind] as (notice: Notice, why: string) => string;
  return words(notice, "error" in notice ? errorText(notice.error, t) : "");
}

/** A mesh role (owner, admin, member) as people read it; a role this CLI does not know, as it came. */
export function roleText(role: string, t: Messages): string {
  return t.roles[role] ?? role;
}

/** What to do about an error's code, in the chosen language: the step the SDK names for it, in the catalogue's words. */
export function errorHint(code: ErrorCode, t: Messages): string | undefined {
  // A newer server's code this CLI does not know has no step to suggest.
  const key = ERROR_CODES[code]?.hint;
  return key === undefined ? undefined : t.hints[key];
}
