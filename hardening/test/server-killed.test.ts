// The server is SIGKILLed (no shutdown hook runs, nothing is flushed on the
// way out) after a login was approved in the browser but before the
// terminal claimed its token. Device codes live in the database, so a
// restarted server must hand the token to the next poll, exactly once.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@claudemesh/test-support/free-port";
import { startCli } from "@claudemesh/test-support/run-cli";
import { type ServerProcess, spawnServer } from "@claudemesh/test-support/server-process";
import { startThrowawayPostgres } from "@claudemesh/test-support/throwaway-postgres";
import { afterEach, describe, expect, it } from "vitest";
import { postJson, REQUEST_TIMEOUT_MS, signUp } from "./support/browser-session.js";
import { DEVICE } from "./support/device-codes.js";

/** Just over the server's 1.5 s poll interval, so the second poll is not told to slow down. */
const POLL_INTERVAL_MS = 1600;

/** Where the server keeps its data, for each kind of database. */
const DATABASES = {
  postgres: async () => {
    const cluster = await startThrowawayPostgres();
    return { env: { DATABASE_URL: cluster.url }, cleanUp: () => cluster.stop() };
  },
  pglite: async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "claudemesh-faults-pglite-"));
    return { env: { CLAUDEMESH_DATA_DIR: dataDir }, cleanUp: () => rm(dataDir, { recursive: true, force: true }) };
  },
};

/** Registers a describe block's clean-up hook; servers started with `start` stop after each test. */
function useServers() {
  const cleanUps: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanUp of cleanUps.reverse()) await cleanUp();
    cleanUps.length = 0;
  });
  async function start(env: Record<string, string>): Promise<{ server: ServerProcess; url: string }> {
    const server = spawnServer({ ...env, BETTER_AUTH_SECRET: "s".repeat(40) });
    cleanUps.push(() => server.stop());
    return { server, url: await server.listening };
  }
  return { start, cleanUps };
}

describe.each(Object.keys(DATABASES) as (keyof typeof DATABASES)[])("server SIGKILLed on %s", (kind) => {
  const { start, cleanUps } = useServers();

  it("between approve and claim: after a restart the next poll gets the token, and only that poll", async () => {
    const database = await DATABASES[kind]();
    cleanUps.push(database.cleanUp);

    const first = await start(database.env);
    const cookie = await signUp(first.url, "Ada Lovelace", "ada@example.test");
    const code = (await (await postJson(first.url, "/api/auth/cli/device-code", DEVICE)).json()) as {
      device_code: string;
      user_code: string;
    };
    const approved = await postJson(first.url, `/api/auth/cli/device-code/${code.user_code}/approve`, {}, { cookie });
    expect(approved.status).toBe(200);

    first.server.child.kill("SIGKILL");
    expect(await first.server.exited).toBeNull(); // killed by the signal, not exited

    const second = await start(database.env);
    const poll = async () => {
      const response = await fetch(new URL(`/api/auth/cli/device-code/${code.device_code}`, second.url), {
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      expect(response.status).toBe(200);
      return (await response.json()) as { status: string; token: string | null; user?: { name: string } };
    };
    const claimed = await poll();
    expect(claimed).toMatchObject({ status: "approved", user: { name: "Ada Lovelace" } });
    expect(claimed.token).toMatch(/^cm_session_/);

    const whoami = await fetch(new URL("/api/my/whoami", second.url), {
      headers: { authorization: `Bearer ${claimed.token}` },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    expect(whoami.status).toBe(200);
    expect(await whoami.json()).toMatchObject({ user: { name: "Ada Lovelace" } });

    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    expect(await poll()).toMatchObject({ status: "approved", token: null });
  });
});

// One database kind is enough here: what is under test is the CLI riding out the restart.
describe("server SIGKILLed on postgres", () => {
  const { start, cleanUps } = useServers();

  it("under a polling `claudemesh login`: it keeps polling through the restart and signs in", async () => {
    const database = await DATABASES.postgres();
    cleanUps.push(database.cleanUp);
    // The same address before and after, as behind a load balancer or a supervisor.
    const env = { ...database.env, PORT: String(await freePort()) };
    const first = await start(env);
    const cookie = await signUp(first.url, "Ada Lovelace", "ada@example.test");
    const configDir = await mkdtemp(join(tmpdir(), "claudemesh-faults-kill-"));
    cleanUps.push(() => rm(configDir, { recursive: true, force: true }));

    const login = startCli(["login", "--no-browser"], {
      CLAUDEMESH_API_URL: first.url,
      CLAUDEMESH_CONFIG_DIR: configDir,
      DO_NOT_TRACK: "1",
    });
    cleanUps.push(async () => {
      login.child.kill("SIGKILL");
    });
    const [userCode] = await login.waitFor(/[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}/);
    first.server.child.kill("SIGKILL"); // its held poll dies with it
    await first.server.exited;

    const second = await start(env);
    expect(second.url).toBe(first.url);
    const approved = await postJson(second.url, `/api/auth/cli/device-code/${userCode}/approve`, {}, { cookie });
    expect(approved.status).toBe(200);
    const result = await login.exited;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("Authenticated as Ada Lovelace");
  });
});
