// `claudemesh launch` hands Claude Code no credential: whatever tokens the shell
// holds (CLAUDEMESH_TOKEN, or any variable with a cm_ token in it) stay behind,
// and the mesh's names arrive as neutral text even when an older version saved
// them raw. Nor does launch keep one itself while Claude Code runs: it stays the
// parent for the whole session, and /proc/<pid>/environ and cmdline of every
// claudemesh process are what any process of the user (cmdline: of any user) reads.
// A stand-in `claude` dumps the environment it was given, and those files of
// itself and of every process between it and this test.
import { spawn } from "node:child_process";
import { access, chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mintToken, TOKEN_SCAN_REGEX } from "@claudemesh/sdk/token";
import { NODE24_INSTALL_TIMEOUT, node24, SKIP_NODE24 } from "@claudemesh/test-support/node24";
import { runCli } from "@claudemesh/test-support/run-cli";
import { suiteKeyringEnv } from "@claudemesh/test-support/suite-keyring";
import { CLI_BUNDLE } from "@claudemesh/test-support/workspace";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { forbiddenIn, hostile, withoutForbidden } from "./support/hostile-text.js";

// Nothing listens here: launch needs no server, and must not try one.
const API_URL = "http://127.0.0.1:9";

let root = "";
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "claudemesh-launch-env-"));
});
afterEach(() => rm(root, { recursive: true, force: true }));

/** What the stand-in `claude` saw: its environment, each process from itself up to this test, and its --mcp-config file. */
interface ClaudeDump {
  environment: Record<string, string>;
  processes: { pid: number; cmdline: string; environ: string }[];
  mcpConfig: { path: string; mode: number; text: string } | null;
}

/** A `claude` that writes its whole environment, and the /proc environ and cmdline of itself and its ancestors, as JSON, to `dump`. */
async function environmentDumper(): Promise<{ script: string; dump: string; read(): Promise<ClaudeDump> }> {
  const script = join(root, "claude");
  const dump = join(root, "environment.json");
  await writeFile(
    script,
    `#!${process.execPath}
const { readFileSync, statSync, writeFileSync } = require("node:fs");
const processes = [];
for (let pid = process.pid; pid !== ${process.pid} && pid > 1; ) {
  const stat = readFileSync("/proc/" + pid + "/stat", "utf8");
  processes.push({
    pid,
    cmdline: readFileSync("/proc/" + pid + "/cmdline", "utf8"),
    environ: readFileSync("/proc/" + pid + "/environ", "utf8"),
  });
  pid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
}
const flag = process.argv.find((arg) => arg.startsWith("--mcp-config="));
const configPath = flag ? flag.slice("--mcp-config=".length) : "";
const mcpConfig = flag
  ? { path: configPath, mode: statSync(configPath).mode & 0o777, text: readFileSync(configPath, "utf8") }
  : null;
writeFileSync(${JSON.stringify(dump)}, JSON.stringify({ environment: process.env, processes, mcpConfig }));
`,
  );
  await chmod(script, 0o755);
  return { script, dump, read: async () => JSON.parse(await readFile(dump, "utf8")) as ClaudeDump };
}

/** A mesh joined here, as an older version saved it: the names just as the server sent them. */
async function joinedMesh(configDir: string, meshName: string, peerName: string): Promise<void> {
  const mesh = {
    id: "m1",
    slug: "platform-team",
    name: meshName,
    role: "member",
    api_url: API_URL,
    joined_at: "2026-01-01T00:00:00.000Z",
    display_name: peerName,
    launch_role: null,
  };
  await mkdir(configDir, { recursive: true, mode: 0o700 });
  await writeFile(join(configDir, "config.json"), JSON.stringify({ version: 1, meshes: [mesh] }), { mode: 0o600 });
}

/** A saved login in auth.json: what Claude Code's `claudemesh mcp` signs in with. */
async function savedLogin(configDir: string): Promise<string> {
  const token = mintToken("session");
  const authFile = {
    version: 1,
    token,
    token_store: "file",
    token_kind: "session",
    api_url: API_URL,
    user: { id: "u1", name: "Ada Lovelace", email: "ada@example.test" },
    created_at: "2026-01-01T00:00:00.000Z",
    expires_at: null,
    source: "device-code",
  };
  await writeFile(join(configDir, "auth.json"), JSON.stringify(authFile), { mode: 0o600 });
  return token;
}

