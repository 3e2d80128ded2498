import { ClaudemeshError } from "@claudemesh/sdk/errors";
import type { MiddlewareHandler } from "hono";

/**
 * Refuses state-changing requests from other sites (CSRF) with 403 `forbidden`
 * (a page on the pages, JSON on the API: errors.tsx): the browser's Origin
 * header must be ours; without one, Sec-Fetch-Site must say same-origin.
 */
export function sameOrigin(publicUrl: string): MiddlewareHandler {
  const ours = new URL(publicUrl).origin;
  return (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    if (!isSameOrigin(c.req.header("origin"), c.req.header("sec-fetch-site"), ours)) throw crossSiteRefusal();
    return next();
  };
}

/**
 * For a cookie-authenticated GET that spends a limit (a user-code lookup):
 * refuses it when the browser says another site started it (a link, a
 * redirect, an image), since the Lax session cookie rides along on those.
 * Clients that are not browsers send no Sec-Fetch-Site and pass.
 */
export const notFromOtherSites: MiddlewareHandler = (c, next) => {
  const site = c.req.header("sec-fetch-site");
  if (site === "cross-site" || site === "same-site") throw crossSiteRefusal();
  return next();
};

/** The error every cross-site refusal throws, the cookie-authenticated API's included. */
export const crossSiteRefusal = () => new ClaudemeshError("forbidden", "Cross-site request refused.");

/**
 * True when the browser says the request comes from `ours`. An opaque
 * `Origin: null` (privacy settings, some redirects) defers to Sec-Fetch-Site,
 * which pages cannot forge.
 */
export function isSameOrigin(origin: string | undefined, fetchSite: string | undefined, ours: string): boolean {
  return origin && origin !== "null" ? origin === ours : fetchSite === "same-origin";
}
