import { describe, expect, it } from "vitest";
import { en } from "./en.js";
import { es } from "./es.js";
import { clause } from "./punctuation.js";

describe("sentences inside sentences", () => {
  it("drop their full stop, nothing else", () => {
    expect(clause("Cannot reach http://localhost:3000 (ECONNREFUSED).")).toBe(
      "Cannot reach http://localhost:3000 (ECONNREFUSED)",
    );
    expect(clause("  Already revoked.. ")).toBe("Already revoked");
    expect(clause("Is it up?")).toBe("Is it up?");
  });

  it("read without doubled brackets or stops, in both languages", () => {
    for (const t of [en, es]) {
      expect(t.login.notOpening(t.browser.failed("spawn xdg-open ENOENT"))).not.toContain("))");
      const said = [
        t.login.syncFailed("Cannot reach http://localhost:3000 (ECONNREFUSED)."),
        t.logout.notRevoked("Already revoked."),
      ].join("\n");
      expect(said).not.toMatch(/\.\)|\.;/);
    }
  });
});
