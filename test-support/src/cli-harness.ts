import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, expect } from "vitest";
import { startCli } from "./run-cli.js";
import { type RunningServer, startClaudemeshServer } from "./server-process.js";

export interface CliHarness {
  /** The real server this file's tests run against. */
  readonly server: RunningServer;
  /** This test's CLAUDEMESH_API_URL, CLAUDEMESH_CONFIG_DIR (fresh per test) and file store. */
  readonly env: Record<string, string>;
  readonly configDir: string;
  /** This server's login in the saved auth.json, parsed. */
  authFile(): Promise<Record<string, unknown> & { token?: string }>;
  /** `claudemesh login` as a new account, approved over HTTP; the login must succeed. */
  deviceLogin(name?: string): Promise<{ account: Awaited<ReturnType<RunningServer["signUp"]>>; stderr: string }>;
  /** Stops the server (to test an unreachable one); the next file-level hook does not restart it. */
  restartServer(): Promise<void>;
}

/** Registers the hooks every CLI process test needs and returns the handles they fill. */
export function useCliHarness(): CliHarness {
  let server: RunningServer;
  let configDir = "";
  let env: Record<string, string> = {};
  beforeAll(async () => {
    server = await startClaudemeshServer();
  });
  afterAll(() => server.stop());
  beforeEach(async () => {
    configDir = await mkdtemp(join(tmpdir(), "claudemesh-cli-"));
    env = { CLAUDEMESH_API_URL: server.url, CLAUDEMESH_CONFIG_DIR: configDir, CLAUDEMESH_TOKEN_STORE: "file" };
    return () => rm(configDir, { recursive: true, force: true });
  });
  return {
    get server() {
      return server;
    },
    get env() {
      return env;
    },
    get configDir() {
      return configDir;
    },
    authFile: async () => {
      const file = JSON.parse(await readFile(join(configDir, "auth.json"), "utf8"));
      // One login per server (version 2): this server's.
      return file.servers[new URL(server.url).origin];
    },
    async deviceLogin(name = "Ada Lovelace") {
      const account = await server.signUp(name);
      const login = startCli(["login", "--no-browser"], env);
      const [code] = await login.waitFor(/[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}/);
      await server.decide(code, "approve", account.cookie);
      const result = await login.exited;
      expect(result.code).toBe(0);
      return { account, stderr: result.stderr };
    },
    async restartServer() {
      server = await startClaudemeshServer();
    },
  };
}
