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
    expect(reason).toEqual({ kind: "keychain_module_missing" });
  });

  it("keeps the first line of any other failure", () => {
    expect(whyKeytarFailed(new Error("libsecret-1.so.0: cannot open shared object file\nmore detail"))).toEqual({
      kind: "keychain_module_failed",
      reason: "libsecret-1.so.0: cannot open shared object file",
    });
  });

  it("says the same of a Secret Service that is not running, whatever name D-Bus gives it", () => {
    const byName = new Error("The name org.freedesktop.secrets was not provided by any .service files");
    const byUniqueName = new Error("The name :1.1 was not provided by any .service files");
    expect(whyKeychainRefused(byName, "write")).toEqual({ kind: "no_secret_service", operation: "write" });
    expect(whyKeychainRefused(byUniqueName, "write")).toEqual(whyKeychainRefused(byName, "write"));
    expect(whyKeychainRefused(new Error("Cannot create an item in a locked collection"), "write")).toEqual({
      kind: "keychain_refused",
      operation: "write",
      reason: "Cannot create an item in a locked collection",
    });
  });

  it("says so, in words of its own, when there is no D-Bus session to reach a keychain through", () => {
    expect(whyKeychainRefused(new Error("Cannot autolaunch D-Bus without X11 $DISPLAY"), "read")).toEqual({
      kind: "no_session_bus",
      operation: "read",
    });
  });
});
