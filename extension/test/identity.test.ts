import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ApiClient, ClaudemeshError, CredentialStore, mintToken, TOKEN_SCAN_REGEX } from "@claudemesh/sdk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ClaudemeshAuthenticationProvider } from "../src/auth-provider.js";
import { errorMessage } from "../src/error-hints.js";
import { Identity } from "../src/identity.js";
import { outputLog } from "../src/output-log.js";
import { statusBarLook } from "../src/status-bar.js";

const USER = { id: "u1", name: "Ada Lovelace", email: "ada@example.test" };
const CREDENTIAL = { kind: "pat" as const, id: "t1", name: "laptop", expires_at: null };

/** A server whose whoami answers as the test says, counting the calls; `hold` keeps answers waiting until `release`. */
function scriptedServer() {
  const server = {
    calls: 0,
    answer: "ok" as "ok" | "revoked" | "offline",
    held: undefined as Promise<void> | undefined,
    release: () => {},
    hold() {
      server.held = new Promise<void>((resolve) => {
        server.release = resolve;
      });
    },
    api: async () =>
      ({
        whoami: async () => {
          server.calls += 1;
          await server.held;
          if (server.answer === "revoked")
            throw new ClaudemeshError("token_revoked", "Authentication failed (token revoked).");
          if (server.answer === "offline") throw new ClaudemeshError("network", "connect ECONNREFUSED");
          return { user: USER, credential: CREDENTIAL };
        },
        listSessions: async () => {
          throw new ClaudemeshError("token_revoked", "Authentication failed (token revoked).");
        },
      }) as unknown as ApiClient,
  };
  return server;
}

