import type { MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import { errorResponse } from "./errors.js";

/**
 * Refuses state-changing requests from other sites (CSRF): the browser's
 * Origin header must be ours; without one, Sec-Fetch-Site must say same-origin.
 */
export function requireSameOrigin(publicUrl: string): MiddlewareHandler {
  const ours = new URL(publicUrl).origin;
  return createMiddleware(async (c, next) => {
    if (!isSameOrigin(c.req.header("origin"), c.req.header("sec-fetch-site"), ours)) {
      return errorResponse(c, "forbidden", "Cross-site request refused.");
    }
    return next();
  });
}

/** True when the browser says the request comes from `ours`. */
export function isSameOrigin(origin: string | undefined, fetchSite: string | undefined, ours: string): boolean {
  return origin ? origin === ours : fetchSite === "same-origin";
}
