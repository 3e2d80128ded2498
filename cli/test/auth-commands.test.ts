import { stat } from "node:fs/promises";
import { join } from "node:path";
import { mintToken } from "@claudemesh/sdk";
import { storedCredential, storedToken } from "@claudemesh/sdk/testing";
import { useCliHarness } from "@claudemesh/test-support/cli-harness";
import { runCli, startCli } from "@claudemesh/test-support/run-cli";
import { describe, expect, it } from "vitest";

// The CLI as people run it: the built binary, spawned, against a real server.

const cli = useCliHarness();
const hasAuthFile = () =>
  stat(join(cli.configDir, "auth.json")).then(
    () => true,
    () => false,
  );

describe("claudemesh login (device code)", () => {
  it("shows the code and URL, and after approval saves the token 0600", async () => {
    const result = await cli.deviceLogin("Ada Lovelace");
    expect(result.stderr).toMatch(/Not opening a browser \(--no-browser\)/);
    expect(result.stderr).toMatch(new RegExp(`${cli.server.url}/cli-auth\\?code=[A-Z]{4}-[A-Z]{4}`));
    expect(result.stderr).toContain("✔ Authenticated as Ada Lovelace");
    expect(result.stderr).toContain("✔ Token saved to the OS keychain");
    expect(await storedCredential(cli.env)).toMatchObject({
      store: "keychain",
      record: { token_kind: "session", source: "device-code" },
    });
    expect((await stat(join(cli.configDir, "auth.json"))).mode & 0o777).toBe(0o600);
  });

  it("a denial exits 1 and writes nothing", async () => {
    const account = await cli.server.signUp();
    const login = startCli(["login", "--no-browser"], cli.env);
    const [code] = await login.waitFor(/[A-Z]{4}-[A-Z]{4}/);
    await cli.server.decide(code, "deny", account.cookie);
    const result = await login.exited;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("✘ Login denied in the browser.");
    expect(await hasAuthFile()).toBe(false);
  });

  it("Ctrl-C while waiting exits 130 and writes nothing", async () => {
    const login = startCli(["login", "--no-browser"], cli.env);
    await login.waitFor(/Waiting for confirmation/);
    login.child.kill("SIGINT");
    const result = await login.exited;
    expect(result.code).toBe(130);
    expect(await hasAuthFile()).toBe(false);
  });

  it("already signed in: says so and exits 0; --force signs in again and revokes the replaced session", async () => {
    const { account } = await cli.deviceLogin();
    const firstToken = (await storedToken(cli.env)) as string;

    const again = await runCli(["login"], cli.env);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/Already signed in to .* as Ada Lovelace/);

    const forced = startCli(["login", "--force", "--no-browser"], cli.env);
    const [code] = await forced.waitFor(/[A-Z]{4}-[A-Z]{4}/);
    expect(forced.stderr()).toContain("Replacing existing session for Ada Lovelace.");
    await cli.server.decide(code, "approve", account.cookie);
    expect((await forced.exited).code).toBe(0);
    expect(await storedToken(cli.env)).not.toBe(firstToken);

    const old = await runCli(["whoami"], { ...cli.env, CLAUDEMESH_TOKEN: firstToken });
    expect(old.code).toBe(2);
    expect(old.stderr).toContain("Authentication failed (token revoked).");
  });
});

