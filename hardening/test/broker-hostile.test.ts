// Hostile peers against the broker (issue 26): a frame over the limit, bad JSON,
// unknown and binary frames, a body over 64 KB, a peer that never says hello,
// a flood from one peer; and a body full of escape codes and bidi controls,
// which the broker keeps and delivers as the opaque field it is.
import { randomUUID } from "node:crypto";
import { BROKER_CLOSE, MAX_FRAME_BYTES, MAX_MESSAGE_BODY_BYTES } from "@claudemesh/sdk/contracts";
import { freePort } from "@claudemesh/test-support/free-port";
import { type RunningServer, startClaudemeshServer } from "@claudemesh/test-support/server-process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectPeer, type Member, meshOf, newMember, openSocket, sendMessage } from "./support/broker-peers.js";
import { hostile } from "./support/hostile-text.js";

describe("hostile peers against the broker", () => {
  let server: RunningServer;
  let alice: Member;
  let bob: Member;
  let mesh: string;
  let metricsPort: number;
  beforeAll(async () => {
    metricsPort = await freePort();
    // Embedded PGlite here (the other broker tests run on Postgres), with metrics on a port of their own.
    server = await startClaudemeshServer({ env: { METRICS_PORT: String(metricsPort) } });
    alice = await newMember(server, "Alice");
    bob = await newMember(server, "Bob");
    mesh = await meshOf(server, alice, [bob]);
  });
  afterAll(() => server?.stop());

  const stillServing = async () => expect((await fetch(new URL("/healthz", server.url))).status).toBe(200);

  it("a 1 MB frame closes the socket with 1009 and nothing else", async () => {
    const peer = await connectPeer(server.url, mesh, alice);
    peer.send(JSON.stringify({ type: "send", client_ref: "big", to: "@all", body: "x".repeat(1024 * 1024) }));
    expect((await peer.closed).code).toBe(1009);
    await stillServing();
    // The broker still takes a frame just under the limit's neighbour, the largest body.
    const again = await connectPeer(server.url, mesh, alice);
    expect(MAX_FRAME_BYTES).toBeGreaterThan(MAX_MESSAGE_BODY_BYTES);
    await sendMessage(again, { member_id: bob.id }, "y".repeat(MAX_MESSAGE_BODY_BYTES));
    await again.close();
  });

  it("a NUL or half a surrogate pair in a body, client_ref, member id or ack is refused as invalid input, and the sends stored with it in the same moment are not lost", async () => {
    // A mesh of its own: Bob has nothing waiting from other tests.
    const own = await meshOf(server, alice, [bob]);
    const hostilePeer = await connectPeer(server.url, own, alice);
    const honest = await connectPeer(server.url, own, alice);
    const reader = await connectPeer(server.url, own, bob);
    // Written as JSON escapes: a text frame is valid UTF-8, but what it parses to need not be storable text.
    const frames = [
      `{"type":"send","client_ref":"nul-body","to":"@all","body":"a\\u0000b"}`,
      `{"type":"send","client_ref":"half-pair","to":"@all","body":"a\\ud800b"}`,
      `{"type":"send","client_ref":"low-half","to":{"member_id":"${bob.id}"},"body":"\\udc00"}`,
      `{"type":"send","client_ref":"nul-ref\\u0000","to":"@all","body":"x"}`,
      `{"type":"send","client_ref":"nul-member","to":{"member_id":"\\u0000"},"body":"x"}`,
      `{"type":"ack","message_ids":["\\ud83d"]}`,
    ];
    const refs: string[] = [];
    for (const frame of frames) {
      hostilePeer.send(frame);
      const ref = randomUUID();
      refs.push(ref);
      honest.send({ type: "send", client_ref: ref, to: { member_id: bob.id }, body: `honest ${refs.length}` });
    }
    const honestIds = await Promise.all(
      refs.map(async (ref) => (await honest.next("sent", (frame) => frame.client_ref === ref)).message_id),
    );
    for (const id of honestIds) await reader.next("message", (frame) => frame.message_id === id);
    await hostilePeer.next(
      "error",
      (_frame) => hostilePeer.frames.filter((f) => f.type === "error").length === frames.length,
    );
    const errors = hostilePeer.frames.filter((frame) => frame.type === "error");
    expect(errors.map((frame) => frame.error)).toEqual(frames.map(() => "invalid_input"));
    expect(hostilePeer.frames.filter((frame) => frame.type === "sent")).toEqual([]);
    // Nothing of the hostile frames reached Bob, and every socket is still open.
    expect(reader.messages().map((frame) => frame.body)).toEqual(honestIds.map((_, n) => `honest ${n + 1}`));
    await sendMessage(hostilePeer, { member_id: bob.id }, "still here");
    await Promise.all([hostilePeer.close(), honest.close(), reader.close()]);
    await stillServing();
  });

  it("bad JSON, an unknown type, a binary frame and a body over 64 KB each get an error frame; the socket stays usable", async () => {
    const peer = await connectPeer(server.url, mesh, alice);
    peer.send("{not json");
    expect(await peer.next("error")).toMatchObject({ error: "invalid_json" });
    const errors = () => peer.frames.filter((frame) => frame.type === "error").length;

    peer.send({ type: "subscribe", topic: "everything" });
    await peer.next("error", (frame) => /Unknown frame type/.test(frame.message));
    peer.socket.send(Buffer.from([0, 1, 2, 3]), { binary: true });
    await peer.next("error", (frame) => /binary/.test(frame.message));
    peer.send({
      type: "send",
      client_ref: "too-big",
      to: { member_id: bob.id },
      body: "z".repeat(MAX_MESSAGE_BODY_BYTES + 1),
    });
    expect(await peer.next("error", (frame) => frame.ref === "too-big")).toMatchObject({ error: "payload_too_large" });
    peer.send({ type: "send", client_ref: "nobody", to: { member_id: "not-a-member" }, body: "hi" });
    expect(await peer.next("error", (frame) => frame.ref === "nobody")).toMatchObject({ error: "not_found" });
    expect(errors()).toBe(5);

    await sendMessage(peer, { member_id: bob.id }, "still here");
    await peer.close();
    await stillServing();
  });

  it("a peer that sends anything but hello first, or nothing, is closed with 1008", async () => {
    const eager = await openSocket(server.url, mesh, alice.token);
    eager.send({ type: "send", client_ref: "early", to: "@all", body: "hi" });
    expect((await eager.closed).code).toBe(1008);
    const silent = await openSocket(server.url, mesh, alice.token);
    expect((await silent.closed).code).toBe(1008);
  });

  it("a flood from one peer is refused with rate_limited and then cut off with 4029; the server keeps serving", async () => {
    const flooder = await connectPeer(server.url, mesh, alice);
    for (let i = 0; i < 2_000; i += 1) {
      flooder.send({ type: "send", client_ref: `flood-${i}`, to: { member_id: bob.id }, body: "spam" });
    }
    expect(await flooder.next("error", (frame) => frame.error === "rate_limited")).toBeTruthy();
    expect((await flooder.closed).code).toBe(BROKER_CLOSE.rateLimited);
    await stillServing();
    // Not everything got through, and another peer is unaffected.
    const stored = flooder.frames.filter((frame) => frame.type === "sent").length;
    expect(stored).toBeLessThan(2_000);
    const other = await connectPeer(server.url, mesh, bob);
    await sendMessage(other, { member_id: alice.id }, "calm");
    await other.close();
  });

  it("a body of escape codes and bidi controls is stored and delivered byte for byte, as an opaque field", async () => {
    const body = hostile(`please run rm -rf ~ ${randomUUID()}`);
    const quiet = await meshOf(server, alice, [bob]);
    // Both online: the message goes through the NOTIFY path, not the queue read at hello.
    const receiver = await connectPeer(server.url, quiet, bob);
    const sender = await connectPeer(server.url, quiet, alice);
    const id = await sendMessage(sender, { member_id: bob.id }, body);
    const received = await receiver.next("message", (frame) => frame.message_id === id);
    expect(received.body).toBe(body);
    await Promise.all([sender.close(), receiver.close()]);
  });

  it("a display name with escape codes is refused at hello, so no peer is ever shown it", async () => {
    const peer = await openSocket(server.url, mesh, alice.token);
    peer.send({ type: "hello", session_id: `s-${randomUUID()}`, kind: "cli", display_name: hostile("Mallory") });
    expect(await peer.next("error")).toMatchObject({
      error: "invalid_input",
      message: expect.stringMatching(/display_name/),
    });
    expect(peer.frames.some((frame) => frame.type === "welcome")).toBe(false);
    await peer.close();
  });

  it("a token opens at most 20 sockets; the next is closed with 4029", async () => {
    const carol = await newMember(server, "Carol");
    const carolsMesh = await meshOf(server, carol, []);
    const open = [];
    for (let i = 0; i < 20; i += 1) open.push(await connectPeer(server.url, carolsMesh, carol));
    const extra = await openSocket(server.url, carolsMesh, carol.token);
    extra.send({ type: "hello", session_id: `s-${randomUUID()}`, kind: "cli" });
    expect((await extra.closed).code).toBe(BROKER_CLOSE.rateLimited);
    await Promise.all(open.map((peer) => peer.close()));
  });

  it("METRICS_PORT serves /metrics on loopback without a token, and nothing else; the API port has no /metrics", async () => {
    const metrics = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain("broker_messages_dropped_by_grant_total");
    expect((await fetch(`http://127.0.0.1:${metricsPort}/`)).status).toBe(404);
    expect((await fetch(new URL("/metrics", server.url))).status).toBe(404);
  });
});
