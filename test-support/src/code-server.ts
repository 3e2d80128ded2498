import { execFileSync, spawn } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./free-port.js";
import { suiteKeyringEnv } from "./suite-keyring.js";

/** Sets code-server up (cached outside the repository) and prints its launcher; scripts/test.mjs runs it before the tests. */
export const SETUP_CODE_SERVER = fileURLToPath(new URL("./setup-code-server.sh", import.meta.url));

/**
 * npm's code-server (VS Code's server and web workbench) on Node 24, ready to start:
 * the launcher's path. The first call compiles its native modules (~3 min); later
 * ones find them cached.
 */
export function setUpCodeServer(): string {
  const launcher = execFileSync("bash", [SETUP_CODE_SERVER], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  })
    .trim()
    .split("\n")
    .at(-1);
  if (!launcher) throw new Error(`${SETUP_CODE_SERVER} printed no launcher`);
  return launcher;
}

export interface CodeServerOptions {
  /** From setUpCodeServer(). */
  launcher: string;
  /** A scratch folder's files: code-server's config, the user data (settings, logs) and the extensions. */
  configFile: string;
  userDataDir: string;
  extensionsDir: string;
  /** .vsix files installed before it starts. */
  extensions: string[];
  /** The folder it opens. */
  workspace: string;
  /** Its environment; the run's keyring is added unless it names another bus (the extension and the CLI share one). */
  env: NodeJS.ProcessEnv;
  /** User settings besides the quiet ones every test editor gets (no start page, AI, telemetry or updates). */
  settings?: Record<string, unknown>;
}

/** What keeps a test editor quiet: nothing opens, asks or phones home but what the test does. */
const QUIET_SETTINGS = {
  "workbench.startupEditor": "none",
  "chat.disableAIFeatures": true,
  "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
};

export interface RunningCodeServer {
  /** Where a browser opens the workbench, on the workspace folder. */
  url: string;
  stop(): void;
}

/** Installs the extensions, starts code-server on a free loopback port without auth, and waits until it answers. */
export async function startCodeServer(options: CodeServerOptions): Promise<RunningCodeServer> {
  const env = { ...suiteKeyringEnv(), ...options.env };
  await mkdir(join(options.userDataDir, "User"), { recursive: true });
  await writeFile(
    join(options.userDataDir, "User", "settings.json"),
    JSON.stringify({ ...QUIET_SETTINGS, ...options.settings }),
  );
  const common = [
    "--config",
    options.configFile,
    "--user-data-dir",
    options.userDataDir,
    "--extensions-dir",
    options.extensionsDir,
  ];
  execFileSync(options.launcher, [...common, ...options.extensions.flatMap((vsix) => ["--install-extension", vsix])], {
    env,
    stdio: "ignore",
  });
  const port = await freePort();
  const child = spawn(
    options.launcher,
    [
      ...common,
      "--auth",
      "none",
      "--bind-addr",
      `127.0.0.1:${port}`,
      "--disable-telemetry",
      "--disable-update-check",
      "--disable-workspace-trust",
      options.workspace,
    ],
    // Its own process group: the launcher is a shell script, and stop() must reach the node it starts.
    { env, stdio: "ignore", detached: true },
  );
  const stop = () => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {}
  };
  const origin = `http://127.0.0.1:${port}`;
  // It prints nothing we could wait on with stdio ignored; its health check says when the workbench can load.
  for (let attempt = 0; attempt < 120; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode} before answering`);
    const healthy = await fetch(`${origin}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return { url: `${origin}/?folder=${encodeURIComponent(options.workspace)}`, stop };
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  stop();
  throw new Error(`code-server did not answer ${origin}/healthz within a minute`);
}
