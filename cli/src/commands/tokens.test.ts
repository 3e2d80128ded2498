import { DEFAULT_PAT_LIFETIME_DAYS } from "@claudemesh/sdk";
import { describe, expect, it } from "vitest";
import { createContext } from "../context.js";
import { formatLifetime, parseLifetime, tokensCommand } from "./tokens.js";

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

describe("tokens create --expires-in", () => {
  it("defaults to the one default lifetime the API, the extension and the dashboard use", () => {
    const create = tokensCommand(createContext({})).commands.find((command) => command.name() === "create");
    const expiresIn = create?.options.find((option) => option.long === "--expires-in");
    expect(parseLifetime(String(expiresIn?.defaultValue))).toBe(DEFAULT_PAT_LIFETIME_DAYS);
  });

  it.each([30, 90, 365, 730])("formatLifetime(%i) reads back as the same days", (days) => {
    expect(parseLifetime(formatLifetime(days))).toBe(days);
  });
});
