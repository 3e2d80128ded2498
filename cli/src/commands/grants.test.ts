import { Grants, MeshList, PeerList, Whoami } from "@claudemesh/sdk";
import { describe, expect, it } from "vitest";
import { type CommandCase, runCase, SAVED } from "../testing/command-table.js";
import { memberAnswer } from "../testing/fake-mesh.js";
import { ok, type SentRequest } from "../testing/fake-transport.js";
import { meshAnswer, whoamiAnswer } from "../testing/fixtures.js";

const PATH = "/api/my/meshes/platform-team";
const ADA = memberAnswer({ member_id: "user-ada", name: "Ada Lovelace" });
const BO = memberAnswer({ member_id: "user-bo", name: "Bo" });
const CY = memberAnswer({ member_id: "user-cy", name: "Cy" });
const DI = memberAnswer({ member_id: "user-di", name: "Di" });
const members = { route: `GET ${PATH}/peers`, reply: ok(PeerList, { members: [ADA, BO, CY, DI] }) };
const grants = (peers: Grants["peers"]) => ({ route: `GET ${PATH}/grants`, reply: ok(Grants, { peers }) });
const me = { route: "GET /api/my/whoami", reply: ok(Whoami, whoamiAnswer()) };
const oneMesh = { route: "GET /api/my/meshes", reply: ok(MeshList, { meshes: [meshAnswer()] }) };
/** The grant update, answering what it saved; `bodies` keeps each request's body. */
function updated(bodies: unknown[]) {
  return {
    route: `POST ${PATH}/grants`,
    reply: (request: SentRequest) => {
      bodies.push(request.body);
      const { peer, capabilities } = request.body as { peer: string; capabilities: ("dm" | "broadcast")[] | null };
      return ok(Grants, { peers: capabilities === null ? {} : { [peer]: capabilities } });
    },
  };
}

/** A grant-changing row: the server holds `before`; the request must carry `want`. */
function change(
  name: string,
  args: string[],
  before: Grants["peers"],
  want: unknown,
  wantStderr: string[],
): CommandCase {
  const bodies: unknown[] = [];
  return {
    name,
    args: [...args, "--mesh", "platform-team"],
    savedLogin: "session",
    stubs: [members, grants(before), updated(bodies)],
    wantStatus: 0,
    wantStderr,
    check: () => expect(bodies).toEqual([want]),
  };
}

const cases: CommandCase[] = [
  {
    name: "grants: each other member and what they may do; the only mesh without --mesh",
    args: ["grants"],
    savedLogin: "session",
    stubs: [oneMesh, members, grants({ "user-bo": [], "user-cy": ["dm"] }), me],
    wantStatus: 0,
    stdoutIs: [
      "✘ Bo is blocked: nothing from them reaches you (user-bo)",
      "◐ Cy may only: dm (user-cy)",
      "✔ Di may send you direct messages and messages to everyone (user-di)",
      "",
    ].join("\n"),
    absent: ["Ada Lovelace"],
    wantSent: [
      `GET /api/my/meshes ${SAVED}`,
      `GET ${PATH}/peers ${SAVED}`,
      `GET ${PATH}/grants ${SAVED}`,
      `GET /api/my/whoami ${SAVED}`,
    ],
  },
  {
    name: "grants --json: the server's grants as they are",
    args: ["grants", "--mesh", "platform-team", "--json"],
    savedLogin: "session",
    stubs: [members, grants({ "user-bo": [] }), me],
    wantStatus: 0,
    check: ({ stdout }) => expect(JSON.parse(stdout)).toEqual({ peers: { "user-bo": [] } }),
  },
  change("block: an empty list", ["block", "Bo"], {}, { peer: "user-bo", capabilities: [] }, [
    "✔ Bo is blocked: nothing from them reaches you",
  ]),
  change(
    "unblock: back to the default (null)",
    ["unblock", "user-bo"],
    { "user-bo": [] },
    { peer: "user-bo", capabilities: null },
    ["✔ Bo may send you direct messages and messages to everyone"],
  ),
  change(
    "revoke one capability from the default: the rest stays",
    ["revoke", "Bo", "broadcast"],
    {},
    { peer: "user-bo", capabilities: ["dm"] },
    ["✔ Bo may only: dm"],
  ),
  change("revoke all: blocked", ["revoke", "Bo", "all"], { "user-bo": ["dm"] }, { peer: "user-bo", capabilities: [] }, [
    "✔ Bo is blocked",
  ]),
  change(
    "grant to a blocked member: only what was granted",
    ["grant", "Bo", "dm"],
    { "user-bo": [] },
    { peer: "user-bo", capabilities: ["dm"] },
    ["✔ Bo may only: dm"],
  ),
  change(
    "grant what was missing: back to the default",
    ["grant", "bo", "broadcast"],
    { "user-bo": ["dm"] },
    { peer: "user-bo", capabilities: null },
    ["✔ Bo may send you direct messages and messages to everyone"],
  ),
  {
    name: "an unknown capability is refused before any request",
    args: ["grant", "Bo", "admin", "--mesh", "platform-team"],
    savedLogin: "session",
    wantStatus: 1,
    wantStderr: ['"admin" is no capability; choose from dm, broadcast.'],
    wantSent: [],
  },
  {
    name: "revoke names all among the choices",
    args: ["revoke", "Bo", "everything", "--mesh", "platform-team"],
    savedLogin: "session",
    wantStatus: 1,
    wantStderr: ["choose from dm, broadcast, all."],
  },
  {
    name: "block in Spanish",
    args: ["block", "Bo", "--mesh", "platform-team", "--lang", "es"],
    savedLogin: "session",
    stubs: [members, grants({}), updated([])],
    wantStatus: 0,
    wantStderr: ["✔ Bo está bloqueado"],
  },
];

describe("claudemesh grants, grant, revoke, block, unblock", () => {
  it.each(cases)("$name", runCase);

  it("top-level revoke is the grants one; sessions revoke and tokens revoke stay what they were", async () => {
    const { runCommand } = await import("../testing/fake-context.js");
    const help = await runCommand(["revoke", "--help"]);
    expect(help.stdout).toContain("take capabilities from a member of a mesh");
    const sessions = await runCommand(["sessions", "revoke", "--help"]);
    expect(sessions.stdout).not.toContain("capabilities");
  });
});
