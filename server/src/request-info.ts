import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";

/** Where a request came from, for audit rows, device fingerprints and rate limits. */
export interface RequestInfo {
  ipAddress: string | null;
  userAgent: string | null;
}

/**
 * The peer address of the connection (not X-Forwarded-For, which any client can
 * set) and the User-Agent header. In `app.request()` tests there is no socket, so
 * the address is null.
 */
export function requestInfo(c: Context): RequestInfo {
  let ipAddress: string | null = null;
  try {
    // A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d; people know them as a.b.c.d.
    ipAddress = getConnInfo(c).remote.address?.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "") ?? null;
  } catch {
    ipAddress = null;
  }
  const userAgent = c.req.header("user-agent")?.slice(0, 500) ?? null;
  return { ipAddress, userAgent };
}
