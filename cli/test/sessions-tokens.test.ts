import { CreatedToken, SessionList, TokenList } from "@claudemesh/sdk";
import { useCliHarness } from "@claudemesh/test-support/cli-harness";
import { runCli } from "@claudemesh/test-support/run-cli";
import { describe, expect, it } from "vitest";

const cli = useCliHarness();

describe("claudemesh sessions", () => {
  it("lists this device marked *, as text and as JSON", async () => {
    await cli.deviceLogin();
    const text = await runCli(["sessions"], cli.env);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^\* [0-9a-f-]{36} {2}\S+ · linux · x64 {2}\(signed in \d{4}-\d\d-\d\d, last used/m);
    const json = await runCli(["sessions", "list", "--json"], cli.env);
    expect(SessionList.parse(JSON.parse(json.stdout)).sessions).toEqual([expect.objectContaining({ current: true })]);
  });

  it("revoke current signs this device out: the next command exits 2", async () => {
    await cli.deviceLogin();
    const revoked = await runCli(["sessions", "revoke", "current"], cli.env);
    expect(revoked.code).toBe(0);
    expect((await runCli(["whoami"], cli.env)).code).toBe(2);
  });

  it("revoking an id that is not yours is a 404, exit 1", async () => {
    await cli.deviceLogin();
    const result = await runCli(["sessions", "revoke", "00000000-0000-0000-0000-000000000000"], cli.env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("No such CLI session.");
  });
});

describe("claudemesh tokens", () => {
  it("create prints the token once on stdout with a warning; list never shows it; revoke stops it", async () => {
    await cli.deviceLogin();
    const created = await runCli(["tokens", "create", "--name", "ci-deploy", "--expires-in", "90d"], cli.env);
    expect(created.code).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^cm_pat_[a-z2-7]{58}$/);
    expect(created.stderr).toMatch(/Created token "ci-deploy" \(expires \d{4}-\d\d-\d\d\)/);
    expect(created.stderr).toContain("it will not be shown again");

    const listed = await runCli(["tokens", "list", "--json"], cli.env);
    expect(listed.stdout).not.toContain(token);
    const [summary] = TokenList.parse(JSON.parse(listed.stdout)).tokens;
    expect(summary?.name).toBe("ci-deploy");

    expect((await runCli(["whoami"], { ...cli.env, CLAUDEMESH_TOKEN: token })).code).toBe(0);
    expect((await runCli(["tokens", "revoke", summary?.id ?? ""], cli.env)).code).toBe(0);
    expect((await runCli(["whoami"], { ...cli.env, CLAUDEMESH_TOKEN: token })).code).toBe(2);
  });

  it("create --json includes the token, and never-expiring tokens say so", async () => {
    await cli.deviceLogin();
    const created = await runCli(["tokens", "create", "--name", "forever", "--expires-in", "never", "--json"], cli.env);
    expect(CreatedToken.parse(JSON.parse(created.stdout))).toMatchObject({ name: "forever", expires_at: null });
    expect(created.stderr).toContain("never expires");
  });

  it("a bad --expires-in exits 1 before any request; a missing --name exits 1", async () => {
    await cli.deviceLogin();
    const bad = await runCli(["tokens", "create", "--name", "x", "--expires-in", "soon"], cli.env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--expires-in must be like 30d, 90d, 1y or never");
    const unnamed = await runCli(["tokens", "create"], cli.env);
    expect(unnamed.code).toBe(1);
    expect(unnamed.stderr).toMatch(/--name/);
  });

  it("signed out, every command exits 2 and says how to sign in", async () => {
    for (const args of [["sessions"], ["tokens", "list"], ["tokens", "create", "--name", "x"]]) {
      const result = await runCli(args, cli.env);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("Run `claudemesh login` to sign in.");
    }
  });
});
