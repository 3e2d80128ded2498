import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ClaudemeshError, englishNotice } from "../errors.js";
import { mintToken } from "../token.js";
import { tokenFingerprint } from "./auth-file.js";
import { CredentialStore, keychainAccount, type NewCredential } from "./credential-store.js";
import { type Keychain, loadKeytarKeychain } from "./keychain.js";

/** An in-memory keychain; `locked` makes it answer as a locked keyring does (get → null, set → refused). */
class MemoryKeychain implements Keychain {
  readonly entries = new Map<string, string>();
  locked = false;
  async get(account: string) {
    return this.locked ? null : (this.entries.get(account) ?? null);
  }
  async set(account: string, secret: string) {
    if (this.locked) throw new ClaudemeshError("keychain_unavailable", "The OS keychain refused a write: locked.");
    this.entries.set(account, secret);
  }
  async delete(account: string) {
    return this.entries.delete(account);
  }
}

const API_URL = "http://localhost:3000";
const unavailable = () => Promise.reject(new ClaudemeshError("keychain_unavailable", "No Secret Service."));

describe("CredentialStore", () => {
  let configDir: string;
  let notices: string[];
  let login: NewCredential;
  beforeEach(async () => {
    configDir = await mkdtemp(join(tmpdir(), "claudemesh-store-"));
    notices = [];
    login = {
      token: mintToken("session"),
      user: { id: "u1", name: "Ada", email: "ada@example.test" },
      expiresAt: "2027-01-01T00:00:00.000Z",
      source: "device-code",
    };
  });
  afterEach(() => rm(configDir, { recursive: true, force: true }));

  const storeWith = (loadKeychain: () => Promise<Keychain>, mode?: "keychain" | "file") =>
    new CredentialStore({
      apiUrl: API_URL,
      configDir,
      loadKeychain,
      mode,
      onNotice: (notice) => notices.push(englishNotice(notice)),
    });

  it("keeps the token in the keychain and everything else in auth.json", async () => {
    const keychain = new MemoryKeychain();
    const store = storeWith(async () => keychain);
    expect(await store.save(login)).toEqual({ store: "keychain" });
    expect([...keychain.entries]).toEqual([[`http://localhost:3000#u1#${tokenFingerprint(login.token)}`, login.token]]);
    const record = (await store.file.read())?.servers["http://localhost:3000"];
    expect(record).toMatchObject({
      token_store: "keychain",
      token_kind: "session",
      user: login.user,
      token_fingerprint: tokenFingerprint(login.token),
    });
    expect(record?.token).toBeUndefined();
    expect(await store.load()).toMatchObject({ token: login.token, store: "keychain" });
  });

  it("without a keychain, keeps the token in auth.json and says so once", async () => {
    const store = storeWith(unavailable);
    expect(await store.save(login)).toEqual({ store: "file" });
    await store.save(login);
    expect(notices).toEqual([expect.stringMatching(/No Secret Service\. The token is kept in .*auth\.json/)]);
    expect(await store.load()).toMatchObject({ token: login.token, store: "file" });
  });

  it("a keychain that refuses the write (locked) never loses the fresh token", async () => {
    const keychain = new MemoryKeychain();
    keychain.locked = true;
    const store = storeWith(async () => keychain);
    expect((await store.save(login)).store).toBe("file");
    expect((await store.file.read())?.servers["http://localhost:3000"]).toMatchObject({
      token_store: "file",
      token: login.token,
    });
    expect((await store.load())?.token).toBe(login.token);
  });

  it("a keychain write that fails in an unexpected way still keeps the token, in auth.json", async () => {
    const store = storeWith(async () => ({
      get: async () => null,
      set: async () => {
        throw new TypeError("the native module exploded");
      },
      delete: async () => false,
    }));
    expect((await store.save(login)).store).toBe("file");
    // The keychain's own words end with a full stop before ours begin.
    expect(notices).toEqual([expect.stringMatching(/the native module exploded\. The token is kept in .*auth\.json/)]);
    expect((await store.load())?.token).toBe(login.token);
  });

  it("CLAUDEMESH_TOKEN_STORE=file never touches the keychain", async () => {
    let loaded = false;
    const store = storeWith(async () => {
      loaded = true;
      return new MemoryKeychain();
    }, "file");
    await store.save(login);
    await store.load();
    await store.clear();
    expect(loaded).toBe(false);
  });

  it("CLAUDEMESH_TOKEN_STORE=keychain fails loudly instead of falling back", async () => {
    const store = storeWith(unavailable, "keychain");
    await expect(store.save(login)).rejects.toMatchObject({ code: "keychain_unavailable" });
    expect(await store.file.read()).toBeNull();
  });

  it("a token in a keychain that no longer answers is reported, not taken for signed out", async () => {
    const keychain = new MemoryKeychain();
    const store = storeWith(async () => keychain);
    await store.save(login);
    keychain.locked = true;
    const error: unknown = await store.load().catch((reason: unknown) => reason);
    expect(error).toMatchObject({
      code: "keychain_unavailable",
      message: /login for http:\/\/localhost:3000 is kept in/,
    });
    expect((error as Error).message).not.toContain("ada@"); // an unread secret proves no account: none is named
  });

  it("a credential for another server is not this server's", async () => {
    const store = storeWith(unavailable);
    await store.save(login);
    const other = new CredentialStore({ apiUrl: "https://claudemesh.com", configDir, loadKeychain: unavailable });
    expect(await other.load()).toBeNull();
  });

  it("a keychain secret that is not the record's token is never paired with it: credential_mismatch, exit 2", async () => {
    const keychain = new MemoryKeychain();
    const store = storeWith(async () => keychain);
    await store.save(login);
    // Planted under the login's very key (auth.json, which names it, is readable by whoever can write the keychain).
    keychain.entries.set(keychainAccount(API_URL, "u1", tokenFingerprint(login.token)), mintToken("session"));
    await expect(store.load()).rejects.toMatchObject({ code: "credential_mismatch", exitStatus: 2 });
  });

  it("signing in as B where A's entry stands keeps B's token and drops A's entry", async () => {
    const keychain = new MemoryKeychain();
    const store = storeWith(async () => keychain);
    await store.save(login);
    const bea = { ...login, token: mintToken("session"), user: { id: "u2", name: "Bea", email: "bea@example.test" } };
    await store.save(bea);
    expect([...keychain.entries.keys()]).toEqual([keychainAccount(API_URL, "u2", tokenFingerprint(bea.token))]);
    expect(await store.load()).toMatchObject({ token: bea.token, record: { user: bea.user } });
  });

  it("a new login of the same account writes a new entry first: a crash before auth.json names it keeps the old login", async () => {
    const keychain = new MemoryKeychain();
    const store = storeWith(async () => keychain);
    await store.save(login);
    const next = { ...login, token: mintToken("session") };
    // What a login killed between its keychain write and its auth.json write leaves.
    await keychain.set(keychainAccount(API_URL, "u1", tokenFingerprint(next.token)), next.token);
    expect((await store.load())?.token).toBe(login.token);
    await store.save(next);
    expect((await store.load())?.token).toBe(next.token);
    expect(keychain.entries.has(keychainAccount(API_URL, "u1", tokenFingerprint(login.token)))).toBe(false);
  });

  it("keeps one login per server: a second server neither orphans nor overwrites the first", async () => {
    const keychain = new MemoryKeychain();
    const store = storeWith(async () => keychain);
    const other = store.forServer("https://mesh.example.test/");
    const elsewhere = { ...login, token: mintToken("pat") };
    await store.save(login);
    await other.save(elsewhere);
    expect((await store.load())?.token).toBe(login.token);
    expect((await other.load())?.token).toBe(elsewhere.token);
    expect((await store.servers()).map(({ api_url, in_use }) => [api_url, in_use])).toEqual([
      [API_URL, true],
      ["https://mesh.example.test/", false],
    ]);
    expect(await store.clear()).toBe(true);
    expect(await store.load()).toBeNull();
    expect((await other.load())?.token).toBe(elsewhere.token);
  });

  it("reads a version 1 auth.json: a token kept in the file carries over, a keychain one is not paired", async () => {
    const keychain = new MemoryKeychain();
    const store = storeWith(async () => keychain);
    const v1 = {
      version: 1,
      token_kind: "session",
      api_url: API_URL,
      user: login.user,
      created_at: "2026-11-01T00:00:00.000Z",
      expires_at: null,
      source: "device-code",
    };
    await mkdir(configDir, { recursive: true, mode: 0o700 });
    await writeFile(store.file.path, JSON.stringify({ ...v1, token_store: "file", token: login.token }), {
      mode: 0o600,
    });
    expect(await store.load()).toMatchObject({ token: login.token, store: "file" });

    // An older claudemesh kept the secret under the bare origin, where another account's may stand.
    keychain.entries.set("http://localhost:3000", mintToken("session"));
    await writeFile(store.file.path, JSON.stringify({ ...v1, token_store: "keychain" }), { mode: 0o600 });
    await expect(store.load()).rejects.toMatchObject({ code: "credential_mismatch", message: /older claudemesh/ });
    expect(await store.clear()).toBe(true);
    expect(keychain.entries.size).toBe(0);
  });

  it("a keychain call that never answers times out: the login goes to auth.json, a read says so", async () => {
    const never = () => new Promise<never>(() => {});
    const hung = () =>
      loadKeytarKeychain({
        timeoutMs: 50,
        load: async () => ({ getPassword: never, setPassword: never, deletePassword: never }),
      });
    const store = storeWith(hung);
    expect((await store.save(login)).store).toBe("file");
    expect(notices).toEqual([expect.stringMatching(/did not answer a write within 50 ms/)]);
    expect((await store.load())?.token).toBe(login.token);

    const keychainStore = storeWith(async () => new MemoryKeychain());
    await keychainStore.save(login);
    await expect(storeWith(hung).load()).rejects.toMatchObject({ code: "keychain_unavailable" });
  });

  it("a symlinked auth.json is never read through; a login replaces the link and leaves its target alone", async () => {
    const store = storeWith(async () => new MemoryKeychain());
    const elsewhere = join(configDir, "planted.json");
    const planted = JSON.stringify({
      version: 2,
      servers: { [API_URL]: { ...login, api_url: API_URL, token_store: "file", token: mintToken("pat") } },
    });
    await mkdir(configDir, { recursive: true, mode: 0o700 });
    await writeFile(elsewhere, planted, { mode: 0o600 });
    await symlink(elsewhere, store.file.path);
    await expect(store.load()).rejects.toMatchObject({ code: "auth_file_corrupted", message: /symbolic link/ });
    await store.save(login);
    expect(notices).toEqual([expect.stringMatching(/symbolic link.*replaced by this login/)]);
    expect((await store.load())?.token).toBe(login.token);
    expect(await readFile(elsewhere, "utf8")).toBe(planted);
  });

  it("an unreadable auth.json: load says so, clear removes it whole", async () => {
    const store = storeWith(async () => new MemoryKeychain());
    await mkdir(configDir, { recursive: true, mode: 0o700 });
    await writeFile(store.file.path, "{ torn", { mode: 0o600 });
    await expect(store.load()).rejects.toMatchObject({ code: "auth_file_corrupted" });
    expect(await readFile(store.file.path, "utf8")).toBe("{ torn");
    expect(await store.clear()).toBe(true);
    expect(await store.file.read()).toBeNull();
  });

  it("clear() removes the keychain entry and auth.json", async () => {
    const keychain = new MemoryKeychain();
    const store = storeWith(async () => keychain);
    await store.save(login);
    expect(await store.clear()).toBe(true);
    expect(keychain.entries.size).toBe(0);
    expect(await store.load()).toBeNull();
    expect(await store.clear()).toBe(false);
  });

  it("watchers hear a login and a logout made by another client", async () => {
    const store = storeWith(unavailable);
    let changes = 0;
    const stop = await store.watch(() => {
      changes += 1;
    });
    try {
      const otherClient = storeWith(unavailable);
      await otherClient.save(login);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(changes).toBe(1);
      await otherClient.clear();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(changes).toBe(2);
    } finally {
      stop();
    }
  });
});
