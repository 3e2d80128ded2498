import { ClaudemeshError } from "@claudemesh/sdk/errors";
import { describe, expect, it } from "vitest";
import { checkParsedBody, MAX_JSON_DEPTH, MAX_JSON_VALUES } from "./json-body.js";

/** `levels` arrays, each holding the next, around `inside`. */
function nested(levels: number, inside: unknown = 1): unknown {
  let value = inside;
  for (let i = 0; i < levels; i += 1) value = [value];
  return value;
}

function refusal(value: unknown): string | undefined {
  try {
    checkParsedBody(value);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(ClaudemeshError);
    expect((error as ClaudemeshError).code).toBe("invalid_input");
    return (error as Error).message;
  }
}

describe("checkParsedBody", () => {
  it("passes what our routes take: a full telemetry batch, nested names, numbers and nulls", () => {
    const event = { event: "cli.logout", at: "2026-01-01T00:00:00Z", properties: {} as Record<string, unknown> };
    for (let i = 0; i < 20; i += 1) event.properties[`p${i}`] = i % 2 ? null : "x";
    expect(refusal({ install_id: "abcdefgh", events: Array.from({ length: 50 }, () => event) })).toBeUndefined();
    expect(refusal({ name: "Équipe", slug: null, n: 1, ok: true })).toBeUndefined();
    expect(refusal("plain")).toBeUndefined();
  });

  it(`takes ${MAX_JSON_DEPTH} levels of nesting and refuses ${MAX_JSON_DEPTH + 1}, arrays and objects alike`, () => {
    expect(refusal(nested(MAX_JSON_DEPTH))).toBeUndefined();
    expect(refusal(nested(MAX_JSON_DEPTH + 1))).toBe(`The request body nests deeper than ${MAX_JSON_DEPTH} levels.`);
    let objects: unknown = "bottom";
    for (let i = 0; i <= MAX_JSON_DEPTH; i += 1) objects = { a: objects };
    expect(refusal(objects)).toMatch(/nests deeper/);
  });

  it("refuses 100 000 levels without overflowing the stack", () => {
    expect(refusal(JSON.parse(`${"[".repeat(100_000)}${"]".repeat(100_000)}`))).toMatch(/nests deeper/);
    expect(refusal({ name: nested(100_000) })).toMatch(/nests deeper/);
  });

  it(`takes ${MAX_JSON_VALUES} values and refuses one more, in arrays or as keys`, () => {
    expect(refusal(Array.from({ length: MAX_JSON_VALUES - 1 }, () => 0))).toBeUndefined();
    expect(refusal(Array.from({ length: MAX_JSON_VALUES }, () => 0))).toBe(
      `The request body holds more than ${MAX_JSON_VALUES} values.`,
    );
    const wide = Object.fromEntries(Array.from({ length: MAX_JSON_VALUES }, (_, i) => [`k${i}`, i]));
    expect(refusal({ name: "x", ...wide })).toMatch(/holds more than/);
  });

  it("refuses NUL in a string or a key at any depth", () => {
    expect(refusal({ name: "a\u0000b" })).toMatch(/NUL/);
    expect(refusal({ "k\u0000": 1 })).toMatch(/NUL/);
    expect(refusal(nested(10, "deep\u0000"))).toMatch(/NUL/);
  });
});
