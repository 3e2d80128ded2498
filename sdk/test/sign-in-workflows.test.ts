import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningServer, startClaudemeshServer } from "@claudemesh/test-support/server-process";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ApiClient } from "../src/api/client.js";
import { DeviceFlow, type LoginResult } from "../src/auth/device-flow.js";
import { type ApiFactory, checkIdentity, connect } from "../src/auth/session.js";
import { keepLogin, signInWithToken } from "../src/auth/sign-in.js";
import { signOut } from "../src/auth/sign-out.js";
import { CredentialStore } from "../src/credentials/credential-store.js";
import { readSdkEnv } from "../src/env.js";
import { ClaudemeshError } from "../src/errors.js";
import { mintToken } from "../src/token.js";
import { scriptedServer } from "./support/http-peers.js";

const NO_ENV = readSdkEnv({});

let server: RunningServer;
beforeAll(async () => {
  server = await startClaudemeshServer();
});
afterAll(() => server.stop());

let configDir = "";
let store: CredentialStore;
beforeEach(async () => {
  configDir = await mkdtemp(join(tmpdir(), "claudemesh-workflows-"));
  store = new CredentialStore({ apiUrl: server.url, configDir, mode: "file" });
});
afterEach(() => rm(configDir, { recursive: true, force: true }));

/** The doors' factory: a client for the server, signed in with a token when given one; it counts what it made. */
function apiFor(url: string): ApiFactory & { made: number } {
  const factory = Object.assign(
    async (token?: string) => {
      factory.made += 1;
      return ApiClient.create({ baseUrl: url, token, env: NO_ENV, retries: 0 });
    },
    { made: 0 },
  );
  return factory;
}

/** A device-code login approved in the browser: a fresh session token. */
async function sessionLogin(name = "Ada Lovelace"): Promise<LoginResult> {
  const { cookie } = await server.signUp(name);
  return new DeviceFlow({ api: await apiFor(server.url)() }).run({
    onEvent: (event) => {
      if (event.type === "code") void server.decide(event.code.user_code, "approve", cookie);
    },
  });
}

async function patLogin(name = "Grace Hopper"): Promise<{ token: string }> {
  const { cookie } = await server.signUp(name);
  return server.createPat(cookie, "ci-deploy");
}

/** A PAT kept in the store, as `claudemesh login --with-token` keeps one. */
async function savedPat(): Promise<{ token: string }> {
  const pat = await patLogin();
  await store.save({
    token: pat.token,
    user: { id: "u", name: "G", email: "g@example.test" },
    expiresAt: null,
    source: "pat",
  });
  return pat;
}

/** What the server says of a token now: 200, or its 401 code. */
async function serverSays(token: string): Promise<string> {
  const answer = await fetch(new URL("/api/my/whoami", server.url), { headers: { authorization: `Bearer ${token}` } });
  return answer.ok ? "accepted" : ((await answer.json()) as { error: string }).error;
}

/** A server that answers every request with a 503: the revoke cannot reach the real one. */
async function unavailableServer() {
  return scriptedServer((_req, res) => {
    res.writeHead(503, { "content-type": "application/json" }).end(JSON.stringify({ error: "unavailable" }));
  });
}

describe("signInWithToken", () => {
  it("checks the token with the server and says which PAT it is", async () => {
    const pat = await patLogin("Grace Hopper");
    const signedIn = await signInWithToken({ api: apiFor(server.url), token: `  ${pat.token}\n` });
    expect(signedIn.source).toBe("pat");
    expect(signedIn.login).toMatchObject({ token: pat.token, user: { name: "Grace Hopper" } });
    expect(signedIn.credential).toMatchObject({ kind: "pat", name: "ci-deploy" });
  });

  it("a mistyped token fails before any request", async () => {
    const api = apiFor(server.url);
    await expect(signInWithToken({ api, token: "cm_pat_123" })).rejects.toMatchObject({
      code: "invalid_token_format",
    });
    expect(api.made).toBe(0);
  });

  it("a token the server does not know is an authentication error", async () => {
    await expect(signInWithToken({ api: apiFor(server.url), token: mintToken("pat") })).rejects.toMatchObject({
      code: "token_invalid",
      exitStatus: 2,
    });
  });
});

