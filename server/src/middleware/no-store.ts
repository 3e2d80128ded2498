import { type IncomingMessage, type OutgoingHttpHeader, type OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { MiddlewareHandler } from "hono";

/** The one place whose answers may be cached: the content-hashed stylesheet and script. */
const CACHEABLE = "/assets/";

const NO_STORE = { "cache-control": "no-store", pragma: "no-cache" } as const;

/**
 * `Cache-Control: no-store` and `Pragma: no-cache` (for HTTP/1.0 caches) on every
 * answer outside /assets: API answers and pages carry tokens, device and user codes
 * and invite secrets, in bodies and in redirects, and one rule for all of them
 * cannot miss a new route. Set after the route has answered, errors included, over
 * whatever it (or Better Auth) set. Answers the server writes through
 * NoStoreServerResponse get them there instead, as their head is written.
 */
export function noStore(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (c.env?.outgoing instanceof NoStoreServerResponse || c.req.path.startsWith(CACHEABLE)) return;
    c.res.headers.set("cache-control", NO_STORE["cache-control"]);
    c.res.headers.set("pragma", NO_STORE.pragma);
  };
}

/**
 * The server's HTTP answers (`createServer({ ServerResponse })`): noStore's rule,
 * applied as the head is written, over whatever header the answer carries. Setting
 * them on Hono's answer instead turns its plain header record into a `Headers`
 * object, which costs ~4 µs on every request (issue 27).
 */
export class NoStoreServerResponse<Request extends IncomingMessage = IncomingMessage> extends ServerResponse<Request> {
  override writeHead(
    statusCode: number,
    reasonOrHeaders?: string | OutgoingHttpHeaders | OutgoingHttpHeader[],
    maybeHeaders?: OutgoingHttpHeaders | OutgoingHttpHeader[],
  ): this {
    if (isAssetRequest(this.req.url)) return super.writeHead(statusCode, reasonOrHeaders as string, maybeHeaders);
    const reason = typeof reasonOrHeaders === "string" ? reasonOrHeaders : undefined;
    const headers = typeof reasonOrHeaders === "string" ? maybeHeaders : reasonOrHeaders;
    // Headers set earlier with setHeader() yield to the ones passed here, so ours go last, in the record passed.
    this.removeHeader("cache-control");
    this.removeHeader("pragma");
    if (headers === undefined) return super.writeHead(statusCode, reason, NO_STORE);
    if (Array.isArray(headers)) {
      // The flat form: name, value, name, value…
      const kept: OutgoingHttpHeader[] = [];
      for (let i = 0; i + 1 < headers.length; i += 2) {
        if (!isCachingHeader(String(headers[i])))
          kept.push(headers[i] as OutgoingHttpHeader, headers[i + 1] as OutgoingHttpHeader);
      }
      kept.push("cache-control", NO_STORE["cache-control"], "pragma", NO_STORE.pragma);
      return super.writeHead(statusCode, reason, kept);
    }
    const record: OutgoingHttpHeaders = {};
    for (const name in headers) if (!isCachingHeader(name)) record[name] = headers[name];
    record["cache-control"] = NO_STORE["cache-control"];
    record.pragma = NO_STORE.pragma;
    return super.writeHead(statusCode, reason, record);
  }
}

/**
 * Whether a request's target is under /assets/ once its path is normalised, as
 * the router sees it (`new URL`): `/assets/../api/…` reaches the API.
 */
function isAssetRequest(url: string | undefined): boolean {
  if (!url?.startsWith(CACHEABLE)) return false;
  return new URL(url, "http://localhost").pathname.startsWith(CACHEABLE);
}

function isCachingHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === "cache-control" || lower === "pragma";
}
