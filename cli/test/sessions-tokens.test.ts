import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreatedToken, SessionList, TokenList } from "@claudemesh/sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningServer, startClaudemeshServer } from "../../sdk/test/support/claudemesh-server.js";
import { runCli, startCli } from "./support/run-cli.js";

let server: RunningServer;
let env: Record<string, string>;
beforeAll(async () => {
  server = await startClaudemeshServer();
});
afterAll(() => server.stop());
beforeEach(async () => {
  const configDir = await mkdtemp(join(tmpdir(), "claudemesh-cli-"));
  env = { CLAUDEMESH_API_URL: server.url, CLAUDEMESH_CONFIG_DIR: configDir, CLAUDEMESH_TOKEN_STORE: "file" };
  return () => rm(configDir, { recursive: true, force: true });
});

async function signedIn() {
  const account = await server.signUp();
  const login = startCli(["login", "--no-browser"], env);
  const [code] = await login.waitFor(/[A-Z]{4}-[A-Z]{4}/);
  await server.decide(code, "approve", account.cookie);
  expect((await login.exited).code).toBe(0);
  return account;
}

describe("claudemesh sessions", () => {
  it("lists this device marked *, as text and as JSON", async () => {
    await signedIn();
    const text = await runCli(["sessions"], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^\* [0-9a-f-]{36} {2}\S+ · linux · x64 {2}\(signed in \d{4}-\d\d-\d\d, last used/m);
    const json = await runCli(["sessions", "list", "--json"], env);
    expect(SessionList.parse(JSON.parse(json.stdout)).sessions).toEqual([expect.objectContaining({ current: true })]);
  });

  it("revoke current signs this device out: the next command exits 2", async () => {
    await signedIn();
    const revoked = await runCli(["sessions", "revoke", "current"], env);
    expect(revoked.code).toBe(0);
    expect((await runCli(["whoami"], env)).code).toBe(2);
  });

  it("revoking an id that is not yours is a 404, exit 1", async () => {
    await signedIn();
    const result = await runCli(["sessions", "revoke", "00000000-0000-0000-0000-000000000000"], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("No such CLI session.");
  });
});

describe("claudemesh tokens", () => {
  it("create prints the token once on stdout with a warning; list never shows it; revoke stops it", async () => {
    await signedIn();
    const created = await runCli(["tokens", "create", "--name", "ci-deploy", "--expires-in", "90d"], env);
    expect(created.code).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^cm_pat_[a-z2-7]{58}$/);
    expect(created.stderr).toMatch(/Created token "ci-deploy" \(expires \d{4}-\d\d-\d\d\)/);
    expect(created.stderr).toContain("it will not be shown again");

    const listed = await runCli(["tokens", "list", "--json"], env);
    expect(listed.stdout).not.toContain(token);
    const [summary] = TokenList.parse(JSON.parse(listed.stdout)).tokens;
    expect(summary?.name).toBe("ci-deploy");

    expect((await runCli(["whoami"], { ...env, CLAUDEMESH_TOKEN: token })).code).toBe(0);
    expect((await runCli(["tokens", "revoke", summary?.id ?? ""], env)).code).toBe(0);
    expect((await runCli(["whoami"], { ...env, CLAUDEMESH_TOKEN: token })).code).toBe(2);
  });

  it("create --json includes the token, and never-expiring tokens say so", async () => {
    await signedIn();
    const created = await runCli(["tokens", "create", "--name", "forever", "--expires-in", "never", "--json"], env);
    expect(CreatedToken.parse(JSON.parse(created.stdout))).toMatchObject({ name: "forever", expires_at: null });
    expect(created.stderr).toContain("never expires");
  });

  it("a bad --expires-in exits 1 before any request; a missing --name exits 1", async () => {
    await signedIn();
    const bad = await runCli(["tokens", "create", "--name", "x", "--expires-in", "soon"], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--expires-in must be like 30d, 90d, 1y or never");
    const unnamed = await runCli(["tokens", "create"], env);
    expect(unnamed.code).toBe(1);
    expect(unnamed.stderr).toMatch(/--name/);
  });

  it("signed out, every command exits 2 and says how to sign in", async () => {
    for (const args of [["sessions"], ["tokens", "list"], ["tokens", "create", "--name", "x"]]) {
      const result = await runCli(args, env);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("Run `claudemesh login` to sign in.");
    }
  });
});
