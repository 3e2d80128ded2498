import { watch } from "node:fs";
import type { User } from "../contracts/common.js";
import { ClaudemeshError, type KeychainOperation, type Notice } from "../errors.js";
import { parseToken } from "../token.js";
import {
  type AuthFile,
  type CredentialSource,
  type ServerCredential,
  serverKey,
  tokenFingerprint,
} from "./auth-file.js";
import { AuthFileStore } from "./file-store.js";
import { type Keychain, loadKeytarKeychain } from "./keychain.js";

/** Where a token is kept. */
export type TokenStoreKind = "keychain" | "file";

/** A credential as read back: the token and what auth.json records about it. */
export interface StoredCredential {
  token: string;
  store: TokenStoreKind;
  record: ServerCredential;
}

/** A login to keep. */
export interface NewCredential {
  token: string;
  user: User;
  expiresAt: string | null;
  source: CredentialSource;
}

export interface CredentialStoreOptions {
  /** The server these credentials are for. */
  apiUrl: string;
  configDir?: string;
  /** Force one store (CLAUDEMESH_TOKEN_STORE). `keychain` fails loudly instead of falling back. */
  mode?: TokenStoreKind;
  /** Loads the keychain; default keytar. Tests pass an in-memory one. */
  loadKeychain?: () => Promise<Keychain>;
  /** Things the user should hear (fallbacks, fixed permissions), as data to word; the SDK never prints. */
  onNotice?: (notice: Notice) => void;
  now?: () => Date;
}

/**
 * The keychain account a login's token is kept under: the server's origin, the
 * user's id (an entry left by one account is never read as another's) and the
 * token's fingerprint (a new login writes a new entry and drops the old one only
 * once auth.json points at the new one, so a crash in between loses neither).
 */
export function keychainAccount(apiUrl: string, userId: string, fingerprint: string): string {
  return `${serverKey(apiUrl)}#${userId}#${fingerprint}`;
}

/** Where a record's token is in the keychain; null when it is not there (or an older claudemesh put it there). */
function accountOf(record: ServerCredential): string | null {
  if (record.token_store !== "keychain" || record.token_fingerprint === null) return null;
  return keychainAccount(record.api_url, record.user.id, record.token_fingerprint);
}

/**
 * The one place clients keep credentials, one login per server: the token in
 * the OS keychain when one answers, otherwise in auth.json; auth.json always
 * records who is signed in and where the token really is. The CLI and the
 * VS Code extension share it, so signing in with one signs in the other.
 *
 * @example
 * const store = new CredentialStore({ apiUrl: api.baseUrl, onNotice: console.error });
 * await store.save({ token, user, expiresAt, source: "device-code" });
 */
export class CredentialStore {
  readonly file: AuthFileStore;
  readonly #options: CredentialStoreOptions;
  readonly #apiUrl: string;
  readonly #mode: TokenStoreKind | undefined;
  readonly #loadKeychain: () => Promise<Keychain>;
  readonly #onNotice: (notice: Notice) => void;
  readonly #now: () => Date;
  #keychain: Promise<Keychain> | undefined;
  #noticedFallback = false;

