import { connect as connectTcp, createServer, type Server, type Socket } from "node:net";
import { type RunningServer, startClaudemeshServer } from "@claudemesh/test-support/server-process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSdkEnv } from "../src/env.js";
import { ClaudemeshError } from "../src/errors.js";
import { MeshConnection as Mesh, type MeshConnection, type MeshEvent } from "../src/mesh/mesh-connection.js";
import { forwardingProxy } from "./support/http-peers.js";
import { type MeshMember, meshWith, newMeshMember } from "./support/mesh-members.js";

// MeshConnection against the real server's broker (a built server process on PGlite).

function nextEvent<T extends MeshEvent["type"]>(
  connection: MeshConnection,
  type: T,
): Promise<Extract<MeshEvent, { type: T }>> {
  return new Promise((resolve) => {
    const stop = connection.subscribe((event) => {
      if (event.type === type) {
        stop();
        resolve(event as Extract<MeshEvent, { type: T }>);
      }
    });
  });
}

/** The first `count` messages of a connection, taken (and so acked) one by one. */
async function take(connection: MeshConnection, count: number) {
  const taken = [];
  for await (const message of connection.messages()) {
    taken.push(message);
    if (taken.length === count) break;
  }
  return taken;
}

/** A TCP relay to the server whose live connections a test can cut, as a network drop would. */
async function cuttableRelay(target: string): Promise<{ url: string; cut(): void; close(): Promise<void> }> {
  const { hostname, port } = new URL(target);
  const live = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connectTcp(Number(port), hostname);
    for (const socket of [client, upstream]) {
      live.add(socket);
      socket.on("close", () => live.delete(socket));
      socket.on("error", () => {});
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const relayPort = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${relayPort}`,
    cut: () => {
      for (const socket of live) socket.destroy();
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of live) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe("MeshConnection against the real broker", () => {
  let server: RunningServer;
  let ada: MeshMember;
  let bo: MeshMember;
  const open: MeshConnection[] = [];
  const connect = async (member: MeshMember, mesh: string, extra: Partial<Parameters<typeof Mesh.open>[0]> = {}) => {
    const connection = await Mesh.open({
      apiUrl: server.url,
      token: member.token,
      mesh,
      hello: { kind: "cli", display_name: member.name },
      ...extra,
    });
    open.push(connection);
    return connection;
  };

  beforeAll(async () => {
    server = await startClaudemeshServer();
    ada = await newMeshMember(server, "Ada");
    bo = await newMeshMember(server, "Bo");
  });
  afterAll(async () => {
    await Promise.all(open.map((connection) => connection.close()));
    await server.stop();
  });

  it("welcomes with the mesh and who is online, and follows presence; an invisible connection is seen by nobody", async () => {
    const mesh = await meshWith(ada, [bo]);
    const adas = await connect(ada, mesh);
    expect(adas.welcome.mesh.slug).toBe(mesh);
    expect(adas.welcome.you).toMatchObject({ member_id: ada.id, display_name: "Ada", kind: "cli" });
    expect(adas.peers()).toEqual([]);

    const arrived = nextEvent(adas, "presence");
    const bos = await connect(bo, mesh);
    expect(bos.peers().map((peer) => peer.member_id)).toEqual([ada.id]);
    expect(await arrived).toMatchObject({ online: true, peer: { member_id: bo.id } });
    expect(adas.peers().map((peer) => peer.member_id)).toEqual([bo.id]);

    const quiet = await connect(bo, mesh, { hello: { kind: "cli", visible: false } });
    expect(
      quiet
        .peers()
        .map((peer) => peer.member_id)
        .sort(),
    ).toEqual([ada.id, bo.id].sort());

    const left = nextEvent(adas, "presence");
    await bos.close();
    expect(await left).toMatchObject({ online: false, peer: { member_id: bo.id } });
    expect(adas.peers()).toEqual([]);
    await quiet.close();
  });

  it("sends directly and to @all; send resolves with the broker's message id; the body arrives as sent", async () => {
    const mesh = await meshWith(ada, [bo]);
    const adas = await connect(ada, mesh);
    const bos = await connect(bo, mesh);
    const hostile = "line one\n\u001b[2J\u202eevil";
    const direct = await adas.send({ member_id: bo.id }, hostile);
    const everyone = await adas.send("@all", "to all");
    const [first, second] = await take(bos, 2);
    expect(first).toMatchObject({
      message_id: direct.message_id,
      to: "direct",
      body: hostile,
      from: { member_id: ada.id },
    });
    expect(second).toMatchObject({ message_id: everyone.message_id, to: "all", body: "to all" });
  });

  it("a member who was away gets the queue in order, then synced; once taken it is acked and not queued again", async () => {
    const mesh = await meshWith(ada, [bo]);
    const adas = await connect(ada, mesh);
    for (const body of ["one", "two", "three"]) await adas.send({ member_id: bo.id }, body);

    const first = await connect(bo, mesh, { hello: { kind: "cli", visible: false } });
    const bodies: string[] = [];
    for await (const message of first.messages({ queuedOnly: true })) bodies.push(message.body);
    expect(bodies).toEqual(["one", "two", "three"]);
    await first.close();

    const again = await connect(bo, mesh, { hello: { kind: "cli", visible: false } });
    await again.synced;
    const left: string[] = [];
    for await (const message of again.messages({ queuedOnly: true })) left.push(message.body);
    expect(left).toEqual([]);
  });

  it("a message its consumer never took is not acked: it comes again on the next connection", async () => {
    const mesh = await meshWith(ada, [bo]);
    const adas = await connect(ada, mesh);
    await adas.send({ member_id: bo.id }, "keep me");
    const glance = await connect(bo, mesh, { hello: { kind: "cli", visible: false } });
    await glance.synced;
    await glance.close();

    const later = await connect(bo, mesh, { hello: { kind: "cli", visible: false } });
    const bodies: string[] = [];
    for await (const message of later.messages({ queuedOnly: true })) bodies.push(message.body);
    expect(bodies).toEqual(["keep me"]);
  });

  it("after a dropped connection it comes back by itself, and a message sent meanwhile goes out once", async () => {
    const mesh = await meshWith(ada, [bo]);
    const relay = await cuttableRelay(server.url);
    try {
      const adas = await connect(ada, mesh, { apiUrl: relay.url, reconnect: { initialDelayMs: 50, maxDelayMs: 200 } });
      const bos = await connect(bo, mesh);
      const dropped = nextEvent(adas, "reconnecting");
      relay.cut();
      await dropped;
      const back = nextEvent(adas, "reconnected");
      const sent = adas.send({ member_id: bo.id }, "across the gap");
      await back;
      const { message_id } = await sent;
      const [received] = await take(bos, 1);
      expect(received).toMatchObject({ message_id, body: "across the gap" });
      await adas.send({ member_id: bo.id }, "after");
      const [next] = await take(bos, 1);
      expect(next?.body).toBe("after");
    } finally {
      await relay.close();
    }
  });

  it("a revoked token ends the connection for good with an authentication error (exit status 2)", async () => {
    const carol = await newMeshMember(server, "Carol");
    const slug = await meshWith(carol, []);
    const carols = await connect(carol, slug, { reconnect: { initialDelayMs: 10 } });
    await carol.api.revokeToken(carol.tokenId);
    const error = await carols.closed;
    expect(error).toBeInstanceOf(ClaudemeshError);
    expect(error?.exitStatus).toBe(2);
    await expect(carols.send("@all", "too late")).rejects.toMatchObject({ exitStatus: 2 });
  });

  it("refusals at the door are typed errors: a bad token exits 2, a mesh you are not in is forbidden", async () => {
    const mesh = await meshWith(ada, []);
    await expect(
      Mesh.open({ apiUrl: server.url, token: `${ada.token.slice(0, -6)}AAAAAA`, mesh, hello: { kind: "cli" } }),
    ).rejects.toMatchObject({ exitStatus: 2 });
    await expect(
      Mesh.open({ apiUrl: server.url, token: bo.token, mesh, hello: { kind: "cli" } }),
    ).rejects.toMatchObject({
      code: "forbidden",
    });
  });

  it("another connection taking the same session id ends the first for good (conflict), without a fight", async () => {
    const mesh = await meshWith(ada, []);
    const first = await connect(ada, mesh, { hello: { kind: "cli", session_id: "same-session-1" } });
    const second = await connect(ada, mesh, { hello: { kind: "cli", session_id: "same-session-1" } });
    expect((await first.closed)?.code).toBe("conflict");
    await expect(second.send("@all", "still here")).resolves.toMatchObject({ message_id: expect.any(String) });
  });

  it("goes through HTTPS_PROXY as a CONNECT tunnel, and around it for a host in NO_PROXY", async () => {
    const mesh = await meshWith(ada, [bo]);
    const proxy = await forwardingProxy();
    try {
      const proxied = await connect(ada, mesh, { env: readSdkEnv({ HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url }) });
      expect(proxy.forwarded).toEqual([`CONNECT ${new URL(server.url).host}`]);
      await proxied.send({ member_id: bo.id }, "through the proxy");
      const direct = await connect(bo, mesh, {
        env: readSdkEnv({ HTTP_PROXY: proxy.url, NO_PROXY: new URL(server.url).hostname }),
      });
      expect(proxy.forwarded).toHaveLength(1);
      const [received] = await take(direct, 1);
      expect(received?.body).toBe("through the proxy");
    } finally {
      await proxy.close();
    }
  });

  it("a body over 64 KB is refused before it is sent", async () => {
    const mesh = await meshWith(ada, []);
    const adas = await connect(ada, mesh);
    await expect(adas.send("@all", "x".repeat(65 * 1024))).rejects.toMatchObject({ code: "payload_too_large" });
  });
});
