import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalConfig, Mesh } from "@claudemesh/sdk";
import { useCliHarness } from "@claudemesh/test-support/cli-harness";
import { runCli } from "@claudemesh/test-support/run-cli";
import { afterEach, describe, expect, it } from "vitest";

const cli = useCliHarness();
const cleanup: string[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Another person on another machine: their own config dir, signed in with a PAT. */
async function anotherUser(name: string) {
  const account = await cli.server.signUp(name);
  const { token } = await cli.server.createPat(account.cookie);
  const configDir = await mkdtemp(join(tmpdir(), "claudemesh-cli-other-"));
  cleanup.push(configDir);
  const env = { ...cli.env, CLAUDEMESH_CONFIG_DIR: configDir };
  expect((await runCli(["login", "--with-token"], env, token)).code).toBe(0);
  return { account, env, configDir };
}

async function localConfig(configDir: string) {
  return LocalConfig.parse(JSON.parse(await readFile(join(configDir, "config.json"), "utf8")));
}

const listJson = async (env: Record<string, string>) =>
  JSON.parse((await runCli(["list", "--json"], env)).stdout) as {
    meshes: { slug: string; presence: string; member_count: number | null }[];
  };

describe("meshes from the CLI", () => {
  it("create makes a mesh, joins it here, and points at invite; --json prints the mesh", async () => {
    await cli.deviceLogin();
    const created = await runCli(["create", "Platform team"], cli.env);
    expect(created.code).toBe(0);
    expect(created.stderr).toMatch(/✔ Created mesh platform-team-?\d* \(id: [0-9a-f]{8}…\)/);
    expect(created.stderr).toContain("✔ Joined locally");
    expect(created.stderr).toMatch(/▸ Invite peers: claudemesh invite --mesh platform-team/);
    expect((await localConfig(cli.configDir)).meshes.map((mesh) => mesh.name)).toEqual(["Platform team"]);

    const json = await runCli(["create", "CI run 42", "--json"], cli.env);
    expect(Mesh.parse(JSON.parse(json.stdout))).toMatchObject({ slug: "ci-run-42", role: "owner" });
  });

  it("a taken slug fails with exit 1 and the command to run instead", async () => {
    await cli.deviceLogin();
    expect((await runCli(["create", "Taken name"], cli.env)).code).toBe(0);
    const other = await anotherUser("Bea");
    const taken = await runCli(["create", "Taken name"], other.env);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('Try: claudemesh create "Taken name" --slug taken-name-2');
    expect(taken.stderr).toContain("Choose another slug with `--slug`.");
    expect((await runCli(["create", "Taken name", "--slug", "taken-name-2"], other.env)).code).toBe(0);
  });

  it("invite prints a link another user joins with; the link then works for nobody else", async () => {
    await cli.deviceLogin("Olga Owner");
    await runCli(["create", "Invite test"], cli.env);
    const invited = await runCli(["invite", "--mesh", "invite-test"], cli.env);
    expect(invited.code).toBe(0);
    const url = invited.stdout.trim();
    expect(url).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
    expect(invited.stderr).toContain("Invite to invite-test as member");

    const guest = await anotherUser("Gus Guest");
    const joined = await runCli(["join", url], guest.env);
    expect(joined.code).toBe(0);
    expect(joined.stderr).toContain("✔ Joined invite-test as member");
    expect((await localConfig(guest.configDir)).meshes.map((mesh) => [mesh.slug, mesh.role])).toEqual([
      ["invite-test", "member"],
    ]);
    expect((await listJson(cli.env)).meshes).toEqual([
      expect.objectContaining({ slug: "invite-test", presence: "joined", member_count: 2 }),
    ]);

    const late = await anotherUser("Lou Late");
    const reused = await runCli(["join", url], late.env);
    expect(reused.code).toBe(1);
    expect(reused.stderr).toContain("This invite has already been used.");
    expect(reused.stderr).toContain("Invites work once; ask for a new one.");

    const byMember = await runCli(["invite", "--mesh", "invite-test"], guest.env);
    expect(byMember.code).toBe(1);
    expect(byMember.stderr).toContain("Only a mesh's owners and admins can invite people.");
  });

  it("invite without --mesh: the only mesh you can invite to, or, without a terminal, the slugs to choose from", async () => {
    await cli.deviceLogin("Uma Unnamed");
    const none = await runCli(["invite"], cli.env);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("You are in no mesh yet");

    await runCli(["create", "Only one"], cli.env);
    const only = await runCli(["invite"], cli.env);
    expect(only.code).toBe(0);
    expect(only.stderr).toContain("Invite to only-one as member");
    expect(only.stdout.trim()).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);

    // A mesh where this account is only a member does not count: it could not invite there.
    const owner = await anotherUser("Max Member-maker");
    await runCli(["create", "Not mine"], owner.env);
    const link = (await runCli(["invite", "--mesh", "not-mine"], owner.env)).stdout.trim();
    expect((await runCli(["join", link], cli.env)).code).toBe(0);
    expect((await runCli(["invite"], cli.env)).stderr).toContain("Invite to only-one");

    await runCli(["create", "Second one"], cli.env);
    const two = await runCli(["invite"], cli.env);
    expect(two.code).toBe(1);
    expect(two.stderr).toContain("Which mesh? Name it with --mesh: only-one, second-one.");
    expect(two.stderr).not.toMatch(/required option/);
  });

  it("join of an invite sent to an address the account has not verified prints why and what to do", async () => {
    await cli.deviceLogin("Vera Owner");
    await runCli(["create", "Verified team"], cli.env);
    const guest = await anotherUser("Una Verified");
    const invited = await runCli(["invite", "--mesh", "verified-team", "--email", guest.account.email], cli.env);
    expect(invited.code).toBe(0);

    const joined = await runCli(["join", invited.stdout.trim()], guest.env);
    expect(joined.code).toBe(1);
    expect(joined.stderr).toContain(`This invite is for ${guest.account.email}, and this account has not confirmed`);
    expect(joined.stderr).toContain("Once the address is confirmed, run `claudemesh join` again.");
    expect((await localConfig(guest.configDir)).meshes).toEqual([]);
  });

  it.each([
    [["invite", "--mesh", "x", "--expires-in", "31d"], "at most 30d"],
    [["invite", "--mesh", "x", "--expires-in", "soon"], "like 30m, 12h or 7d"],
    [["invite", "--mesh", "x", "--role", "owner"], "Allowed choices are member, admin"],
    [["join", "https://example.test/not-an-invite"], "That is not an invite link"],
  ])("refuses %j with exit 1 and says why", async (args, message) => {
    await cli.deviceLogin();
    const result = await runCli(args, cli.env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("sync adds meshes joined elsewhere and drops ones gone from the server", async () => {
    const { account } = await cli.deviceLogin("Sy Sync");
    const origin = new URL(cli.server.url).origin;
    const made = await fetch(new URL("/api/my/meshes", cli.server.url), {
      method: "POST",
      headers: { "content-type": "application/json", cookie: account.cookie, origin },
      body: JSON.stringify({ name: "Made in browser" }),
    });
    expect(made.status).toBe(201);
    const stale = {
      id: "00000000-0000-0000-0000-000000000000",
      slug: "stale",
      name: "Stale",
      role: "member",
      api_url: cli.server.url,
      joined_at: new Date().toISOString(),
      display_name: null,
      launch_role: null,
    };
    await writeFile(join(cli.configDir, "config.json"), JSON.stringify({ version: 1, meshes: [stale] }), {
      mode: 0o600,
    });
    expect((await listJson(cli.env)).meshes.map((mesh) => [mesh.slug, mesh.presence])).toEqual([
      ["made-in-browser", "server_only"],
      ["stale", "local_only"],
    ]);

    const synced = await runCli(["sync"], cli.env);
    expect(synced.code).toBe(0);
    expect(synced.stderr).toContain("✔ Synced 1 mesh: made-in-browser");
    expect(synced.stderr).toContain("+ made-in-browser");
    expect(synced.stderr).toContain("- stale");
    const again = JSON.parse((await runCli(["sync", "--json"], cli.env)).stdout);
    expect(again).toEqual({ meshes: ["made-in-browser"], added: [], removed: [], updated: [] });
  });

  it("login syncs the account's meshes and says so", async () => {
    const account = await cli.server.signUp("Lin Login");
    const origin = new URL(cli.server.url).origin;
    for (const name of ["Alpha", "Beta"]) {
      await fetch(new URL("/api/my/meshes", cli.server.url), {
        method: "POST",
        headers: { "content-type": "application/json", cookie: account.cookie, origin },
        body: JSON.stringify({ name: `${name} ${Date.now()}` }),
      });
    }
    const { token } = await cli.server.createPat(account.cookie);
    const login = await runCli(["login", "--with-token"], cli.env, token);
    expect(login.code).toBe(0);
    expect(login.stderr).toMatch(/✔ Synced 2 meshes: alpha-\d+, beta-\d+/);
    expect((await localConfig(cli.configDir)).meshes).toHaveLength(2);
  });
});

describe("claudemesh launch", () => {
  /** A stand-in `claude` that records its arguments and environment, then exits 7. */
  async function fakeClaude() {
    const dir = await mkdtemp(join(tmpdir(), "claudemesh-fake-claude-"));
    cleanup.push(dir);
    const record = join(dir, "record.txt");
    const script = join(dir, "claude");
    await writeFile(script, `#!/bin/sh\n{ echo "args:$*"; env | grep '^CLAUDEMESH_' | sort; } > "${record}"\nexit 7\n`);
    await chmod(script, 0o755);
    return { dir, script, record };
  }

  it("runs claude in the mesh with its identity in the environment and passes the exit code through", async () => {
    await cli.deviceLogin();
    await runCli(["create", "Launch pad"], cli.env);
    const claude = await fakeClaude();
    const env = { ...cli.env, PATH: `${claude.dir}:${process.env.PATH ?? ""}` };
    const launched = await runCli(
      ["launch", "--mesh", "launch-pad", "--name", "ada-laptop", "--role", "reviewer", "-y", "--", "--model", "opus"],
      env,
    );
    expect(launched.code).toBe(7);
    const record = await readFile(claude.record, "utf8");
    expect(record).toContain("args:--model opus");
    expect(record).toContain("CLAUDEMESH_MESH_SLUG=launch-pad");
    expect(record).toContain("CLAUDEMESH_MESH_NAME=Launch pad");
    expect(record).toContain("CLAUDEMESH_PEER_NAME=ada-laptop");
    expect(record).toContain("CLAUDEMESH_PEER_ROLE=reviewer");
    expect(record).toContain(`CLAUDEMESH_API_URL=${cli.server.url}`);
    expect(record).not.toMatch(/cm_(session|pat)_/);

    // The name and role are remembered; CLAUDEMESH_CLAUDE_BIN picks another binary.
    const again = await runCli(["launch", "--mesh", "launch-pad", "-y"], {
      ...cli.env,
      CLAUDEMESH_CLAUDE_BIN: claude.script,
    });
    expect(again.code).toBe(7);
    expect(await readFile(claude.record, "utf8")).toContain("CLAUDEMESH_PEER_ROLE=reviewer");
  });

  it("says how to install Claude Code when it is missing", async () => {
    await cli.deviceLogin();
    await runCli(["create", "No claude"], cli.env);
    const result = await runCli(["launch", "--mesh", "no-claude", "-y"], {
      ...cli.env,
      CLAUDEMESH_CLAUDE_BIN: "/nonexistent/claude",
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("is not installed or not on PATH");
    expect(result.stderr).toContain("CLAUDEMESH_CLAUDE_BIN");
  });

  it("refuses a mesh this machine has not joined, pointing at sync", async () => {
    await cli.deviceLogin();
    const result = await runCli(["launch", "--mesh", "nowhere", "-y"], cli.env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("claudemesh sync");
  });
});
