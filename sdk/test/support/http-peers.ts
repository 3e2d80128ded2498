import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from "node:http";
import { type AddressInfo, connect } from "node:net";
import type { Duplex } from "node:stream";

/** A real HTTP server on loopback whose answers a test scripts; it counts requests. */
export async function scriptedServer(
  handler: (req: IncomingMessage, res: ServerResponse, count: number) => void,
): Promise<{ url: string; requests: () => number; close(): Promise<void> }> {
  let count = 0;
  const server = createServer((req, res) => {
    count += 1;
    handler(req, res, count);
  });
  const url = await listen(server);
  return { url, requests: () => count, close: () => close(server) };
}

/**
 * A forwarding HTTP proxy that records what it carried: absolute-URI requests
 * (recorded as the URL) and CONNECT tunnels (recorded as `CONNECT host:port`).
 */
export async function forwardingProxy(): Promise<{ url: string; forwarded: string[]; close(): Promise<void> }> {
  const forwarded: string[] = [];
  const tunnels = new Set<Duplex>();
  const server = createServer((req, res) => {
    forwarded.push(req.url ?? "");
    const target = new URL(req.url ?? "");
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: req.method,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on("connect", (req, client, head) => {
    forwarded.push(`CONNECT ${req.url}`);
    tunnels.add(client);
    client.once("close", () => tunnels.delete(client));
    const [host, port] = (req.url ?? "").split(":");
    const upstream = connect(Number(port), host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  const url = await listen(server);
  return {
    url,
    forwarded,
    close: () => {
      // A tunnel is no longer an HTTP connection, so closeAllConnections leaves it open.
      for (const tunnel of tunnels) tunnel.destroy();
      return close(server);
    },
  };
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
