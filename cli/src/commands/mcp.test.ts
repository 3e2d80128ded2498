import { mintToken } from "@claudemesh/sdk";
import { describe, expect, it } from "vitest";
import { type CommandCase, runCase } from "../testing/command-table.js";
import { FakeMesh } from "../testing/fake-mesh.js";
import { joinedMesh, meshAnswer } from "../testing/fixtures.js";

const PLATFORM = joinedMesh(meshAnswer(), { display_name: "ada", launch_role: "reviewer" });
const DESIGN = joinedMesh(meshAnswer({ id: "d1", slug: "design", name: "Design" }));

const cases: CommandCase[] = [
  {
    name: "--token: refused, nothing on stdout (the protocol's)",
    args: ["mcp", "--mesh", "platform-team", "--token", mintToken("pat")],
    savedLogin: "session",
    meshes: [PLATFORM],
    wantStatus: 1,
    wantStderr: ["✘ `mcp` takes no --token"],
    stdoutIs: "",
  },
  {
    name: "no mesh joined here: exit 1 saying how to get one",
    args: ["mcp"],
    savedLogin: "session",
    wantStatus: 1,
    wantStderr: ["✘ You have joined no mesh on https://mesh.test"],
    stdoutIs: "",
  },
  {
    name: "several meshes and no --mesh: exit 1 naming them, never a prompt on the protocol's streams",
    args: ["mcp"],
    tty: true,
    savedLogin: "session",
    meshes: [PLATFORM, DESIGN],
    wantStatus: 1,
    wantStderr: ["✘ You are in several meshes: name one with --mesh (platform-team, design)."],
    wantAsked: [],
    stdoutIs: "",
  },
  {
    name: "CLAUDEMESH_TOKEN without a saved login: exit 2, the variable ignored",
    args: ["mcp", "--mesh", "platform-team"],
    meshes: [PLATFORM],
    env: { CLAUDEMESH_TOKEN: mintToken("pat") },
    wantStatus: 2,
    wantStderr: ["CLAUDEMESH_TOKEN is ignored here", "✘ Not signed in"],
    stdoutIs: "",
  },
  {
    name: "en español",
    args: ["--lang", "es", "mcp", "--mesh", "platform-team", "--token", mintToken("pat")],
    meshes: [PLATFORM],
    wantStatus: 1,
    wantStderr: ["✘ `mcp` no acepta --token"],
  },
];

describe("claudemesh mcp", () => {
  it.each(cases)("$name", runCase);

  it("joins the mesh as a claude-code peer with the saved login and the launch's name and role, CLAUDEMESH_TOKEN aside", async () => {
    const mesh = new FakeMesh();
    const envToken = mintToken("pat");
    let saved: string | undefined;
    await runCase({
      name: "serve until stdin ends",
      args: ["mcp"],
      savedLogin: "session",
      meshes: [PLATFORM],
      mesh,
      env: { CLAUDEMESH_TOKEN: envToken },
      wantStatus: 0,
      stdoutIs: "",
      check: (result) => {
        saved = result.savedToken;
      },
    });
    expect(mesh.opened).toHaveLength(1);
    expect(mesh.opened[0]).toMatchObject({
      token: saved,
      mesh: PLATFORM.id,
      hello: { kind: "claude-code", display_name: "ada", role: "reviewer" },
      reconnect: true,
    });
    expect(mesh.opened[0]?.token).not.toBe(envToken);
    expect(mesh.closed).toBe(1);
  });
});
