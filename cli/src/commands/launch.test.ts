import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { LocalConfig, type LocalMesh, MeshList, mintToken, TOKEN_SCAN_REGEX, Whoami } from "@claudemesh/sdk";
import { describe, expect, it } from "vitest";
import { meshEnvironment } from "../launch/run-launch.js";
import { type CommandCase, runCase, SAVED } from "../testing/command-table.js";
import type { CommandResult } from "../testing/fake-context.js";
import { ok } from "../testing/fake-transport.js";
import { joinedMesh, meshAnswer, whoamiAnswer } from "../testing/fixtures.js";
import { standInClaude } from "../testing/stand-in-claude.js";

const MESH: LocalMesh = {
  id: "m1",
  slug: "platform-team",
  name: "\u001b]0;owned\u0007Platform\r✔ team\u202e",
  role: "member",
  api_url: "http://127.0.0.1:9",
  joined_at: "2026-01-01T00:00:00.000Z",
  display_name: null,
  launch_role: null,
};

describe("meshEnvironment", () => {
  it("passes no claudemesh token to Claude Code, whichever variable held it", () => {
    const session = mintToken("session");
    const pat = mintToken("pat");
    const env = meshEnvironment(
      {
        CLAUDEMESH_TOKEN: session,
        GIT_ASKPASS_SECRET: `token=${pat}`,
        SHOUTED: pat.toUpperCase(),
        [`X_${pat}`]: "1",
        PATH: "/usr/bin",
        HOME: "/home/ada",
        CLAUDEMESH_CONFIG_DIR: "/home/ada/.claudemesh",
      },
      MESH,
      "ada",
      "reviewer",
    );
    expect(env).not.toHaveProperty("CLAUDEMESH_TOKEN");
    const everything = Object.entries(env).flat().join("\n");
    expect(everything.match(TOKEN_SCAN_REGEX)).toBeNull();
    expect(everything.toLowerCase()).not.toContain(pat.slice(0, 20));
    expect(env).toMatchObject({ PATH: "/usr/bin", HOME: "/home/ada", CLAUDEMESH_CONFIG_DIR: "/home/ada/.claudemesh" });
  });

  it("drops CLAUDEMESH_TOKEN even when it is not a well-formed token", () => {
    expect(meshEnvironment({ CLAUDEMESH_TOKEN: "typo" }, MESH, "ada", "reviewer")).not.toHaveProperty(
      "CLAUDEMESH_TOKEN",
    );
  });

  it("gives the mesh and the peer as neutral text, over whatever the parent had", () => {
    const env = meshEnvironment(
      { CLAUDEMESH_MESH_NAME: "stale", CLAUDEMESH_API_URL: "http://elsewhere" },
      MESH,
      "ada\u009b31m",
      "rev\u2066iewer\n",
    );
    expect(env).toMatchObject({
      CLAUDEMESH_API_URL: "http://127.0.0.1:9",
      CLAUDEMESH_MESH_ID: "m1",
      CLAUDEMESH_MESH_SLUG: "platform-team",
      CLAUDEMESH_MESH_NAME: "]0;ownedPlatform✔ team",
      CLAUDEMESH_PEER_NAME: "ada31m",
      CLAUDEMESH_PEER_ROLE: "reviewer",
    });
  });
});

const PLATFORM = meshAnswer();
const CLAUDE = standInClaude();
const RECORD = join(dirname(CLAUDE), "handed.txt");
const launchInPlatform = (claudeExit: string) => [
  "launch",
  "--mesh",
  "platform-team",
  "--name",
  "ada",
  "-y",
  "--",
  claudeExit,
];

async function rememberedPeer({ configDir }: CommandResult): Promise<string[]> {
  const config = LocalConfig.parse(JSON.parse(await readFile(join(configDir, "config.json"), "utf8")));
  return config.meshes.map((mesh) => `${mesh.display_name}/${mesh.launch_role}`);
}

