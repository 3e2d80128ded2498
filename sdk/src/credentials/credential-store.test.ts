import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ClaudemeshError } from "../errors.js";
import { mintToken } from "../token.js";
import { CredentialStore, type NewCredential } from "./credential-store.js";
import type { Keychain } from "./keychain.js";

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
      onNotice: (message) => notices.push(message),
    });

  it("keeps the token in the keychain and everything else in auth.json", async () => {
    const keychain = new MemoryKeychain();
    const store = storeWith(async () => keychain);
    expect(await store.save(login)).toEqual({ store: "keychain", location: "the OS keychain" });
    expect(keychain.entries.get("http://localhost:3000")).toBe(login.token);
    const file = await store.file.read();
    expect(file).toMatchObject({ token_store: "keychain", token_kind: "session", user: login.user });
    expect(file?.token).toBeUndefined();
    expect(await store.load()).toMatchObject({ token: login.token, store: "keychain" });
  });

  it("without a keychain, keeps the token in auth.json and says so once", async () => {
    const store = storeWith(unavailable);
    expect(await store.save(login)).toEqual({ store: "file", location: store.file.path });
    await store.save(login);
    expect(notices).toEqual([expect.stringMatching(/No Secret Service\. The token is kept in .*auth\.json/)]);
    expect(await store.load()).toMatchObject({ token: login.token, store: "file" });
  });

  it("a keychain that refuses the write (locked) never loses the fresh token", async () => {
    const keychain = new MemoryKeychain();
    keychain.locked = true;
    const store = storeWith(async () => keychain);
    expect((await store.save(login)).store).toBe("file");
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
    await expect(store.load()).rejects.toMatchObject({ code: "keychain_unavailable", message: /ada@example\.test/ });
  });

  it("a credential for another server is not this server's", async () => {
    const store = storeWith(unavailable);
    await store.save(login);
    const other = new CredentialStore({ apiUrl: "https://claudemesh.com", configDir, loadKeychain: unavailable });
    expect(await other.load()).toBeNull();
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
