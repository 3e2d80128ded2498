import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, expect } from "vitest";
import { startCli } from "./run-cli.js";
import { type RunningServer, startClaudemeshServer } from "./server-process.js";

export interface CliHarness {
  /** The real server this file's tests run against. */
  readonly server: RunningServer;
  /**
   * This test's CLAUDEMESH_API_URL and CLAUDEMESH_CONFIG_DIR (fresh per test). The token goes where
   * a desktop user's goes: the run's keyring (run-cli adds it); read it back with
   * `storedToken(env)` from `@claudemesh/sdk/testing`, never from auth.json.
   */
  readonly env: Record<string, string>;
  readonly configDir: string;
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
    env = { CLAUDEMESH_API_URL: server.url, CLAUDEMESH_CONFIG_DIR: configDir };
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