const cases: CommandCase[] = [
  {
    name: "--mesh: starts Claude Code in it without the token, and exits with its status",
    args: launchInPlatform("7"),
    savedLogin: "session",
    meshes: [joinedMesh(PLATFORM)],
    env: { CLAUDEMESH_CLAUDE_BIN: CLAUDE, STAND_IN_RECORD: RECORD },
    wantStatus: 7,
    wantStderr: ["▸ Launching Claude Code in platform-team as ada (owner)"],
    wantSent: [],
    check: async (result) => {
      expect(await rememberedPeer(result)).toEqual(["ada/owner"]);
      // Claude Code was handed an --mcp-config file, and it is gone once Claude Code has exited.
      const [handed] = (await readFile(RECORD, "utf8")).trim().split("\n").slice(-1);
      expect(handed).toMatch(/mcp\.json$/);
      expect(existsSync(dirname(handed ?? ""))).toBe(false);
    },
  },
  {
    name: "at a terminal without -y it asks first; no means exit 1 and nothing started",
    args: ["launch", "--mesh", "platform-team", "--role", "reviewer"],
    tty: true,
    savedLogin: "session",
    meshes: [joinedMesh(PLATFORM, { display_name: "ada" })],
    env: { CLAUDEMESH_CLAUDE_BIN: "/nonexistent/claude" },
    prompts: [{ yesNo: false }],
    wantStatus: 1,
    wantStderr: ["Not launched."],
    wantAsked: ["Launch Claude Code in platform-team as ada (reviewer)?"],
    absent: ["Launching"],
  },
  {
    name: "Claude Code not installed: exit 1 with how to install it",
    args: ["launch", "--mesh", "platform-team", "-y"],
    savedLogin: "session",
    meshes: [joinedMesh(PLATFORM)],
    env: { CLAUDEMESH_CLAUDE_BIN: "/nonexistent/claude" },
    wantStatus: 1,
    wantStderr: ["✘ Claude Code (`/nonexistent/claude`) is not installed or not on PATH.", "CLAUDEMESH_CLAUDE_BIN"],
  },
  {
    name: "a mesh not joined here: exit 1 saying how to get it",
    args: ["launch", "--mesh", "design", "-y"],
    savedLogin: "session",
    meshes: [joinedMesh(PLATFORM)],
    wantStatus: 1,
    wantStderr: ['✘ You have not joined a mesh "design" on https://mesh.test.'],
  },
  {
    name: "no --mesh and no terminal: exit 1 naming the flag",
    args: ["launch"],
    savedLogin: "session",
    wantStatus: 1,
    wantStderr: ["✘ Name the mesh to launch in: `claudemesh launch --mesh <slug>`"],
  },
  {
    name: "--token: refused before anything starts, with how to save the token instead",
    args: ["launch", "--mesh", "platform-team", "--token", "cm_pat_x", "-y"],
    savedLogin: "session",
    meshes: [joinedMesh(PLATFORM)],
    env: { CLAUDEMESH_CLAUDE_BIN: "/nonexistent/claude" },
    wantStatus: 1,
    wantStderr: ["✘ `launch` takes no --token", "`claudemesh login --with-token`"],
    absent: ["Launching"],
  },
  {
    name: "CLAUDEMESH_TOKEN and a saved login: launches with the saved login, saying the variable is not passed on",
    args: launchInPlatform("7"),
    savedLogin: "session",
    meshes: [joinedMesh(PLATFORM)],
    env: { CLAUDEMESH_CLAUDE_BIN: CLAUDE, CLAUDEMESH_TOKEN: mintToken("pat") },
    wantStatus: 7,
    wantStderr: ["CLAUDEMESH_TOKEN is not passed on", "▸ Launching Claude Code in platform-team as ada (owner)"],
  },
  {
    name: "CLAUDEMESH_TOKEN where launch cannot clear it from its own environment: exit 1, asking to unset it",
    args: launchInPlatform("7"),
    savedLogin: "session",
    meshes: [joinedMesh(PLATFORM)],
    env: { CLAUDEMESH_CLAUDE_BIN: CLAUDE, CLAUDEMESH_TOKEN: mintToken("pat") },
    canForgetCredentials: false,
    wantStatus: 1,
    wantStderr: ["cannot clear CLAUDEMESH_TOKEN from its own environment", "Unset CLAUDEMESH_TOKEN and launch again."],
    absent: ["Launching"],
  },
  {
    name: "CLAUDEMESH_TOKEN alone: exit 2, as Claude Code's tools would find no login",
    args: ["launch", "--mesh", "platform-team", "-y"],
    meshes: [joinedMesh(PLATFORM)],
    env: { CLAUDEMESH_TOKEN: mintToken("pat") },
    wantStatus: 2,
    wantStderr: ["CLAUDEMESH_TOKEN is not passed on to Claude Code", "`claudemesh login --with-token`"],
  },
  {
    name: "not signed in: exit 2",
    args: ["launch", "--mesh", "platform-team", "-y"],
    meshes: [joinedMesh(PLATFORM)],
    wantStatus: 2,
    wantStderr: ["✘ Not signed in to https://mesh.test."],
  },
  {
    name: "bare at a terminal, signed in: the wizard picks the mesh, name and role, then asks",
    args: ["launch"],
    tty: true,
    savedLogin: "session",
    stubs: [
      { route: "GET /api/my/whoami", reply: ok(Whoami, whoamiAnswer()) },
      { route: "GET /api/my/meshes", reply: ok(MeshList, { meshes: [PLATFORM] }) },
    ],
    prompts: [{ select: PLATFORM.id }, { text: "ada" }, { text: "" }, { confirm: false }],
    wantStatus: 0,
    wantStdout: ["Account ✔ Ada Lovelace <ada@example.com>", "Not launched. Run `claudemesh` again any time."],
    wantAsked: [
      "Mesh (pick one — 1 available)",
      "Your name in the mesh",
      "Your role there",
      "Launch Claude Code in platform-team as ada (owner)?",
    ],
    wantSent: [`GET /api/my/whoami ${SAVED}`, `GET /api/my/meshes ${SAVED}`],
  },
  {
    name: "bare at a terminal, signed out: Exit on the welcome screen ends as cancelled (130)",
    args: ["launch"],
    tty: true,
    prompts: [{ select: "exit" }],
    wantStatus: 130,
    wantAsked: ["Welcome to claudemesh. How do you want to start?"],
    wantSent: [],
  },
];

describe("claudemesh launch", () => {
  it.each(cases)("$name", runCase);
});
