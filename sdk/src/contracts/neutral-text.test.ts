import { describe, expect, it } from "vitest";
import {
  DisplayName,
  escapeUnsafeCharacters,
  hasUnsafeCharacters,
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
