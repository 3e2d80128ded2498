import { CreatedInvite, MeshList } from "@claudemesh/sdk";
import { describe, expect, it } from "vitest";
import { type CommandCase, runCase, SAVED } from "../testing/command-table.js";
import { fails, ok } from "../testing/fake-transport.js";
import { inviteAnswer, meshAnswer } from "../testing/fixtures.js";

const LINK = inviteAnswer().url;
const WEEK = 7 * 24 * 60 * 60;
const invited = (mesh: string, overrides: Partial<CreatedInvite> = {}) => ({
  route: `POST /api/my/meshes/${mesh}/invites`,
  reply: ok(CreatedInvite, inviteAnswer(overrides), 201),
});
const DESIGN = meshAnswer({
  id: "7c9e6679-7425-40de-944b-e07fc1f90ae7",
  slug: "design",
  name: "Design",
  role: "admin",
});
const myMeshes = (...meshes: (typeof DESIGN)[]) => ({ route: "GET /api/my/meshes", reply: ok(MeshList, { meshes }) });

const cases: CommandCase[] = [
  {
    name: "--mesh: the link alone on stdout, what it is on stderr; a week, as a member, by default",
    args: ["invite", "--mesh", "platform-team"],
    savedLogin: "session",
    stubs: [invited("platform-team")],
    wantStatus: 0,
    stdoutIs: `${LINK}\n`,
    wantStderr: ["✔ Invite to platform-team as member, until 2026-06-08:", "It works once."],
    wantSent: [`POST /api/my/meshes/platform-team/invites ${SAVED}`],
    check: ({ transport }) => expect(transport.requests[0]?.body).toEqual({ role: "member", expires_in: WEEK }),
  },
  {
    name: "--email, --role and --expires-in are sent; an emailed invite says so",
    args: ["invite", "--mesh", "platform-team", "--email", "bo@example.com", "--role", "admin", "--expires-in", "12h"],
    savedLogin: "session",
    stubs: [invited("platform-team", { email: "bo@example.com", role: "admin", email_status: "sent" })],
    wantStatus: 0,
    wantStderr: ["as admin", "✔ Emailed to bo@example.com"],
    check: ({ transport }) =>
      expect(transport.requests[0]?.body).toEqual({ email: "bo@example.com", role: "admin", expires_in: 12 * 3600 }),
  },
  {
    name: "the seed's acceptance line: --email a@b.c is an address, sent as given",
    args: ["invite", "--email", "a@b.c", "--mesh", "test"],
    savedLogin: "session",
    stubs: [invited("test", { email: "a@b.c", email_status: "sent" })],
    wantStatus: 0,
    wantStderr: ["✔ Emailed to a@b.c"],
    check: ({ transport }) => expect(transport.requests[0]?.body).toMatchObject({ email: "a@b.c" }),
  },
  {
    name: "a server without mail: the link, and a warning to send it yourself",
    args: ["invite", "--mesh", "platform-team", "--email", "bo@example.com"],
    savedLogin: "session",
    stubs: [invited("platform-team", { email: "bo@example.com", email_status: "queued" })],
    wantStatus: 0,
    stdoutIs: `${LINK}\n`,
    wantStderr: ["! The server has no mail set up; send bo@example.com the link yourself."],
  },
  {
    name: "--json: the invite (with its link)",
    args: ["invite", "--mesh", "platform-team", "--json"],
    savedLogin: "session",
    stubs: [invited("platform-team")],
    wantStatus: 0,
    check: ({ stdout }) => expect(CreatedInvite.parse(JSON.parse(stdout))).toEqual(inviteAnswer()),
  },
  {
    name: "no --mesh and one mesh you can invite to: that one",
    args: ["invite"],
    savedLogin: "session",
    stubs: [
      myMeshes(meshAnswer(), meshAnswer({ id: "x", slug: "not-mine", role: "member" })),
      invited("platform-team"),
    ],
    wantStatus: 0,
    stdoutIs: `${LINK}\n`,
    wantSent: [`GET /api/my/meshes ${SAVED}`, `POST /api/my/meshes/platform-team/invites ${SAVED}`],
  },
  {
    name: "no --mesh, two meshes, no terminal: exit 1 naming them",
    args: ["invite"],
    savedLogin: "session",
    stubs: [myMeshes(meshAnswer(), DESIGN)],
    wantStatus: 1,
    wantStderr: ["✘ Which mesh? Name it with --mesh: platform-team, design."],
    wantAsked: [],
  },
  {
    name: "no --mesh, two meshes, at a terminal: a pick",
    args: ["invite"],
    tty: true,
    savedLogin: "session",
    stubs: [myMeshes(meshAnswer(), DESIGN), invited("design")],
    prompts: [{ select: "design" }],
    wantStatus: 0,
    wantAsked: ["Invite to which mesh?"],
    wantSent: [`GET /api/my/meshes ${SAVED}`, `POST /api/my/meshes/design/invites ${SAVED}`],
  },
  {
    name: "the pick cancelled: exit 130, nothing invited",
    args: ["invite"],
    tty: true,
    savedLogin: "session",
    stubs: [myMeshes(meshAnswer(), DESIGN)],
    prompts: [{ cancel: "select" }],
    wantStatus: 130,
    wantStderr: ["✘ Cancelled."],
    wantSent: [`GET /api/my/meshes ${SAVED}`],
  },
  {
    name: "no mesh at all: exit 1 with how to make one",
    args: ["invite"],
    savedLogin: "session",
    stubs: [myMeshes()],
    wantStatus: 1,
    wantStderr: ['✘ You are in no mesh yet. Create one first: claudemesh create "Platform team".'],
  },
  {
    name: "a bad --expires-in: exit 1 before anything is sent",
    args: ["invite", "--mesh", "platform-team", "--expires-in", "90d"],
    savedLogin: "session",
    wantStatus: 1,
    wantStderr: ['✘ --expires-in must be like 30m, 12h or 7d, at most 30d (got "90d").'],
    wantSent: [],
  },
  {
    name: "a bad --email: exit 1 naming the flag",
    args: ["invite", "--mesh", "platform-team", "--email", "nobody"],
    savedLogin: "session",
    wantStatus: 1,
    wantStderr: ["✘ --email: not an email address"],
    wantSent: [],
  },
  {
    name: "a --role commander does not allow: exit 1 with the choices",
    args: ["invite", "--mesh", "platform-team", "--role", "owner"],
    savedLogin: "session",
    wantStatus: 1,
    wantStderr: ["option '--role <role>' argument 'owner' is invalid"],
    wantSent: [],
  },
  {
    name: "not an owner or admin there (403): exit 1",
    args: ["invite", "--mesh", "platform-team"],
    savedLogin: "session",
    stubs: [
      {
        route: "POST /api/my/meshes/platform-team/invites",
        reply: fails(403, "forbidden", "Only owners and admins can invite."),
      },
    ],
    wantStatus: 1,
    wantStderr: ["✘ Only owners and admins can invite."],
  },
];

describe("claudemesh invite", () => {
  it.each(cases)("$name", runCase);
});
