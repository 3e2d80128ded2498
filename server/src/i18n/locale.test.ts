import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { catalogs, LOCALE_COOKIE, LOCALES, requestLocale, translator } from "./locale.js";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe("page strings", () => {
  const [first, ...others] = LOCALES;
  const reference = catalogs[first];

  it.each(others)("%s has exactly the keys English has", (locale) => {
    expect(Object.keys(catalogs[locale]).sort()).toEqual(Object.keys(reference).sort());
  });

  it.each(LOCALES)("%s fills the same placeholders as English and leaves nothing empty", (locale) => {
    for (const [key, text] of Object.entries(catalogs[locale])) {
      expect(text.trim(), key).not.toBe("");
      expect(placeholders(text), key).toEqual(placeholders(reference[key as keyof typeof reference]));
    }
  });

  it("fills placeholders and leaves unknown ones visible", () => {
    const t = translator("es");
    expect(t("nav.signedInAs", { email: "ada@example.test" })).toBe("Sesión iniciada como ada@example.test");
    expect(t("nav.signedInAs")).toBe("Sesión iniciada como {email}");
  });
});

describe("requestLocale", () => {
  const app = new Hono().get("/", (c) => c.text(requestLocale(c)));
  const localeOf = async (cookie?: string, acceptLanguage?: string) => {
    const headers: Record<string, string> = {};
    if (cookie !== undefined) headers.cookie = `${LOCALE_COOKIE}=${cookie}`;
    if (acceptLanguage !== undefined) headers["accept-language"] = acceptLanguage;
    return (await app.request("/", { headers })).text();
  };

  it.each([
    [undefined, undefined, "en"],
    [undefined, "es-MX,es;q=0.9,en;q=0.8", "es"],
    [undefined, "fr-FR, es;q=0.5, en;q=0.4", "es"],
    [undefined, "en;q=0.2, es;q=0.9", "es"],
    [undefined, "es;q=0, en", "en"],
    [undefined, "de, fr", "en"],
    [undefined, "ES-419", "es"],
    ["es", "en-US", "es"],
    ["en", "es", "en"],
    ["klingon", "es", "es"],
  ])("cookie %s, Accept-Language %s → %s", async (cookie, header, expected) => {
    expect(await localeOf(cookie, header)).toBe(expected);
  });
});
