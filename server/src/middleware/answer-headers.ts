import type { MiddlewareHandler } from "hono";
import { noStore } from "./no-store.js";
import { isApiPath } from "./request-guards.js";
import { pageSecurityHeaders } from "./security-headers.js";

/**
 * The headers answers carry, set after everything below has answered (errors,
 * 404s and redirects included): `no-store` (no-store.ts), and outside the API,
 * whose answers only scripts read, the pages' security headers. One layer, not
 * two: each Hono layer costs a few promises on every request, and API requests
 * pass the second without one.
 */
export function answerHeaders(): MiddlewareHandler {
  const store = noStore();
  const pages = pageSecurityHeaders();
  // secureHeaders answers nothing itself, so what it resolves to is what next() did.
  return (c, next) => store(c, () => (isApiPath(c.req.path) ? next() : (pages(c, next) as Promise<void>)));
}