describe("Identity", () => {
  let configDir = "";
  let store: CredentialStore;
  const disposables: { dispose(): unknown }[] = [];
  beforeEach(async () => {
    configDir = await mkdtemp(join(tmpdir(), "claudemesh-identity-"));
    store = new CredentialStore({ apiUrl: "http://localhost:3000", configDir, mode: "file" });
  });
  afterEach(async () => {
    for (const item of disposables.splice(0)) item.dispose();
    await rm(configDir, { recursive: true, force: true });
  });

  function identityOn(server: ReturnType<typeof scriptedServer>, now = () => 0) {
    const lines: string[] = [];
    const log = outputLog({
      info: (line: string) => lines.push(line),
      warn: (line: string) => lines.push(line),
      error: (line: string) => lines.push(line),
    });
    const identity = new Identity({ store, envToken: undefined, api: server.api, log, now });
    disposables.push(identity);
    return { identity, lines };
  }

  it("a refresh asked for while a check is in flight checks again, so a sign-out's stale 401 does not stand", async () => {
    await store.save({ token: mintToken("session"), user: USER, expiresAt: null, source: "device-code" });
    const server = scriptedServer();
    server.answer = "revoked"; // the token was revoked meanwhile
    server.hold();
    const { identity } = identityOn(server);

    const inFlight = identity.refresh();
    // Sign Out: the credential is removed, then the identity is refreshed.
    await store.clear();
    const afterSignOut = identity.refresh();
    server.release();

    expect((await inFlight).kind).toBe("rejected"); // what the stale check saw
    expect((await afterSignOut).kind).toBe("signed_out");
    expect(identity.state.kind).toBe("signed_out");
  });

  it("getSessions before the first check has answered waits for it instead of answering 'signed out'", async () => {
    const token = mintToken("pat");
    await store.save({ token, user: USER, expiresAt: null, source: "pat" });
    const server = scriptedServer();
    server.hold();
    const { identity } = identityOn(server);
    const provider = new ClaudemeshAuthenticationProvider({
      identity,
      signIn: async () => {},
      signOut: async () => {},
    });
    disposables.push(provider);

    const first = identity.settled(); // what activate() starts
    const asked = provider.getSessions();
    let answered = false;
    void asked.then(() => {
      answered = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(identity.state.kind).toBe("checking");
    expect(answered).toBe(false);

    server.release();
    await first;
    expect(await asked).toEqual([
      expect.objectContaining({ accessToken: token, account: { id: "u1", label: "Ada Lovelace" } }),
    ]);
    expect(server.calls).toBe(1); // the waiting call shared the first check
  });

  it("answers getSessions from memory: a hundred calls, one request", async () => {
    await store.save({ token: mintToken("pat"), user: USER, expiresAt: null, source: "pat" });
    const server = scriptedServer();
    const { identity } = identityOn(server);
    const provider = new ClaudemeshAuthenticationProvider({
      identity,
      signIn: async () => {},
      signOut: async () => {},
    });
    disposables.push(provider);
    for (let i = 0; i < 100; i += 1) expect(await provider.getSessions()).toHaveLength(1);
    expect(server.calls).toBe(1);
  });

  it("checks again on a 401 from any request, and then shows the token as refused", async () => {
    await store.save({ token: mintToken("pat"), user: USER, expiresAt: null, source: "pat" });
    const server = scriptedServer();
    const { identity, lines } = identityOn(server);
    expect((await identity.settled()).kind).toBe("signed_in");
    const changed = new Promise((resolve) => identity.onDidChange(resolve));

    server.answer = "revoked"; // revoked from another device
    await expect(identity.call((api) => api.listSessions())).rejects.toMatchObject({ code: "token_revoked" });
    await changed;
    expect(identity.state).toMatchObject({ kind: "rejected", user: USER, source: "file" });
    expect(server.calls).toBe(2);
    expect(lines).toContain(
      "checking the identity (the server refused the token: Authentication failed (token revoked).)",
    );
  });

  it("stays signed in when a later check cannot reach the server, but says so in the log", async () => {
    await store.save({ token: mintToken("pat"), user: USER, expiresAt: null, source: "pat" });
    const server = scriptedServer();
    const { identity, lines } = identityOn(server);
    await identity.settled();
    const changes: unknown[] = [];
    identity.onDidChange((state) => changes.push(state));

    server.answer = "offline";
    expect((await identity.refresh("test")).kind).toBe("signed_in");
    expect(changes).toEqual([]);
    expect(lines.at(-1)).toBe("the server did not answer (connect ECONNREFUSED); still signed in as Ada Lovelace");
  });

  it("at start-up without a server, says the server could not be asked (not 'signed in')", async () => {
    await store.save({ token: mintToken("pat"), user: USER, expiresAt: null, source: "pat" });
    const server = scriptedServer();
    server.answer = "offline";
    const { identity } = identityOn(server);
    expect(await identity.settled()).toMatchObject({ kind: "unreachable", user: USER });
  });

  it("logs what it does and never a token, even one a message carries", async () => {
    const token = mintToken("pat");
    await store.save({ token, user: USER, expiresAt: null, source: "pat" });
    const server = scriptedServer();
    const { identity, lines } = identityOn(server);
    await identity.settled();
    await identity.refresh(`a reason quoting ${token}`);
    expect(lines).toContain("signed in as Ada Lovelace <ada@example.test> (pat from file)");
    expect(lines.join("\n").match(TOKEN_SCAN_REGEX)).toBeNull();
    expect(lines.join("\n")).toContain("cm_pat_");
  });

  it("a keychain secret that is not the login's: signed out, the error's words, no account anywhere", async () => {
    const keychain = new Map<string, string>();
    store = new CredentialStore({
      apiUrl: "http://localhost:3000",
      configDir,
      loadKeychain: async () => ({
        get: async (account) => keychain.get(account) ?? null,
        set: async (account, secret) => void keychain.set(account, secret),
        delete: async (account) => keychain.delete(account),
      }),
    });
    await store.save({ token: mintToken("pat"), user: USER, expiresAt: null, source: "pat" });
    for (const account of keychain.keys()) keychain.set(account, mintToken("pat")); // planted
    const server = scriptedServer();
    const { identity } = identityOn(server);
    const state = await identity.settled();
    expect(state).toMatchObject({ kind: "unreadable", message: expect.stringContaining("it is not used") });
    expect(server.calls).toBe(0); // nothing is sent with a secret nobody can vouch for
    const provider = new ClaudemeshAuthenticationProvider({
      identity,
      signIn: async () => {},
      signOut: async () => {},
    });
    disposables.push(provider);
    expect(await provider.getSessions()).toEqual([]);
    const look = statusBarLook(state, "http://localhost:3000", store.file.path);
    expect(look.text).toBe("$(warning) claudemesh: Signed out");
    expect(look.tooltip).toContain(errorMessage(await store.load().catch((error: unknown) => error)));
    expect(`${look.text}${look.tooltip}`).not.toMatch(/Ada|ada@/);
  });
});
