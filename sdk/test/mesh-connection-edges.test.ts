import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type WebSocket, WebSocketServer } from "ws";
import type { MessageFrame, Peer } from "../src/contracts/broker.js";
import { readSdkEnv } from "../src/env.js";
import { MeshConnection } from "../src/mesh/mesh-connection.js";

// Edges the real broker does not produce on demand: a message delivered twice (a lost
// ack), frames from a newer broker, bad JSON. A scripted WebSocket server plays the
// broker's side of the protocol here; the normal paths run against the real one
// (mesh-connection.test.ts).

const YOU: Peer = {
  member_id: "user-ada",
  session_id: "session-ada-1",
  display_name: "Ada",
  role: null,
  host: null,
  kind: "cli",
  connected_at: "2026-06-01T12:00:00.000Z",
};

const message = (id: string, body: string): MessageFrame => ({
  type: "message",
  message_id: id,
  from: { member_id: "user-bo", session_id: "session-bo-1", display_name: "Bo" },
  to: "direct",
  body,
  sent_at: "2026-06-01T12:00:00.000Z",
});

interface ScriptedBroker {
  url: string;
  /** Every frame the client sent, parsed. */
  received: { type: string; message_ids?: string[]; confirm?: boolean }[];
  socket(): Promise<WebSocket>;
  /** Resolves once the client has sent a frame matching. */
  waitFor(match: (frame: { type: string; message_ids?: string[] }) => boolean): Promise<void>;
  close(): Promise<void>;
}

async function scriptedBroker(onHello: (socket: WebSocket) => void): Promise<ScriptedBroker> {
  const server = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const received: ScriptedBroker["received"] = [];
  const waiters: { match: (frame: ScriptedBroker["received"][number]) => boolean; resolve(): void }[] = [];
  let resolveSocket: (socket: WebSocket) => void = () => {};
  const connected = new Promise<WebSocket>((resolve) => {
    resolveSocket = resolve;
  });
  server.on("connection", (socket) => {
    resolveSocket(socket);
    socket.on("message", (data) => {
      const frame = JSON.parse(String(data)) as ScriptedBroker["received"][number];
      received.push(frame);
      if (frame.type === "hello") onHello(socket);
      // As the broker does: a confirmed ack is answered once stored (here, at once).
      if (frame.type === "ack" && frame.confirm) {
        socket.send(JSON.stringify({ type: "acked", message_ids: frame.message_ids }));
      }
      for (const waiter of [...waiters]) {
        if (waiter.match(frame)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    socket: () => connected,
    waitFor: (match) =>
      received.some(match) ? Promise.resolve() : new Promise((resolve) => waiters.push({ match, resolve })),
    close: () =>
      new Promise((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}

const welcome = { type: "welcome", mesh: { id: "mesh-1", slug: "platform", name: "Platform" }, you: YOU, peers: [] };

/** A CLI-kind connection to the scripted broker's mesh "platform". */
function openOn(scripted: { url: string }) {
  return MeshConnection.open({
    apiUrl: scripted.url,
    token: "cm_pat_test",
    mesh: "platform",
    hello: { kind: "cli" },
    env: readSdkEnv({}),
  });
}

/** The bodies of the messages waiting when the connection opened, as a reader takes them. */
async function queuedBodies(connection: MeshConnection): Promise<string[]> {
  const bodies: string[] = [];
  for await (const taken of connection.messages({ queuedOnly: true })) bodies.push(taken.body);
  return bodies;
}

/** A scripted broker that sends `frames` to each peer that connects. */
function brokerSending(frames: unknown[]) {
  return scriptedBroker((socket) => {
    for (const frame of frames) socket.send(JSON.stringify(frame));
  });
}

describe("MeshConnection at the protocol's edges", () => {
  let broker: ScriptedBroker | undefined;
  let connection: MeshConnection | undefined;
  afterEach(async () => {
    await connection?.close();
    await broker?.close();
  });

  it("a message delivered twice is taken once; a repeat of one already taken is acked again (its ack was lost)", async () => {
    broker = await brokerSending([welcome, message("m1", "once"), message("m1", "once"), { type: "synced" }]);
    connection = await openOn(broker);
    expect(await queuedBodies(connection)).toEqual(["once"]);
    await broker.waitFor((frame) => frame.type === "ack");
    expect(broker.received.filter((frame) => frame.type === "ack")).toEqual([{ type: "ack", message_ids: ["m1"] }]);

    (await broker.socket()).send(JSON.stringify(message("m1", "once")));
    await broker.waitFor(
      (frame) => frame.type === "ack" && broker?.received.filter((f) => f.type === "ack").length === 2,
    );
    expect(broker.received.filter((frame) => frame.type === "ack")).toEqual([
      { type: "ack", message_ids: ["m1"] },
      { type: "ack", message_ids: ["m1"] },
    ]);
  });

  it("close() asks the broker to confirm the last ack before it closes, so a reconnect at once gets nothing read", async () => {
    broker = await brokerSending([welcome, message("m1", "one"), message("m2", "two"), { type: "synced" }]);
    connection = await openOn(broker);
    expect(await queuedBodies(connection)).toEqual(["one", "two"]);
    await connection.close();
    expect(broker.received.filter((frame) => frame.type === "ack").at(-1)).toEqual({
      type: "ack",
      message_ids: ["m2"],
      confirm: true,
    });
  });

  it("bad JSON, binary frames and frame types of a newer broker are skipped; what follows still arrives", async () => {
    broker = await scriptedBroker((socket) => {
      socket.send(JSON.stringify(welcome));
      socket.send("{not json");
      socket.send(Buffer.from([1, 2, 3]), { binary: true });
      socket.send(JSON.stringify({ type: "typing", from: "user-bo" }));
      socket.send(JSON.stringify(message("m2", "after the noise")));
      socket.send(JSON.stringify({ type: "synced" }));
    });
    connection = await openOn(broker);
    expect(await queuedBodies(connection)).toEqual(["after the noise"]);
  });

  it("names from the broker arrive neutral; the body exactly as sent", async () => {
    const hostile = "\u001b[31mred\u202e";
    broker = await scriptedBroker((socket) => {
      socket.send(JSON.stringify(welcome));
      const frame = message("m3", hostile);
      socket.send(JSON.stringify({ ...frame, from: { ...frame.from, display_name: "B\u001b[2Jo\u202e" } }));
      socket.send(JSON.stringify({ type: "synced" }));
    });
    connection = await openOn(broker);
    const all = [];
    for await (const each of connection.messages({ queuedOnly: true })) all.push(each);
    const [taken] = all;
    expect(taken?.from.display_name).toBe("B[2Jo");
    expect(taken?.body).toBe(hostile);
  });
});
