import { watch } from "node:fs";
import type { User } from "../contracts/common.js";
import { ClaudemeshError } from "../errors.js";
import { parseToken } from "../token.js";
import type { AuthFile, CredentialSource } from "./auth-file.js";
import { AuthFileStore } from "./file-store.js";
import { type Keychain, loadKeytarKeychain } from "./keychain.js";

/** Where a token is kept. */
export type TokenStoreKind = "keychain" | "file";

/** A credential as read back: the token (if it could be read) and what auth.json says about it. */
export interface StoredCredential {
  token: string;
  store: TokenStoreKind;
  file: AuthFile;
}

/** A login to keep. */
export interface NewCredential {
  token: string;
  user: User;
  expiresAt: string | null;
  source: CredentialSource;
}

export interface CredentialStoreOptions {
  /** The server these credentials are for; also the keychain account. */
  apiUrl: string;
  configDir?: string;
  /** Force one store (CLAUDEMESH_TOKEN_STORE). `keychain` fails loudly instead of falling back. */
  mode?: TokenStoreKind;
  /** Loads the keychain; default keytar. Tests pass an in-memory one. */
  loadKeychain?: () => Promise<Keychain>;
  /** Things the user should hear (fallbacks, fixed permissions); the SDK never prints. */
  onNotice?: (message: string) => void;
  now?: () => Date;
}

/**
 * The one place clients keep credentials: the token in the OS keychain when
 * one answers, otherwise in auth.json; auth.json always records who is signed
 * in and where the token is. The CLI and the VS Code extension share it, so
 * signing in with one signs in the other.
 *
 * @example
 * const store = new CredentialStore({ apiUrl: api.baseUrl, onNotice: console.error });
 * await store.save({ token, user, expiresAt, source: "device-code" });
 */
export class CredentialStore {
  readonly file: AuthFileStore;
  readonly #apiUrl: string;
  readonly #mode: TokenStoreKind | undefined;
  readonly #loadKeychain: () => Promise<Keychain>;
  readonly #onNotice: (message: string) => void;
  readonly #now: () => Date;
  #keychain: Promise<Keychain> | undefined;
  #noticedFallback = false;

  constructor(options: CredentialStoreOptions) {
    this.#apiUrl = options.apiUrl;
    this.#mode = options.mode;
    this.#loadKeychain = options.loadKeychain ?? (() => loadKeytarKeychain());
    this.#onNotice = options.onNotice ?? (() => {});
    this.#now = options.now ?? (() => new Date());
    this.file = new AuthFileStore({ configDir: options.configDir, onWarning: this.#onNotice });
  }

  /** The keychain account: the API origin. */
  get account(): string {
    return new URL(this.#apiUrl).origin;
  }

  /**
   * The stored credential for this server, or null when signed out (or signed
   * in to another server). Throws `auth_file_corrupted`, or `keychain_unavailable`
   * when the keychain holds the token but cannot be read right now.
   */
  async load(): Promise<StoredCredential | null> {
    const file = await this.file.read();
    if (!file || new URL(file.api_url).origin !== this.account) return null;
    if (file.token_store === "file") {
      if (!file.token)
        throw new ClaudemeshError("auth_file_corrupted", `Auth file corrupted (${this.file.path} has no token).`);
      return { token: file.token, store: "file", file };
    }
    // A locked keyring answers null rather than failing: say so instead of "signed out".
    const token = await (await this.#keychainOrThrow()).get(this.account);
    if (!token) {
      throw new ClaudemeshError(
        "keychain_unavailable",
        `The token for ${file.user.email} is kept in the OS keychain, which did not return it (locked?). Unlock it, or run \`claudemesh login\` again.`,
      );
    }
    return { token, store: "keychain", file };
  }

  /**
   * Keeps a new login. Keychain first; if it cannot take the token (and the
   * keychain was not forced), the token goes into auth.json instead and the
   * user is told once: a freshly minted token is never lost.
   */
  async save(login: NewCredential): Promise<{ store: TokenStoreKind; location: string }> {
    const base = {
      version: 1 as const,
      token_kind: parseToken(login.token).kind,
      api_url: this.#apiUrl,
      user: login.user,
      created_at: this.#now().toISOString(),
      expires_at: login.expiresAt,
      source: login.source,
    };
    if (this.#mode !== "file") {
      try {
        await (await this.#keychainOrThrow()).set(this.account, login.token);
        await this.file.write({ ...base, token_store: "keychain" });
        return { store: "keychain", location: "the OS keychain" };
      } catch (error) {
        if (this.#mode === "keychain" || !(error instanceof ClaudemeshError) || error.code !== "keychain_unavailable") {
          throw error;
        }
        this.#noticeFallback(error);
      }
    }
    await this.file.write({ ...base, token_store: "file", token: login.token });
    return { store: "file", location: this.file.path };
  }

  /** Forgets the credential: the keychain entry (best effort) and auth.json. True if anything was removed. */
  async clear(): Promise<boolean> {
    let removedSecret = false;
    if (this.#mode !== "file") {
      try {
        removedSecret = await (await this.#keychainOrThrow()).delete(this.account);
      } catch {
        // No keychain: nothing of ours can be in it.
      }
    }
    const removedFile = await this.file.remove();
    return removedSecret || removedFile;
  }

  /**
   * Calls `onChange` when auth.json is written or removed by anyone (another
   * client signing in or out). Returns a function that stops watching.
   */
  async watch(onChange: () => void): Promise<() => void> {
    await this.file.ensureDir();
    let timer: NodeJS.Timeout | undefined;
    const watcher = watch(this.file.dir, (_event, name) => {
      if (name !== "auth.json") return;
      clearTimeout(timer);
      timer = setTimeout(onChange, 50); // a rename arrives as several events
    });
    return () => {
      clearTimeout(timer);
      watcher.close();
    };
  }

  #keychainOrThrow(): Promise<Keychain> {
    if (this.#mode === "file") {
      return Promise.reject(new ClaudemeshError("keychain_unavailable", "CLAUDEMESH_TOKEN_STORE=file"));
    }
    this.#keychain ??= this.#loadKeychain();
    return this.#keychain;
  }

  #noticeFallback(error: ClaudemeshError): void {
    if (this.#noticedFallback) return;
    this.#noticedFallback = true;
    this.#onNotice(`${error.message} The token is kept in ${this.file.path} (mode 0600) instead.`);
  }
}
