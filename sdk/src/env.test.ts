import { describe, expect, it } from "vitest";
import { readSdkEnv } from "./env.js";

describe("readSdkEnv", () => {
  it("reads CLAUDEMESH_LONG_POLL as a switch, unset by default", () => {
    expect(readSdkEnv({}).longPoll).toBeUndefined();
    for (const off of ["0", "false", "OFF", "no"])
      expect(readSdkEnv({ CLAUDEMESH_LONG_POLL: off }).longPoll).toBe(false);
    for (const on of ["1", "true", "on"]) expect(readSdkEnv({ CLAUDEMESH_LONG_POLL: on }).longPoll).toBe(true);
  });

  it("treats empty variables as unset and ignores an unknown token store", () => {
    expect(readSdkEnv({ CLAUDEMESH_API_URL: "  ", CLAUDEMESH_TOKEN_STORE: "vault" })).toMatchObject({
      apiUrl: undefined,
      tokenStore: undefined,
    });
  });
});
