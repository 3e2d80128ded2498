import { MeshList, mintToken, PeerList } from "@claudemesh/sdk";
import { describe, expect, it } from "vitest";
import { type CommandCase, runCase, SAVED } from "../testing/command-table.js";
import { memberAnswer, peer } from "../testing/fake-mesh.js";
import { ok } from "../testing/fake-transport.js";
import { meshAnswer } from "../testing/fixtures.js";

const FLAG_TOKEN = mintToken("pat");
const BO = memberAnswer({
  member_id: "user-bo",
  name: "Bo",
  online: true,
  last_seen_at: "2026-06-01T11:00:00.000Z",
  sessions: [peer("user-bo", "bo-reviewer", { kind: "claude-code", role: "reviewer", host: "bo-laptop" })],
});
const ADA = memberAnswer({
  member_id: "user-ada",
  name: "Ada Lovelace",
  mesh_role: "owner",
  last_seen_at: "2026-05-30T08:00:00.000Z",
});
const CY = memberAnswer({ member_id: "user-cy", name: "Cy" });
const members = { route: "GET /api/my/meshes/platform-team/peers", reply: ok(PeerList, { members: [ADA, BO, CY] }) };
const oneMesh = { route: "GET /api/my/meshes", reply: ok(MeshList, { meshes: [meshAnswer()] }) };
const twoMeshes = {
  route: "GET /api/my/meshes",
  reply: ok(MeshList, {
    meshes: [meshAnswer(), meshAnswer({ id: "7c9e6679-7425-40de-944b-e07fc1f90ae7", slug: "design", name: "Design" })],
  }),
};

const cases: CommandCase[] = [
  {
    name: "the only mesh without --mesh: online first, each session under its member, last seen for the others",
    args: ["peers"],
    savedLogin: "session",
    stubs: [oneMesh, members],
    wantStatus: 0,
    stdoutIs: [
      "● Bo            member · online · user-bo",
      "    bo-reviewer (claude-code · reviewer · bo-laptop)",
      "○ Ada Lovelace  owner · last seen 2026-05-30 · user-ada",
      "○ Cy            member · never connected · user-cy",
      "",
    ].join("\n"),
    wantSent: [`GET /api/my/meshes ${SAVED}`, `GET /api/my/meshes/platform-team/peers ${SAVED}`],
  },
  {
    name: "--json: the server's list as it is",
    args: ["peers", "--mesh", "platform-team", "--json"],
    savedLogin: "pat",
    stubs: [members],
    wantStatus: 0,
    check: ({ stdout }) => expect(JSON.parse(stdout)).toEqual({ members: [ADA, BO, CY] }),
  },
  {
    name: "two meshes and no terminal: fails naming them",
    args: ["peers"],
    savedLogin: "session",
    stubs: [twoMeshes],
    wantStatus: 1,
    wantStderr: ["Which mesh? Name it with --mesh: platform-team, design."],
    stdoutIs: "",
  },
  {
    name: "two meshes at a terminal: a pick",
    args: ["peers"],
    tty: true,
    savedLogin: "session",
    stubs: [twoMeshes, members],
    prompts: [{ select: "platform-team" }],
    wantStatus: 0,
    wantAsked: ["Which mesh?"],
    wantStdout: ["● Bo"],
  },
  {
    name: "in Spanish",
    args: ["peers", "--mesh", "platform-team", "--lang", "es"],
    savedLogin: "session",
    stubs: [members],
    wantStatus: 0,
    wantStdout: ["conectado", "nunca se ha conectado"],
  },
  {
    name: "--token chooses the credential over the saved login",
    args: ["peers", "--mesh", "platform-team", "--token", FLAG_TOKEN],
    savedLogin: "session",
    stubs: [members],
    wantStatus: 0,
    wantSent: [`GET /api/my/meshes/platform-team/peers ${FLAG_TOKEN}`],
  },
];

describe("claudemesh peers", () => {
  it.each(cases)("$name", runCase);
});
