import { describe, expect, it } from "vitest";
import { ErrorCode } from "../contracts/errors.js";
import { ERROR_CODES, ExitStatus, HINT_KEYS, type HintKey } from "./client.js";

// The steps that end in a new sign-in, however each door words them.
const SIGN_IN_STEPS: readonly HintKey[] = ["signIn", "reauthenticate", "replaceAuthFile", "signInAgain"];

describe("ERROR_CODES", () => {
  it("gives every error code an exit status", () => {
    for (const code of ErrorCode.options) {
      expect(Object.values(ExitStatus), code).toContain(ERROR_CODES[code].exit);
    }
  });

  it("suggests signing in for every code that exits with 2", () => {
    const authCodes = ErrorCode.options.filter((code) => ERROR_CODES[code].exit === ExitStatus.auth);
    expect(authCodes).toContain("credential_mismatch");
    for (const code of authCodes) expect(SIGN_IN_STEPS, code).toContain(ERROR_CODES[code].hint);
  });

  it("uses every hint key it declares, so no catalogue carries a text nobody shows", () => {
    const used = new Set(Object.values(ERROR_CODES).map((info) => info.hint));
    expect(HINT_KEYS.filter((key) => !used.has(key))).toEqual([]);
  });

  it("keeps people's words out of the SDK: a hint is a key, not a sentence", () => {
    for (const key of HINT_KEYS) expect(key).toMatch(/^[a-z][A-Za-z]*$/);
  });
});
