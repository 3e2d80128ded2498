import { describe, expect, it } from "vitest";
import { readServerEnv } from "./env.js";

describe("readServerEnv", () => {
  it("defaults to port 3000 on embedded PGlite in ./.data", () => {
    expect(readServerEnv({})).toMatchObject({ PORT: 3000, CLAUDEMESH_DATA_DIR: "./.data" });
  });

  it("treats empty variables as unset", () => {
    const env = readServerEnv({ DATABASE_URL: "", PORT: "" });
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it("names every bad variable in one message", () => {
    expect(() => readServerEnv({ PORT: "70000", BETTER_AUTH_SECRET: "short", DATABASE_URL: "nope" })).toThrow(
      /PORT[\s\S]*DATABASE_URL[\s\S]*BETTER_AUTH_SECRET must be at least 32 characters/,
    );
  });
});
