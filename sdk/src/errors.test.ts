import { describe, expect, it } from "vitest";
import { ErrorBody } from "./contracts/errors.js";
import { ClaudemeshError, isAuthError } from "./errors.js";

describe("ClaudemeshError", () => {
  it.each([
    ["auth_required", 2],
    ["token_invalid", 2],
    ["token_expired", 2],
    ["token_revoked", 2],
    ["token_rejected", 2],
    ["auth_file_corrupted", 2],
    ["credential_mismatch", 2],
    ["device_code_expired", 1],
    ["invalid_token_format", 1],
    ["network", 1],
    ["cancelled", 130],
  ] as const)("%s exits with %i", (code, exit) => {
    expect(new ClaudemeshError(code, "x").exitStatus).toBe(exit);
  });

  it("tells authentication failures apart from other failures", () => {
    expect(isAuthError(new ClaudemeshError("token_revoked", "revoked"))).toBe(true);
    expect(isAuthError(new ClaudemeshError("network", "down"))).toBe(false);
    expect(isAuthError(new Error("token_revoked"))).toBe(false);
  });

  it("names the step to suggest next by key, or none when the message says it all", () => {
    expect(new ClaudemeshError("credential_mismatch", "x").hintKey).toBe("signInAgain");
    expect(new ClaudemeshError("not_found", "x").hintKey).toBeUndefined();
  });

  it("serialises to the server's error body", () => {
    const body = new ClaudemeshError("not_found", "No such session").toBody();
    expect(ErrorBody.parse(body)).toEqual({ error: "not_found", message: "No such session" });
  });

  it("carries the HTTP status of its code", () => {
    expect(new ClaudemeshError("credential_mismatch", "x").httpStatus).toBe(401);
    expect(new ClaudemeshError("payload_too_large", "x").httpStatus).toBe(413);
  });
});
