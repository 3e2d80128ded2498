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
    const origin = c.req.header("origin");
    const sameOrigin = origin ? origin === ours : c.req.header("sec-fetch-site") === "same-origin";
    if (!sameOrigin) return errorResponse(c, "forbidden", "Cross-site request refused.");
    return next();
  });
}
