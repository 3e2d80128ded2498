import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalConfig } from "@claudemesh/sdk";
import { useCliHarness } from "@claudemesh/test-support/cli-harness";
import { runCli } from "@claudemesh/test-support/run-cli";
import { afterEach, describe, expect, it } from "vitest";
import { inTerminal, KEYS } from "./support/terminal.js";

const cli = useCliHarness();
const cleanup: string[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A stand-in `claude` that records its environment and arguments and exits 7. */
async function fakeClaude() {
  const dir = await mkdtemp(join(tmpdir(), "claudemesh-wizard-claude-"));
  cleanup.push(dir);
  const record = join(dir, "record.txt");
  const script = join(dir, "claude");
  await writeFile(
    script,
    `#!/bin/sh\nenv | grep '^CLAUDEMESH_' | sort > "${record}"\necho "args: $*" >> "${record}"\nexit 7\n`,
  );
  await chmod(script, 0o755);
  return { script, record };
}

/** POSTs JSON to the test server as the account with `cookie`, as its browser would (same origin). */
function postAs(cookie: string, path: string, body: unknown) {
  return fetch(new URL(path, cli.server.url), {
    method: "POST",
    headers: { "content-type": "application/json", origin: new URL(cli.server.url).origin, cookie },
    body: JSON.stringify(body),
  }).then((response) => response.json() as Promise<{ slug: string; url: string }>);
}

/** A new mesh of the account with `cookie`, and an invite link to it. */
async function meshWithInvite(cookie: string, name: string) {
  const mesh = await postAs(cookie, "/api/my/meshes", { name: `${name} ${Date.now()}` });
  const { url } = await postAs(cookie, `/api/my/meshes/${mesh.slug}/invites`, {});
  return { mesh, url };
}

/** On the welcome screen: "Join with an invite link", paste `url`, and approve the sign-in it asks for as the guest. */
async function joinFromWelcome(terminal: ReturnType<typeof inTerminal>, url: string, guestCookie: string) {
  await terminal.waitFor(/How do you want to start\?/);
  terminal.type(`${KEYS.down}${KEYS.down}${KEYS.enter}`);
  await terminal.waitFor(/Paste the invite link/);
  terminal.type(`${url}${KEYS.enter}`);
  const [code = ""] = await terminal.waitFor(/[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}/);
  await cli.server.decide(code, "approve", guestCookie);
}

describe("the wizard (bare claudemesh) on a real terminal", () => {
  it("takes a fresh machine from sign-in to Claude Code in a new mesh", async () => {
    const account = await cli.server.signUp("Wren Wizard");
    const claude = await fakeClaude();
    const terminal = inTerminal([], { TERM: "xterm-256color", ...cli.env, CLAUDEMESH_CLAUDE_BIN: claude.script });

    await terminal.waitFor(/How do you want to start\?/);
    terminal.type(KEYS.enter); // Sign in
    const [code = ""] = await terminal.waitFor(/[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}/);
    expect((await cli.server.decide(code, "approve", account.cookie)).status).toBe(200);

    let mark = terminal.screen().length;
    await terminal.waitFor(/You are in no mesh yet/, mark);
    expect(terminal.screen()).toContain("Account ✔ Wren Wizard");
    expect(terminal.screen()).not.toContain("to get started"); // the wizard goes on to the next step itself
    terminal.type(KEYS.enter); // Create a mesh
    await terminal.waitFor(/Name the mesh/, mark);
    terminal.type(`Wizard works${KEYS.enter}`);
    mark = terminal.screen().length;
    await terminal.waitFor(/Your name in the mesh/, mark);
    terminal.type(`wren-laptop${KEYS.enter}`);
    mark = terminal.screen().length;
    await terminal.waitFor(/Your role there/, mark);
    terminal.type(`builder${KEYS.enter}`);
    mark = terminal.screen().length;
    await terminal.waitFor(/Launch Claude Code in wizard-works as wren-laptop \(builder\)\?/, mark);
    terminal.type(KEYS.enter);

    expect(await terminal.exited).toBe(7);
    const record = await readFile(claude.record, "utf8");
    expect(record).toContain("CLAUDEMESH_MESH_SLUG=wizard-works");
    expect(record).toContain("CLAUDEMESH_PEER_NAME=wren-laptop");
    expect(record).toContain("CLAUDEMESH_PEER_ROLE=builder");
    const config = LocalConfig.parse(JSON.parse(await readFile(join(cli.configDir, "config.json"), "utf8")));
    expect(config.meshes).toEqual([expect.objectContaining({ slug: "wizard-works", display_name: "wren-laptop" })]);
  });

  it("joins by invite link from the welcome screen, signing in on the way", async () => {
    const owner = await cli.server.signUp("Olive Owner");
    const { mesh, url } = await meshWithInvite(owner.cookie, "Invited");
    const guest = await cli.server.signUp("Gil Guest");

    const terminal = inTerminal([], { TERM: "xterm-256color", ...cli.env });
    await joinFromWelcome(terminal, url, guest.cookie);
    await terminal.waitFor(new RegExp(`Joined ${mesh.slug} as member`));
    await terminal.waitFor(/Mesh \(pick one — 1 available\)/);
    terminal.type(KEYS.ctrlC);
    expect(await terminal.exited).toBe(130);
    const config = LocalConfig.parse(JSON.parse(await readFile(join(cli.configDir, "config.json"), "utf8")));
    expect(config.meshes.map((known) => known.slug)).toEqual([mesh.slug]);
  });

  it("after joining by invite from the welcome screen, the picker starts on the joined mesh", async () => {
    const owner = await cli.server.signUp("Odo Owner");
    const guest = await cli.server.signUp("Gia Guest");
    // The guest's own mesh comes first in the list (joined earlier), so the cursor's default is not the invite's.
    const own = await postAs(guest.cookie, "/api/my/meshes", { name: `Own first ${Date.now()}` });
    const { mesh: invited, url } = await meshWithInvite(owner.cookie, "Invited later");
    const claude = await fakeClaude();

    const terminal = inTerminal([], { TERM: "xterm-256color", ...cli.env, CLAUDEMESH_CLAUDE_BIN: claude.script });
    await joinFromWelcome(terminal, url, guest.cookie);
    await terminal.waitFor(/Mesh \(pick one — 2 available\)/);
    await terminal.waitFor(new RegExp(invited.slug));
    expect(terminal.screen()).toContain(own.slug);
    terminal.type(KEYS.enter); // whatever the cursor is on
    await terminal.waitFor(/Your name in the mesh/);
    terminal.type(KEYS.enter);
    await terminal.waitFor(/Your role there/);
    terminal.type(KEYS.enter);
    await terminal.waitFor(new RegExp(`Launch Claude Code in ${invited.slug} as`));
    terminal.type(KEYS.enter);
    expect(await terminal.exited).toBe(7);
    expect(await readFile(claude.record, "utf8")).toContain(`CLAUDEMESH_MESH_SLUG=${invited.slug}`);
  });

  it("skips straight to the mesh picker when already signed in", async () => {
    await cli.deviceLogin("Sam Signedin");
    await runCli(["create", "Already here"], cli.env);
    const claude = await fakeClaude();
    const terminal = inTerminal([], { TERM: "xterm-256color", ...cli.env, CLAUDEMESH_CLAUDE_BIN: claude.script });
    await terminal.waitFor(/Mesh \(pick one — 1 available\)/);
    expect(terminal.screen()).not.toContain("How do you want to start?");
    terminal.type(KEYS.enter);
    await terminal.waitFor(/Your name in the mesh/);
    terminal.type(KEYS.enter);
    await terminal.waitFor(/Your role there/);
    terminal.type(KEYS.enter);
    await terminal.waitFor(/Launch Claude Code in already-here/);
    terminal.type(`${KEYS.down}${KEYS.enter}`); // No
    expect(await terminal.exited).toBe(0);
    expect(terminal.screen()).toContain("Not launched.");
  });

  it("Create an account sends the browser to sign-up, which leads back to this login's code", async () => {
    const terminal = inTerminal([], { TERM: "xterm-256color", ...cli.env });
    await terminal.waitFor(/How do you want to start\?/);
    terminal.type(`${KEYS.down}${KEYS.down}${KEYS.down}${KEYS.enter}`);
    const [url = ""] = await terminal.waitFor(/http:\/\/\S+\/register\?next=\S+/);
    const code = (await terminal.waitFor(/[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}/))[0];
    expect(new URL(url).searchParams.get("next")).toBe(`/cli-auth?code=${code}`);
    terminal.type(KEYS.ctrlC);
    expect(await terminal.exited).toBe(130);
  });

  it("Ctrl-C on the welcome screen exits 130 and writes no credentials", async () => {
    const terminal = inTerminal([], { TERM: "xterm-256color", ...cli.env });
    await terminal.waitFor(/How do you want to start\?/);
    terminal.type(KEYS.ctrlC);
    expect(await terminal.exited).toBe(130);
    expect(await readdir(cli.configDir)).not.toContain("auth.json");
  });

  it("bare `claudemesh launch` at a terminal walks the launch path: mesh, name, role, Claude Code", async () => {
    await cli.deviceLogin("Lana Launch");
    await runCli(["create", "Launch pad"], cli.env);
    const claude = await fakeClaude();
    const terminal = inTerminal(["launch"], {
      TERM: "xterm-256color",
      ...cli.env,
      CLAUDEMESH_CLAUDE_BIN: claude.script,
    });
    await terminal.waitFor(/Mesh \(pick one — 1 available\)/);
    terminal.type(KEYS.enter);
    await terminal.waitFor(/Your name in the mesh/);
    terminal.type(`lana-box${KEYS.enter}`);
    await terminal.waitFor(/Your role there/);
    terminal.type(KEYS.enter);
    await terminal.waitFor(/Launch Claude Code in launch-pad as lana-box/);
    terminal.type(KEYS.enter);
    expect(await terminal.exited).toBe(7);
    expect(await readFile(claude.record, "utf8")).toContain("CLAUDEMESH_MESH_SLUG=launch-pad");
  });

  it("`claudemesh launch --name --role` without --mesh shows both as given, asks neither, and launches with them", async () => {
    await cli.deviceLogin("Alexis Flags");
    await runCli(["create", "Flag pad"], cli.env);
    const claude = await fakeClaude();
    const terminal = inTerminal(["launch", "--name", "Alexis", "--role", "reviewer"], {
      TERM: "xterm-256color",
      ...cli.env,
      CLAUDEMESH_CLAUDE_BIN: claude.script,
    });
    await terminal.waitFor(/Mesh \(pick one — 1 available\)/);
    // The seed's status rows: `Name ✔ Alexis (from --name)`.
    expect(terminal.screen()).toMatch(/Name\s+✔ Alexis \(from --name\)/);
    expect(terminal.screen()).toMatch(/Role\s+✔ reviewer \(from --role\)/);
    terminal.type(KEYS.enter);
    const mark = terminal.screen().length;
    await terminal.waitFor(/Launch Claude Code in flag-pad as Alexis \(reviewer\)\?/, mark);
    expect(terminal.screen().slice(mark)).not.toMatch(/Your name in the mesh|Your role there/);
    terminal.type(KEYS.enter);
    expect(await terminal.exited).toBe(7);
    const record = await readFile(claude.record, "utf8");
    expect(record).toContain("CLAUDEMESH_PEER_NAME=Alexis");
    expect(record).toContain("CLAUDEMESH_PEER_ROLE=reviewer");
  });

  it("`claudemesh launch --name -y -- args` without --mesh asks the rest, skips the confirmation, passes the args", async () => {
    await cli.deviceLogin("Bo Brisk");
    await runCli(["create", "Brisk pad"], cli.env);
    const claude = await fakeClaude();
    const terminal = inTerminal(["launch", "--name", "Bo", "-y", "--", "--continue"], {
      TERM: "xterm-256color",
      ...cli.env,
      CLAUDEMESH_CLAUDE_BIN: claude.script,
    });
    await terminal.waitFor(/Mesh \(pick one — 1 available\)/);
    terminal.type(KEYS.enter);
    await terminal.waitFor(/Your role there/);
    terminal.type(`tester${KEYS.enter}`);
    expect(await terminal.exited).toBe(7);
    expect(terminal.screen()).not.toContain("Launch Claude Code in");
    const record = await readFile(claude.record, "utf8");
    expect(record).toContain("CLAUDEMESH_PEER_NAME=Bo");
    expect(record).toContain("CLAUDEMESH_PEER_ROLE=tester");
    expect(record).toContain("args: --continue");
  });

  it("bare `claudemesh launch` without a terminal names --mesh instead of failing on a missing option", async () => {
    await cli.deviceLogin("Nia Noterminal");
    const result = await runCli(["launch"], cli.env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("claudemesh launch --mesh <slug>");
    expect(result.stderr).not.toMatch(/required option/);
  });

  it("with no mesh yet, offers to join with an invite link, and launches in it", async () => {
    const owner = await cli.server.signUp("Ivo Inviter");
    const { mesh, url } = await meshWithInvite(owner.cookie, "Linked");
    await cli.deviceLogin("Jo Joiner");
    const claude = await fakeClaude();

    const terminal = inTerminal([], { TERM: "xterm-256color", ...cli.env, CLAUDEMESH_CLAUDE_BIN: claude.script });
    await terminal.waitFor(/You are in no mesh yet/);
    // The question and its options may reach the terminal in separate writes.
    await terminal.waitFor(/Join with an invite link/);
    terminal.type(`${KEYS.down}${KEYS.enter}`);
    await terminal.waitFor(/Paste the invite link/);
    terminal.type(`${url}${KEYS.enter}`);
    await terminal.waitFor(new RegExp(`Joined ${mesh.slug} as member`));
    await terminal.waitFor(/Your name in the mesh/);
    terminal.type(KEYS.enter);
    await terminal.waitFor(/Your role there/);
    terminal.type(KEYS.enter);
    await terminal.waitFor(/Launch Claude Code in/);
    terminal.type(KEYS.enter);
    expect(await terminal.exited).toBe(7);
    expect(await readFile(claude.record, "utf8")).toContain(`CLAUDEMESH_MESH_SLUG=${mesh.slug}`);
  });

  it("`claudemesh invite` with several meshes at a terminal asks which one", async () => {
    await cli.deviceLogin("Pia Picker");
    await runCli(["create", "First pick"], cli.env);
    await runCli(["create", "Second pick"], cli.env);
    const terminal = inTerminal(["invite"], { TERM: "xterm-256color", ...cli.env });
    await terminal.waitFor(/Invite to which mesh\?/);
    terminal.type(`${KEYS.down}${KEYS.enter}`);
    await terminal.waitFor(/Invite to \S*second-pick\S* as member/);
    expect(await terminal.exited).toBe(0);
    expect(terminal.screen()).toMatch(/\/invite\/[A-Za-z0-9_-]{43}/);
  });

  it("without a terminal prints help and exits 1 instead of waiting", async () => {
    const result = await runCli([], cli.env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Usage: claudemesh");
  });
});