describe("keepLogin", () => {
  it("saves the login, then revokes the session it replaced (read from the store)", async () => {
    const first = await sessionLogin();
    await store.save({ ...first, source: "device-code" });
    const second = await sessionLogin();

    const kept = await keepLogin({ store, api: apiFor(server.url), login: second, source: "device-code" });
    expect(kept.saved).toEqual({ store: "file" });
    expect(kept.replaced).toEqual({ outcome: "revoked" });
    expect((await store.load())?.token).toBe(second.token);
    expect(await serverSays(first.token)).toBe("token_revoked");
    expect(await serverSays(second.token)).toBe("accepted");
  });

  it("leaves a replaced PAT alone: it is the user's to revoke", async () => {
    const pat = await savedPat();
    const kept = await keepLogin({
      store,
      api: apiFor(server.url),
      login: await sessionLogin(),
      source: "device-code",
    });
    expect(kept.replaced).toEqual({ outcome: "skipped", why: "not-session" });
    expect(await serverSays(pat.token)).toBe("accepted");
  });

  it("signing in again with the same token revokes nothing", async () => {
    const login = await sessionLogin();
    await store.save({ ...login, source: "device-code" });
    const kept = await keepLogin({ store, api: apiFor(server.url), login, source: "pat" });
    expect(kept.replaced).toEqual({ outcome: "skipped", why: "same-token" });
    expect(await serverSays(login.token)).toBe("accepted");
  });

  it("uses the replaced credential it is given (read before the sign-in began), and null means none", async () => {
    const first = await sessionLogin();
    await store.save({ ...first, source: "device-code" });
    const replacing = await store.load();
    await store.clear(); // changed meanwhile: what was read before counts
    const kept = await keepLogin({
      store,
      api: apiFor(server.url),
      login: await sessionLogin(),
      source: "browser",
      replacing,
    });
    expect(kept.replaced).toEqual({ outcome: "revoked" });
    expect(await serverSays(first.token)).toBe("token_revoked");

    const other = await sessionLogin();
    await store.save({ ...other, source: "device-code" });
    const none = await keepLogin({
      store,
      api: apiFor(server.url),
      login: await sessionLogin(),
      source: "browser",
      replacing: null,
    });
    expect(none.replaced).toEqual({ outcome: "skipped", why: "no-credential" });
    expect(await serverSays(other.token)).toBe("accepted");
  });

  it("a replaced session that no longer works is reported as such, not as a failure", async () => {
    const first = await sessionLogin();
    await store.save({ ...first, source: "device-code" });
    await (await apiFor(server.url)(first.token)).revokeSession("current");
    const kept = await keepLogin({
      store,
      api: apiFor(server.url),
      login: await sessionLogin(),
      source: "device-code",
    });
    expect(kept.replaced).toMatchObject({ outcome: "already-invalid", error: { code: "token_revoked" } });
  });

  it("a corrupt store is replaced: the login is kept and nothing is revoked", async () => {
    await writeFile(store.file.path, "{ not json");
    const login = await sessionLogin();
    const kept = await keepLogin({ store, api: apiFor(server.url), login, source: "device-code" });
    expect(kept.replaced).toEqual({ outcome: "skipped", why: "no-credential" });
    expect((await store.load())?.token).toBe(login.token);
  });
});

