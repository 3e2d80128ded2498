import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { copyPgliteTemplate } from "./pglite-template.js";
import { SERVER_BUNDLE } from "./workspace.js";

/** A secret long enough for Better Auth, the same for every test server. */
export const TEST_AUTH_SECRET = "s".repeat(40);

export interface ServerProcess {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr interleaved. */
  output(): string;
  /** Resolves with the URL it listens on; rejects if it exits first. */
  listening: Promise<string>;
  /** Resolves with the exit code once it has exited. */
  exited: Promise<number | null>;
  /** SIGTERM, then resolves with the exit code. */
  stop(): Promise<number | null>;
}

export interface SpawnServerOptions {
  /** Another build of the server (a packed one); the workspace's `server/dist/main.js` when absent. */
  bundle?: string;
  /** The Node binary to run it on; this test process's when absent. */
  node?: string;
  /** Let the server run initdb itself, as on a first start, instead of copying the run's initialised cluster. */
  freshDataDir?: boolean;
}

/**
 * Starts the built server with exactly this environment (plus PATH, and PORT=0
 * unless given) and does not wait: for tests that watch it start, fail or exit.
 */
export function spawnServer(env: Record<string, string>, options: SpawnServerOptions = {}): ServerProcess {
  const bundle = options.bundle ?? SERVER_BUNDLE;
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run \`pnpm build\` first`);
  const child = spawn(options.node ?? process.execPath, [bundle], {
    env: { PATH: process.env.PATH ?? "", PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let printed = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const listening = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      printed += chunk.toString();
      const url = /listening on (\S+)/.exec(printed)?.[1];
      if (url) resolve(url);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    void exited.then((code) => reject(new Error(`server exited with ${code} before listening:\n${printed}`)));
  });
  listening.catch(() => {}); // callers that expect a failed start await `exited` instead
  return {
    child,
    output: () => printed,
    listening,
    exited,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

/** A started server with what a browser does on it, for client tests. */
export interface RunningServer {
  url: string;
  /** The server process's id. */
  pid: number | undefined;
  /** Signs a new user up; returns their browser cookie. */
  signUp(name?: string): Promise<{ cookie: string; email: string; name: string }>;
  /** Approves or denies a user code as that signed-in browser would. */
  decide(userCode: string, decision: "approve" | "deny", cookie: string): Promise<Response>;
  /** Creates a PAT through the browser session. */
  createPat(cookie: string, name?: string): Promise<{ id: string; token: string }>;
  /** A terminal's device login ("build-box · linux · arm64") approved by that browser: its session token. */
  terminalSession(cookie: string): Promise<string>;
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** A Postgres to share with other instances; embedded PGlite in a temp dir when absent. */
  databaseUrl?: string;
  /** Where browsers reach it (a load balancer in front of several instances); its own address when absent. */
  publicUrl?: string;
  /** Receives everything the process prints, for tests that read its logs. */
  onOutput?: (text: string) => void;
  /** More environment for the server (TRUST_PROXY, SMTP_URL, PORT, …). */
  env?: Record<string, string>;
  /** The Node binary to run it on; this test process's when absent. */
  node?: string;
  /** Let the server run initdb itself, as on a first start, instead of copying the run's initialised cluster. */
  freshDataDir?: boolean;
}

let accounts = 0;

/** Starts the built server on a free port, on embedded PGlite in a temp dir unless given a Postgres, and waits until it listens. */
export async function startClaudemeshServer(options: ServerOptions = {}): Promise<RunningServer> {
  const dataDir = await mkdtemp(join(tmpdir(), "claudemesh-server-test-"));
  let server: ServerProcess;
  let url: string;
  try {
    if (!options.databaseUrl && !options.freshDataDir) await copyPgliteTemplate(dataDir);
    server = spawnServer(
      {
        CLAUDEMESH_DATA_DIR: dataDir,
        BETTER_AUTH_SECRET: TEST_AUTH_SECRET,
        ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
        ...(options.publicUrl ? { PUBLIC_URL: options.publicUrl } : {}),
        ...options.env,
      },
      options.node ? { node: options.node } : {},
    );
    const { onOutput } = options;
    if (onOutput) {
      const forward = (chunk: Buffer) => onOutput(chunk.toString());
      server.child.stdout?.on("data", forward);
      server.child.stderr?.on("data", forward);
    }
    url = await server.listening;
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const origin = new URL(options.publicUrl ?? url).origin;
  const post = (path: string, body: unknown, cookie?: string) =>
    fetch(new URL(path, url), {
      method: "POST",
      headers: { "content-type": "application/json", origin, ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
    });

  return {
    url,
    pid: server.child.pid,
    async signUp(name = "Ada Lovelace") {
      accounts += 1;
      const email = `user${accounts}.${Date.now()}@example.test`;
      const password = "correct horse battery";
      const response = await post("/api/auth/sign-up/email", { name, email, password });
      if (!response.ok) throw new Error(`sign-up: ${response.status} ${await response.text()}`);
      // Sign-up signs nobody in (it answers alike for a taken address): sign in as a person would.
      const signedIn = await post("/api/auth/sign-in/email", { email, password });
      if (!signedIn.ok) throw new Error(`sign-in: ${signedIn.status} ${await signedIn.text()}`);
      const cookie = signedIn.headers
        .getSetCookie()
        .map((line) => line.split(";")[0])
        .join("; ");
      return { cookie, email, name };
    },
    decide: (userCode, decision, cookie) => post(`/api/auth/cli/device-code/${userCode}/${decision}`, {}, cookie),
    async createPat(cookie, name = "test-token") {
      const response = await post("/api/my/cli/tokens", { name }, cookie);
      if (!response.ok) throw new Error(`create PAT: ${response.status} ${await response.text()}`);
      return (await response.json()) as { id: string; token: string };
    },
    async terminalSession(cookie) {
      const device = { device_name: "build-box", device_os: "linux", device_arch: "arm64" };
      const code = (await (await post("/api/auth/cli/device-code", device)).json()) as {
        device_code: string;
        user_code: string;
      };
      const approved = await post(`/api/auth/cli/device-code/${code.user_code}/approve`, {}, cookie);
      if (!approved.ok) throw new Error(`approve: ${approved.status} ${await approved.text()}`);
      const poll = await fetch(new URL(`/api/auth/cli/device-code/${code.device_code}`, url));
      return ((await poll.json()) as { token: string }).token;
    },
    async stop() {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
