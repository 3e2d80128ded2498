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

/**
 * The language a page is shown in: the switcher's cookie, else the first
 * `Accept-Language` range we have (by q-value, `es-MX` counts as `es`), else English.
 */
export function pickLocale(cookie: string | undefined, acceptLanguage: string | undefined): Locale {
  if (isLocale(cookie)) return cookie;
  const ranges = (acceptLanguage ?? "")
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { language: tag.split("-")[0]?.toLowerCase() ?? "", q: q === undefined ? 1 : Number(q), index };
    })
    .filter((range) => range.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranges.map((range) => range.language).find(isLocale) ?? DEFAULT_LOCALE;
}

export function translator(locale: Locale): Translate {
  const catalog = CATALOGS[locale];
  return (key, values) => catalog[key].replace(/\{(\w+)\}/g, (match, name: string) => values?.[name] ?? match);
}

/** Both catalogs, for the test that keeps them in step. */
export const catalogs = CATALOGS;
