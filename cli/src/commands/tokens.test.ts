import { mintToken, RevokedResponse, TokenList } from "@claudemesh/sdk";
import { describe, expect, it } from "vitest";
import { type CommandCase, runCase, SAVED } from "../testing/command-table.js";
import { ok } from "../testing/fake-transport.js";
import { tokenAnswer } from "../testing/fixtures.js";
import { formatLifetime, parseLifetime } from "./tokens.js";

describe("parseLifetime", () => {
  it.each([
    ["30d", 30],
    ["90 days", 90],
    ["1y", 365],
    ["2 years", 730],
    ["365", 365],
    ["never", null],
    ["NEVER", null],
  ])("%s → %s", (input, days) => {
    expect(parseLifetime(input)).toBe(days);
  });

  it.each(["0d", "-1d", "soon", "1.5y", "11y", ""])("rejects %j", (input) => {
    expect(() => parseLifetime(input)).toThrow(/--expires-in/);
  });
});

describe("formatLifetime", () => {
  it.each([30, 90, 365, 730])("formatLifetime(%i) reads back as the same days", (days) => {
    expect(parseLifetime(formatLifetime(days))).toBe(days);
  });
});

const NEW_PAT = mintToken("pat");
const PAGE = "https://mesh.test/dashboard/settings/cli-tokens";

const cases: CommandCase[] = [
  {
    name: "create: opens the dashboard's form filled in, prints its URL, and sends nothing (tokens make no tokens)",
    args: ["tokens", "create", "--name", "ci-deploy", "--expires-in", "90d"],
    savedLogin: "session",
    wantStatus: 0,
    stdoutIs: `${PAGE}?name=ci-deploy&expiry=90\n`,
    wantStderr: ["Personal access tokens are created in your browser"],
    wantSent: [],
    check: ({ opened }) => expect(opened).toEqual([`${PAGE}?name=ci-deploy&expiry=90`]),
  },
  {
    name: "create with no options, signed out: the plain page, no sign-in needed",
    args: ["tokens", "create"],
    wantStatus: 0,
    stdoutIs: `${PAGE}\n`,
    wantSent: [],
  },
  {
    name: "create --json: the page's URL as JSON; a lifetime the form does not offer is left to pick there",
    args: ["tokens", "create", "--expires-in", "2y", "--json"],
    wantStatus: 0,
    check: ({ stdout }) => expect(JSON.parse(stdout)).toEqual({ url: PAGE }),
  },
  {
    name: "create where no browser can open: says why, and the URL is still on stdout",
    args: ["tokens", "create", "--name", "ci"],
    browserUnavailable: "this is an SSH session",
    wantStatus: 0,
    stdoutIs: `${PAGE}?name=ci\n`,
    wantStderr: ["Not opening a browser (this is an SSH session)."],
  },
  {
    name: "create with a bad --expires-in: exit 1 naming the flag, before opening anything",
    args: ["tokens", "create", "--name", "ci", "--expires-in", "soon"],
    wantStatus: 1,
    wantStderr: ['✘ --expires-in must be like 30d, 90d, 1y or never (got "soon").'],
    wantSent: [],
    check: ({ opened }) => expect(opened).toEqual([]),
  },
  {
    name: "list: one line per token, never its value, with where it was made",
    args: ["tokens", "list"],
    tty: true,
    savedLogin: "session",
    stubs: [
      {
        route: "GET /api/my/cli/tokens",
        reply: ok(TokenList, {
          tokens: [
            tokenAnswer({ flow: "web", browser: "Chrome · Linux", ip_address: "203.0.113.7" }),
            // A token from before origins were recorded shows none.
            tokenAnswer({ id: "tok-2", name: "laptop", expires_at: null, last_used_at: "2026-05-30T00:00:00.000Z" }),
          ],
        }),
      },
    ],
    wantStatus: 0,
    stdoutIs:
      "tok-1  ci-deploy  made on the dashboard in Chrome · Linux from 203.0.113.7  (expires 2027-05-01, never used)\n" +
      "tok-2  laptop  (never expires, last used 2026-05-30)\n",
  },
  {
    name: "list --json: { tokens }",
    args: ["tokens", "list", "--json"],
    savedLogin: "session",
    stubs: [{ route: "GET /api/my/cli/tokens", reply: ok(TokenList, { tokens: [tokenAnswer()] }) }],
    wantStatus: 0,
    check: ({ stdout }) =>
      expect(TokenList.parse(JSON.parse(stdout)).tokens.map((token) => token.id)).toEqual(["tok-1"]),
  },
  {
    name: "list with none: said on stderr",
    args: ["tokens", "list"],
    savedLogin: "session",
    stubs: [{ route: "GET /api/my/cli/tokens", reply: ok(TokenList, { tokens: [] }) }],
    wantStatus: 0,
    stdoutIs: "",
    wantStderr: ["No personal access tokens."],
  },
  {
    name: "revoke: DELETE by id",
    args: ["tokens", "revoke", "tok-1"],
    savedLogin: "session",
    stubs: [
      {
        route: "DELETE /api/my/cli/tokens/tok-1",
        reply: ok(RevokedResponse, { id: "tok-1", revoked_at: "2026-06-01T12:00:00.000Z" }),
      },
    ],
    wantStatus: 0,
    wantStderr: ["✔ Revoked token tok-1"],
    wantSent: [`DELETE /api/my/cli/tokens/tok-1 ${SAVED}`],
  },
  {
    name: "revoke given the token itself: exit 1, nothing sent",
    args: ["tokens", "revoke", NEW_PAT],
    savedLogin: "session",
    wantStatus: 1,
    wantSent: [],
    absent: [NEW_PAT],
  },
];

describe("claudemesh tokens", () => {
  it.each(cases)("$name", runCase);
});