describe("signOut", () => {
  it("revokes a session on the server, then clears the store", async () => {
    const login = await sessionLogin();
    await store.save({ ...login, source: "device-code" });
    const result = await signOut({ store, api: apiFor(server.url) });
    expect(result).toEqual({ revocation: { outcome: "revoked" }, cleared: true, storeKind: "file", wasPat: false });
    expect(await store.load()).toBeNull();
    expect(await serverSays(login.token)).toBe("token_revoked");
  });

  it("leaves a PAT working (it is the user's to revoke) and says it was one", async () => {
    const pat = await savedPat();
    const result = await signOut({ store, api: apiFor(server.url) });
    expect(result).toEqual({
      revocation: { outcome: "skipped", why: "not-session" },
      cleared: true,
      storeKind: "file",
      wasPat: true,
    });
    expect(await serverSays(pat.token)).toBe("accepted");
  });

  it("clears the store even when the server cannot be reached, and reports the failure", async () => {
    const login = await sessionLogin();
    await store.save({ ...login, source: "device-code" });
    const down = await unavailableServer();
    try {
      const result = await signOut({ store, api: apiFor(down.url) });
      expect(result.revocation).toMatchObject({ outcome: "failed" });
      expect(result.revocation.outcome === "failed" && result.revocation.error).toBeInstanceOf(ClaudemeshError);
      expect(result.cleared).toBe(true);
      expect(await store.load()).toBeNull();
      expect(await serverSays(login.token)).toBe("accepted");
    } finally {
      await down.close();
    }
  });

  it("clears a store it cannot read, saying why, without asking the server", async () => {
    await writeFile(store.file.path, "{ not json");
    const api = apiFor(server.url);
    const result = await signOut({ store, api });
    expect(result.unreadable).toMatchObject({ code: "auth_file_corrupted" });
    expect(result).toMatchObject({ revocation: { outcome: "skipped", why: "no-credential" }, cleared: true });
    expect(api.made).toBe(0);
    expect(await store.file.read().catch(() => "still there")).toBeNull();
  });

  it("signed out already: nothing to revoke, nothing cleared", async () => {
    expect(await signOut({ store, api: apiFor(server.url) })).toEqual({
      revocation: { outcome: "skipped", why: "no-credential" },
      cleared: false,
      wasPat: false,
    });
  });
});

describe("connect", () => {
  it("signed out: auth_required naming the server", async () => {
    await expect(connect({ store, api: apiFor(server.url), apiUrl: server.url })).rejects.toMatchObject({
      code: "auth_required",
      exitStatus: 2,
      message: `Not signed in to ${server.url}.`,
    });
  });

  it("gives a client signed in with the credential in use (--token > CLAUDEMESH_TOKEN > store)", async () => {
    const saved = await sessionLogin("Saved User");
    await store.save({ ...saved, source: "device-code" });
    const fromEnv = await patLogin("Env User");
    const fromFlag = await patLogin("Flag User");
    const whoIs = async (sources: { flag?: string; envToken?: string }) => {
      const { api, credential } = await connect({ ...sources, store, api: apiFor(server.url), apiUrl: server.url });
      return [(await api.whoami()).user.name, credential.source];
    };
    expect(await whoIs({})).toEqual(["Saved User", "file"]);
    expect(await whoIs({ envToken: fromEnv.token })).toEqual(["Env User", "env"]);
    expect(await whoIs({ envToken: fromEnv.token, flag: fromFlag.token })).toEqual(["Flag User", "flag"]);
  });
});

describe("checkIdentity", () => {
  it("signed out with nothing stored", async () => {
    expect(await checkIdentity({ store, api: apiFor(server.url) })).toEqual({ kind: "signed_out" });
  });

  it("signed in: the credential and who the server says it is", async () => {
    const login = await sessionLogin("Ada Lovelace");
    await store.save({ ...login, source: "device-code" });
    const check = await checkIdentity({ store, api: apiFor(server.url) });
    expect(check).toMatchObject({
      kind: "signed_in",
      credential: { token: login.token, source: "file" },
      me: { user: { name: "Ada Lovelace" }, credential: { kind: "session" } },
    });
  });

  it("a refused token is 'rejected', with the server's reason", async () => {
    const login = await sessionLogin();
    await store.save({ ...login, source: "device-code" });
    await (await apiFor(server.url)(login.token)).revokeSession("current");
    expect(await checkIdentity({ store, api: apiFor(server.url) })).toMatchObject({
      kind: "rejected",
      credential: { token: login.token },
      error: { code: "token_revoked" },
    });
  });

  it("a server that does not answer is 'unreachable', not signed out", async () => {
    const login = await sessionLogin();
    await store.save({ ...login, source: "device-code" });
    const down = await unavailableServer();
    try {
      expect(await checkIdentity({ store, api: apiFor(down.url) })).toMatchObject({
        kind: "unreachable",
        credential: { token: login.token },
      });
    } finally {
      await down.close();
    }
  });

  it("a store that cannot be read is 'unreadable', with why", async () => {
    await writeFile(store.file.path, "{ not json");
    expect(await checkIdentity({ store, api: apiFor(server.url) })).toMatchObject({
      kind: "unreadable",
      error: { code: "auth_file_corrupted" },
    });
  });
});