  constructor(options: CredentialStoreOptions) {
    this.#options = options;
    this.#apiUrl = options.apiUrl;
    this.#mode = options.mode;
    this.#loadKeychain = options.loadKeychain ?? (() => loadKeytarKeychain());
    this.#onNotice = options.onNotice ?? (() => {});
    this.#now = options.now ?? (() => new Date());
    this.file = new AuthFileStore({ configDir: options.configDir, onNotice: this.#onNotice });
  }

  /** The server in use: the key of its login in auth.json. */
  get server(): string {
    return serverKey(this.#apiUrl);
  }

  /** The same store for another server (`logout --all`, `auth status`). */
  forServer(apiUrl: string): CredentialStore {
    return new CredentialStore({ ...this.#options, apiUrl });
  }

  /**
   * The stored credential for this server, or null when signed out here.
   * Throws `auth_file_corrupted`; `keychain_unavailable` when the keychain
   * holds the token but does not give it now; `credential_mismatch` when the
   * keychain's secret is not the token this record was saved with.
   */
  async load(): Promise<StoredCredential | null> {
    const record = (await this.file.read())?.servers[this.server];
    if (!record) return null;
    // Details name the server, not the account: a secret that cannot be checked proves nobody.
    const server = this.server;
    if (record.token_store === "file") {
      if (!record.token) {
        throw ClaudemeshError.of("auth_file_corrupted", { kind: "auth_file_without_token", path: this.file.path });
      }
      return { token: record.token, store: "file", record };
    }
    if (record.token_fingerprint === null) {
      throw ClaudemeshError.of("credential_mismatch", { kind: "keychain_entry_unpaired", server });
    }
    // A locked keyring answers null rather than failing: say so instead of "signed out".
    const token = await (await this.#keychainOrThrow()).get(
      keychainAccount(this.#apiUrl, record.user.id, record.token_fingerprint),
    );
    if (!token) throw ClaudemeshError.of("keychain_unavailable", { kind: "keychain_entry_missing", server });
    if (tokenFingerprint(token) !== record.token_fingerprint) {
      throw ClaudemeshError.of("credential_mismatch", { kind: "keychain_entry_foreign", server });
    }
    return { token, store: "keychain", record };
  }

  /** Every server this machine holds a login for, the one in use among them; tokens left out. */
  async servers(): Promise<Array<Omit<ServerCredential, "token"> & { in_use: boolean }>> {
    const file = await this.file.read();
    return Object.entries(file?.servers ?? {}).map(([key, { token: _token, ...record }]) => ({
      ...record,
      in_use: key === this.server,
    }));
  }

  /**
   * Keeps a new login for this server. Keychain first; if it cannot take the
   * token (and the keychain was not forced), the token goes into auth.json
   * instead, the record says so, and the user is told once: a freshly minted
   * token is never lost.
   */
  async save(login: NewCredential): Promise<{ store: TokenStoreKind }> {
    const base = {
      api_url: this.#apiUrl,
      token_fingerprint: tokenFingerprint(login.token),
      token_kind: parseToken(login.token).kind,
      user: login.user,
      created_at: this.#now().toISOString(),
      expires_at: login.expiresAt,
      source: login.source,
    };
    let record: ServerCredential = { ...base, token_store: "file", token: login.token };
    let fallback: ClaudemeshError | undefined;
    if (this.#mode !== "file") {
      try {
        const account = keychainAccount(this.#apiUrl, login.user.id, base.token_fingerprint);
        await (await this.#keychainOrThrow()).set(account, login.token);
        record = { ...base, token_store: "keychain" };
      } catch (error) {
        if (this.#mode === "keychain") throw error;
        fallback = asKeychainError(error, "write");
      }
    }
    // The login this one replaces, read under the lock that writes its successor.
    const replaced: { record: ServerCredential | null } = { record: null };
    try {
      await this.file.update((current) => {
        replaced.record = current?.servers[this.server] ?? null;
        return withServer(current, this.server, record);
      });
    } catch (error) {
      if (!(error instanceof ClaudemeshError) || error.code !== "auth_file_corrupted") throw error;
      // Unreadable (or a link, or not the user's): a fresh login replaces it whole rather than being lost.
      await this.file.write(withServer(null, this.server, record));
      this.#onNotice({ kind: "auth_file_replaced", error });
    }
    if (fallback) this.#noticeFallback(fallback);
    // Only now that auth.json names the new login does the replaced entry go (a crash before here keeps it whole).
    const replacedAccount = replaced.record && accountOf(replaced.record);
    if (replacedAccount && replacedAccount !== accountOf(record)) await this.#deleteSecrets([replacedAccount]);
    // Where, as data: each door names the keychain in its own words, and auth.json by `file.path`.
    return { store: record.token_store };
  }

  /** Forgets this server's login: its keychain entry (best effort) and its record. True if anything was removed. */
  async clear(): Promise<boolean> {
    let record: ServerCredential | null = null;
    let unreadable = false;
    try {
      record = (await this.file.read())?.servers[this.server] ?? null;
    } catch {
      unreadable = true;
    }
    // The bare origin is where an older claudemesh kept the token.
    const account = record && accountOf(record);
    const accounts = [this.server, ...(account ? [account] : [])];
    const removedSecret = await this.#deleteSecrets(accounts);
    // An unreadable auth.json belongs to nobody in particular: it goes whole.
    let removedRecord = false;
    if (unreadable) removedRecord = await this.file.remove();
    else if (record) {
      await this.file.update((current) => withServer(current, this.server, null));
      removedRecord = true;
    }
    return removedSecret || removedRecord;
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

  /** Deletes keychain entries, best effort: no keychain means nothing of ours is in it. */
  async #deleteSecrets(accounts: string[]): Promise<boolean> {
    if (this.#mode === "file") return false;
    let removed = false;
    try {
      const keychain = await this.#keychainOrThrow();
      for (const account of accounts) removed = (await keychain.delete(account)) || removed;
    } catch {
      // Locked, gone or absent: the record is what signs in, and it goes.
    }
    return removed;
  }

  #keychainOrThrow(): Promise<Keychain> {
    if (this.#mode === "file") {
      return Promise.reject(ClaudemeshError.of("keychain_unavailable", { kind: "keychain_turned_off" }));
    }
    this.#keychain ??= this.#loadKeychain();
    return this.#keychain;
  }

  #noticeFallback(error: ClaudemeshError): void {
    if (this.#noticedFallback) return;
    this.#noticedFallback = true;
    this.#onNotice({ kind: "keychain_fallback", path: this.file.path, error });
  }
}

/** auth.json with `server`'s login set to `record`, or removed when null. */
function withServer(current: AuthFile | null, server: string, record: ServerCredential | null): AuthFile {
  const servers = { ...current?.servers };
  if (record) servers[server] = record;
  else delete servers[server];
  return { version: 2, servers };
}

/** Any failure of a keychain write is a reason to fall back, never a reason to lose the token. */
function asKeychainError(error: unknown, operation: KeychainOperation): ClaudemeshError {
  if (error instanceof ClaudemeshError && error.code === "keychain_unavailable") return error;
  const reason = error instanceof Error ? error.message : String(error);
  return ClaudemeshError.of("keychain_unavailable", { kind: "keychain_refused", operation, reason }, { cause: error });
}
