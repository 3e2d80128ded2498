import { crc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import { ClaudemeshError } from "./errors.js";
import {
  isWellFormedToken,
  looksLikeToken,
  mintToken,
  parseToken,
  redactToken,
  redactTokens,
  TOKEN_SCAN_REGEX,
} from "./token.js";

describe("token format", () => {
  it.each(["session", "pat"] as const)("mints cm_%s_ tokens that parse back", (kind) => {
    const token = mintToken(kind);
    expect(token.startsWith(`cm_${kind}_`)).toBe(true);
    expect(parseToken(token)).toEqual({ kind, token });
    expect(parseToken(token, kind).kind).toBe(kind);
  });

  it("matches the documented scan regex", () => {
    const text = `deploy with ${mintToken("pat")} and ${mintToken("session")}`;
    expect(text.match(TOKEN_SCAN_REGEX)).toHaveLength(2);
  });

  it("carries 256 random bits: a thousand tokens never repeat", () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => mintToken("pat")));
    expect(tokens.size).toBe(1000);
  });

  it("checksum is the low 30 bits of CRC32 of the random part", () => {
    const token = mintToken("pat");
    const random = token.slice("cm_pat_".length, -6);
    const expected = (crc32(Buffer.from(random)) & 0x3fffffff).toString(32).padStart(6, "0");
    // base32 digits differ from Number#toString(32); map 0-9a-v onto a-z2-7.
    const digits = "0123456789abcdefghijklmnopqrstuv";
    const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    const mapped = [...expected].map((ch) => alphabet[digits.indexOf(ch)]).join("");
    expect(token.slice(-6)).toBe(mapped);
  });

  // Fixed on purpose: minted once by 0.11.0's hand-written CRC32 in a test, never issued by a
  // server, so a change of checksum code that stopped parsing old tokens would fail here.
  it.each([
    "cm_pat_ld2vcpne2jdgtrr7fr3bcrrvdh5r3t34mo5t4tpkdsd5upevrfga3ognqw",
    "cm_session_ppe2nl7dvpyn5fbpb3t3cvws4uomikuepapdjmbxkoerwmpnb7uamf4yvy",
  ])("still parses %s, minted by 0.11.0's own CRC32", (token) => {
    expect(parseToken(token).token).toBe(token);
    // One character of the random part changed breaks the checksum.
    expect(isWellFormedToken(token.replace(/_l|_p/, (prefix) => `${prefix.slice(0, 1)}m`))).toBe(false);
  });

  it("forgives surrounding whitespace from a paste", () => {
    const token = mintToken("pat");
    expect(parseToken(`  ${token}\n`).token).toBe(token);
  });

  it.each([
    ["empty", ""],
    ["wrong prefix", "ghp_abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstu"],
    ["too short", "cm_pat_abc"],
    ["uppercase", () => mintToken("pat").toUpperCase()],
    ["a character dropped", () => mintToken("pat").slice(0, -1)],
  ])("rejects a malformed token (%s) with invalid_token_format", (_label, make) => {
    const raw = typeof make === "function" ? make() : make;
    expect(() => parseToken(raw)).toThrowError(expect.objectContaining({ code: "invalid_token_format" }));
    expect(isWellFormedToken(raw)).toBe(false);
  });

  it("catches a single mistyped character through the checksum", () => {
    const token = mintToken("pat");
    const at = 20;
    const typo = token.slice(0, at) + (token[at] === "a" ? "b" : "a") + token.slice(at + 1);
    expect(() => parseToken(typo)).toThrow(/checksum/);
  });

  it("rejects a session token where a PAT is expected", () => {
    let error: unknown;
    try {
      parseToken(mintToken("session"), "pat");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ClaudemeshError);
    expect((error as Error).message).toBe("Invalid token format (expected cm_pat_…)");
  });

  it("redacts to the prefix and the first four characters", () => {
    const token = mintToken("session");
    expect(redactToken(token)).toBe(`cm_session_${token.slice(11, 15)}…`);
    expect(redactToken(token)).not.toContain(token.slice(15, 30));
  });

  it("redacts every token-shaped string in a text, even a mistyped one, and leaves other text alone", () => {
    const pat = mintToken("pat");
    const text = `revoke ${pat} failed; also cm_session_abcdefghij and cm_pat_short and cm_other_${"x".repeat(40)}`;
    expect(redactTokens(text)).toBe(
      `revoke cm_pat_${pat.slice(7, 11)}… failed; also cm_session_abcd… and cm_pat_short and cm_other_${"x".repeat(40)}`,
    );
    expect(looksLikeToken(pat)).toBe(true);
    expect(looksLikeToken("3f2c9a1e-5b7d-4c1a-9e8f-0a1b2c3d4e5f")).toBe(false);
  });
});
