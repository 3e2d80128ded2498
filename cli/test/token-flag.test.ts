// Seed 003's credential order — `--token` > CLAUDEMESH_TOKEN > the saved login —
// on every command that talks to the server, not only whoami and login.

import { storedCredential } from "@claudemesh/sdk/testing";
import { useCliHarness } from "@claudemesh/test-support/cli-harness";
import { runCli } from "@claudemesh/test-support/run-cli";
import { describe, expect, it } from "vitest";

describe("--token on every command that calls the server", () => {
  const cli = useCliHarness();

  it.each([
    [["whoami"]],
    [["create", "Flag Team"]],
    [["list", "--json"]],
    [["sync"]],
    [["sessions", "list"]],
    [["tokens", "list"]],
    [["auth", "status"]],
  ])("claudemesh %j --token <pat> works with no saved login, and beats CLAUDEMESH_TOKEN", async (args) => {
    const flagged = await cli.server.signUp("Flag Owner");
    const other = await cli.server.signUp("Env Owner");
    const pat = await cli.server.createPat(flagged.cookie, "flag");
    // A revoked token in the environment: a command that used it instead of the flag would exit 2.
    const envPat = await cli.server.createPat(other.cookie, "env");
    const revoked = await fetch(`${cli.server.url}/api/my/cli/tokens/${envPat.id}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${envPat.token}` },
    });
    expect(revoked.status).toBe(200);

    const result = await runCli([...args, "--token", pat.token], { ...cli.env, CLAUDEMESH_TOKEN: envPat.token });
    expect(result.stderr).not.toMatch(/unknown option|revoked/);
    expect(result.code).toBe(0);
    expect((await runCli(args, { ...cli.env, CLAUDEMESH_TOKEN: envPat.token })).code).toBe(2);
  });

  it("a command given --token saves nothing: the next one without it is still signed out", async () => {
    const account = await cli.server.signUp("No Save");
    const pat = await cli.server.createPat(account.cookie, "once");
    expect((await runCli(["create", "Once Team", "--token", pat.token], cli.env)).code).toBe(0);
    const after = await runCli(["list"], cli.env);
    expect(after.code).toBe(2);
    expect(await storedCredential(cli.env)).toBeNull();
  });
});
