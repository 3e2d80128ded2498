import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The real server, built (`pnpm build`), as clients meet it. */
const SERVER_BUNDLE = fileURLToPath(new URL("../../../server/dist/main.js", import.meta.url));

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

let accounts = 0;

export interface ServerOptions {
  /** A Postgres to share with other instances; embedded PGlite in a temp dir when absent. */
  databaseUrl?: string;
  /** Where browsers reach it (a load balancer in front of several instances); its own address when absent. */
  publicUrl?: string;
  /** Receives everything the process prints, for tests that read its logs. */
  onOutput?: (text: string) => void;
  /** More environment for the server (TRUST_PROXY, SMTP_URL, …). */
  env?: Record<string, string>;
  /** The Node binary to run it on; this test process's when absent. */
  node?: string;
}

/** Starts `server/dist/main.js` on a free port, on embedded PGlite in a temp dir unless given a Postgres. */
export async function startClaudemeshServer(options: ServerOptions = {}): Promise<RunningServer> {
  if (!existsSync(SERVER_BUNDLE)) throw new Error(`${SERVER_BUNDLE} is missing: run \`pnpm build\` first`);
  const dataDir = await mkdtemp(join(tmpdir(), "claudemesh-sdk-test-"));
  const child: ChildProcess = spawn(options.node ?? process.execPath, [SERVER_BUNDLE], {
    env: {
      PATH: process.env.PATH ?? "",
      PORT: "0",
      CLAUDEMESH_DATA_DIR: dataDir,
      BETTER_AUTH_SECRET: "s".repeat(40),
      ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
      ...(options.publicUrl ? { PUBLIC_URL: options.publicUrl } : {}),
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (options.onOutput) {
    const forward = (chunk: Buffer) => options.onOutput?.(chunk.toString());
    child.stdout?.on("data", forward);
    child.stderr?.on("data", forward);
  }
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const found = /listening on (\S+)/.exec(output)?.[1];
      if (found) resolve(found);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  const origin = new URL(options.publicUrl ?? url).origin;
  const post = (path: string, body: unknown, cookie?: string) =>
    fetch(new URL(path, url), {
      method: "POST",
      headers: { "content-type": "application/json", origin, ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
    });

  return {
    url,
    pid: child.pid,
    async signUp(name = "Ada Lovelace") {
      accounts += 1;
      const email = `sdk${accounts}.${Date.now()}@example.test`;
      const response = await post("/api/auth/sign-up/email", { name, email, password: "correct horse battery" });
      if (!response.ok) throw new Error(`sign-up: ${response.status} ${await response.text()}`);
      const cookie = response.headers
        .getSetCookie()
        .map((line) => line.split(";")[0])
        .join("; ");
      return { cookie, email, name };
    },
    decide: (userCode, decision, cookie) => post(`/api/auth/cli/device-code/${userCode}/${decision}`, {}, cookie),
    async createPat(cookie, name = "sdk-test") {
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
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
