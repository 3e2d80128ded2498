import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "./app-env.js";

/** Where a signed-in person lands when nothing else was asked for. */
export const HOME_PATH = "/dashboard/settings/cli-tokens";

/**
 * The `?next=` to return to after signing in, if it is a path on this site;
 * anything else (`//evil.example`, `https://…`, `/\evil`, control characters)
 * becomes the home page, so the login form cannot be used as an open redirect.
 */
export function safeNextPath(next: unknown): string {
  if (typeof next !== "string" || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) {
    return HOME_PATH;
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses.
  if (/[\u0000-\u001f\u007f\\]/.test(next)) return HOME_PATH;
  const base = "http://claudemesh.invalid";
  const url = new URL(next, base);
  if (url.origin !== base) return HOME_PATH;
  // Dot segments can collapse into `//host` (`/..//evil.example`), which a browser reads as another site.
  return url.pathname.startsWith("//") ? HOME_PATH : url.pathname + url.search + url.hash;
}

/** For a group of dashboard routes: a signed-out visitor is sent to sign in and come back to `home`. */
export function requireViewer(home: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.var.page.viewer) return next();
    return redirectToLogin(c, c.req.method === "GET" ? c.var.page.here : home);
  };
}

/** The signed-in viewer, in a route behind `requireViewer`. */
export function viewerOf(c: Context<AppEnv>) {
  const viewer = c.var.page.viewer;
  if (!viewer) throw new Error("requireViewer lets no anonymous request through");
  return viewer;
}

/**
 * Sends a signed-out visitor to `/login`, coming back to `back` afterwards:
 * 302 for a page they asked for, 303 after a form post (so the browser follows with a GET).
 */
export function redirectToLogin(c: Context, back: string) {
  return c.redirect(`/login?next=${encodeURIComponent(back)}`, c.req.method === "GET" ? 302 : 303);
}
