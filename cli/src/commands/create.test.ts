import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { LocalConfig, Mesh } from "@claudemesh/sdk";
import { describe, expect, it } from "vitest";
import { type CommandCase, runCase, SAVED } from "../testing/command-table.js";
import type { CommandResult } from "../testing/fake-context.js";
import { fails, ok } from "../testing/fake-transport.js";
import { meshAnswer } from "../testing/fixtures.js";

const createdMesh = { route: "POST /api/my/meshes", reply: ok(Mesh, meshAnswer(), 201) };

async function expectJoinedHere({ configDir }: CommandResult): Promise<void> {
  const config = LocalConfig.parse(JSON.parse(await readFile(join(configDir, "config.json"), "utf8")));
  expect(config.meshes).toEqual([
    expect.objectContaining({ id: meshAnswer().id, slug: "platform-team", api_url: "https://mesh.test" }),
  ]);
}

const cases: CommandCase[] = [
  {
    name: "creates the mesh and joins it here; progress on stderr, stdout empty",
    args: ["create", "Platform team"],
    savedLogin: "session",
    stubs: [createdMesh],
    wantStatus: 0,
    stdoutIs: "",
    wantStderr: [
      "✔ Created mesh platform-team (id: 0f8fad5b…)",
      "✔ Joined locally",
      "▸ Invite peers: claudemesh invite --mesh platform-team",
    ],
    wantSent: [`POST /api/my/meshes ${SAVED}`],
    check: async (result) => {
      expect(result.transport.requests[0]?.body).toEqual({ name: "Platform team" });
      await expectJoinedHere(result);
    },
  },
  {
    name: "--slug is sent; at a terminal the output is the same",
    args: ["create", "Platform team", "--slug", "platform-team"],
    tty: true,
    savedLogin: "session",
    stubs: [createdMesh],
    wantStatus: 0,
    wantStderr: ["✔ Created mesh platform-team"],
    check: ({ transport }) =>
      expect(transport.requests[0]?.body).toEqual({ name: "Platform team", slug: "platform-team" }),
  },
  {
    name: "--json: the mesh as the server sent it",
    args: ["create", "Platform team", "--json"],
    savedLogin: "session",
    stubs: [createdMesh],
    wantStatus: 0,
    check: async (result) => {
      expect(Mesh.parse(JSON.parse(result.stdout))).toEqual(meshAnswer());
      await expectJoinedHere(result);
    },
  },
  {
    name: "a malformed --slug: exit 1 naming the flag, nothing sent",
    args: ["create", "Platform team", "--slug", "Not A Slug"],
    savedLogin: "session",
    wantStatus: 1,
    wantStderr: ["✘ --slug: slug: lowercase letters, digits and dashes"],
    wantSent: [],
  },
  {
    name: "a name with an invisible character: exit 1 naming it, nothing sent",
    args: ["create", "Platform\u200b team"],
    savedLogin: "session",
    wantStatus: 1,
    wantStderr: ["✘ <name>: must not contain invisible characters (found U+200B)"],
    wantSent: [],
  },
  {
    name: "a taken slug: exit 1 with the command that would work",
    args: ["create", "Platform team"],
    savedLogin: "session",
    stubs: [
      {
        route: "POST /api/my/meshes",
        reply: fails(409, "slug_taken", "The slug platform-team is taken.", { suggestion: "platform-team-2" }),
      },
    ],
    wantStatus: 1,
    wantStderr: [
      "✘ The slug platform-team is taken.",
      'Try: claudemesh create "Platform team" --slug platform-team-2',
      "Choose another slug with `--slug`.",
    ],
  },
  {
    name: "not signed in: exit 2, nothing sent",
    args: ["create", "Platform team"],
    wantStatus: 2,
    wantStderr: ["✘ Not signed in to https://mesh.test."],
    wantSent: [],
  },
];

describe("claudemesh create", () => {
  it.each(cases)("$name", runCase);
});
