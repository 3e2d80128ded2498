/** Why a link is not handed to the browser. */
export type BrowserUrlRefusal =
  /** Not a URL, or not written the way a browser writes one (spaces, quotes, control characters, backslashes). */
  | "malformed"
  /** Not an `http(s)` page: `file:`, `javascript:`, a custom protocol handler… */
  | "not_web"
  /** A page of another site than the server in use, or one that carries a user name or password. */
  | "other_site";

/** A `%` that starts no percent-escape (`%PATH%`): no browser needs one, and a shell would expand it. */
const STRAY_PERCENT = /%(?![0-9a-f]{2})/i;

export type BrowserUrlCheck = { ok: true; url: string } | { ok: false; reason: BrowserUrlRefusal };

/**
 * Whether `url` may be opened in the person's browser: only an `http(s)` page of
 * the server in use (`serverUrl`'s origin), written exactly as a browser would
 * serialise it. A server can put anything in `verification_url_complete`; an
 * opener hands it to the operating system, which launches whatever the scheme
 * names (finding 1 of issue 25), so the client checks rather than trusts.
 *
 * @example
 * checkBrowserUrl("http://localhost:3000/cli-auth?code=BCDF-GHJK", "http://localhost:3000"); // { ok: true, url: … }
 * checkBrowserUrl("file:///etc/passwd", "http://localhost:3000"); // { ok: false, reason: "not_web" }
 */
export function checkBrowserUrl(url: string, serverUrl: string): BrowserUrlCheck {
  let parsed: URL;
  let server: URL;
  try {
    parsed = new URL(url);
    server = new URL(serverUrl);
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return { ok: false, reason: "not_web" };
  // The parser drops tabs and newlines and encodes quotes and spaces: a link it would
  // rewrite is not the one the person reads, so it is refused rather than repaired.
  if (parsed.href !== url || STRAY_PERCENT.test(url)) return { ok: false, reason: "malformed" };
  if (parsed.origin !== server.origin || parsed.username !== "" || parsed.password !== "") {
    return { ok: false, reason: "other_site" };
  }
  return { ok: true, url: parsed.href };
}
