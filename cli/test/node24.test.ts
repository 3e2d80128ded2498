import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readlink, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { promisify } from "node:util";
import { storedToken } from "@claudemesh/sdk/testing";
import { NODE24_INSTALL_TIMEOUT, node24, SKIP_NODE24 } from "@claudemesh/test-support/node24";
import { runCli, startCli } from "@claudemesh/test-support/run-cli";
import { type RunningServer, startClaudemeshServer } from "@claudemesh/test-support/server-process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The smoke set on Node 24, the Node of the Docker image and of many users (these machines
// run 20): the built server on PGlite and the built CLI, both started on npm's node@24.

describe.skipIf(SKIP_NODE24)("the built CLI and server on Node 24", () => {
  let node = "";
  let server: RunningServer | undefined;
  let scratch = "";
  let env: Record<string, string> = {};
  // Each process's os.tmpdir(), where Node keeps its compile cache unless NODE_COMPILE_CACHE says otherwise.
  const serverTmp = () => join(scratch, "server-tmp");
  const cliTmp = () => join(scratch, "cli-tmp");
  const configDir = () => join(scratch, "config");
  /** The files of Node 24's compile cache under a tmpdir (one folder per Node version). */
  const compileCache = async (tmp: string) => {
    const root = join(tmp, "node-compile-cache");
    const versions = await readdir(root).catch(() => []);
    return (await Promise.all(versions.map((version) => readdir(join(root, version))))).flat();
  };

  beforeAll(async () => {
    node = await node24();
    scratch = await mkdtemp(join(tmpdir(), "claudemesh-node24-"));
    await Promise.all([mkdir(serverTmp()), mkdir(cliTmp())]);
    server = await startClaudemeshServer({ node, env: { TMPDIR: serverTmp() } });
    env = {
      // The CLI's `#!/usr/bin/env node` finds Node 24 first, as on a machine that has it.
      PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ""}`,
      TMPDIR: cliTmp(),
      CLAUDEMESH_API_URL: server.url,
      CLAUDEMESH_CONFIG_DIR: configDir(),
      DO_NOT_TRACK: "1",
    };
  }, NODE24_INSTALL_TIMEOUT);

  afterAll(async () => {
    await server?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it("has a Node 24 to run them on", async () => {
    const { stdout } = await promisify(execFile)(node, ["-v"], { encoding: "utf8" });
    expect(stdout).toMatch(/^v24\./);
  });

  it("signs in with a device login approved over HTTP, says who it is, and signs out", async () => {
    if (!server) throw new Error("the server did not start");
    const account = await server.signUp("Ada Lovelace");
    const login = startCli(["login", "--no-browser"], env);
    const [code] = await login.waitFor(/[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}/);
    if (process.platform === "linux") {
      // Both processes are running now: show that each is Node 24, not the Node running the tests.
      const node24Binary = await realpath(node);
      expect(await readlink(`/proc/${login.child.pid}/exe`)).toBe(node24Binary);
      expect(await readlink(`/proc/${server.pid}/exe`)).toBe(node24Binary);
    }
    expect((await server.decide(code, "approve", account.cookie)).status).toBe(200);
    const signedIn = await login.exited;
    expect(signedIn.code).toBe(0);
    expect(signedIn.stderr).toContain("✔ Authenticated as Ada Lovelace");

    const whoami = await runCli(["whoami", "--json"], env);
    expect(whoami.code).toBe(0);
    expect(JSON.parse(whoami.stdout)).toMatchObject({ user: { name: "Ada Lovelace", email: account.email } });

    const token = (await storedToken(env)) ?? "";
    const logout = await runCli(["logout"], env);
    expect(logout.code).toBe(0);
    expect(logout.stderr).toContain("✔ Token revoked on server");
    const revoked = await runCli(["whoami"], { ...env, CLAUDEMESH_TOKEN: token });
    expect(revoked.code).toBe(2);
  });

  it("the server and the CLI keep their compiled code for the next start (Node's compile cache)", async () => {
    // Node writes the cache as a process exits (the server on SIGTERM).
    await server?.stop();
    expect((await compileCache(serverTmp())).length).toBeGreaterThan(0);
    expect((await compileCache(cliTmp())).length).toBeGreaterThan(0);
  });
});
