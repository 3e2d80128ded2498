import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { storedCredential, storedToken } from "@claudemesh/sdk/testing";
import { useCliHarness } from "@claudemesh/test-support/cli-harness";
import { runCli, startCli } from "@claudemesh/test-support/run-cli";
import { describe, expect, it } from "vitest";

// Agents and CI: `login --no-wait` hands out the code and exits, `login --continue`
// finishes later, as the built binary against the real built server.

const cli = useCliHarness();
const pendingPath = () => join(cli.configDir, "pending-login.json");
const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );
const readPending = async () => JSON.parse(await readFile(pendingPath(), "utf8")) as Record<string, unknown>;

/** `login --no-wait --json`, which must succeed; its JSON and the device code it kept privately. */
async function startNoWait() {
  const result = await runCli(["login", "--no-wait", "--json"], cli.env);
  expect(result.code).toBe(0);
  const shown = JSON.parse(result.stdout) as Record<string, unknown> & { user_code: string };
  const deviceCode = (await readPending()).device_code as string;
  return { result, shown, deviceCode };
}

describe("claudemesh login --no-wait", () => {
  it("--json prints the code and URLs, never the device code, which is kept 0600", async () => {
    const { result, shown, deviceCode } = await startNoWait();
    expect(Object.keys(shown).sort()).toEqual(
      ["expires_at", "interval", "user_code", "verification_url", "verification_url_complete"].sort(),
    );
    expect(shown.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(shown.verification_url).toBe(`${cli.server.url}/cli-auth`);
    expect(shown.verification_url_complete).toBe(`${cli.server.url}/cli-auth?code=${shown.user_code}`);
    expect(Date.parse(shown.expires_at as string)).toBeGreaterThan(Date.now());
    expect(deviceCode.length).toBeGreaterThan(20);
    expect(result.stdout + result.stderr).not.toContain(deviceCode);
    expect((await stat(pendingPath())).mode & 0o777).toBe(0o600);
    expect((await stat(cli.configDir)).mode & 0o777).toBe(0o700);
    expect(await exists(join(cli.configDir, "auth.json"))).toBe(false);
  });

  it("for people: the URL and code on stdout, and what to run next", async () => {
    const result = await runCli(["login", "--no-wait"], cli.env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(
        `^ {2}${cli.server.url}/cli-auth\\?code=([A-Z]{4}-[A-Z]{4})\\nCode: \\1 \\(valid for 10 minutes\\)$`,
        "m",
      ),
    );
    expect(result.stderr).toContain("Then run `claudemesh login --continue`");
    expect(result.stdout + result.stderr).not.toContain((await readPending()).device_code as string);
  });

  it.each([
    [["--web"], "--no-wait is for the device code; it cannot go with --web."],
    [["--token", "cm_pat_x"], "--no-wait is for the device code; it cannot go with --token."],
    [["--with-token"], "--no-wait is for the device code; it cannot go with --with-token."],
  ])("with %j is a usage error (exit 1)", async (flags, message) => {
    const result = await runCli(["login", "--no-wait", ...flags], cli.env, "");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`✘ ${message}`);
    expect(await exists(pendingPath())).toBe(false);
  });

  it("--continue with --web, or --json without either, is a usage error too", async () => {
    const web = await runCli(["login", "--continue", "--web"], cli.env);
    expect(web.code).toBe(1);
    expect(web.stderr).toContain("✘ --continue is for the device code; it cannot go with --web.");
    const json = await runCli(["login", "--json"], cli.env);
    expect(json.code).toBe(1);
    expect(json.stderr).toContain("✘ login takes --json only with --no-wait or --continue.");
  });

  it("already signed in: says so and starts nothing; with --force, --continue replaces and revokes the old session", async () => {
    const { account } = await cli.deviceLogin("Ada Lovelace");
    const oldToken = (await storedToken(cli.env)) as string;
    const again = await runCli(["login", "--no-wait", "--json"], cli.env);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ status: "signed_in", api_url: cli.server.url });
    expect(again.stderr).toMatch(/Already signed in to .* as Ada Lovelace/);
    expect(await exists(pendingPath())).toBe(false);

    const forced = await runCli(["login", "--no-wait", "--force", "--json"], cli.env);
    expect(forced.code).toBe(0);
    const { user_code } = JSON.parse(forced.stdout) as { user_code: string };
    await cli.server.decide(user_code, "approve", account.cookie);
    const continued = await runCli(["login", "--continue"], cli.env);
    expect(continued.code).toBe(0);
    expect(continued.stderr).toContain("Replacing existing session for Ada Lovelace.");
    expect(await storedToken(cli.env)).not.toBe(oldToken);
    expect((await runCli(["whoami"], cli.env)).code).toBe(0);
    expect((await runCli(["whoami"], { ...cli.env, CLAUDEMESH_TOKEN: oldToken })).code).toBe(2);
  });
});

