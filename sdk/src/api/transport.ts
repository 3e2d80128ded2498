import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";

/** One request as the ApiClient sends it: a small JSON body at most. */
export interface TransportRequest {
  method: "GET" | "POST" | "DELETE";
  url: URL;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
}

/** A whole answer: the API's bodies are small JSON documents, read in full. */
export interface TransportResponse {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: string;
}

/** Sends one request; rejects only when no answer came (refused, reset, TLS, aborted). */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

/**
 * The default transport, on node:http(s). Node 20's WHATWG `fetch`, `Request`
 * and `Response` are undici, which Node loads on first touch: about 50 ms of a
 * CLI start, more than the rest of `claudemesh whoami` together (measured with
 * `pnpm bench cli`), and its first fetch compiles a WASM HTTP parser on top.
 * So nothing on this path touches them. No redirects: the API never redirects.
 */
export const nodeHttpTransport: Transport = ({ method, url, headers, body, signal }) =>
  new Promise((resolve, reject) => {
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    const outgoing = send(url, { method, headers, signal }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
      incoming.once("error", reject);
      incoming.once("end", () =>
        resolve({
          status: incoming.statusCode ?? 502,
          statusText: incoming.statusMessage ?? "",
          headers: flattenHeaders(incoming.headers),
          body: Buffer.concat(chunks).toString("utf8"),
        }),
      );
    });
    outgoing.once("error", reject);
    outgoing.end(body);
  });

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return flat;
}
