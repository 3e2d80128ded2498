import { describe, expect, it } from "vitest";
import { HOME_PATH } from "../next-path.js";
import { VERIFIED_PATH, verificationLink } from "./verification-email.js";

const PUBLIC_URL = "https://mesh.example";

/** A link as Better Auth builds it: its base URL, the token, and the callbackURL the request named. */
const betterAuthUrl = (callbackURL: string) =>
  `${PUBLIC_URL}/api/auth/verify-email?token=eyJ.abc.def&callbackURL=${encodeURIComponent(callbackURL)}`;

const callbackOf = (link: string) => new URL(link).searchParams.get("callbackURL");

describe("verificationLink", () => {
  it("keeps Better Auth's token and lands on our page", () => {
    const link = verificationLink(PUBLIC_URL, betterAuthUrl("/"));
    expect(link).toBe(`${PUBLIC_URL}/api/auth/verify-email?token=eyJ.abc.def&callbackURL=%2Femail-verification`);
  });

  it("keeps a next on this site that our own resend form asked for", () => {
    const link = verificationLink(
      PUBLIC_URL,
      betterAuthUrl(`${VERIFIED_PATH}?next=${encodeURIComponent("/invite/s3cret")}`),
    );
    expect(callbackOf(link)).toBe(`${VERIFIED_PATH}?next=%2Finvite%2Fs3cret`);
  });

  it.each([
    ["another site", "https://evil.example/phish"],
    ["a path of ours with words in it", "/dashboard?msg=Your+account+is+locked,+call+us"],
  ])("drops a callbackURL to %s", (_, callbackURL) => {
    expect(callbackOf(verificationLink(PUBLIC_URL, betterAuthUrl(callbackURL)))).toBe(VERIFIED_PATH);
  });

  it("turns a next off this site into the home page", () => {
    const link = verificationLink(
      PUBLIC_URL,
      betterAuthUrl(`${VERIFIED_PATH}?next=${encodeURIComponent("//evil.example")}`),
    );
    expect(callbackOf(link)).toBe(`${VERIFIED_PATH}?next=${encodeURIComponent(HOME_PATH)}`);
  });
});