describe("claudemesh login --continue", () => {
  it("collects an approval that already happened, saves the token like login, and whoami works", async () => {
    const account = await cli.server.signUp("Grace Hopper");
    const { shown, deviceCode } = await startNoWait();
    expect((await cli.server.decide(shown.user_code, "approve", account.cookie)).status).toBe(200);

    const result = await runCli(["login", "--continue", "--json"], cli.env);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("✔ Authenticated as Grace Hopper");
    expect(JSON.parse(result.stdout)).toMatchObject({
      status: "approved",
      user: { name: "Grace Hopper", email: account.email },
      api_url: cli.server.url,
    });
    const saved = await storedCredential(cli.env);
    expect(saved).toMatchObject({ store: "keychain", record: { token_kind: "session", source: "device-code" } });
    expect(result.stdout + result.stderr).not.toContain(saved?.token);
    expect(result.stdout + result.stderr).not.toContain(deviceCode);
    expect(await exists(pendingPath())).toBe(false);

    const whoami = await runCli(["whoami", "--json"], cli.env);
    expect(whoami.code).toBe(0);
    expect(JSON.parse(whoami.stdout)).toMatchObject({ user: { name: "Grace Hopper" } });
  });

  it("waits for the approval when it comes later", async () => {
    const account = await cli.server.signUp("Ada Lovelace");
    const { shown } = await startNoWait();
    const waiting = startCli(["login", "--continue"], cli.env);
    await waiting.waitFor(/Waiting for confirmation/);
    expect(waiting.stderr()).toContain(`Approve ${shown.user_code} at ${shown.verification_url_complete}`);
    await cli.server.decide(shown.user_code, "approve", account.cookie);
    const result = await waiting.exited;
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("✔ Authenticated as Ada Lovelace");
    expect((await runCli(["whoami"], cli.env)).code).toBe(0);
    expect(await exists(pendingPath())).toBe(false);
  });

  it("Ctrl-C while waiting exits 130 and keeps the pending login for another --continue", async () => {
    await startNoWait();
    const waiting = startCli(["login", "--continue"], cli.env);
    await waiting.waitFor(/Waiting for confirmation/);
    waiting.child.kill("SIGINT");
    expect((await waiting.exited).code).toBe(130);
    expect(await exists(pendingPath())).toBe(true);
    expect(await exists(join(cli.configDir, "auth.json"))).toBe(false);
  });

  it("--no-wait checks once: exit 75 while pending, then 0 once approved", async () => {
    const account = await cli.server.signUp("Ada Lovelace");
    const { shown, deviceCode } = await startNoWait();

    const pending = await runCli(["login", "--continue", "--no-wait", "--json"], cli.env);
    expect(pending.code).toBe(75);
    expect(JSON.parse(pending.stdout)).toMatchObject({
      status: "pending",
      user_code: shown.user_code,
      verification_url_complete: shown.verification_url_complete,
    });
    expect(pending.stdout + pending.stderr).not.toContain(deviceCode);
    // Right away again: it keeps the interval itself rather than earning a slow_down.
    const again = await runCli(["login", "--continue", "--no-wait"], cli.env);
    expect(again.code).toBe(75);
    expect(again.stderr).toContain(`Still waiting for approval of ${shown.user_code}`);
    expect((await readPending()).interval).toBe(shown.interval);

    await cli.server.decide(shown.user_code, "approve", account.cookie);
    const done = await runCli(["login", "--continue", "--no-wait"], cli.env);
    expect(done.code).toBe(0);
    expect(done.stderr).toContain("✔ Authenticated as Ada Lovelace");
    expect(await exists(pendingPath())).toBe(false);
    expect((await runCli(["whoami"], cli.env)).code).toBe(0);
  });

  it("denied: exit 1, says so, and the pending login is gone", async () => {
    const account = await cli.server.signUp();
    const { shown } = await startNoWait();
    await cli.server.decide(shown.user_code, "deny", account.cookie);
    const result = await runCli(["login", "--continue", "--no-wait", "--json"], cli.env);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({ status: "denied" });
    expect(result.stderr).toContain("✘ Login denied in the browser.");
    expect(await exists(pendingPath())).toBe(false);
    expect(await exists(join(cli.configDir, "auth.json"))).toBe(false);
  });

  it("expired: exit 1, says to start again, and the pending login is gone", async () => {
    await startNoWait();
    // Ten minutes on: the saved code's expiry is in the past.
    await writeFile(
      pendingPath(),
      JSON.stringify({ ...(await readPending()), expires_at: new Date(Date.now() - 1000).toISOString() }),
      { mode: 0o600 },
    );
    const result = await runCli(["login", "--continue"], cli.env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("✘ The login expired before it was approved and collected");
    expect(result.stderr).toContain("Run `claudemesh login --no-wait` again for a new code.");
    expect(await exists(pendingPath())).toBe(false);
  });

  it("nothing started, or started for another server: exit 1 and nothing sent", async () => {
    const none = await runCli(["login", "--continue", "--json"], cli.env);
    expect(none.code).toBe(1);
    expect(JSON.parse(none.stdout)).toEqual({ status: "not_started" });
    expect(none.stderr).toContain("Run `claudemesh login --no-wait` first.");

    await startNoWait();
    const elsewhere = await runCli(["login", "--continue"], { ...cli.env, CLAUDEMESH_API_URL: "http://127.0.0.1:9" });
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toContain("No login is waiting to be continued for http://127.0.0.1:9.");
    expect(await exists(pendingPath())).toBe(true);
  });

  // The one that polls second is told to slow down (+5 s) before it waits too: give it time.
  it("two at once: one gets the token, the other says another process completed it and changes nothing", {
    timeout: 60_000,
  }, async () => {
    const account = await cli.server.signUp("Ada Lovelace");
    const { shown } = await startNoWait();
    const first = startCli(["login", "--continue"], cli.env);
    const second = startCli(["login", "--continue"], cli.env);
    await Promise.all([first.waitFor(/Waiting for confirmation/), second.waitFor(/Waiting for confirmation/)]);
    await cli.server.decide(shown.user_code, "approve", account.cookie);
    const results = await Promise.all([first.exited, second.exited]);

    expect(results.map((result) => result.code).sort()).toEqual([0, 1]);
    const winner = results.find((result) => result.code === 0);
    const loser = results.find((result) => result.code === 1);
    expect(winner?.stderr).toContain("✔ Authenticated as Ada Lovelace");
    expect(loser?.stderr).toContain("✘ Another claudemesh process completed this login and received its token");
    expect(loser?.stderr).not.toContain("Token saved");
    // The winner's token is the one saved, and it works.
    expect((await runCli(["whoami"], cli.env)).code).toBe(0);
    const sessions = await runCli(["sessions", "list", "--json"], cli.env);
    expect((JSON.parse(sessions.stdout) as { sessions: unknown[] }).sessions).toHaveLength(1);
    expect(await exists(pendingPath())).toBe(false);
  });
});
