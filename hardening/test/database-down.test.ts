// The database goes away under a running server (`pg_ctl stop -m immediate`,
// as a crash or a failover would) and comes back on the same port. Meanwhile
// the server must answer quickly with 503 `{ error, message }` (not a 500, a
// hang or a crash), and it must recover by itself, without a restart.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli, startCli } from "@claudemesh/test-support/run-cli";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson, signUp } from "./support/browser-session.js";
import { DEVICE } from "./support/device-codes.js";
import { type ServerOnPostgres, startServerOnPostgres } from "./support/server-on-postgres.js";

/**
 * Generous for a busy CI box, where a 503 takes milliseconds; with the
 * driver's default reconnect backoff, requests waited up to 20 s.
 */
const ANSWER_WITHIN_MS = 5_000;
/** Same: the pool reconnects within a second of the database returning (up to 20 s before). */
const RECOVER_WITHIN_MS = 10_000;
/** Rounds of probes during the outage: enough failed connects to grow any reconnect backoff. */
const ROUNDS = 4;

describe("the database going down under a running server", () => {
  let running: ServerOnPostgres;
  let url = "";
  let cookie = "";
  let pat = "";
  let configDir = "";

  beforeAll(async () => {
    running = await startServerOnPostgres();
    url = running.url;
    cookie = await signUp(url, "Ada Lovelace", "ada@example.test");
    const created = await post("/api/my/cli/tokens", { name: "faults" }, { cookie });
    expect(created.status).toBe(201);
    pat = ((await created.json()) as { token: string }).token;
    configDir = await mkdtemp(join(tmpdir(), "claudemesh-faults-"));
  });
  afterAll(async () => {
    await running?.stop();
    if (configDir) await rm(configDir, { recursive: true, force: true });
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    postJson(url, path, body, headers, ANSWER_WITHIN_MS);
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(new URL(path, url), { headers, signal: AbortSignal.timeout(ANSWER_WITHIN_MS) });
  const whoami = () => get("/api/my/whoami", { authorization: `Bearer ${pat}` });

  /** One request per way a route reaches the database: health, bearer check, our routes, Better Auth. */
  const apiProbes: { name: string; send(): Promise<Response> }[] = [
    { name: "GET /healthz", send: () => get("/healthz") },
    { name: "GET /api/my/whoami (bearer)", send: whoami },
    { name: "GET /api/my/meshes (cookie)", send: () => get("/api/my/meshes", { cookie }) },
    { name: "POST /api/auth/cli/device-code", send: () => post("/api/auth/cli/device-code", DEVICE) },
    { name: "GET /api/auth/cli/device-code/:code", send: () => get(`/api/auth/cli/device-code/${"d".repeat(43)}`) },
    {
      name: "POST /api/auth/cli/device-code/:code/approve",
      send: () => post("/api/auth/cli/device-code/BCDFGHJK/approve", {}, { cookie }),
    },
    {
      name: "POST /api/auth/sign-in/email",
      send: () => post("/api/auth/sign-in/email", { email: "ada@example.test", password: "correct horse battery" }),
    },
    { name: "GET /api/auth/get-session", send: () => get("/api/auth/get-session", { cookie }) },
  ];

  it("answers 503 database_unavailable everywhere while it is down, and recovers by itself when it returns", async () => {
    // A long-poll held open when the database dies: the server has a LISTEN
    // connection and a request in flight at that moment.
    const code = (await (await post("/api/auth/cli/device-code", DEVICE)).json()) as { device_code: string };
    const held = get(`/api/auth/cli/device-code/${code.device_code}?wait=3`);
    await new Promise((resolve) => setTimeout(resolve, 500));

    await running.cluster.crash();

    const heldAnswer = await held;
    expect([heldAnswer.status, await heldAnswer.json()]).toEqual([
      503,
      { error: "database_unavailable", message: expect.any(String) },
    ]);
    const answers: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const probe of apiProbes) {
        const response = await probe.send();
        answers.push(`${probe.name} → ${response.status} ${await response.text()}`);
        expect(response.headers.get("content-type"), probe.name).toContain("application/json");
      }
    }
    for (const answer of answers) {
      expect(answer).toMatch(/→ 503 \{"error":"database_unavailable","message":"[^"]+"\}$/);
    }
    const page = await get("/dashboard/settings/cli-tokens", { cookie, accept: "text/html" });
    expect(page.status).toBe(503);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain("Temporarily unavailable");

    // The CLI turns it into a failure with a hint, not a stack trace or an auth error.
    const cli = await runCli(["whoami"], {
      CLAUDEMESH_API_URL: url,
      CLAUDEMESH_CONFIG_DIR: configDir,
      CLAUDEMESH_TOKEN: pat,
      DO_NOT_TRACK: "1",
    });
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain("try again in a minute");
    expect(cli.stderr).not.toMatch(/\n\s+at /);

    // One log line per failed request, not a stack trace each.
    expect(running.server.output()).toContain("database unavailable (");
    expect(running.server.output()).not.toMatch(/DrizzleQueryError|\n\s+at /);
    expect(running.server.child.exitCode).toBeNull();

    await running.cluster.restart();
    const restarted = Date.now();
    let recovered = await whoami();
    while (recovered.status !== 200 && Date.now() - restarted < RECOVER_WITHIN_MS) {
      expect(recovered.status).toBe(503);
      await new Promise((resolve) => setTimeout(resolve, 100));
      recovered = await whoami();
    }
    expect(recovered.status).toBe(200);
    console.log(`[faults] whoami answered 200 again ${Date.now() - restarted} ms after Postgres was back`);
    expect((await get("/healthz")).status).toBe(200);

    // A device login after the outage, long-polled: the approval must wake the held
    // poll through a LISTEN that was re-established; without one it sits out its 25 s.
    const next = (await (await post("/api/auth/cli/device-code", DEVICE)).json()) as {
      device_code: string;
      user_code: string;
    };
    const polling = Date.now();
    const claim = (async () => {
      for (;;) {
        const answer = await fetch(new URL(`/api/auth/cli/device-code/${next.device_code}?wait=25`, url));
        const body = (await answer.json()) as { status: string; token?: string | null };
        // A held poll may be woken early (the LISTEN coming back wakes them all); clients poll again.
        if (answer.status !== 200 || body.status !== "pending") return body;
        await new Promise((resolve) => setTimeout(resolve, 1600));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await post(`/api/auth/cli/device-code/${next.user_code}/approve`, {}, { cookie })).status).toBe(200);
    const claimed = await claim;
    expect(claimed.status).toBe("approved");
    expect(claimed.token).toMatch(/^cm_session_/);
    expect(Date.now() - polling).toBeLessThan(20_000);

    // And the CLI signs in end to end.
    const login = startCli(["login", "--no-browser"], {
      CLAUDEMESH_API_URL: url,
      CLAUDEMESH_CONFIG_DIR: configDir,
      DO_NOT_TRACK: "1",
    });
    const [userCode] = await login.waitFor(/[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}/);
    expect((await post(`/api/auth/cli/device-code/${userCode}/approve`, {}, { cookie })).status).toBe(200);
    const result = await login.exited;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("Authenticated as Ada Lovelace");
  });
});
