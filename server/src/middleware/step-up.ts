import type { Context, MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env.js";
import type { Auth } from "../auth.js";
import { confirmPathFor, isFreshlyAuthenticated, stepUpRequired } from "../step-up/freshness.js";

/**
 * For a page action that matters (approve a login, create a token, change the
 * password, add or remove a second factor): a response sending the browser to
 * "Confirm it's you" and back to `back` when its session has not proved who it
 * is in the last hour; null when it has and the action may go on.
 */
export function stepUpRedirect(c: Context<AppEnv>, now: Date, back: string): Response | null {
  const viewer = c.var.page.viewer;
  if (!viewer || isFreshlyAuthenticated(viewer.authenticatedAt, now)) return null;
  return c.redirect(confirmPathFor(back), c.req.method === "GET" ? 302 : 303);
}

/** The same rule for a route group of pages: every request needs a fresh session, and comes back to itself. */
export function requireFreshViewer(now: () => Date, back: (c: Context<AppEnv>) => string): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    const redirect = stepUpRedirect(c, now(), c.req.method === "GET" ? c.var.page.here : back(c));
    if (redirect) return redirect;
    await next();
  });
}

/**
 * Better Auth's own JSON routes that matter (change-password, passkey
 * registration and removal): a browser session past the hour gets 403
 * `step_up_required`. No session at all is left to Better Auth's 401.
 */
export function requireFreshWebSession(auth: Auth, now: () => Date): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    const session = await auth.api.getSession({ headers: c.req.raw.headers });
    if (session && !isFreshlyAuthenticated(session.session.authenticatedAt, now())) {
      throw stepUpRequired();
    }
    await next();
  });
}

/**
 * For an API route that matters, after the caller middleware: a browser
 * session past the hour gets 403 `step_up_required`. Tokens are not browser
 * sessions and are judged by the route itself.
 */
export function requireFreshCaller(now: () => Date): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    const { caller } = c.var;
    if (caller.kind === "web" && !isFreshlyAuthenticated(caller.authenticatedAt, now())) throw stepUpRequired();
    await next();
  });
}
