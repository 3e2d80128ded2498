import { describe, expect, it } from "vitest";
import { parseLifetime } from "./tokens.js";

describe("parseLifetime", () => {
  it.each([
    ["30d", 30],
    ["90 days", 90],
    ["1y", 365],
    ["2 years", 730],
    ["365", 365],
    ["never", null],
    ["NEVER", null],
  ])("%s → %s", (input, days) => {
    expect(parseLifetime(input)).toBe(days);
  });

  it.each(["0d", "-1d", "soon", "1.5y", "11y", ""])("rejects %j", (input) => {
    expect(() => parseLifetime(input)).toThrow(/--expires-in/);
  });
});
