import { ClaudemeshError, type Keychain } from "@claudemesh/sdk";

/**
 * The OS keychain as a Map, for in-process command tests: the same `Keychain`
 * the SDK's store talks to, so commands take the path a desktop user's take.
 * The real one (gnome-keyring) is met by the process tests.
 */
export class MemoryKeychain implements Keychain {
  readonly entries = new Map<string, string>();

  async get(account: string): Promise<string | null> {
    return this.entries.get(account) ?? null;
  }

  async set(account: string, secret: string): Promise<void> {
    this.entries.set(account, secret);
  }

  async delete(account: string): Promise<boolean> {
    return this.entries.delete(account);
  }
}

/** A machine without a usable keychain (no keytar module): loading it fails as keytar's loader does. */
export const noKeychain = (): Promise<Keychain> =>
  Promise.reject(ClaudemeshError.of("keychain_unavailable", { kind: "keychain_module_missing" }));