describe("claudemesh login with a token", () => {
  it("--token validates with the server, says which PAT, and hints at --with-token", async () => {
    const account = await cli.server.signUp("Grace Hopper");
    const pat = await cli.server.createPat(account.cookie, "ci-deploy");
    const result = await runCli(["login", "--token", pat.token], cli.env);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('✔ Authenticated as Grace Hopper (via PAT "ci-deploy")');
    expect(result.stderr).toMatch(/--with-token/);
    expect(await storedCredential(cli.env)).toMatchObject({
      token: pat.token,
      record: { token_kind: "pat", source: "pat" },
    });
  });

  it("a token replaces a working saved session without --force, and that session is revoked", async () => {
    await cli.deviceLogin("Ada Lovelace");
    const oldSession = (await storedToken(cli.env)) as string;
    const other = await cli.server.signUp("Grace Hopper");
    const pat = await cli.server.createPat(other.cookie, "switch");
    const result = await runCli(["login", "--token", pat.token], cli.env);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("Replacing existing session for Ada Lovelace.");
    expect(await storedToken(cli.env)).toBe(pat.token);
    expect((await runCli(["whoami"], { ...cli.env, CLAUDEMESH_TOKEN: oldSession })).code).toBe(2);
  });

  it("--with-token reads it from stdin", async () => {
    const account = await cli.server.signUp();
    const pat = await cli.server.createPat(account.cookie, "from-stdin");
    const result = await runCli(["login", "--with-token"], cli.env, `${pat.token}\n`);
    expect(result.code).toBe(0);
    expect(await storedToken(cli.env)).toBe(pat.token);
  });

  it("a malformed token exits 1 before any request, an unknown one exits 2", async () => {
    const malformed = await runCli(["login", "--token", "cm_pat_123"], cli.env);
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toContain("✘ Invalid token format (expected cm_pat_… or cm_session_…)");
    const unknown = await runCli(["login", "--token", mintToken("pat")], cli.env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Token not recognised.");
    expect(unknown.stderr).toContain("The token given with --token was refused; pass a working one.");
    expect(await hasAuthFile()).toBe(false);
  });
});

describe("token resolution, whoami and auth status", () => {
  it("CLAUDEMESH_TOKEN beats the saved token; --token beats both", async () => {
    await cli.deviceLogin("Saved User");
    const other = await cli.server.signUp("Env User");
    const envPat = await cli.server.createPat(other.cookie, "env");
    const third = await cli.server.signUp("Flag User");
    const flagPat = await cli.server.createPat(third.cookie, "flag");

    const whoami = async (args: string[], extra: Record<string, string> = {}) => {
      const result = await runCli(["whoami", "--json", ...args], { ...cli.env, ...extra });
      expect(result.code).toBe(0);
      return JSON.parse(result.stdout) as { user: { name: string }; credential: { source: string } };
    };
    expect(await whoami([])).toMatchObject({ user: { name: "Saved User" }, credential: { source: "keychain" } });
    expect(await whoami([], { CLAUDEMESH_TOKEN: envPat.token })).toMatchObject({
      user: { name: "Env User" },
      credential: { source: "env" },
    });
    expect(await whoami(["--token", flagPat.token], { CLAUDEMESH_TOKEN: envPat.token })).toMatchObject({
      user: { name: "Flag User" },
      credential: { source: "flag" },
    });
  });

  it("--json never contains the token", async () => {
    await cli.deviceLogin();
    const token = (await storedToken(cli.env)) as string;
    const result = await runCli(["whoami", "--json", "--sessions"], cli.env);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain(token);
    const body = JSON.parse(result.stdout);
    expect(body.sessions).toEqual([expect.objectContaining({ current: true })]);
  });

  it("auth status exits 0 signed in and 2 signed out; auth token prints the token", async () => {
    expect((await runCli(["auth", "status"], cli.env)).code).toBe(2);
    await cli.deviceLogin();
    expect((await runCli(["auth", "status"], cli.env)).code).toBe(0);
    const token = await runCli(["auth", "token"], cli.env);
    expect(token.stdout.trim()).toBe(await storedToken(cli.env));
  });

  it("a revoked token exits 2 with the reason and what to do; auth.json stays", async () => {
    await cli.deviceLogin();
    const token = (await storedToken(cli.env)) as string;
    // Revoked elsewhere (another device, the dashboard).
    const revoke = await fetch(new URL("/api/my/cli/sessions/current", cli.server.url), {
      method: "DELETE",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(revoke.status).toBe(200);
    const result = await runCli(["whoami"], cli.env);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "✘ Authentication failed (token revoked).\n\nRun `claudemesh login` to re-authenticate.\n",
    );
    expect(await hasAuthFile()).toBe(true);

    // The same token from CLAUDEMESH_TOKEN: a new login would not replace it, so the hint says so.
    const fromEnv = await runCli(["whoami"], { ...cli.env, CLAUDEMESH_TOKEN: token });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr).toContain("The token in CLAUDEMESH_TOKEN was refused");
    expect(fromEnv.stderr).not.toContain("claudemesh login");
    const status = await runCli(["auth", "status"], { ...cli.env, CLAUDEMESH_TOKEN: token });
    expect(status.code).toBe(2);
    expect(status.stderr).toContain("The token in CLAUDEMESH_TOKEN was refused");
  });
});

describe("claudemesh logout", () => {
  it("revokes the session on the server and removes auth.json", async () => {
    await cli.deviceLogin();
    const token = (await storedToken(cli.env)) as string;
    const result = await runCli(["logout"], cli.env);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("✔ Token revoked on server");
    expect(await hasAuthFile()).toBe(false);
    expect((await runCli(["whoami"], { ...cli.env, CLAUDEMESH_TOKEN: token })).code).toBe(2);
  });

  it("with the server down, still removes the local credential and warns", async () => {
    await cli.deviceLogin();
    const unreachable = { ...cli.env };
    await cli.server.stop();
    try {
      const result = await runCli(["logout"], unreachable);
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/! Could not revoke the token on the server \(Cannot reach/);
      expect(await hasAuthFile()).toBe(false);
    } finally {
      await cli.restartServer();
    }
    // Starting a second server (a fresh database and its migrations) is most of this test's time.
  }, 120_000);
});

describe("several servers", () => {
  it("two logins to two servers at the same moment both stay; auth status lists the other; logout --all ends both", async () => {
    const account = await cli.server.signUp("Par Allel");
    const here = await cli.server.createPat(account.cookie, "here");
    const there = await cli.server.createPat(account.cookie, "there");
    // The same server under its other loopback name: to the CLI (and the keychain) another server.
    const other = new URL(cli.server.url);
    other.hostname = other.hostname === "localhost" ? "127.0.0.1" : "localhost";
    const otherEnv = { ...cli.env, CLAUDEMESH_API_URL: other.origin };
    const logins = await Promise.all([
      runCli(["login", "--with-token"], cli.env, `${here.token}\n`),
      runCli(["login", "--with-token"], otherEnv, `${there.token}\n`),
    ]);
    expect(logins.map((login) => login.code)).toEqual([0, 0]);
    expect(await storedToken(cli.env)).toBe(here.token);
    expect(await storedToken(otherEnv)).toBe(there.token);

    const status = await runCli(["auth", "status", "--json"], cli.env);
    expect(JSON.parse(status.stdout).other_servers).toEqual([
      { api_url: other.origin, user: expect.objectContaining({ name: "Par Allel" }), token_store: "keychain" },
    ]);
    const logout = await runCli(["logout", "--all"], cli.env);
    expect(logout.code).toBe(0);
    expect(logout.stderr).toContain(`✔ Removed the login for ${new URL(cli.server.url).origin}`);
    expect(logout.stderr).toContain(`✔ Removed the login for ${other.origin}`);
    expect(await storedCredential(cli.env)).toBeNull();
    expect(await storedCredential(otherEnv)).toBeNull();
    expect(await hasAuthFile()).toBe(false);
  });
});
