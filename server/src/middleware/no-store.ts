import type { MiddlewareHandler } from "hono";

/** The one place whose answers may be cached: the content-hashed stylesheet and script. */
const CACHEABLE = "/assets/";

/**
 * `Cache-Control: no-store` and `Pragma: no-cache` (for HTTP/1.0 caches) on every
 * answer outside /assets: API answers and pages carry tokens, device and user codes
 * and invite secrets, in bodies and in redirects, and one rule for all of them
 * cannot miss a new route. Set after the route has answered, errors included, over
 * whatever it (or Better Auth) set.
 */
export function noStore(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (c.req.path.startsWith(CACHEABLE)) return;
    c.res.headers.set("cache-control", "no-store");
    c.res.headers.set("pragma", "no-cache");
  };
}
