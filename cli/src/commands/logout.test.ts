import { stat } from "node:fs/promises";
import { join } from "node:path";
import { RevokedResponse } from "@claudemesh/sdk";
import { describe, expect, it } from "vitest";
import { type CommandCase, runCase, SAVED } from "../testing/command-table.js";
import type { CommandResult } from "../testing/fake-context.js";
import { fails, ok } from "../testing/fake-transport.js";

const revokeCurrent = {
  route: "DELETE /api/my/cli/sessions/current",
  reply: ok(RevokedResponse, { id: "sess-1", revoked_at: "2026-06-01T12:00:00.000Z" }),
};

async function expectNoAuthFile({ configDir }: CommandResult): Promise<void> {
  await expect(stat(join(configDir, "auth.json"))).rejects.toMatchObject({ code: "ENOENT" });
}

const OTHER = "https://other.example.test";

const cases: CommandCase[] = [
  {
    name: "a session: revoked on the server, then removed here",
    args: ["logout"],
    savedLogin: "session",
    stubs: [revokeCurrent],
    wantStatus: 0,
    stdoutIs: "",
    wantStderr: [
      "✔ Token revoked on server",
      "✔ Removed the login for https://mesh.test from the OS keychain and ",
      "auth.json",
    ],
    wantSent: [`DELETE /api/my/cli/sessions/current ${SAVED}`],
    check: async (result) => {
      await expectNoAuthFile(result);
      expect(await result.ctx.store().load()).toBeNull();
    },
  },
  {
    name: "at a terminal, the same",
    args: ["logout"],
    tty: true,
    savedLogin: "session",
    stubs: [revokeCurrent],
    wantStatus: 0,
    wantStderr: ["✔ Token revoked on server", "✔ Removed "],
    check: expectNoAuthFile,
  },
  {
    name: "a PAT: removed here only, with how to revoke it",
    args: ["logout"],
    savedLogin: "pat",
    wantStatus: 0,
    wantStderr: ["✔ Removed ", "The personal access token itself still works"],
    wantSent: [],
    check: expectNoAuthFile,
  },
  {
    name: "the server refuses the revoke: removed here anyway, exit 0",
    args: ["logout"],
    savedLogin: "session",
    stubs: [{ route: "DELETE /api/my/cli/sessions/current", reply: fails(401, "token_revoked", "Already revoked.") }],
    wantStatus: 0,
    wantStderr: [
      "! Could not revoke the token on the server (Already revoked); removing it here anyway.",
      "✔ Removed ",
    ],
    check: expectNoAuthFile,
  },
  {
    name: "logs out of the server in use only: another server's login stays",
    args: ["logout"],
    savedLogin: "pat",
    otherLogins: [{ apiUrl: OTHER, kind: "pat" }],
    wantStatus: 0,
    wantStderr: ["✔ Removed the login for https://mesh.test from "],
    check: async ({ ctx, otherTokens }) => {
      expect(await ctx.store().load()).toBeNull();
      expect((await ctx.store().forServer(OTHER).load())?.token).toBe(otherTokens[OTHER]);
    },
  },
  {
    name: "--all: every server's session revoked on that server, every login removed",
    args: ["logout", "--all"],
    savedLogin: "session",
    otherLogins: [{ apiUrl: OTHER, kind: "session" }],
    stubs: [{ ...revokeCurrent, times: 2 }],
    wantStatus: 0,
    wantStderr: [
      "✔ Token revoked on server",
      "✔ Removed the login for https://mesh.test",
      "✔ Token revoked on server",
      `✔ Removed the login for ${OTHER}`,
    ],
    check: async ({ transport, savedToken, otherTokens, ctx }) => {
      expect(transport.requests.map(({ origin, bearer }) => [origin, bearer])).toEqual([
        ["https://mesh.test", savedToken],
        [OTHER, otherTokens[OTHER]],
      ]);
      expect(await ctx.store().servers()).toEqual([]);
      await expectNoAuthFile({ configDir: ctx.store().file.dir } as CommandResult);
    },
  },
  {
    name: "--all when signed in nowhere: says so, exit 0",
    args: ["logout", "--all"],
    wantStatus: 0,
    wantStderr: ["Not signed in to any server; nothing to remove."],
    wantSent: [],
  },
  {
    name: "not signed in: nothing to do, exit 0",
    args: ["logout"],
    wantStatus: 0,
    wantStderr: ["Not signed in; nothing to remove."],
    wantSent: [],
  },
];

describe("claudemesh logout", () => {
  it.each(cases)("$name", runCase);
});
