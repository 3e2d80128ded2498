import type { Context } from "hono";
import { type DetectorOptions, detectFromCookie, detectFromHeader } from "hono/language";
import { en, type MessageKey } from "./en.js";
import { es } from "./es.js";

export const LOCALES = ["en", "es"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";
/** The cookie the language switcher sets. */
export const LOCALE_COOKIE = "claudemesh_lang";

const CATALOGS: Record<Locale, Record<MessageKey, string>> = { en, es };

/** Looks up a page string and fills its `{placeholders}`. */
export type Translate = (key: MessageKey, values?: Record<string, string>) => string;

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

// Hono's language detection, asked for the cookie then the header (the fields it needs besides are unused).
const DETECTION: DetectorOptions = {
  order: ["cookie", "header"],
  lookupCookie: LOCALE_COOKIE,
  lookupFromHeaderKey: "accept-language",
  lookupQueryString: "lang",
  lookupFromPathIndex: 0,
  caches: false,
  ignoreCase: true,
  fallbackLanguage: DEFAULT_LOCALE,
  supportedLanguages: [...LOCALES],
};

/**
 * The language a request is answered in (pages, and the emails it sends): the
 * switcher's cookie, else the first `Accept-Language` range we have (by
 * q-value, `es-MX` counts as `es`), else English. Called where needed rather
 * than run as Hono's languageDetector middleware, since error pages need it
 * outside any middleware and the API never does.
 */
export function requestLocale(c: Context): Locale {
  const detected = detectFromCookie(c, DETECTION) ?? detectFromHeader(c, DETECTION);
  return isLocale(detected) ? detected : DEFAULT_LOCALE;
}

export function translator(locale: Locale): Translate {
  const catalog = CATALOGS[locale];
  return (key, values) => catalog[key].replace(/\{(\w+)\}/g, (match, name: string) => values?.[name] ?? match);
}

/** Both catalogs, for the test that keeps them in step. */
export const catalogs = CATALOGS;
