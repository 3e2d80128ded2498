import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";

/** The header Better Auth reads a client's address from (auth.ts), for the sessions it records. */
export const CLIENT_ADDRESS_HEADER = "x-claudemesh-client-address";

/** Where a request came from, for audit rows, device fingerprints and rate limits. */
export interface RequestInfo {
  ipAddress: string | null;
  userAgent: string | null;
}

/**
 * The peer address of the connection, or the one trusted proxies forwarded
 * (never a raw X-Forwarded-For, which any client can set), and the User-Agent
 * header. In `app.request()` tests there is no socket, so the address is null.
 */
export function requestInfo(c: Context): RequestInfo {
  const userAgent = c.req.header("user-agent")?.slice(0, 500) ?? null;
  const forwarded = c.get("clientAddress") as string | undefined;
  if (forwarded) return { ipAddress: withoutIpv4Mapping(forwarded), userAgent };
  let ipAddress: string | null = null;
  try {
    const peer = getConnInfo(c).remote.address;
    ipAddress = peer ? withoutIpv4Mapping(peer) : null;
  } catch {
    ipAddress = null;
  }
  return { ipAddress, userAgent };
}

// A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d; people know them as a.b.c.d.
function withoutIpv4Mapping(address: string): string {
  return address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
}
