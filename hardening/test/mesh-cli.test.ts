// The mesh from the terminal (issue 26): two accounts, each with the built `claudemesh`
// as a process, each CLI on its own server instance, both instances on one Postgres.
// Direct and @all messages arrive, an offline member gets their queue, a block drops
// the message (and /metrics counts it), and a hostile message prints as plain text.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hasUnsafeCharacters } from "@claudemesh/sdk/contracts";
import { runCli } from "@claudemesh/test-support/run-cli";
import type { RunningServer } from "@claudemesh/test-support/server-process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Member, meshOf, newMember } from "./support/broker-peers.js";
import { type Cluster, startCluster } from "./support/cluster.js";

const METRICS_TOKEN = "m".repeat(40);

// Clear screen, a window title, a forged CLI line after a carriage return, C1 CSI, bidi override and isolate.
const HOSTILE = "\u001b[2J\u001b]0;pwned\u0007hi\r✔ Signed in as root\n\u009b31mred\u202eevil\u2066x\u2069";

interface InboxJson {
  messages: {
    message_id: string;
    to: "direct" | "all";
    body: string;
    from: { member_id: string; display_name: string };
  }[];
}

async function droppedByGrant(server: RunningServer, cap: "dm" | "broadcast"): Promise<number> {
  const response = await fetch(new URL("/metrics", server.url), {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  expect(response.status).toBe(200);
  const line = (await response.text())
    .split("\n")
    .find((each) => each.startsWith(`broker_messages_dropped_by_grant_total{cap="${cap}"}`));
  return line ? Number(line.split(" ").at(-1)) : 0;
}

describe("two CLIs in one mesh, through two server instances", () => {
  let cluster: Cluster;
  let a: RunningServer;
  let b: RunningServer;
  let alice: Member;
  let bob: Member;
  const configDirs: string[] = [];

  beforeAll(async () => {
    cluster = await startCluster(2, { METRICS_TOKEN });
    [a, b] = cluster.instances as [RunningServer, RunningServer];
    alice = await newMember(a, "Alice");
    bob = await newMember(a, "Bob");
  });
  afterAll(async () => {
    await cluster?.stop();
    await Promise.all(configDirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  /** `claudemesh …` as `member`, against `server`, with a config folder of its own. */
  async function cli(member: Member, server: RunningServer, args: string[], stdin?: string) {
    const configDir = await mkdtemp(join(tmpdir(), "claudemesh-mesh-cli-"));
    configDirs.push(configDir);
    return runCli(
      args,
      {
        CLAUDEMESH_API_URL: server.url,
        CLAUDEMESH_CONFIG_DIR: configDir,
        CLAUDEMESH_TOKEN: member.token,
        DO_NOT_TRACK: "1",
      },
      stdin,
    );
  }

  async function inbox(member: Member, server: RunningServer, mesh: string): Promise<InboxJson> {
    const run = await cli(member, server, ["inbox", "--mesh", mesh, "--json"]);
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as InboxJson;
  }

  it("direct and @all messages sent on A reach the member's inbox on B once; then the inbox is empty", async () => {
    const mesh = await meshOf(a, alice, [bob]);
    const direct = await cli(alice, a, ["send", "Bob", "build is green", "--mesh", mesh]);
    expect(direct.code, direct.stderr).toBe(0);
    expect(direct.stderr).toContain(`Sent to Bob in ${mesh}`);
    const everyone = await cli(alice, a, ["send", "@all", "--mesh", mesh], "standup in 5\n");
    expect(everyone.code, everyone.stderr).toBe(0);

    const { messages } = await inbox(bob, b, mesh);
    expect(messages.map(({ to, body, from }) => ({ to, body, from: from.member_id }))).toEqual([
      { to: "direct", body: "build is green", from: alice.id },
      { to: "all", body: "standup in 5", from: alice.id },
    ]);
    // Printed, so acked: a second inbox has nothing.
    expect((await inbox(bob, b, mesh)).messages).toEqual([]);
    // The sender is no recipient of their own @all.
    expect((await inbox(alice, a, mesh)).messages).toEqual([]);
  });

  it("a member who has never connected gets the whole queue in order on their first inbox", async () => {
    const mesh = await meshOf(a, alice, [bob]);
    for (const body of ["one", "two", "three"]) {
      const sent = await cli(alice, b, ["send", bob.id, body, "--mesh", mesh]);
      expect(sent.code, sent.stderr).toBe(0);
    }
    const human = await cli(bob, a, ["inbox", "--mesh", mesh]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout.split("\n").filter((line) => line.startsWith("  "))).toEqual(["  one", "  two", "  three"]);
    expect(human.stdout.split("\n").filter((line) => line.startsWith("From Alice:"))).toHaveLength(3);
  });

  it("peers and grants read back as the other CLI sees them", async () => {
    const mesh = await meshOf(a, alice, [bob]);
    const peers = await cli(bob, b, ["peers", "--mesh", mesh, "--json"]);
    expect(peers.code, peers.stderr).toBe(0);
    const { members } = JSON.parse(peers.stdout) as { members: { member_id: string; name: string }[] };
    expect(members.map((member) => member.name).sort()).toEqual(["Alice", "Bob"]);

    const revoked = await cli(bob, b, ["revoke", "Alice", "broadcast", "--mesh", mesh]);
    expect(revoked.code, revoked.stderr).toBe(0);
    const grants = await cli(bob, a, ["grants", "--mesh", mesh, "--json"]);
    expect(JSON.parse(grants.stdout)).toEqual({ peers: { [alice.id]: ["dm"] } });
  });

  it("a block drops Alice's direct and @all messages to Bob silently, and /metrics counts each drop", async () => {
    const mesh = await meshOf(a, alice, [bob]);
    const blocked = await cli(bob, b, ["block", "Alice", "--mesh", mesh]);
    expect(blocked.code, blocked.stderr).toBe(0);
    const dmBefore = (await droppedByGrant(a, "dm")) + (await droppedByGrant(b, "dm"));
    const allBefore = (await droppedByGrant(a, "broadcast")) + (await droppedByGrant(b, "broadcast"));

    // Sent through A: the sender is not told (as the seed has it), so the command succeeds.
    expect((await cli(alice, a, ["send", "Bob", "are you there?", "--mesh", mesh])).code).toBe(0);
    expect((await cli(alice, a, ["send", "@all", "anyone?", "--mesh", mesh])).code).toBe(0);
    expect((await inbox(bob, b, mesh)).messages).toEqual([]);
    expect((await droppedByGrant(a, "dm")) + (await droppedByGrant(b, "dm"))).toBe(dmBefore + 1);
    expect((await droppedByGrant(a, "broadcast")) + (await droppedByGrant(b, "broadcast"))).toBe(allBefore + 1);

    const unblocked = await cli(bob, b, ["unblock", "Alice", "--mesh", mesh]);
    expect(unblocked.code, unblocked.stderr).toBe(0);
    expect((await cli(alice, a, ["send", "Bob", "now?", "--mesh", mesh])).code).toBe(0);
    expect((await inbox(bob, b, mesh)).messages.map((message) => message.body)).toEqual(["now?"]);
  });

  it("a message full of escape codes and bidi controls reaches inbox as plain text under its sender", async () => {
    const mesh = await meshOf(a, alice, [bob]);
    const sent = await cli(alice, a, ["send", "Bob", "-", "--mesh", mesh], HOSTILE);
    expect(sent.code, sent.stderr).toBe(0);
    const shown = await cli(bob, b, ["inbox", "--mesh", mesh]);
    expect(shown.code, shown.stderr).toBe(0);
    const lines = shown.stdout.split("\n");
    expect(lines.filter(hasUnsafeCharacters)).toEqual([]);
    expect(lines[0]).toMatch(/^From Alice: \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
    expect(lines.slice(1, -1)).toEqual(["  [2J]0;pwnedhi", "  ✔ Signed in as root", "  31mredevilx"]);
  });
});
