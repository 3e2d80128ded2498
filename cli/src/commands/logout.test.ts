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

const cases: CommandCase[] = [
  {
    name: "a session: revoked on the server, then removed here",
    args: ["logout"],
    savedLogin: "session",
    stubs: [revokeCurrent],
    wantStatus: 0,
    stdoutIs: "",
    wantStderr: ["✔ Token revoked on server", "✔ Removed the OS keychain and ", "auth.json"],
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
      "! Could not revoke the token on the server (Already revoked.); removing it here anyway.",
      "✔ Removed ",
    ],
    check: expectNoAuthFile,
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
