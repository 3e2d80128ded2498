// The mesh broker across two server processes on one Postgres (issue 26): peers
// on different instances reach each other directly and with @all, an offline
// member gets their queue in order on reconnecting, a block drops the message
// and counts it in /metrics, and a revoked token's socket closes on the other instance.
import { randomUUID } from "node:crypto";
import { brokerPath } from "@claudemesh/sdk/contracts";
import type { RunningServer } from "@claudemesh/test-support/server-process";
import { psql } from "@claudemesh/test-support/throwaway-postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { connectPeer, type Member, meshOf, newMember, openSocket, sendMessage } from "./support/broker-peers.js";
import { type Cluster, startCluster } from "./support/cluster.js";

const METRICS_TOKEN = "m".repeat(40);

async function metricsOf(server: RunningServer): Promise<string> {
  const response = await fetch(new URL("/metrics", server.url), {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  expect(response.status).toBe(200);
  return response.text();
}

function droppedByGrant(metrics: string, cap: "dm" | "broadcast"): number {
  const line = metrics
    .split("\n")
    .find((each) => each.startsWith(`broker_messages_dropped_by_grant_total{cap="${cap}"}`));
  return line ? Number(line.split(" ").at(-1)) : 0;
}

describe("the broker across two instances on one Postgres", () => {
  let cluster: Cluster;
  let a: RunningServer;
  let b: RunningServer;
  let alice: Member;
  let bob: Member;
  let carol: Member;
  beforeAll(async () => {
    cluster = await startCluster(2, { METRICS_TOKEN });
    [a, b] = cluster.instances as [RunningServer, RunningServer];
    alice = await newMember(a, "Alice");
    bob = await newMember(a, "Bob");
    carol = await newMember(a, "Carol");
  });
  // A mesh per test, so one test's unacked messages are not another's queue.
  const newMesh = () => meshOf(a, alice, [bob, carol]);
  afterAll(() => cluster?.stop());

  it("an ack asked to confirm is answered once it and every ack before it are stored; nothing acked comes again", async () => {
    const quiet = await newMesh();
    const sender = await connectPeer(a.url, quiet, alice);
    for (let n = 0; n < 60; n += 1) await sendMessage(sender, { member_id: carol.id }, `note ${n}`);
    await sender.close();

    const reader = await connectPeer(a.url, quiet, carol);
    const ids = reader.messages().map((frame) => frame.message_id);
    expect(ids).toHaveLength(60);
    // Work ahead of the acks in the socket's queue (sends, each stored in Postgres), one ack per
    // message as a reader that acks each after showing it does, and a last one asking to confirm.
    for (let n = 0; n < 50; n += 1) {
      reader.send({ type: "send", client_ref: randomUUID(), to: { member_id: alice.id }, body: `reply ${n}` });
    }
    for (const id of ids) reader.send({ type: "ack", message_ids: [id] });
    reader.send({ type: "ack", message_ids: [ids.at(-1)], confirm: true });
    expect(await reader.next("acked")).toEqual({ type: "acked", message_ids: [ids.at(-1)] });
    await reader.close();

    // At once, on the other instance: nothing of what was acked.
    const again = await connectPeer(b.url, quiet, carol);
    expect(again.messages().map((frame) => frame.body)).toEqual([]);
    await again.close();
  });

  it("bursts from three sockets while the reader connects: each of its sessions, on A and on B, gets every message once, each socket's in order", async () => {
    const mesh = await newMesh();
    const senders = [
      await connectPeer(a.url, mesh, alice),
      await connectPeer(a.url, mesh, alice),
      await connectPeer(a.url, mesh, carol),
    ];
    // Under the broker's 64 frames in flight per socket, sent without waiting, so sends share batches.
    const PER_SOCKET = 60;
    const refs = senders.map((sender, s) => {
      const socketRefs: string[] = [];
      for (let n = 0; n < PER_SOCKET; n += 1) {
        const ref = randomUUID();
        socketRefs.push(ref);
        const to = s === 2 ? "@all" : { member_id: bob.id };
        sender.send({ type: "send", client_ref: ref, to, body: `${s}:${n}` });
      }
      return socketRefs;
    });
    // Bob connects while those are being stored: on A the instance hands him what it stores, on B he is told.
    const [bobOnA, bobOnB] = await Promise.all([connectPeer(a.url, mesh, bob), connectPeer(b.url, mesh, bob)]);
    const idsBySocket = await Promise.all(
      senders.map((sender, s) =>
        Promise.all(
          (refs[s] ?? []).map(
            async (ref) => (await sender.next("sent", (frame) => frame.client_ref === ref)).message_id,
          ),
        ),
      ),
    );
    for (const reader of [bobOnA, bobOnB]) {
      for (const ids of idsBySocket) await reader.next("message", (frame) => frame.message_id === ids.at(-1));
      const received = reader.messages().map((frame) => frame.message_id);
      expect(received).toHaveLength(3 * PER_SOCKET);
      expect(new Set(received).size).toBe(3 * PER_SOCKET);
      for (const ids of idsBySocket) expect(received.filter((id) => ids.includes(id))).toEqual(ids);
    }
    await bobOnA.next("synced");
    bobOnA.send({ type: "ack", message_ids: idsBySocket.flat(), confirm: true });
    await bobOnA.next("acked");
    await Promise.all([bobOnA.close(), bobOnB.close(), ...senders.map((sender) => sender.close())]);
  });

  it("a direct message from a peer on A reaches the member on B, and @all reaches everyone else", async () => {
    const mesh = await newMesh();
    const sender = await connectPeer(a.url, mesh, alice);
    const bobOnB = await connectPeer(b.url, mesh, bob);
    const carolOnA = await connectPeer(a.url, mesh, carol);

    const direct = await sendMessage(sender, { member_id: bob.id }, "hello Bob");
    const received = await bobOnB.next("message", (frame) => frame.message_id === direct);
    expect(received).toMatchObject({
      body: "hello Bob",
      to: "direct",
      from: { member_id: alice.id, display_name: "Alice" },
    });

    const everyone = await sendMessage(sender, "@all", "hello all");
    for (const peer of [bobOnB, carolOnA]) {
      expect(await peer.next("message", (frame) => frame.message_id === everyone)).toMatchObject({
        body: "hello all",
        to: "all",
      });
    }
    // Carol was never sent the direct message; she saw only @all.
    expect(carolOnA.messages().map((frame) => frame.body)).toEqual(["hello all"]);
    await Promise.all([sender.close(), bobOnB.close(), carolOnA.close()]);
  });

  it("presence: B's peer is announced to A's peer when it comes and when it goes, and listed in /peers", async () => {
    const mesh = await newMesh();
    const watcher = await connectPeer(a.url, mesh, alice);
    const sessionId = `carol-${randomUUID()}`;
    const carolOnB = await connectPeer(b.url, mesh, carol, { session_id: sessionId });
    const came = await watcher.next("presence", (frame) => frame.peer.session_id === sessionId && frame.online);
    expect(came.peer).toMatchObject({ member_id: carol.id, display_name: "Carol", kind: "cli" });

    const listed = (await (
      await fetch(new URL(`/api/my/meshes/${mesh}/peers`, a.url), {
        headers: { authorization: `Bearer ${alice.token}` },
      })
    ).json()) as { members: { member_id: string; online: boolean; sessions: { session_id: string }[] }[] };
    const carolListed = listed.members.find((member) => member.member_id === carol.id);
    expect(carolListed?.online).toBe(true);
    expect(carolListed?.sessions.map((session) => session.session_id)).toContain(sessionId);

    await carolOnB.close();
    await watcher.next("presence", (frame) => frame.peer.session_id === sessionId && !frame.online);
    await watcher.close();
  });

  it("an offline member gets their queue on reconnecting, in order, after welcome and before synced; unacked ones come again", async () => {
    const mesh = await newMesh();
    const sender = await connectPeer(a.url, mesh, alice);
    const ids: string[] = [];
    for (let i = 1; i <= 5; i += 1) ids.push(await sendMessage(sender, { member_id: carol.id }, `queued ${i}`));

    const first = await connectPeer(b.url, mesh, carol);
    const types = first.frames.map((frame) => frame.type);
    const delivered = first.messages().map((frame) => frame.message_id);
    expect(delivered).toEqual(ids);
    expect(types.indexOf("welcome")).toBeLessThan(types.indexOf("message"));
    expect(types.lastIndexOf("message")).toBeLessThan(types.indexOf("synced"));
    // Ack the first two only, then go away: the other three are delivered again.
    first.send({ type: "ack", message_ids: ids.slice(0, 2) });
    await first.close();

    const again = await connectPeer(a.url, mesh, carol);
    expect(again.messages().map((frame) => frame.message_id)).toEqual(ids.slice(2));
    again.send({ type: "ack", message_ids: ids.slice(2) });
    await again.close();
    const third = await connectPeer(b.url, mesh, carol);
    expect(third.messages()).toEqual([]);
    await Promise.all([third.close(), sender.close()]);
  });

  it("a resend with the same client_ref is stored once", async () => {
    const mesh = await newMesh();
    const sender = await connectPeer(a.url, mesh, alice);
    const ref = randomUUID();
    const first = await sendMessage(sender, { member_id: carol.id }, "once", ref);
    const second = await sendMessage(sender, { member_id: carol.id }, "once", ref);
    expect(second).toBe(first);
    const carolPeer = await connectPeer(b.url, mesh, carol);
    expect(carolPeer.messages().filter((frame) => frame.body === "once")).toHaveLength(1);
    carolPeer.send({ type: "ack", message_ids: carolPeer.messages().map((frame) => frame.message_id) });
    await Promise.all([carolPeer.close(), sender.close()]);
  });

  it("Bob's block drops Alice's direct message and her @all for him, silently, and counts each by capability", async () => {
    const mesh = await newMesh();
    const bobsGrant = await fetch(new URL(`/api/my/meshes/${mesh}/grants`, b.url), {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${bob.token}` },
      body: JSON.stringify({ peer: alice.id, capabilities: [] }),
    });
    expect(bobsGrant.status).toBe(200);
    expect(await bobsGrant.json()).toEqual({ peers: { [alice.id]: [] } });
    const before = await metricsOf(a);

    const bobOnB = await connectPeer(b.url, mesh, bob);
    const sender = await connectPeer(a.url, mesh, alice);
    // Alice hears "sent" as for any message: a refusal would tell her she is blocked.
    await sendMessage(sender, { member_id: bob.id }, "blocked direct");
    const broadcast = await sendMessage(sender, "@all", "blocked broadcast");
    // Carol still gets the @all; then a message Carol sends Bob proves his stream moved past Alice's.
    const carolPeer = await connectPeer(a.url, mesh, carol);
    await carolPeer.next("message", (frame) => frame.message_id === broadcast);
    const fromCarol = await sendMessage(carolPeer, { member_id: bob.id }, "from Carol");
    await bobOnB.next("message", (frame) => frame.message_id === fromCarol);
    expect(bobOnB.messages().map((frame) => frame.body)).toEqual(["from Carol"]);

    const after = await metricsOf(a);
    expect(droppedByGrant(after, "dm")).toBe(droppedByGrant(before, "dm") + 1);
    expect(droppedByGrant(after, "broadcast")).toBe(droppedByGrant(before, "broadcast") + 1);

    // Unblocking restores the default.
    const unblocked = await fetch(new URL(`/api/my/meshes/${mesh}/grants`, a.url), {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${bob.token}` },
      body: JSON.stringify({ peer: alice.id, capabilities: null }),
    });
    expect(await unblocked.json()).toEqual({ peers: {} });
    const through = await sendMessage(sender, { member_id: bob.id }, "unblocked");
    await bobOnB.next("message", (frame) => frame.message_id === through);
    await Promise.all([bobOnB.close(), sender.close(), carolPeer.close()]);
  });

  it("/metrics on the API port answers only with METRICS_TOKEN", async () => {
    expect((await fetch(new URL("/metrics", a.url))).status).toBe(401);
    const wrong = await fetch(new URL("/metrics", a.url), { headers: { authorization: "Bearer nope" } });
    expect(wrong.status).toBe(401);
    expect(await metricsOf(b)).toContain("# TYPE broker_messages_dropped_by_grant_total counter");
  });

  it("revoking the token on A closes its socket on B with 4001", async () => {
    const dave = await newMember(a, "Dave");
    const daveMesh = await meshOf(a, dave, []);
    const peer = await connectPeer(b.url, daveMesh, dave);
    const revoked = await fetch(new URL(`/api/my/cli/tokens/${dave.tokenId}`, a.url), {
      method: "DELETE",
      headers: { cookie: dave.cookie, origin: new URL(cluster.balancer.url).origin },
    });
    expect(revoked.status).toBeLessThan(300);
    expect((await peer.closed).code).toBe(4001);
    // And the revoked token opens no new socket.
    await expect(openSocket(a.url, daveMesh, dave.token)).rejects.toMatchObject({ status: 401 });
  });

  it("a token that expires closes its socket on the other instance with 4001; a membership that ends, with 4003", async () => {
    const frank = await newMember(a, "Frank");
    const mesh = await meshOf(a, alice, [frank]);
    const frankOnB = await connectPeer(b.url, mesh, frank);
    await psql(
      cluster.postgres.url,
      `update cli_token set expires_at = now() - interval '1 second' where id = '${frank.tokenId}'`,
    );
    expect((await frankOnB.closed).code).toBe(4001);

    const grace = await newMember(a, "Grace");
    const graceMesh = await meshOf(a, alice, [grace]);
    const graceOnB = await connectPeer(b.url, graceMesh, grace);
    const aliceOnA = await connectPeer(a.url, graceMesh, alice);
    await psql(
      cluster.postgres.url,
      `delete from mesh_member where mesh_id = (select id from mesh where slug = '${graceMesh}') and user_id = '${grace.id}'`,
    );
    expect((await graceOnB.closed).code).toBe(4003);
    // And she is announced gone to those who stay.
    await aliceOnA.next("presence", (frame) => frame.peer.member_id === grace.id && !frame.online);
    await aliceOnA.close();
  });

  it("the upgrade is refused without a token (401), to a non-member (403) and for an unknown mesh (404)", async () => {
    const mesh = await newMesh();
    const eve = await newMember(b, "Eve");
    await expect(openSocket(a.url, mesh, null)).rejects.toMatchObject({ status: 401 });
    await expect(openSocket(a.url, mesh, "cm_pat_not-a-real-token")).rejects.toMatchObject({ status: 401 });
    await expect(openSocket(b.url, mesh, eve.token)).rejects.toMatchObject({ status: 403 });
    await expect(openSocket(b.url, `no-such-${randomUUID().slice(0, 8)}`, eve.token)).rejects.toMatchObject({
      status: 404,
    });
    // A browser session is not enough: a cookie would ride along on a cross-site WebSocket.
    const cookieOnly = openSocketWithCookie(a.url, mesh, alice.cookie);
    await expect(cookieOnly).rejects.toMatchObject({ status: 401 });
  });

  // Last: it kills instance B. Its heartbeat stops; A removes B's connections and announces them gone.
  it("the peers of a killed instance are removed and announced offline by the other", async () => {
    const mesh = await newMesh();
    const watcher = await connectPeer(a.url, mesh, alice);
    const sessionId = `doomed-${randomUUID()}`;
    await connectPeer(b.url, mesh, carol, { session_id: sessionId });
    await watcher.next("presence", (frame) => frame.peer.session_id === sessionId && frame.online);
    process.kill(b.pid ?? 0, "SIGKILL");
    // Expiry is 30 s after B's last heartbeat; A checks every 5 s.
    await watcher.next("presence", (frame) => frame.peer.session_id === sessionId && !frame.online, 0, 90_000);
    const listed = (await (
      await fetch(new URL(`/api/my/meshes/${mesh}/peers`, a.url), {
        headers: { authorization: `Bearer ${alice.token}` },
      })
    ).json()) as { members: { member_id: string; online: boolean }[] };
    expect(listed.members.find((member) => member.member_id === carol.id)?.online).toBe(false);
    await watcher.close();
  }, 120_000);
});

function openSocketWithCookie(serverUrl: string, mesh: string, cookie: string): Promise<void> {
  const socket = new WebSocket(new URL(brokerPath(mesh), serverUrl.replace(/^http/, "ws")), { headers: { cookie } });
  return new Promise((resolve, reject) => {
    socket.once("open", () => {
      socket.close();
      resolve();
    });
    socket.once("unexpected-response", (_request, response) => reject({ status: response.statusCode }));
    socket.once("error", reject);
  });
}
