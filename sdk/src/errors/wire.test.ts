import { describe, expect, it } from "vitest";
import { ErrorCode } from "../contracts/errors.js";
import { HTTP_STATUS } from "./wire.js";

describe("HTTP_STATUS", () => {
  it("gives every error code an error status", () => {
    for (const code of ErrorCode.options) {
      expect(HTTP_STATUS[code], code).toBeGreaterThanOrEqual(400);
      expect(HTTP_STATUS[code], code).toBeLessThan(600);
    }
  });

  it("answers a bad request with a 4xx, never a 5xx", () => {
    for (const code of [
      "invalid_input",
      "invalid_json",
      "unsupported_media_type",
      "payload_too_large",
      "not_found",
    ] as const) {
      expect(HTTP_STATUS[code], code).toBeLessThan(500);
    }
  });

  it("answers every missing or refused credential with 401", () => {
    for (const code of [
      "auth_required",
      "token_invalid",
      "token_expired",
      "token_revoked",
      "credential_mismatch",
    ] as const) {
      expect(HTTP_STATUS[code], code).toBe(401);
    }
  });
});
