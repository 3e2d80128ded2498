import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { Readable } from "node:stream";

/**
 * `fetch` on node:http(s). Node 20's own fetch compiles undici's WASM HTTP
 * parser the first time it runs, about 160 ms of every CLI invocation
 * (measured with `pnpm bench cli`); this path costs ~20 ms. It speaks what the
 * claudemesh API needs: any method, headers, a small body, abort; it does not
 * follow redirects (the API never redirects).
 */
export async function nodeHttpFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const request = input instanceof Request && init === undefined ? input : new Request(input, init);
  const url = new URL(request.url);
  const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise<Response>((resolve, reject) => {
    const outgoing = send(
      url,
      { method: request.method, headers: Object.fromEntries(request.headers), signal: request.signal },
      (incoming) => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(incoming.headers)) {
          if (Array.isArray(value)) for (const item of value) headers.append(name, item);
          else if (value !== undefined) headers.set(name, value);
        }
        const status = incoming.statusCode ?? 502;
        const empty = status === 204 || status === 304 || request.method === "HEAD";
        if (empty) incoming.resume();
        resolve(
          new Response(empty ? null : (Readable.toWeb(incoming) as ReadableStream<Uint8Array>), {
            status,
            statusText: incoming.statusMessage ?? "",
            headers,
          }),
        );
      },
    );
    outgoing.once("error", reject);
    outgoing.end(body);
  });
}
