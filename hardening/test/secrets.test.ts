// After a whole session of real use — device login, PAT login, tokens made and
// revoked, meshes, invites, telemetry, failures, logout — no raw token, device
// code or browser session token that the server issued appears in its logs, in the CLI's output
// (which never shows a token: PATs are made in the browser), in the CLI's other files, or anywhere in the
// database. Everything that crossed the wire is recorded by the balancer, so
// the list of secrets to look for is complete, not a guess.
import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { runCli, startCli } from "@claudemesh/test-support/run-cli";
import type { RunningServer } from "@claudemesh/test-support/server-process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson } from "./support/browser-session.js";
import { type Cluster, dumpDatabase, startCluster } from "./support/cluster.js";

const USER_CODE = /[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}/;
const TOKEN = /cm_(?:session|pat)_[a-z2-7]{58}/g;
const DEVICE_CODE = /"device_code":"([A-Za-z0-9_-]{20,})"/g;

describe("secrets after a full session of use", () => {
  let cluster: Cluster;
  let server: RunningServer;
  let configDir = "";
  let env: Record<string, string> = {};
  /** Everything the CLI printed. */
  let cliOutput = "";
  /** The raw tokens inside the browser session cookies the server set. */
  const webSessionTokens: string[] = [];

  beforeAll(async () => {
    cluster = await startCluster(1);
    server = cluster.instances[0] as RunningServer;
    configDir = await mkdtemp(join(tmpdir(), "claudemesh-secrets-"));
    env = {
      CLAUDEMESH_API_URL: cluster.balancer.url,
      CLAUDEMESH_CONFIG_DIR: configDir,
    };
  });
  afterAll(async () => {
    await cluster?.stop();
    await rm(configDir, { recursive: true, force: true });
  });

  async function cli(args: string[], options: { stdin?: string } = {}) {
    const result = await runCli(args, env, options.stdin);
    // The command line itself holds tokens (`--token`, a misplaced id); only what the CLI printed counts.
    cliOutput += `${result.stdout}${result.stderr}`;
    return result;
  }

  async function deviceLogin(extra: string[] = []) {
    const account = await server.signUp("Grace Hopper");
    webSessionTokens.push(rawSessionToken(account.cookie));
    const login = startCli(["login", "--no-browser", ...extra], env);
    const [code] = await login.waitFor(USER_CODE);
    expect((await server.decide(code, "approve", account.cookie)).status).toBe(200);
    const result = await login.exited;
    cliOutput += result.stdout + result.stderr;
    expect(result.code).toBe(0);
    return account;
  }

  it("leaves no issued token or device code in logs, CLI output, CLI files or any table", async () => {
    const account = await deviceLogin();
    await cli(["whoami"]);
    await cli(["whoami", "--sessions", "--json"]);
    await cli(["auth", "status"]);
    await cli(["sessions", "list", "--json"]);
    // The CLI sends the person to the dashboard's form; the browser session there makes the PAT (through the balancer).
    const form = await cli(["tokens", "create", "--name", "ci-deploy", "--json"]);
    expect(JSON.parse(form.stdout)).toEqual({
      url: expect.stringContaining("/dashboard/settings/cli-tokens?name=ci-deploy"),
    });
    const made = await postJson(
      cluster.balancer.url,
      "/api/my/cli/tokens",
      { name: "ci-deploy" },
      { cookie: account.cookie },
    );
    expect(made.status).toBe(201);
    const pat = (await made.json()) as { id: string; token: string };
    await cli(["tokens", "list"]);
    await cli(["tokens", "list", "--json"]);
    await cli(["create", "Secret Mesh"]);
    await cli(["list", "--json"]);
    await cli(["invite", "--mesh", "secret-mesh", "--email", "friend@example.test"]);
    await cli(["sync"]);

    // A second login replaces the first (revoking it); then a PAT login from stdin.
    await deviceLogin(["--force"]);
    expect((await cli(["login", "--with-token", "--force"], { stdin: `${pat.token}\n` })).code).toBe(0);
    await cli(["whoami", "--json"]);

    // Failures that carry a token: one passed where an id belongs, a mistyped one, a revoked one.
    const misplaced = await cli(["tokens", "revoke", pat.token]);
    expect(misplaced.code).toBe(1);
    expect(misplaced.stderr).toContain(`cm_pat_${pat.token.slice(7, 11)}…`); // redacted, still recognisable
    const mistyped = `${pat.token.slice(0, -1)}${pat.token.endsWith("a") ? "b" : "a"}`;
    expect((await cli(["login", "--token", mistyped])).code).toBe(1);
    expect((await cli(["tokens", "revoke", pat.id])).code).toBe(0);
    expect((await cli(["whoami"])).code).toBe(2);

    await deviceLogin(["--force"]);
    for (let i = 0; i < 6; i += 1) await cli(["whoami"]);
    await cli(["logout"]);

    // The CLI sends its queued telemetry (20 events) from a detached process; wait for it to land.
    for (let waited = 0; waited < 10_000; waited += 100) {
      if (cluster.balancer.exchanges.some((e) => e.path === "/api/telemetry" && e.status === 202)) break;
      await sleep(100);
    }
    expect(cluster.balancer.exchanges.some((e) => e.path === "/api/telemetry" && e.status === 202)).toBe(true);

    // Every secret the server handed out, read off the wire.
    const wire = cluster.balancer.exchanges.map((e) => e.responseBody).join("\n");
    const tokens = new Set(wire.match(TOKEN));
    const deviceCodes = new Set([...wire.matchAll(DEVICE_CODE)].map((match) => match[1] as string));
    expect(tokens.size).toBeGreaterThanOrEqual(4); // three device logins and the PAT
    expect(deviceCodes.size).toBe(3);
    expect(webSessionTokens.filter((token) => token.length >= 20)).toHaveLength(3);

    const otherCliFiles = await Promise.all(
      (await readdir(configDir))
        .filter((name) => name !== "auth.json")
        .map(async (name) => `${name}:\n${await readFile(join(configDir, name), "utf8")}`),
    );
    const places: Record<string, string> = {
      "server logs": cluster.logs(),
      "CLI output": cliOutput,
      "CLI files": otherCliFiles.join("\n"),
      database: await dumpDatabase(cluster.postgres),
    };
    expect(places.database).toContain("telemetry_event");
    expect(places["server logs"]).toContain("listening on");

    const leaks: string[] = [];
    for (const [place, text] of Object.entries(places)) {
      for (const secret of [...tokens, ...deviceCodes, ...webSessionTokens]) {
        if (text.includes(secret)) leaks.push(`${place}: ${secret.slice(0, 14)}…`);
      }
    }
    expect(leaks).toEqual([]);
    // The check can find what it looks for: the wire did carry the PAT to the browser, and
    // the dump does hold the PAT's row (as its SHA-256, the only form stored).
    expect(tokens).toContain(pat.token);
    expect(places.database).toContain(createHash("sha256").update(pat.token).digest("hex"));
    expect(places.database).toContain(
      createHash("sha256")
        .update(webSessionTokens[0] ?? "")
        .digest("hex"),
    );
  });
});

/** The raw token inside a Better Auth session cookie (`name=token.signature`, URL-encoded). */
function rawSessionToken(cookie: string): string {
  const value = /better-auth\.session_token=([^;]+)/.exec(cookie)?.[1] ?? "";
  return decodeURIComponent(value).split(".")[0] ?? "";
}
