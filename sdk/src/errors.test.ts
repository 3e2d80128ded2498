import { describe, expect, it } from "vitest";
import { ErrorBody, ErrorCode } from "./contracts/errors.js";
import { ClaudemeshError, ERROR_CODES, ExitStatus, isAuthError } from "./errors.js";

describe("ClaudemeshError", () => {
  it.each([
    ["auth_required", 2],
    ["token_invalid", 2],
    ["token_expired", 2],
    ["token_revoked", 2],
    ["token_rejected", 2],
    ["auth_file_corrupted", 2],
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

  it("re-authentication hint accompanies every exit-2 code", () => {
    for (const code of ErrorCode.options) {
      const info = ERROR_CODES[code];
      if (info.exit === ExitStatus.auth) expect(info.hint).toMatch(/claudemesh login/);
    }
  });

  it("serialises to the server's error body", () => {
    const body = new ClaudemeshError("not_found", "No such session").toBody();
    expect(ErrorBody.parse(body)).toEqual({ error: "not_found", message: "No such session" });
  });

  it("maps client-side request errors to 4xx and never a 5xx", () => {
    for (const code of [
      "invalid_input",
      "invalid_json",
      "unsupported_media_type",
      "payload_too_large",
      "not_found",
    ] as const) {
      const status = new ClaudemeshError(code, "x").httpStatus;
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(500);
    }
  });
});
