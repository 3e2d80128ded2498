import { type LocalMesh, mintToken, TOKEN_SCAN_REGEX } from "@claudemesh/sdk";
import { describe, expect, it } from "vitest";
import { meshEnvironment } from "./launch.js";

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
