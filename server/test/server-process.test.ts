import { readFileSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@claudemesh/test-support/free-port";
import { type ServerProcess, spawnServer } from "@claudemesh/test-support/server-process";
import postgres from "postgres";
import { afterEach, describe, expect, it } from "vitest";
import { MIGRATIONS_FOLDER } from "../src/paths.js";
import { createPostgresDatabase } from "./support/test-database.js";

const MIGRATION_COUNT = (
  JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8")) as { entries: unknown[] }
).entries.length;
const SECRET = "test-secret-that-is-long-enough-0123456789";

const running: ServerProcess[] = [];
const start = (env: Record<string, string>) => {
  const server = spawnServer(env);
  running.push(server);
  return server;
};
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.stop()));
});

async function health(url: string) {
  const response = await fetch(new URL("/healthz", url));
  return { status: response.status, body: await response.json() };
}

function postJson(url: string, path: string, body: unknown) {
  return fetch(new URL(path, url), {
    method: "POST",
    headers: { "content-type": "application/json", origin: new URL(url).origin },
    body: JSON.stringify(body),
  });
}

describe("server process on Postgres", () => {
  it("two instances starting at once on an empty database both serve; migrations apply once", async () => {
    const databaseUrl = await createPostgresDatabase();
    const env = { DATABASE_URL: databaseUrl, BETTER_AUTH_SECRET: SECRET };
    const [first, second] = [start(env), start(env)];
    const urls = await Promise.all([first.listening, second.listening]);

    for (const url of urls) expect(await health(url)).toEqual({ status: 200, body: { status: "ok" } });
    const reports = [first.output(), second.output()].map((output) => /migrations: (.*)/.exec(output)?.[1]);
    expect(reports.sort()).toEqual([
      `applied ${MIGRATION_COUNT} (${MIGRATION_COUNT} in all)`,
      `up to date (${MIGRATION_COUNT} in all)`,
    ]);

    const sql = postgres(databaseUrl, { max: 1 });
    try {
      const [row] = await sql`select count(*)::int as count from drizzle.__drizzle_migrations`;
      expect(row?.count).toBe(MIGRATION_COUNT);
    } finally {
      await sql.end();
    }
  });

  it("a failing migration exits non-zero before the port is bound", async () => {
    const databaseUrl = await createPostgresDatabase();
    const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    await sql`create table "verification" (id integer)`;
    await sql.end();

    const port = await freePort();
    const server = start({ DATABASE_URL: databaseUrl, BETTER_AUTH_SECRET: SECRET, PORT: String(port) });
    expect(await server.exited).not.toBe(0);
    expect(server.output()).toMatch(/migrations failed: .*already exists/);
    expect(server.output()).not.toMatch(/listening on/);
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => resolve(socket.destroy() && false));
      socket.once("error", () => resolve(true));
    });
    expect(refused).toBe(true);
  });

  it("bad configuration exits non-zero and names the variable", async () => {
    const server = start({ PORT: "not-a-port", BETTER_AUTH_SECRET: SECRET });
    expect(await server.exited).toBe(1);
    expect(server.output()).toMatch(/PORT/);
    expect(server.output()).not.toMatch(/\bat .+:\d+:\d+/);
  });

  it("a sign-in policy that is not one exits non-zero and names the bad entry", async () => {
    const server = start({ APPROVAL_NETWORKS: "10.0.0.0/8,10.0.0/8", DEVICE_FLOW: "no", BETTER_AUTH_SECRET: SECRET });
    expect(await server.exited).toBe(1);
    expect(server.output()).toMatch(/APPROVAL_NETWORKS: not a network: "10.0.0\/8"/);
    expect(server.output()).toMatch(/DEVICE_FLOW must be "on" or "off"/);
    expect(server.output()).not.toMatch(/\bat .+:\d+:\d+/);
  });
});

describe("server process on embedded PGlite", () => {
  it("starts with nothing configured, persists a generated secret (0600) and warns about it", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "claudemesh-data-"));
    try {
      const first = start({ CLAUDEMESH_DATA_DIR: dataDir });
      const url = await first.listening;
      // initdb ran in a child process that has exited, so the server holds only the finished cluster.
      expect(first.output()).toMatch(/creating the embedded database in .* \(first start\)/);
      expect(await health(url)).toEqual({ status: 200, body: { status: "ok" } });
      expect(first.output()).toMatch(/BETTER_AUTH_SECRET is not set.*Set BETTER_AUTH_SECRET in production/);
      const secretFile = join(dataDir, "better-auth-secret");
      expect(statSync(secretFile).mode & 0o777).toBe(0o600);
      const secret = readFileSync(secretFile, "utf8");
      expect(secret.length).toBeGreaterThanOrEqual(32);
      const account = { name: "Grace Hopper", email: "grace@example.test", password: "a long password" };
      expect((await postJson(url, "/api/auth/sign-up/email", account)).status).toBe(200);
      expect(await first.stop()).toBe(0);

      // The account (and the secret) survive a restart.
      const second = start({ CLAUDEMESH_DATA_DIR: dataDir });
      const secondUrl = await second.listening;
      expect(second.output()).toMatch(/migrations: up to date/);
      expect(readFileSync(secretFile, "utf8")).toBe(secret);
      const signIn = await postJson(secondUrl, "/api/auth/sign-in/email", account);
      expect(signIn.status).toBe(200);
      expect(await signIn.json()).toMatchObject({ user: { name: "Grace Hopper" } });
    } finally {
      await Promise.all(running.splice(0).map((server) => server.stop()));
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 90_000); // two starts, the first running initdb: tens of seconds on a busy 2-core machine
});
