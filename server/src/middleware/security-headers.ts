/** Where forms may post; a page that sends the browser elsewhere (the loopback callback) adds to it. */
export function contentSecurityPolicy(formActions: string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    `form-action 'self'${formActions.map((source) => ` ${source}`).join("")}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join("; ");
}

/** Headers every page carries unless its route set its own. */
export const PAGE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": contentSecurityPolicy(),
  // For browsers that predate frame-ancestors: nobody frames the Approve button.
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  // User codes ride in /cli-auth?code=…; no link out may carry them. (Not
  // no-referrer: with it Chromium sends `Origin: null` on our own form posts.)
  "referrer-policy": "same-origin",
};
