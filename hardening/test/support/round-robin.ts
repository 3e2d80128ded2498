import { createServer, request as forwardRequest, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as it crossed the balancer, for tests that look for leaked secrets. */
export interface Exchange {
  backend: number;
  method: string;
  path: string;
  status: number;
  requestBody: string;
  responseBody: string;
}

/** One request as the balancer passed it on, before any answer. */
export interface Forwarded {
  backend: number;
  method: string;
  path: string;
}

export interface RoundRobin {
  url: string;
  /** Points the balancer at its backends (they start after it, knowing its URL). */
  setBackends(urls: string[]): void;
  /** Which backend answered each request so far, in order. */
  readonly exchanges: Exchange[];
  /** Each request as it was sent on to a backend, answered or not (a held poll shows here first). */
  readonly forwarded: Forwarded[];
  close(): Promise<void>;
}

/**
 * An HTTP load balancer on loopback that sends each request to the next
 * backend in turn (not each connection, so one keep-alive client still
 * reaches every instance), keeping the Host header as a real one would.
 */
export async function startRoundRobin(): Promise<RoundRobin> {
  let backends: URL[] = [];
  let next = 0;
  const exchanges: Exchange[] = [];
  const forwarded: Forwarded[] = [];

  const server = createServer((incoming, outgoing) => {
    const backendIndex = next % backends.length;
    next += 1;
    const backend = backends[backendIndex];
    if (!backend) {
      outgoing.writeHead(502).end();
      return;
    }
    const requestChunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => requestChunks.push(chunk));
    incoming.on("end", () => {
      const requestBody = Buffer.concat(requestChunks);
      forwarded.push({ backend: backendIndex, method: incoming.method ?? "GET", path: incoming.url ?? "/" });
      const proxied = forwardRequest(
        {
          host: backend.hostname,
          port: backend.port,
          method: incoming.method,
          path: incoming.url,
          headers: withoutHopByHop(incoming.headers),
        },
        (answer) => {
          const responseChunks: Buffer[] = [];
          answer.on("data", (chunk: Buffer) => responseChunks.push(chunk));
          answer.on("end", () => {
            const responseBody = Buffer.concat(responseChunks);
            exchanges.push({
              backend: backendIndex,
              method: incoming.method ?? "GET",
              path: incoming.url ?? "/",
              status: answer.statusCode ?? 0,
              requestBody: requestBody.toString(),
              responseBody: responseBody.toString(),
            });
            outgoing.writeHead(answer.statusCode ?? 502, withoutHopByHop(answer.headers));
            outgoing.end(responseBody);
          });
        },
      );
      proxied.on("error", () => {
        if (!outgoing.headersSent) outgoing.writeHead(502);
        outgoing.end();
      });
      proxied.end(requestBody);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    setBackends(urls) {
      backends = urls.map((url) => new URL(url));
    },
    exchanges,
    forwarded,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// Connection-level headers belong to each hop, not to the request (RFC 9110 §7.6.1).
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection", "te"]);

function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())));
}
