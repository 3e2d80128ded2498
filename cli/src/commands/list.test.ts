import { MeshList } from "@claudemesh/sdk";
import { describe, expect, it } from "vitest";
import { type CommandCase, runCase, SAVED } from "../testing/command-table.js";
import { fails, ok } from "../testing/fake-transport.js";
import { joinedMesh, meshAnswer } from "../testing/fixtures.js";

const PLATFORM = meshAnswer();
const DESIGN = meshAnswer({
  id: "7c9e6679-7425-40de-944b-e07fc1f90ae7",
  slug: "design",
  name: "Design",
  role: "member",
  member_count: 1,
});
const GONE = joinedMesh(meshAnswer({ id: "a5b8f1f0-0000-4000-8000-000000000000", slug: "old-team", name: "Old team" }));
const serverHas = (...meshes: (typeof PLATFORM)[]) => ({
  route: "GET /api/my/meshes",
  reply: ok(MeshList, { meshes }),
});

const cases: CommandCase[] = [
  {
    name: "marks each mesh: joined here, only on the server, gone from the server",
    args: ["list"],
    savedLogin: "session",
    meshes: [joinedMesh(PLATFORM), GONE],
    stubs: [serverHas(PLATFORM, DESIGN)],
    wantStatus: 0,
    stdoutIs:
      "● platform-team  Platform team (owner, 3 members)\n" +
      "+ design         Design (member, 1 member)\n" +
      "- old-team       Old team (owner)\n",
    wantStderr: ["● joined here   + only on the server   - gone from the server"],
    wantSent: [`GET /api/my/meshes ${SAVED}`],
  },
  {
    name: "all joined: no legend",
    args: ["list"],
    tty: true,
    savedLogin: "session",
    meshes: [joinedMesh(PLATFORM)],
    stubs: [serverHas(PLATFORM)],
    wantStatus: 0,
    wantStdout: ["● platform-team  Platform team (owner, 3 members)"],
    absent: ["joined here"],
  },
  {
    name: "--json: each mesh with where it is known",
    args: ["list", "--json"],
    savedLogin: "session",
    meshes: [GONE],
    stubs: [serverHas(PLATFORM)],
    wantStatus: 0,
    check: ({ stdout }) => {
      const { meshes } = JSON.parse(stdout) as {
        meshes: { slug: string; presence: string; member_count: number | null }[];
      };
      expect(meshes.map(({ slug, presence, member_count }) => [slug, presence, member_count])).toEqual([
        ["platform-team", "server_only", 3],
        ["old-team", "local_only", null],
      ]);
    },
  },
  {
    name: "none anywhere: the two ways to a first mesh",
    args: ["list"],
    savedLogin: "session",
    stubs: [serverHas()],
    wantStatus: 0,
    stdoutIs: "",
    wantStderr: [
      'No meshes yet. Create one: claudemesh create "Platform team", or join one: claudemesh join <invite-url>',
    ],
  },
  {
    name: "a server error: exit 1",
    args: ["list"],
    savedLogin: "session",
    stubs: [{ route: "GET /api/my/meshes", reply: fails(403, "forbidden", "Not allowed.") }],
    wantStatus: 1,
    wantStderr: ["✘ Not allowed."],
  },
  {
    name: "not signed in: exit 2",
    args: ["list"],
    wantStatus: 2,
    wantSent: [],
  },
];

describe("claudemesh list", () => {
  it.each(cases)("$name", runCase);
});
