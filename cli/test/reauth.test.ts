import { storedToken } from "@claudemesh/sdk/testing";
import { useCliHarness } from "@claudemesh/test-support/cli-harness";
import { startCli } from "@claudemesh/test-support/run-cli";
import { describe, expect, it } from "vitest";
import { inTerminal as inTerminalWith } from "./support/terminal.js";

// On a 401 at a terminal the CLI offers to sign in again and reruns the
// command. A real pseudo-terminal comes from util-linux `script`.

const cli = useCliHarness();
const inTerminal = (args: string[]) => inTerminalWith(args, { TERM: "dumb", ...cli.env });

/** Signs in, then revokes that session elsewhere (as the dashboard would). */
async function signedInThenRevoked() {
  const { account } = await cli.deviceLogin("Ada Lovelace");
  const token = await storedToken(cli.env);
  await fetch(new URL("/api/my/cli/sessions/current", cli.server.url), {
    method: "DELETE",
    headers: { authorization: `Bearer ${token}` },
  });
  return account;
}

describe("re-authentication on 401", () => {
  it("at a terminal: offers to sign in, then runs the command again", async () => {
    const account = await signedInThenRevoked();
    const terminal = inTerminal(["whoami"]);
    await terminal.waitFor(/Sign in again now\? \[Y\/n\]/);
    expect(terminal.screen()).toContain("Authentication failed (token revoked).");
    terminal.type("\r");
    const [code] = await terminal.waitFor(/[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}/);
    await cli.server.decide(code, "approve", account.cookie);
    expect(await terminal.exited).toBe(0);
    expect(terminal.screen()).toContain("Ada Lovelace <");
    // A sign-in in the middle of a command is a step of it: no "get started" line.
    expect(terminal.screen()).not.toContain("to get started");
  });

  it("declined: exits 2 with the hint, and auth.json stays", async () => {
    await signedInThenRevoked();
    const terminal = inTerminal(["whoami"]);
    await terminal.waitFor(/Sign in again now\?/);
    terminal.type("n\r");
    expect(await terminal.exited).toBe(2);
    expect(terminal.screen()).toContain("Run `claudemesh login` to re-authenticate.");
    expect(terminal.screen().match(/Authentication failed/g)).toHaveLength(1);
    expect(await storedToken(cli.env)).toMatch(/^cm_session_/);
  });

  it("without a terminal: no question, exit 2", async () => {
    await signedInThenRevoked();
    const result = await startCli(["whoami"], cli.env).exited;
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain("Sign in again now");
  });
});
