import { describe, expect, it } from "vitest";
import { languageFlag, languageOf, pickLanguage } from "./language.js";

describe("pickLanguage", () => {
  it.each([
    [undefined, {}, "en"],
    [undefined, { LANG: "es_ES.UTF-8" }, "es"],
    [undefined, { LANG: "es_MX" }, "es"],
    [undefined, { LANG: "es" }, "es"],
    [undefined, { LANG: "en_US.UTF-8" }, "en"],
    [undefined, { LANG: "C" }, "en"],
    [undefined, { LANG: "POSIX" }, "en"],
    [undefined, { LANG: "estonian" }, "en"],
    [undefined, { LANG: "es_ES.UTF-8", LC_MESSAGES: "en_GB.UTF-8" }, "en"],
    [undefined, { LANG: "en_US.UTF-8", LC_MESSAGES: "es_AR.UTF-8" }, "es"],
    [undefined, { LANG: "es_ES.UTF-8", LC_ALL: "C" }, "en"],
    [undefined, { LANG: "es_ES.UTF-8", LC_ALL: "" }, "es"],
    [undefined, { LC_ALL: "C", CLAUDEMESH_LANG: "es" }, "es"],
    [undefined, { LANG: "es_ES.UTF-8", CLAUDEMESH_LANG: "en" }, "en"],
    ["en", { CLAUDEMESH_LANG: "es", LANG: "es_ES.UTF-8" }, "en"],
    ["es", { LC_ALL: "C" }, "es"],
    ["", { LANG: "es_ES.UTF-8" }, "es"],
  ])("--lang %j with %j → %s", (flag, env, expected) => {
    expect(pickLanguage(flag, env)).toBe(expected);
  });

  it("reads es-419 and ES as Spanish", () => {
    expect(languageOf("es-419")).toBe("es");
    expect(languageOf("ES")).toBe("es");
  });
});

describe("languageFlag", () => {
  it.each([
    [["whoami"], undefined],
    [["--lang", "es", "whoami"], "es"],
    [["whoami", "--lang=en"], "en"],
    [["launch", "--", "--lang", "es"], undefined],
  ])("%j → %j", (argv, expected) => {
    expect(languageFlag(argv)).toBe(expected);
  });
});
