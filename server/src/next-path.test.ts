import { describe, expect, it } from "vitest";
import { HOME_PATH, safeNextPath } from "./next-path.js";

describe("safeNextPath", () => {
  it.each([
    ["/cli-auth?code=BCDF-GHJK", "/cli-auth?code=BCDF-GHJK"],
    ["/dashboard/settings/cli-tokens", "/dashboard/settings/cli-tokens"],
    ["/a/../b", "/b"],
    // Percent-encoded CR/LF stays encoded: it cannot split the Location header.
    ["/%0d%0aSet-Cookie", "/%0d%0aSet-Cookie"],
  ])("keeps the same-site path %s", (next, expected) => {
    expect(safeNextPath(next)).toBe(expected);
  });

  it.each([
    "https://evil.example/",
    "//evil.example/path",
    "/..//evil.example",
    "/./%2e%2e//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "/ok\nLocation: https://evil.example",
    "",
    undefined,
    ["/a"],
  ])("sends %j home instead", (next) => {
    expect(safeNextPath(next)).toBe(HOME_PATH);
  });
});
