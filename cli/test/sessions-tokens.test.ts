import { SessionList, TokenList } from "@claudemesh/sdk";
import { useCliHarness } from "@claudemesh/test-support/cli-harness";
import { runCli } from "@claudemesh/test-support/run-cli";
import { describe, expect, it } from "vitest";

const cli = useCliHarness();

describe("claudemesh sessions", () => {
  it("lists this device marked *, as text and as JSON", async () => {
    await cli.deviceLogin();
    const text = await runCli(["sessions"], cli.env);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      /^\* [0-9a-f-]{36} {2}\S+ · linux · x64 {2}from \S+ {2}via device code {2}\(signed in \d{4}-\d\d-\d\d, last used/m,
    );
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
  const page = (query: string) => `${new URL("/dashboard/settings/cli-tokens", cli.server.url).href}${query}`;

  it("create opens the dashboard's form and prints its URL; the token made there is listed (never its value) and revoke stops it", async () => {
    const { account } = await cli.deviceLogin();
    const created = await runCli(["tokens", "create", "--name", "ci-deploy", "--expires-in", "90d"], cli.env);
    expect(created.code).toBe(0);
    expect(created.stdout.trim()).toBe(page("?name=ci-deploy&expiry=90"));
    expect(created.stderr).toContain("Personal access tokens are created in your browser");

    // What the person then does in the browser, signed in to the dashboard.
    const { token } = await cli.server.createPat(account.cookie, "ci-deploy");
    const listed = await runCli(["tokens", "list", "--json"], cli.env);
    expect(listed.stdout).not.toContain(token);
    const [summary] = TokenList.parse(JSON.parse(listed.stdout)).tokens;
    expect(summary?.name).toBe("ci-deploy");

    expect((await runCli(["whoami"], { ...cli.env, CLAUDEMESH_TOKEN: token })).code).toBe(0);
    expect((await runCli(["tokens", "revoke", summary?.id ?? ""], cli.env)).code).toBe(0);
    expect((await runCli(["whoami"], { ...cli.env, CLAUDEMESH_TOKEN: token })).code).toBe(2);
  });

  it("create --json prints the page's URL, signed in or not", async () => {
    const created = await runCli(["tokens", "create", "--name", "forever", "--expires-in", "never", "--json"], cli.env);
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toEqual({ url: page("?name=forever&expiry=never") });
  });

  it("a bad --expires-in exits 1 and opens nothing", async () => {
    const bad = await runCli(["tokens", "create", "--name", "x", "--expires-in", "soon"], cli.env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--expires-in must be like 30d, 90d, 1y or never");
    expect(bad.stdout).toBe("");
  });

  it("signed out, every command that reads the account exits 2 and says how to sign in", async () => {
    for (const args of [["sessions"], ["tokens", "list"]]) {
      const result = await runCli(args, cli.env);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("Run `claudemesh login` to sign in.");
    }
  });
});
