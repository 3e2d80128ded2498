import { describe, expect, it } from "vitest";
import { looksLikeEmail, MAX_EMAIL_LENGTH } from "./email-address.js";

describe("looksLikeEmail", () => {
  it("takes what the sign-up and reset forms took before", () => {
    for (const email of ["a@b.c", "first.last+tag@mail.example.test", "x@sub.domain.example", "ñ@ejemplo.es"]) {
      expect(looksLikeEmail(email), email).toBe(true);
    }
  });

  it("refuses what they refused: no @, two, nothing before it, no dot inside the domain, white space", () => {
    for (const email of [
      "",
      "plain",
      "a@@b.c",
      "a@b@c.d",
      "@b.c",
      "a@.c",
      "a@b.",
      "a@bc",
      "a b@c.d",
      "a@b.c\n",
      "\ta@b.c",
    ]) {
      expect(looksLikeEmail(email), JSON.stringify(email)).toBe(false);
    }
  });

  it(`refuses anything past ${MAX_EMAIL_LENGTH} characters, the backtracking shape of 60 KB included`, () => {
    const longest = `${"a".repeat(64)}@${"b".repeat(MAX_EMAIL_LENGTH - 64 - 1 - 5)}.test`;
    expect(longest).toHaveLength(MAX_EMAIL_LENGTH);
    expect(looksLikeEmail(longest)).toBe(true);
    expect(looksLikeEmail(`a${longest}`)).toBe(false);
    expect(looksLikeEmail(`a@${"a.".repeat(30_000)}@`)).toBe(false);
    expect(looksLikeEmail(`a@${"a.".repeat(30_000)}a`)).toBe(false);
  });
});
