import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { AcceptedInvite, LocalConfig } from "@claudemesh/sdk";
import { describe, expect, it } from "vitest";
import { type CommandCase, runCase, SAVED } from "../testing/command-table.js";
import type { CommandResult } from "../testing/fake-context.js";
import { fails, ok } from "../testing/fake-transport.js";
import { joinedMesh, meshAnswer } from "../testing/fixtures.js";

const SECRET = "s".repeat(43);
const LINK = `https://mesh.test/invite/${SECRET}`;
const MEMBER = meshAnswer({ role: "member" });
const accepted = (already_member: boolean) => ({
  route: `POST /api/invites/${SECRET}/accept`,
  reply: ok(AcceptedInvite, { mesh: MEMBER, already_member }),
});

async function joinedSlugs({ configDir }: CommandResult): Promise<string[]> {
  const config = LocalConfig.parse(JSON.parse(await readFile(join(configDir, "config.json"), "utf8")));
  return config.meshes.map((mesh) => `${mesh.slug}:${mesh.display_name ?? "-"}`);
}

const cases: CommandCase[] = [
  {
    name: "accepts the invite and joins the mesh here",
    args: ["join", LINK],
    savedLogin: "session",
    stubs: [accepted(false)],
    wantStatus: 0,
    stdoutIs: "",
    wantStderr: [
      "✔ Joined platform-team as member",
      "▸ Start Claude Code in it: claudemesh launch --mesh platform-team",
    ],
    wantSent: [`POST /api/invites/${SECRET}/accept ${SAVED}`],
    check: async (result) => expect(await joinedSlugs(result)).toEqual(["platform-team:-"]),
  },
  {
    name: "already a member: said so, and what was remembered here is kept",
    args: ["join", SECRET],
    tty: true,
    savedLogin: "session",
    meshes: [joinedMesh(MEMBER, { display_name: "ada" })],
    stubs: [accepted(true)],
    wantStatus: 0,
    wantStderr: ["✔ You are already in platform-team (member); it is joined here too."],
    check: async (result) => expect(await joinedSlugs(result)).toEqual(["platform-team:ada"]),
  },
  {
    name: "--json: the mesh and whether you were already in it",
    args: ["join", LINK, "--json"],
    savedLogin: "session",
    stubs: [accepted(false)],
    wantStatus: 0,
    check: ({ stdout }) =>
      expect(AcceptedInvite.parse(JSON.parse(stdout))).toEqual({ mesh: MEMBER, already_member: false }),
  },
  {
    name: "not an invite link: exit 1, nothing sent",
    args: ["join", "https://mesh.test/dashboard"],
    savedLogin: "session",
    wantStatus: 1,
    wantStderr: ["✘ That is not an invite link; it looks like https://…/invite/<code>."],
    wantSent: [],
  },
  {
    name: "a used invite (410): exit 1 with what to do",
    args: ["join", LINK],
    savedLogin: "session",
    stubs: [
      {
        route: `POST /api/invites/${SECRET}/accept`,
        reply: fails(410, "invite_used", "This invite was already used."),
      },
    ],
    wantStatus: 1,
    wantStderr: ["✘ This invite was already used.", "Invites work once; ask for a new one."],
  },
  {
    name: "not signed in: exit 2",
    args: ["join", LINK],
    wantStatus: 2,
    wantStderr: ["✘ Not signed in to https://mesh.test."],
    wantSent: [],
  },
];

describe("claudemesh join", () => {
  it.each(cases)("$name", runCase);
});
