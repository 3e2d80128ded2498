import { createRequire } from "node:module";
import { join } from "node:path";
import { type Keychain, loadKeytarKeychain } from "@claudemesh/sdk";
import type { Log } from "./output-log.js";

/** Where a platform package keeps the OS keychain module, from the extension's root (see ../keychain-module.mjs). */
export const KEYCHAIN_MODULE_PATH = ["dist", "native", "keytar.node"] as const;

/** Whether the OS keychain module this package ships loaded in this extension host, and from where. */
export type KeychainModuleStatus = { loaded: true; path: string } | { loaded: false; path: string; reason: string };

/** The loaded module, or why there is none. */
type KeychainModule = KeychainModuleStatus & { keytar?: unknown };

/** The keychain module of this installed package, loaded once. */
export interface NativeKeychainModule {
  status(): Promise<KeychainModuleStatus>;
  /** The module, for the SDK's `loadKeytarKeychain({ load })`; rejects, saying why, when it did not load. */
  load(): Promise<unknown>;
}

/**
 * Loads the keychain module the package ships (keytar's N-API binary, which
 * itself exports getPassword/setPassword/deletePassword), once per extension
 * host: the first caller loads it, later ones (and every CredentialStore, one
 * per server) share the answer. Nothing loads until the first call, so
 * activation never pays for the native module.
 */
export function nativeKeychainModule(extensionPath: string): NativeKeychainModule {
  let loading: Promise<KeychainModule> | undefined;
  const loadOnce = () => {
    loading ??= Promise.resolve().then((): KeychainModule => {
      const path = join(extensionPath, ...KEYCHAIN_MODULE_PATH);
      try {
        // The host's own require, made at run time: esbuild leaves createRequire alone, so the
        // .node file is loaded from the installed package, not bundled.
        return { loaded: true, path, keytar: createRequire(path)(path) };
      } catch (error) {
        return { loaded: false, path, reason: whyNotLoaded(error) };
      }
    });
    return loading;
  };
  return {
    status: async () => {
      const module = await loadOnce();
      return module.loaded
        ? { loaded: true, path: module.path }
        : { loaded: false, path: module.path, reason: module.reason };
    },
    load: async () => {
      const module = await loadOnce();
      if (!module.loaded) throw new Error(module.reason);
      return module.keytar;
    },
  };
}

/**
 * The OS keychain as the CLI uses it (same service and account, so a login in
 * either door is the other's), for a CredentialStore's `loadKeychain`. Without
 * the module the store keeps the token in auth.json, as the CLI does, and says
 * so (onNotice); VS Code's SecretStorage never holds the shared credential, as
 * the CLI cannot read it. A module that loaded is logged once, for support.
 */
export function packagedKeychain(module: NativeKeychainModule, log: Log): () => Promise<Keychain> {
  let logged = false;
  return async () => {
    const status = await module.status();
    if (status.loaded && !logged) log.info(`OS keychain module loaded (${status.path})`);
    logged = true;
    return loadKeytarKeychain({ load: module.load });
  };
}

/** One line: a package built for no platform (or another one) has no module, or the wrong one. */
function whyNotLoaded(error: unknown): string {
  if ((error as NodeJS.ErrnoException | undefined)?.code === "MODULE_NOT_FOUND") {
    return `this package holds no keychain module for ${process.platform}-${process.arch}`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0]?.trim() ?? "";
}
