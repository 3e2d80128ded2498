import { ErrorCode } from "@claudemesh/sdk/contracts";
import { ClaudemeshError, ERROR_CODES, HINT_KEYS } from "@claudemesh/sdk/errors";
import { afterEach, describe, expect, it, vi } from "vitest";
import { en } from "./en.js";
import { es } from "./es.js";
import { errorHint, errorText, LocalizedError } from "./language.js";

type Leaf = string | number | boolean | undefined | readonly unknown[] | ((...args: never[]) => unknown);

/** Every message as `path → leaf` (functions and lists are leaves). */
function leaves(catalogue: object, prefix = ""): Map<string, Leaf> {
  const found = new Map<string, Leaf>();
  for (const [key, value] of Object.entries(catalogue)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      for (const [inner, leaf] of leaves(value, path)) found.set(inner, leaf);
    } else found.set(path, value as Leaf);
  }
  return found;
}

// One value per parameter, each a distinct ISO date: a valid value for every parameter (dates, names, counts).
const SAMPLES = ["2026-01-11T09:30:00.000Z", "2026-02-12T09:30:00.000Z", "2026-03-13T09:30:00.000Z"];

/** An SDK detail or notice with every field any kind has, the strings among them samples. */
const SAMPLE_DETAIL = {
  origin: SAMPLES[0],
  path: SAMPLES[0],
  server: SAMPLES[0],
  reason: SAMPLES[1],
  field: SAMPLES[1],
  lockPath: SAMPLES[1],
  problem: SAMPLES[2],
  operation: "write",
  ms: 1000,
  mode: 0o644,
  wanted: 0o600,
  uid: 1001,
  pid: 4242,
  error: new ClaudemeshError("keychain_unavailable", SAMPLES[2] ?? ""),
};

/** What a message says, a function called with the samples (details and notices with a sample of theirs). */
function say(leaf: Leaf, path = ""): string {
  if (typeof leaf === "function" && /^(details|notices)\./.test(path)) {
    return String((leaf as (detail: object, why: string) => unknown)(SAMPLE_DETAIL, SAMPLES[2] ?? ""));
  }
  if (typeof leaf === "function") return String((leaf as (...values: string[]) => unknown)(...SAMPLES));
  return Array.isArray(leaf) ? leaf.join("|") : String(leaf ?? "");
}

// The same in both languages on purpose.
const SAME_IN_SPANISH = new Set(["wizard.no", "whoami.sessionId", "commander.titles.Usage:"]);

describe("the CLI's catalogues", () => {
  const english = leaves(en);
  const spanish = leaves(es);

  it("Spanish has exactly the keys English has", () => {
    expect([...spanish.keys()].sort()).toEqual([...english.keys()].sort());
  });

  it("every Spanish message says something, of the same kind as the English one", () => {
    for (const [path, leaf] of spanish) {
      expect(typeof leaf, path).toBe(typeof english.get(path));
      expect(say(leaf, path).trim(), path).not.toBe("");
    }
  });

  it("every value an English message shows, the Spanish one shows too", () => {
    for (const [path, leaf] of english) {
      // Dates are written differently on purpose; English error words are the server's message itself,
      // and zod's English words for a file's problem are left out in Spanish (the field is named).
      if (typeof leaf !== "function" || path === "date" || path.startsWith("errors.")) continue;
      const shown = SAMPLES.filter((sample) => say(leaf, path).includes(sample));
      const left = /^details\.file_(invalid|write_refused)$/.test(path) ? [SAMPLES[2]] : [];
      for (const sample of shown) {
        if (!left.includes(sample)) expect(say(spanish.get(path), path), path).toContain(sample);
      }
    }
  });

  it("every Spanish message differs from the English one, but for the few that are the same words", () => {
    const untranslated = [...spanish]
      .filter(([path]) => !SAME_IN_SPANISH.has(path))
      .filter(([path, leaf]) => say(leaf, path) === say(english.get(path), path))
      .map(([path]) => path);
    expect(untranslated).toEqual([]);
  });

  it("words every step the SDK names, in both languages, and nothing else", () => {
    expect(Object.keys(en.hints).sort()).toEqual([...HINT_KEYS].sort());
    expect(Object.keys(es.hints).sort()).toEqual([...HINT_KEYS].sort());
  });

  it("has an English and a Spanish hint for every code the SDK suggests a step for", () => {
    for (const code of ErrorCode.options) {
      if (ERROR_CODES[code].hint === undefined) continue;
      expect(errorHint(code, en), code).toMatch(/\S/);
      expect(errorHint(code, es), code).toMatch(/\S/);
    }
  });
});

describe("errors in the chosen language", () => {
  const fromServer = new ClaudemeshError("token_revoked", "Authentication failed (token revoked).");

  it("keeps the SDK's and server's own message in English", () => {
    expect(errorText(fromServer, en)).toBe("Authentication failed (token revoked).");
    expect(errorHint("token_revoked", en)).toBe("Run `claudemesh login` to re-authenticate.");
    expect(errorHint("credential_mismatch", en)).toBe("Run `claudemesh login` to sign in again.");
    expect(errorHint("not_found", en)).toBeUndefined();
  });

  it("says a known code in Spanish, quoting the server's detail where the code needs one", () => {
    expect(errorText(fromServer, es)).toBe("La autenticación falló (token revocado).");
    expect(errorHint("token_revoked", es)).toBe("Ejecuta `claudemesh login` para volver a autenticarte.");
    expect(errorHint("credential_mismatch", es)).toBe("Ejecuta `claudemesh login` para volver a iniciar sesión.");
    const missing = new ClaudemeshError("not_found", "No such personal access token.");
    expect(errorText(missing, es)).toBe("No se encontró: No such personal access token.");
  });

  it("leaves the CLI's own words, already in the user's language, as they are", () => {
    expect(errorText(new LocalizedError("not_found", "No te has unido a esa malla."), es)).toBe(
      "No te has unido a esa malla.",
    );
  });

  it("says any other error as it came", () => {
    expect(errorText(new Error("disk full"), es)).toBe("disk full");
  });
});

describe("the Spanish catalogue's start-up cost", () => {
  const RealDateTimeFormat = Intl.DateTimeFormat;
  afterEach(() => {
    Intl.DateTimeFormat = RealDateTimeFormat;
  });

  it("builds its date formatter on the first Spanish date, not on import (English runs never pay for es-ES data)", async () => {
    const locales: unknown[] = [];
    Intl.DateTimeFormat = class extends RealDateTimeFormat {
      constructor(locale?: string | string[], options?: Intl.DateTimeFormatOptions) {
        super(locale, options);
        locales.push(locale);
      }
    } as typeof Intl.DateTimeFormat;
    vi.resetModules();
    const { es: fresh } = await import("./es.js");
    expect(locales).toEqual([]);
    expect(fresh.date("2026-03-13T09:30:00.000Z")).toBe(es.date("2026-03-13T09:30:00.000Z"));
    expect(locales).toEqual(["es-ES"]);
  });
});
