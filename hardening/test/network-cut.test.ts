// The network between `claudemesh login` and the server goes away while the
// CLI polls (its held poll is dropped, new connections are refused), the
// login is approved in the browser meanwhile, then the network returns. The
// CLI must keep retrying with backoff and finish the login on its own.
// The same when the network is gone before the CLI has a code to show:
// refused, or silent (the request gets no answer in time).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { storedToken } from "@claudemesh/sdk/testing";
import { startCli } from "@claudemesh/test-support/run-cli";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { postJson, signUp } from "./support/browser-session.js";
import { type ServerOnPostgres, startServerOnPostgres } from "./support/server-on-postgres.js";
import { startTcpProxy, type TcpProxy } from "./support/tcp-proxy.js";

/** Longer than the first backoff steps (1.5 s, then 3 s), so the CLI fails more than once. */
const CUT_MS = 4000;

const USER_CODE = /[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}/;

describe("the network cut while `claudemesh login` polls", () => {
  let server: ServerOnPostgres;
  let proxy: TcpProxy;
  let configDir = "";
  const otherConfigDirs: string[] = [];
  /** A config dir of its own for a test's login. */
  const freshEnv = async () => {
    const dir = await mkdtemp(join(tmpdir(), "claudemesh-faults-net-"));
    otherConfigDirs.push(dir);
    return { CLAUDEMESH_API_URL: proxy.url, CLAUDEMESH_CONFIG_DIR: dir, DO_NOT_TRACK: "1" };
  };

  beforeAll(async () => {
    server = await startServerOnPostgres();
    proxy = await startTcpProxy(new URL(server.url));
    configDir = await mkdtemp(join(tmpdir(), "claudemesh-faults-net-"));
  });
  afterAll(async () => {
    await proxy?.close();
    await server?.stop();
    for (const dir of [configDir, ...otherConfigDirs]) if (dir) await rm(dir, { recursive: true, force: true });
  });
  afterEach(() => proxy.restore());

  it("keeps retrying while the network is down and signs in once it returns", async () => {
    const cookie = await signUp(server.url, "Ada Lovelace", "ada@example.test");
    const env = {
      CLAUDEMESH_API_URL: proxy.url,
      CLAUDEMESH_CONFIG_DIR: configDir,
      DO_NOT_TRACK: "1",
    };
    const login = startCli(["login", "--no-browser"], env);
    const [userCode] = await login.waitFor(USER_CODE);
    // Its first poll is held open by the server once connected.
    const deadline = Date.now() + 10_000;
    while (proxy.open() === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));

    const dropped = await proxy.cut();
    expect(dropped).toBeGreaterThan(0); // a poll was in flight and was cut
    const approved = await postJson(server.url, `/api/auth/cli/device-code/${userCode}/approve`, {}, { cookie });
    expect(approved.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, CUT_MS));
    expect(login.child.exitCode).toBeNull(); // still trying, not given up
    await proxy.restore();

    const result = await login.exited;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("Authenticated as Ada Lovelace");

    // The saved token works, straight against the server.
    const token = await storedToken(env);
    expect(token).toMatch(/^cm_session_/);
    const whoami = await fetch(new URL("/api/my/whoami", server.url), {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(whoami.status).toBe(200);
    expect(await whoami.json()).toMatchObject({ user: { name: "Ada Lovelace" } });
  });

  it.each([
    ["refused", () => proxy.cut()],
    ["silent: the code request gets no answer in time", () => proxy.stall()],
  ])(
    "network down before the code is asked for (%s): says it is retrying, signs in once it returns",
    async (_how, cutTheNetwork) => {
      const cookie = await signUp(server.url, "Grace Hopper", `grace-${Date.now()}@example.test`);
      const env = await freshEnv();
      await cutTheNetwork();
      const login = startCli(["login", "--no-browser"], env);
      await login.waitFor(/Asking for a sign-in code… \(.+ Retrying\.\)/);
      expect(login.child.exitCode).toBeNull();
      expect(login.stderr()).not.toMatch(USER_CODE);
      await proxy.restore();

      const [userCode] = await login.waitFor(USER_CODE);
      const approved = await postJson(server.url, `/api/auth/cli/device-code/${userCode}/approve`, {}, { cookie });
      expect(approved.status).toBe(200);
      const result = await login.exited;
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain("Authenticated as Grace Hopper");
      expect(await storedToken(env)).toMatch(/^cm_session_/);
    },
  );

  it("Ctrl-C while the code request is retried ends the login (exit 130), nothing saved", async () => {
    const env = await freshEnv();
    await proxy.cut();
    const login = startCli(["login", "--no-browser"], env);
    await login.waitFor(/Retrying/);
    login.child.kill("SIGINT");
    const result = await login.exited;
    expect(result.code, result.stderr).toBe(130);
    expect(await storedToken(env)).toBeUndefined();
  });
});
