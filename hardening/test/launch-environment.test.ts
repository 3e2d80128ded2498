// `claudemesh launch` hands Claude Code no credential: whatever tokens the shell
// holds (CLAUDEMESH_TOKEN, or any variable with a cm_ token in it) stay behind,
// and the mesh's names arrive as neutral text even when an older version saved
// them raw. A stand-in `claude` dumps the environment it was given.
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mintToken, TOKEN_SCAN_REGEX } from "@claudemesh/sdk/token";
import { runCli } from "@claudemesh/test-support/run-cli";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { forbiddenIn, hostile, withoutForbidden } from "./support/hostile-text.js";

// Nothing listens here: launch needs no server, and must not try one.
const API_URL = "http://127.0.0.1:9";

let root = "";
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "claudemesh-launch-env-"));
});
afterEach(() => rm(root, { recursive: true, force: true }));

/** A `claude` that writes its whole environment, as JSON, to `dump`. */
async function environmentDumper(): Promise<{ script: string; dump: string }> {
  const script = join(root, "claude");
  const dump = join(root, "environment.json");
  await writeFile(
    script,
    `#!${process.execPath}\nrequire("node:fs").writeFileSync(${JSON.stringify(dump)}, JSON.stringify(process.env));\n`,
  );
  await chmod(script, 0o755);
  return { script, dump };
}

describe("claudemesh launch", () => {
  it("gives Claude Code no token, whichever variable held one, and the mesh's names as neutral text", async () => {
    const configDir = join(root, "config");
    const home = join(root, "home");
    const meshName = hostile("Platform team");
    const peerName = hostile("ada-laptop");
    // As an older version saved it: the names just as the server sent them.
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
    await mkdir(configDir, { mode: 0o700 });
    await writeFile(join(configDir, "config.json"), JSON.stringify({ version: 1, meshes: [mesh] }), { mode: 0o600 });

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

    const environment = JSON.parse(await readFile(claude.dump, "utf8")) as Record<string, string>;
    expect(environment).not.toHaveProperty("CLAUDEMESH_TOKEN");
    expect(environment).not.toHaveProperty("DEPLOY_AUTH");
    const everything = Object.entries(environment).flat().join("\n");
    expect(everything.match(TOKEN_SCAN_REGEX)).toBeNull();
    for (const token of [session, pat]) expect(everything).not.toContain(token.slice(-20));

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
  });
});
