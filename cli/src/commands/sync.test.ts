import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { LocalConfig, MeshList } from "@claudemesh/sdk";
import { describe, expect, it } from "vitest";
import { type CommandCase, runCase, SAVED } from "../testing/command-table.js";
import { fails, ok } from "../testing/fake-transport.js";
import { joinedMesh, meshAnswer } from "../testing/fixtures.js";

const PLATFORM = meshAnswer();
const DESIGN = meshAnswer({ id: "7c9e6679-7425-40de-944b-e07fc1f90ae7", slug: "design", name: "Design" });
const GONE = joinedMesh(meshAnswer({ id: "a5b8f1f0-0000-4000-8000-000000000000", slug: "old-team" }));

const cases: CommandCase[] = [
  {
    name: "adds what the server has and drops what it no longer has",
    args: ["sync"],
    savedLogin: "session",
    meshes: [joinedMesh(PLATFORM), GONE],
    stubs: [{ route: "GET /api/my/meshes", reply: ok(MeshList, { meshes: [PLATFORM, DESIGN] }) }],
    wantStatus: 0,
    stdoutIs: "",
    wantStderr: ["✔ Synced 2 meshes: platform-team, design", "  + design", "  - old-team (no longer on the server)"],
    wantSent: [`GET /api/my/meshes ${SAVED}`],
    check: async ({ configDir }) => {
      const config = LocalConfig.parse(JSON.parse(await readFile(join(configDir, "config.json"), "utf8")));
      expect(config.meshes.map((mesh) => mesh.slug)).toEqual(["platform-team", "design"]);
    },
  },
  {
    name: "--json: the meshes and what changed",
    args: ["sync", "--json"],
    savedLogin: "session",
    meshes: [GONE],
    stubs: [{ route: "GET /api/my/meshes", reply: ok(MeshList, { meshes: [PLATFORM] }) }],
    wantStatus: 0,
    check: ({ stdout }) =>
      expect(JSON.parse(stdout)).toEqual({
        meshes: ["platform-team"],
        added: ["platform-team"],
        removed: ["old-team"],
        updated: [],
      }),
  },
  {
    name: "nothing on the server: the two ways to a first mesh, at a terminal too",
    args: ["sync"],
    tty: true,
    savedLogin: "session",
    stubs: [{ route: "GET /api/my/meshes", reply: ok(MeshList, { meshes: [] }) }],
    wantStatus: 0,
    wantStderr: ["No meshes yet."],
  },
  {
    name: "rate limited: exit 1, config.json untouched",
    args: ["sync"],
    savedLogin: "session",
    meshes: [GONE],
    stubs: [{ route: "GET /api/my/meshes", reply: fails(429, "rate_limited", "Slow down.") }],
    wantStatus: 1,
    wantStderr: ["✘ Slow down.", "Wait a while"],
    check: async ({ configDir }) => {
      const config = LocalConfig.parse(JSON.parse(await readFile(join(configDir, "config.json"), "utf8")));
      expect(config.meshes.map((mesh) => mesh.slug)).toEqual(["old-team"]);
    },
  },
  {
    name: "a rejected token: exit 2",
    args: ["sync"],
    savedLogin: "session",
    stubs: [{ route: "GET /api/my/meshes", reply: fails(401, "token_expired", "Expired.") }],
    wantStatus: 2,
    wantStderr: ["✘ Expired."],
  },
];

describe("claudemesh sync", () => {
  it.each(cases)("$name", runCase);
});
