import { CreatedToken, DEFAULT_PAT_LIFETIME_DAYS, mintToken, RevokedResponse, TokenList } from "@claudemesh/sdk";
import { describe, expect, it } from "vitest";
import { createContext } from "../context.js";
import { type CommandCase, runCase, SAVED } from "../testing/command-table.js";
import { fails, ok } from "../testing/fake-transport.js";
import { tokenAnswer } from "../testing/fixtures.js";
import { formatLifetime, parseLifetime, tokensCommand } from "./tokens.js";

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

describe("tokens create --expires-in", () => {
  it("defaults to the one default lifetime the API, the extension and the dashboard use", () => {
    const create = tokensCommand(createContext({})).commands.find((command) => command.name() === "create");
    const expiresIn = create?.options.find((option) => option.long === "--expires-in");
    expect(parseLifetime(String(expiresIn?.defaultValue))).toBe(DEFAULT_PAT_LIFETIME_DAYS);
  });

  it.each([30, 90, 365, 730])("formatLifetime(%i) reads back as the same days", (days) => {
    expect(parseLifetime(formatLifetime(days))).toBe(days);
  });
});

const NEW_PAT = mintToken("pat");
const created = (expiresAt: string | null) => ({
  route: "POST /api/my/cli/tokens",
  reply: ok(CreatedToken, { ...tokenAnswer({ expires_at: expiresAt }), token: NEW_PAT }, 201),
});

const cases: CommandCase[] = [
  {
    name: "create: the token alone on stdout, the rest on stderr; the request carries name and lifetime",
    args: ["tokens", "create", "--name", "ci-deploy", "--expires-in", "90d"],
    savedLogin: "session",
    stubs: [created("2026-08-30T12:00:00.000Z")],
    wantStatus: 0,
    stdoutIs: `${NEW_PAT}\n`,
    wantStderr: ['✔ Created token "ci-deploy" (expires 2026-08-30)', "! Copy it now: it will not be shown again."],
    wantSent: [`POST /api/my/cli/tokens ${SAVED}`],
    check: ({ transport }) => expect(transport.requests[0]?.body).toEqual({ name: "ci-deploy", expires_in_days: 90 }),
  },
  {
    name: "create --json: the created token as JSON, never expiring",
    args: ["tokens", "create", "--name", "ci-deploy", "--expires-in", "never", "--json"],
    savedLogin: "session",
    stubs: [created(null)],
    wantStatus: 0,
    wantStderr: ["(never expires)"],
    check: ({ stdout, transport }) => {
      expect(CreatedToken.parse(JSON.parse(stdout))).toMatchObject({ token: NEW_PAT, expires_at: null });
      expect(transport.requests[0]?.body).toEqual({ name: "ci-deploy", expires_in_days: null });
    },
  },
  {
    name: "create with a bad --expires-in: exit 1 naming the flag, before signing in or sending",
    args: ["tokens", "create", "--name", "ci", "--expires-in", "soon"],
    wantStatus: 1,
    wantStderr: ['✘ --expires-in must be like 30d, 90d, 1y or never (got "soon").'],
    wantSent: [],
  },
  {
    name: "create without --name: commander's usage error, exit 1",
    args: ["tokens", "create"],
    savedLogin: "session",
    wantStatus: 1,
    wantStderr: ["required option '--name <name>' not specified"],
    wantSent: [],
  },
  {
    name: "create with a revoked login: exit 2",
    args: ["tokens", "create", "--name", "ci"],
    savedLogin: "session",
    stubs: [{ route: "POST /api/my/cli/tokens", reply: fails(401, "token_revoked", "This token was revoked.") }],
    wantStatus: 2,
    wantStderr: ["✘ This token was revoked.", "claudemesh login"],
  },
  {
    name: "create when the server cannot be reached: exit 1, sent once (a POST is never repeated)",
    args: ["tokens", "create", "--name", "ci"],
    savedLogin: "session",
    stubs: [{ route: "POST /api/my/cli/tokens", reply: { networkError: "ECONNRESET" } }],
    wantStatus: 1,
    wantStderr: ["✘ Cannot reach https://mesh.test"],
    wantSent: [`POST /api/my/cli/tokens ${SAVED}`],
  },
  {
    name: "list: one line per token, never its value",
    args: ["tokens", "list"],
    tty: true,
    savedLogin: "session",
    stubs: [
      {
        route: "GET /api/my/cli/tokens",
        reply: ok(TokenList, {
          tokens: [
            tokenAnswer(),
            tokenAnswer({ id: "tok-2", name: "laptop", expires_at: null, last_used_at: "2026-05-30T00:00:00.000Z" }),
          ],
        }),
      },
    ],
    wantStatus: 0,
    stdoutIs:
      "tok-1  ci-deploy  (expires 2027-05-01, never used)\ntok-2  laptop  (never expires, last used 2026-05-30)\n",
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
