import { mintToken, RevokedResponse, Whoami } from "@claudemesh/sdk";
import { describe, expect, it } from "vitest";
import { type CommandCase, runCase, SAVED } from "../testing/command-table.js";
import { fails, ok } from "../testing/fake-transport.js";
import { whoamiAnswer } from "../testing/fixtures.js";

const FLAG_TOKEN = mintToken("pat");
const whoami = { route: "GET /api/my/whoami", reply: ok(Whoami, whoamiAnswer()) };
const revoked = fails(401, "token_revoked", "This token was revoked.");

const cases: CommandCase[] = [
  {
    name: "status: signed in, said on stderr, exit 0",
    args: ["auth", "status"],
    savedLogin: "session",
    stubs: [whoami],
    wantStatus: 0,
    stdoutIs: "",
    wantStderr: [
      "✔ Signed in to https://mesh.test as Ada Lovelace <ada@example.com>",
      "with a CLI session on ada-laptop from ",
    ],
    wantSent: [`GET /api/my/whoami ${SAVED}`],
  },
  {
    name: "status --json: signed in, with the credential's source",
    args: ["auth", "status", "--json"],
    savedLogin: "session",
    stubs: [whoami],
    wantStatus: 0,
    check: ({ stdout }) => {
      expect(JSON.parse(stdout)).toMatchObject({
        signed_in: true,
        api_url: "https://mesh.test",
        user: { email: "ada@example.com" },
        credential: { kind: "session", source: "keychain" },
      });
    },
  },
  {
    name: "status lists the logins saved for other servers, and how to use one",
    args: ["auth", "status"],
    savedLogin: "session",
    otherLogins: [{ apiUrl: "https://other.example.test", kind: "pat" }],
    stubs: [whoami],
    wantStatus: 0,
    wantStderr: [
      "✔ Signed in to https://mesh.test as Ada Lovelace",
      "Also saved on this machine:",
      "https://other.example.test  Ada Lovelace <ada@example.com> (token in ",
      "CLAUDEMESH_API_URL=<server>",
    ],
    wantSent: [`GET /api/my/whoami ${SAVED}`],
  },
  {
    name: "status --json when signed in elsewhere only: signed_in false here, the other server listed",
    args: ["auth", "status", "--json"],
    otherLogins: [{ apiUrl: "https://other.example.test", kind: "pat" }],
    wantStatus: 2,
    check: ({ stdout }) => {
      const status = JSON.parse(stdout);
      expect(status).toMatchObject({ signed_in: false, api_url: "https://mesh.test", reason: "auth_required" });
      expect(status.other_servers).toEqual([
        {
          api_url: "https://other.example.test",
          user: { id: "user-ada", name: "Ada Lovelace", email: "ada@example.com" },
          token_store: expect.stringMatching(/^(keychain|file)$/),
        },
      ]);
    },
  },
  {
    name: "status when not signed in: exit 2, no request",
    args: ["auth", "status"],
    wantStatus: 2,
    wantStderr: ["✘ Not signed in to https://mesh.test.", "Run `claudemesh login` to sign in."],
    wantSent: [],
  },
  {
    name: "status --json with a revoked token: signed_in false with the reason, exit 2",
    args: ["auth", "status", "--json"],
    savedLogin: "session",
    stubs: [{ route: "GET /api/my/whoami", reply: revoked }],
    wantStatus: 2,
    check: ({ stdout, stderr }) => {
      expect(JSON.parse(stdout)).toEqual({
        signed_in: false,
        api_url: "https://mesh.test",
        reason: "token_revoked",
        other_servers: [],
      });
      expect(stderr).toBe("");
    },
  },
  {
    name: "status at a terminal with a revoked token says why, and offers nothing (auth is exempt)",
    args: ["auth", "status"],
    tty: true,
    savedLogin: "session",
    stubs: [{ route: "GET /api/my/whoami", reply: revoked }],
    wantStatus: 2,
    wantStderr: ["✘ Not signed in to https://mesh.test: This token was revoked.", "claudemesh login"],
    wantAsked: [],
  },
  {
    name: "token: prints the saved token alone on stdout, asks nothing of the server",
    args: ["auth", "token"],
    savedLogin: "pat",
    wantStatus: 0,
    wantSent: [],
    check: ({ stdout, savedToken }) => expect(stdout).toBe(`${savedToken}\n`),
  },
  {
    name: "token --token: prints the given one",
    args: ["auth", "token", "--token", FLAG_TOKEN],
    wantStatus: 0,
    stdoutIs: `${FLAG_TOKEN}\n`,
  },
  {
    name: "token when not signed in: exit 2",
    args: ["auth", "token"],
    wantStatus: 2,
    stdoutIs: "",
    wantStderr: ["✘ Not signed in to https://mesh.test."],
  },
  {
    name: "auth logout is logout",
    args: ["auth", "logout"],
    savedLogin: "session",
    stubs: [
      {
        route: "DELETE /api/my/cli/sessions/current",
        reply: ok(RevokedResponse, { id: "sess-1", revoked_at: "2026-06-01T12:00:00.000Z" }),
      },
    ],
    wantStatus: 0,
    wantStderr: ["✔ Token revoked on server", "✔ Removed "],
    wantSent: [`DELETE /api/my/cli/sessions/current ${SAVED}`],
  },
];

describe("claudemesh auth", () => {
  it.each(cases)("$name", runCase);
});
