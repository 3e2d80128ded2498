import type { MiddlewareHandler } from "hono";
import { type ContentSecurityPolicyOptionHandler, secureHeaders } from "hono/secure-headers";

/** Where a page may load from and post to; nothing may frame it. */
const PAGE_CSP = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", "data:"],
  connectSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
};

/**
 * Hono's secureHeaders as the pages need them: the CSP above, X-Frame-Options
 * DENY for browsers that predate frame-ancestors (nobody frames the Approve
 * button), nosniff, and Hono's other defaults. A header a route set itself is
 * kept. `formAction` names one more place, per request, that a page's forms may
 * post to (a redirect after the post counts).
 */
export function pageSecurityHeaders(formAction?: ContentSecurityPolicyOptionHandler): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: formAction ? { ...PAGE_CSP, formAction: [...PAGE_CSP.formAction, formAction] } : PAGE_CSP,
    xFrameOptions: "DENY",
    // User codes ride in /cli-auth?code=…; no link out may carry them. (Not
    // no-referrer: with it Chromium sends `Origin: null` on our own form posts.)
    referrerPolicy: "same-origin",
    // TLS ends at the operator's proxy, which knows whether every name under this host serves HTTPS.
    strictTransportSecurity: false,
    overwrite: false,
  });
}