/** Every token and credential variable a process of this launch may not show in /proc. */
function expectNoCredential(processes: ClaudeDump["processes"], tokens: string[]): void {
  for (const { pid, cmdline, environ } of processes) {
    const shown = { pid, cmdline: cmdline.split("\0"), environ: environ.split("\0") };
    expect(
      shown.environ.filter((entry) => /^(CLAUDEMESH_TOKEN|DEPLOY_AUTH)=/.test(entry)),
      `pid ${pid}`,
    ).toEqual([]);
    expect(`${cmdline}\n${environ}`.match(TOKEN_SCAN_REGEX), `pid ${pid}`).toBeNull();
    for (const token of tokens) expect(`${cmdline}\n${environ}`, `pid ${pid}`).not.toContain(token.slice(-20));
  }
}

describe("claudemesh launch", () => {
  it("gives Claude Code no token, whichever variable held one, and the mesh's names as neutral text", async () => {
    const configDir = join(root, "config");
    const home = join(root, "home");
    const meshName = hostile("Platform team");
    const peerName = hostile("ada-laptop");
    await joinedMesh(configDir, meshName, peerName);
    const saved = await savedLogin(configDir);

    const claude = await environmentDumper();
    const session = mintToken("session");
    const pat = mintToken("pat");
    const path = process.env.PATH ?? "/usr/bin:/bin";
    const result = await runCli(["launch", "--mesh", "platform-team", "-y"], {
      PATH: path,
      HOME: home,
      CLAUDEMESH_TOKEN: session,
      DEPLOY_AUTH: `Authorization: Bearer ${pat}`,
      CLAUDEMESH_API_URL: API_URL,
      CLAUDEMESH_CONFIG_DIR: configDir,
      CLAUDEMESH_CLAUDE_BIN: claude.script,
      DO_NOT_TRACK: "1",
      NO_COLOR: "1",
    });
    expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 0 });

    const { environment, processes } = await claude.read();
    expect(environment).not.toHaveProperty("CLAUDEMESH_TOKEN");
    expect(environment).not.toHaveProperty("DEPLOY_AUTH");
    const everything = Object.entries(environment).flat().join("\n");
    expect(everything.match(TOKEN_SCAN_REGEX)).toBeNull();
    for (const token of [session, pat, saved]) expect(everything).not.toContain(token.slice(-20));
    // Neither Claude Code nor the claudemesh that stays its parent shows a token in /proc.
    expect(processes.length).toBeGreaterThanOrEqual(2);
    expect(processes[1]?.cmdline).toContain("launch");
    expectNoCredential(processes, [session, pat, saved]);

    expect(environment).toMatchObject({
      PATH: path,
      HOME: home,
      CLAUDEMESH_MESH_SLUG: "platform-team",
      CLAUDEMESH_MESH_NAME: withoutForbidden(meshName),
      CLAUDEMESH_PEER_NAME: withoutForbidden(peerName),
      CLAUDEMESH_PEER_ROLE: "member",
      CLAUDEMESH_API_URL: API_URL,
    });
    expect(environment.CLAUDEMESH_MESH_NAME).toContain("Platform team");
    const meshVariables = Object.entries(environment).filter(([key]) => key.startsWith("CLAUDEMESH_"));
    expect(forbiddenIn(meshVariables.flat().join("\n"))).toEqual([]);
    // The "▸ Launching … as <name>" line is neutral too.
    expect(forbiddenIn(result.stdout + result.stderr)).toEqual([]);
    expect(result.stderr).toContain("ada-laptop");
    expect(result.stdout + result.stderr).toContain("CLAUDEMESH_TOKEN is not passed on");

    // Claude Code's MCP server is this CLI's `mcp --mesh`, in a 0600 file holding no token, gone once Claude Code is.
    const { mcpConfig } = await claude.read();
    expect(mcpConfig?.mode).toBe(0o600);
    expect(JSON.parse(mcpConfig?.text ?? "{}")).toEqual({
      mcpServers: {
        claudemesh: { command: process.execPath, args: [CLI_BUNDLE, "mcp", "--mesh", "platform-team"] },
      },
    });
    expect(mcpConfig?.text.match(TOKEN_SCAN_REGEX)).toBeNull();
    await expect(access(mcpConfig?.path ?? "")).rejects.toThrow();
  });

  it("terminated while Claude Code runs, launch passes SIGTERM on and removes the --mcp-config file", async () => {
    const configDir = join(root, "config");
    await joinedMesh(configDir, "Platform team", "ada-laptop");
    await savedLogin(configDir);
    const record = join(root, "claude-record.json");
    const script = join(root, "claude-waits");
    // A Claude Code that says where its config is, then runs until a signal ends it.
    await writeFile(
      script,
      `#!${process.execPath}
const { writeFileSync } = require("node:fs");
const config = process.argv.find((arg) => arg.startsWith("--mcp-config=")).slice("--mcp-config=".length);
process.on("SIGTERM", () => {
  writeFileSync(${JSON.stringify(record)}, JSON.stringify({ config, terminated: true }));
  process.exit(143);
});
writeFileSync(${JSON.stringify(record)}, JSON.stringify({ config, terminated: false }));
setInterval(() => {}, 1000);
`,
    );
    await chmod(script, 0o755);
    const launch = spawn(CLI_BUNDLE, ["launch", "--mesh", "platform-team", "-y"], {
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        ...suiteKeyringEnv(),
        CLAUDEMESH_API_URL: API_URL,
        CLAUDEMESH_CONFIG_DIR: configDir,
        CLAUDEMESH_CLAUDE_BIN: script,
        DO_NOT_TRACK: "1",
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => launch.once("exit", resolve));
    const running = async () => JSON.parse(await readFile(record, "utf8").catch(() => "null"));
    await expect.poll(running, { timeout: 20_000 }).not.toBeNull();
    const { config } = (await running()) as { config: string };
    await access(config);
    launch.kill("SIGTERM");
    expect(await exited).toBe(143);
    expect(await running()).toEqual({ config, terminated: true });
    await expect(access(config)).rejects.toThrow();
  });

  it.skipIf(SKIP_NODE24)(
    "on Node 24 re-executes itself without the token: the same pid, Claude Code's parent, with a clean environ",
    async () => {
      const configDir = join(root, "config");
      await joinedMesh(configDir, "Platform team", "ada-laptop");
      const saved = await savedLogin(configDir);
      const claude = await environmentDumper();
      const session = mintToken("session");
      const node = await node24();
      const child = spawn(node, [CLI_BUNDLE, "launch", "--mesh", "platform-team", "-y"], {
        env: {
          PATH: process.env.PATH ?? "/usr/bin:/bin",
          HOME: join(root, "home"),
          ...suiteKeyringEnv(),
          CLAUDEMESH_TOKEN: session,
          CLAUDEMESH_API_URL: API_URL,
          CLAUDEMESH_CONFIG_DIR: configDir,
          CLAUDEMESH_CLAUDE_BIN: claude.script,
          DO_NOT_TRACK: "1",
          NO_COLOR: "1",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
      expect({ code, stderr }).toMatchObject({ code: 0 });
      const { processes } = await claude.read();
      // claude, then the claudemesh this test started (re-executed in place, not a child of it).
      expect(processes.map(({ pid }) => pid).slice(1)).toEqual([child.pid]);
      expect(processes[1]?.cmdline.split("\0")).toContain("launch");
      expectNoCredential(processes, [session, saved]);
    },
    NODE24_INSTALL_TIMEOUT,
  );

  it("refuses --token, before any Claude Code starts, saying how to save the token instead", async () => {
    const configDir = join(root, "config");
    await joinedMesh(configDir, "Platform team", "ada-laptop");
    await savedLogin(configDir);
    const claude = await environmentDumper();
    const result = await runCli(["launch", "--mesh", "platform-team", "-y", "--token", mintToken("pat")], {
      CLAUDEMESH_API_URL: API_URL,
      CLAUDEMESH_CONFIG_DIR: configDir,
      CLAUDEMESH_CLAUDE_BIN: claude.script,
      DO_NOT_TRACK: "1",
      NO_COLOR: "1",
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("`launch` takes no --token");
    expect(result.stderr).toContain("claudemesh login --with-token");
    await expect(access(claude.dump)).rejects.toThrow();
  });

  it("with only CLAUDEMESH_TOKEN and no saved login, starts nothing and says Claude Code would not get it", async () => {
    const configDir = join(root, "config");
    await joinedMesh(configDir, "Platform team", "ada-laptop");
    const claude = await environmentDumper();
    const result = await runCli(["launch", "--mesh", "platform-team", "-y"], {
      CLAUDEMESH_TOKEN: mintToken("pat"),
      CLAUDEMESH_API_URL: API_URL,
      CLAUDEMESH_CONFIG_DIR: configDir,
      CLAUDEMESH_CLAUDE_BIN: claude.script,
      CLAUDEMESH_TOKEN_STORE: "file",
      DO_NOT_TRACK: "1",
      NO_COLOR: "1",
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("CLAUDEMESH_TOKEN is not passed on to Claude Code");
    expect(result.stderr).toContain("claudemesh login --with-token");
    await expect(access(claude.dump)).rejects.toThrow();
  });
});
