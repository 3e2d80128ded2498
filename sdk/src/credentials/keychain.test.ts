import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { whyKeychainRefused, whyKeytarFailed } from "./keychain.js";

describe("why the keychain cannot be used", () => {
  it("says in one line that the keychain module is missing, without Node's require stack", () => {
    let missing: unknown;
    try {
      createRequire(import.meta.url)("./no-such-native-module.node");
    } catch (error) {
      missing = error;
    }
    expect((missing as Error).message).toContain("\n"); // Node's own: with a require stack
    const reason = whyKeytarFailed(missing);
    expect(reason).toBe("the keychain module (@github/keytar) is not installed here");
  });

  it("keeps the first line of any other failure", () => {
    expect(whyKeytarFailed(new Error("libsecret-1.so.0: cannot open shared object file\nmore detail"))).toBe(
      "the keychain module did not load: libsecret-1.so.0: cannot open shared object file",
    );
  });

  it("says the same of a Secret Service that is not running, whatever name D-Bus gives it", () => {
    const byName = new Error("The name org.freedesktop.secrets was not provided by any .service files");
    const byUniqueName = new Error("The name :1.1 was not provided by any .service files");
    expect(whyKeychainRefused(byName)).toBe("no Secret Service is running (the keyring daemon is not started)");
    expect(whyKeychainRefused(byUniqueName)).toBe(whyKeychainRefused(byName));
    expect(whyKeychainRefused(new Error("Cannot create an item in a locked collection"))).toBe(
      "Cannot create an item in a locked collection",
    );
  });
});
