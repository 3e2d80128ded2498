import { connect, createServer, type Server, type Socket } from "node:net";

export interface TcpProxy {
  /** `http://127.0.0.1:<port>`: the address clients are given instead of the server's. */
  url: string;
  /** Client connections open right now. */
  open(): number;
  /** Drops every open connection and closes the port, so new ones are refused; resolves with how many were dropped. */
  cut(): Promise<number>;
  /**
   * Drops every open connection and, from now on, accepts new ones but sends nothing either
   * way, as a link whose packets are lost: the client waits until its own timeout.
   */
  stall(): Promise<number>;
  /** Listens on the same port again (or stops stalling) and forwards as before. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

/** A plain TCP forwarder to `target` on a fixed loopback port, which a test can cut like a pulled cable. */
export async function startTcpProxy(target: URL): Promise<TcpProxy> {
  const open = new Set<Socket>();
  const clients = new Set<Socket>();
  const held = new Set<Socket>();
  let stalled = false;
  const forward = (client: Socket) => {
    if (stalled) {
      held.add(client);
      client.on("error", () => {});
      client.on("close", () => held.delete(client));
      return;
    }
    clients.add(client);
    client.on("close", () => clients.delete(client));
    const upstream = connect(Number(target.port), target.hostname === "localhost" ? "127.0.0.1" : target.hostname);
    open.add(client);
    open.add(upstream);
    for (const socket of [client, upstream]) {
      // Either side failing ends both, as a broken link would.
      socket.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
      socket.on("close", () => {
        open.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  };
  const listen = (port: number) =>
    new Promise<Server>((resolve, reject) => {
      const server = createServer(forward);
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve(server));
    });

  let server: Server | undefined = await listen(0);
  const { port } = server.address() as { port: number };
  const dropAll = () => {
    const dropped = clients.size;
    for (const socket of [...open, ...held]) socket.destroy();
    return dropped;
  };
  const stop = async () => {
    const closing = server;
    server = undefined;
    const dropped = dropAll();
    if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
    return dropped;
  };
  return {
    url: `http://127.0.0.1:${port}`,
    open: () => clients.size,
    cut: stop,
    async stall() {
      stalled = true;
      return dropAll();
    },
    async restore() {
      stalled = false;
      for (const socket of held) socket.destroy();
      server ??= await listen(port);
    },
    async close() {
      stalled = false;
      await stop();
    },
  };
}
