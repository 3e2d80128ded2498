import type { MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env.js";
import { MessagePage } from "../pages/message-page.js";
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

/** The same check for the pages' form posts, answered with a page instead of JSON. */
export function requireSameOriginForm(publicUrl: string): MiddlewareHandler<AppEnv> {
  const ours = new URL(publicUrl).origin;
  return createMiddleware<AppEnv>(async (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    if (!isSameOrigin(c.req.header("origin"), c.req.header("sec-fetch-site"), ours)) {
      const page = c.var.page;
      return c.html(
        <MessagePage page={page} title={page.t("refused.title")} message={page.t("refused.body")} tone="bad" />,
        403,
      );
    }
    return next();
  });
}

/**
 * True when the browser says the request comes from `ours`. An opaque
 * `Origin: null` (privacy settings, some redirects) defers to Sec-Fetch-Site,
 * which pages cannot forge.
 */
export function isSameOrigin(origin: string | undefined, fetchSite: string | undefined, ours: string): boolean {
  return origin && origin !== "null" ? origin === ours : fetchSite === "same-origin";
}
