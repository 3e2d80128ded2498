import { mintToken, RevokedResponse, SessionList } from "@claudemesh/sdk";
import { describe, expect, it } from "vitest";
import { type CommandCase, runCase, SAVED } from "../testing/command-table.js";
import { fails, ok } from "../testing/fake-transport.js";
import { sessionAnswer } from "../testing/fixtures.js";

const GIVEN_TOKEN = mintToken("session");
const twoSessions = {
  route: "GET /api/my/cli/sessions",
  reply: ok(SessionList, {
    sessions: [
      sessionAnswer({ flow: "device-code" }),
      // A session from before addresses were recorded shows none.
      sessionAnswer({ id: "sess-2", current: false, device_name: "ci", last_used_at: null, ip_address: null }),
    ],
  }),
};

const cases: CommandCase[] = [
  {
    name: "list: one line per device on stdout, * for this one, with the address it signed in from and how",
    args: ["sessions", "list"],
    savedLogin: "session",
    stubs: [twoSessions],
    wantStatus: 0,
    stdoutIs:
      "* sess-1  ada-laptop · linux · x64  from 203.0.113.7  via device code  (signed in 2026-05-01, last used 2026-05-31)\n" +
      "  sess-2  ci · linux · x64  (signed in 2026-05-01, never used)\n",
    wantSent: [`GET /api/my/cli/sessions ${SAVED}`],
  },
  {
    name: "bare `sessions` is list, at a terminal too",
    args: ["sessions"],
    tty: true,
    savedLogin: "session",
    stubs: [twoSessions],
    wantStatus: 0,
    wantStdout: ["* sess-1  ada-laptop"],
  },
  {
    name: "list --json: { sessions }",
    args: ["sessions", "list", "--json"],
    savedLogin: "session",
    stubs: [twoSessions],
    wantStatus: 0,
    check: ({ stdout }) => {
      const { sessions } = SessionList.parse(JSON.parse(stdout));
      expect(sessions.map((session) => [session.id, session.current, session.ip_address])).toEqual([
        ["sess-1", true, "203.0.113.7"],
        ["sess-2", false, null],
      ]);
    },
  },
  {
    name: "list with none: said on stderr, stdout empty",
    args: ["sessions", "list"],
    savedLogin: "session",
    stubs: [{ route: "GET /api/my/cli/sessions", reply: ok(SessionList, { sessions: [] }) }],
    wantStatus: 0,
    stdoutIs: "",
    wantStderr: ["No CLI sessions."],
  },
  {
    name: "list with a rejected token: exit 2",
    args: ["sessions", "list"],
    savedLogin: "session",
    stubs: [{ route: "GET /api/my/cli/sessions", reply: fails(401, "token_invalid", "Unknown token.") }],
    wantStatus: 2,
    wantStderr: ["✘ Unknown token.", "claudemesh login"],
  },
  {
    name: "revoke: DELETE by id with the saved token",
    args: ["sessions", "revoke", "sess-2"],
    savedLogin: "session",
    stubs: [
      {
        route: "DELETE /api/my/cli/sessions/sess-2",
        reply: ok(RevokedResponse, { id: "sess-2", revoked_at: "2026-06-01T12:00:00.000Z" }),
      },
    ],
    wantStatus: 0,
    wantStderr: ["✔ Revoked session sess-2"],
    wantSent: [`DELETE /api/my/cli/sessions/sess-2 ${SAVED}`],
  },
  {
    name: "revoke of an unknown id: exit 1 with the server's message",
    args: ["sessions", "revoke", "sess-9"],
    savedLogin: "session",
    stubs: [{ route: "DELETE /api/my/cli/sessions/sess-9", reply: fails(404, "not_found", "No such session.") }],
    wantStatus: 1,
    wantStderr: ["✘ No such session."],
  },
  {
    name: "revoke given a token instead of an id: exit 1, nothing sent, the token not echoed",
    args: ["sessions", "revoke", GIVEN_TOKEN],
    savedLogin: "session",
    wantStatus: 1,
    wantSent: [],
    absent: [GIVEN_TOKEN],
    check: ({ stderr }) => expect(stderr).toMatch(/✘ .*token/i),
  },
];

describe("claudemesh sessions", () => {
  it.each(cases)("$name", runCase);
});
