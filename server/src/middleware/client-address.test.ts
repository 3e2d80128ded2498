import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { AppEnv } from "../app-env.js";
import { requestInfo } from "../request-info.js";
import { clientAddressBehindProxies } from "./client-address.js";

/** The address rate limits and audit rows would use, for a request with this X-Forwarded-For. */
async function addressSeen(trustedProxies: number, forwardedFor?: string) {
  const app = new Hono<AppEnv>();
  if (trustedProxies > 0) app.use("*", clientAddressBehindProxies(trustedProxies));
  app.get("/", (c) => c.json({ ip: requestInfo(c).ipAddress }));
  const response = await app.request("/", { headers: forwardedFor ? { "x-forwarded-for": forwardedFor } : {} });
  return ((await response.json()) as { ip: string | null }).ip;
}

describe("client address behind reverse proxies", () => {
  it("ignores X-Forwarded-For unless proxies are trusted (any client can send it)", async () => {
    expect(await addressSeen(0, "1.2.3.4")).toBeNull(); // app.request() has no socket peer
  });

  it("takes the entry the outermost trusted proxy added, not what the client claimed", async () => {
    expect(await addressSeen(1, "6.6.6.6, 203.0.113.7")).toBe("203.0.113.7");
    expect(await addressSeen(2, "6.6.6.6, 203.0.113.7, 10.0.0.2")).toBe("203.0.113.7");
    expect(await addressSeen(1, "2001:db8::1")).toBe("2001:db8::1");
    expect(await addressSeen(1, "::ffff:198.51.100.4")).toBe("198.51.100.4");
  });

  it("falls back to the socket when the header is short or not an address", async () => {
    expect(await addressSeen(2, "203.0.113.7")).toBeNull();
    expect(await addressSeen(1, "<script>")).toBeNull();
    expect(await addressSeen(1)).toBeNull();
  });
});
