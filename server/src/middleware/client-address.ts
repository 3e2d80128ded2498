import type { MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env.js";
import { CLIENT_ADDRESS_HEADER, requestInfo } from "../request-info.js";

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

/**
 * Hands Better Auth the address requestInfo resolved (socket peer, or what
 * trusted proxies forwarded), replacing any value the client sent. Left to
 * itself Better Auth believes a lone X-Forwarded-For, so anyone signing in
 * could write the address the security page shows for their session.
 */
export const passClientAddress: MiddlewareHandler<AppEnv> = (c, next) => {
  const address = requestInfo(c).ipAddress;
  if (address) c.req.raw.headers.set(CLIENT_ADDRESS_HEADER, address);
  else c.req.raw.headers.delete(CLIENT_ADDRESS_HEADER);
  return next();
};
