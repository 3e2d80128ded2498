import { describe, expect, it } from "vitest";
import {
  DisplayName,
  escapeUnsafeCharacters,
  hasUnsafeCharacters,
  hasVisibleCharacter,
  invisibleCharacter,
  neutralizeStrings,
  neutralText,
} from "./neutral-text.js";

const HOSTILE = [
  "\u001b]0;owned\u0007", // window title (OSC 0)
  "\u001b]52;c;cm0=\u0007", // clipboard write (OSC 52)
  "\u009b2J", // C1 CSI: clear screen
  "\r✔ Authenticated as admin", // a forged line
  "line\nbreak",
  "tab\there",
  "back\bspace",
  "del\u007f",
  "\u202egnp.exe", // right-to-left override
  "\u2067isolate\u2069",
  "\u200fmark",
  "para\u2029graph",
];

describe("neutral text", () => {
  it.each(HOSTILE)("finds and strips every unsafe character in %j", (text) => {
    expect(hasUnsafeCharacters(text)).toBe(true);
    const neutral = neutralText(text);
    expect(hasUnsafeCharacters(neutral)).toBe(false);
  });

  it("leaves ordinary text alone, accents, scripts and emoji included", () => {
    for (const text of ["Platform team", "Équipe Ñandú", "مرحبا", "日本語", "👩‍💻 dev", "a · b"]) {
      expect(hasUnsafeCharacters(text)).toBe(false);
      expect(neutralText(text)).toBe(text);
    }
  });

  it("neutralizes every string of a nested value, keys too, without recursion", () => {
    expect(
      neutralizeStrings({ user: { name: "A\u001b[31mda" }, list: ["x\ry", 1, null, true], "k\u202e": "v" }),
    ).toEqual({
      user: { name: "A[31mda" },
      list: ["xy", 1, null, true],
      k: "v",
    });
    let deep: unknown = "bottom\u0007";
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    let unwrapped = neutralizeStrings(deep);
    for (let i = 0; i < 100_000; i += 1) unwrapped = (unwrapped as unknown[])[0];
    expect(unwrapped).toBe("bottom");
  });

  it.each(HOSTILE)("escapes every unsafe character in %j onto one visible line", (text) => {
    const escaped = escapeUnsafeCharacters(text);
    expect(hasUnsafeCharacters(escaped)).toBe(false);
    expect(escaped).not.toBe(text);
  });

  it("writes escapes that say what was there, and leaves safe text alone", () => {
    expect(escapeUnsafeCharacters("/x\r\n[claudemesh] forged\t\u001b[2J\u0085\u2028\u202e")).toBe(
      "/x\\r\\n[claudemesh] forged\\t\\u001b[2J\\u0085\\u2028\\u202e",
    );
    for (const text of ["Équipe Ñandú", "日本語", "👩‍💻 dev", "back\\slash"])
      expect(escapeUnsafeCharacters(text)).toBe(text);
  });

  it("refuses unsafe names and caps their length", () => {
    const name = DisplayName(10);
    expect(name.safeParse("  ok  ").data).toBe("ok");
    expect(name.safeParse("x".repeat(11)).success).toBe(false);
    expect(name.safeParse("   ").success).toBe(false);
    // Surrounding whitespace (a leading "\r") is trimmed away; anything else unsafe is refused.
    for (const text of HOSTILE) {
      const parsed = name.safeParse(`a${text}`.slice(0, 10));
      expect(parsed.success, JSON.stringify(text)).toBe(false);
    }
  });
});

describe("DisplayName and invisible characters", () => {
  const name = DisplayName(100);
  it.each([
    ["a\u200bb\u2060c\u3164", "U+200B"],
    ["Ada\u200c", "U+200C"],
    ["Ada\u200d", "U+200D"],
    ["Ad\u2061a", "U+2061"],
    ["Ad\u2064a", "U+2064"],
    ["\ufeffAda Lovelace", null], // a leading BOM is trimmed away, as whitespace
    ["Ada\ufeffLovelace", "U+FEFF"],
    ["Ada\u00adLovelace", "U+00AD"],
    ["\u3164", "U+3164"],
    ["\u115f\u1160", "U+115F"],
    ["Ada\u2800", "U+2800"],
    ["Ada\u{e0041}\u{e0042}", "U+E0041"],
  ])("refuses %j, naming the first invisible character", (text, found) => {
    const parsed = name.safeParse(text);
    if (found === null) {
      expect(parsed).toMatchObject({ success: true, data: "Ada Lovelace" });
      return;
    }
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.message)).toEqual([
      `must not contain invisible characters (found ${found}), which make a name look blank or like another`,
    ]);
  });

  it.each(["\u0301\u0308", "\u3000\u00a0"])("refuses %j, with nothing a reader can see", (text) => {
    expect(name.safeParse(text).success).toBe(false);
    expect(hasVisibleCharacter(text)).toBe(false);
  });

  it.each(["Ada Lovelace", "José", "李小龙", "Zoë 🚀", "ক্ষ", "👍🏽", "مرحبا"])("keeps %j", (text) => {
    expect(name.safeParse(text)).toMatchObject({ success: true, data: text });
    expect(invisibleCharacter(text)).toBeNull();
  });
});
