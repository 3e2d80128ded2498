import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env.js";

/**
 * Behind `trustedProxies` reverse proxies (TRUST_PROXY), the client is the
 * address the outermost of them saw: the X-Forwarded-For entry that many from
 * the right. Entries further left are whatever the client claimed, so they are
 * never used; a request with fewer entries did not come through the proxies,
 * and keeps its socket peer.
 */
export function clientAddressBehindProxies(trustedProxies: number) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const hops = (c.req.header("x-forwarded-for") ?? "")
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean);
    const seen = hops.length >= trustedProxies ? hops[hops.length - trustedProxies] : undefined;
    if (seen && /^[0-9a-f.:]{2,45}$/i.test(seen)) c.set("clientAddress", seen);
    return next();
  });
}
