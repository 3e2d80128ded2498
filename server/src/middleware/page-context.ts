import type { MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env.js";
import type { Auth } from "../auth.js";
import { pageContextOf } from "../pages/page-context.js";

/**
 * For every server-rendered page: reads the browser session once (the header
 * shows who is signed in, the routes decide with it) and picks the language.
 * The headers no page may go without are set for every answer outside the API
 * (answer-headers.ts).
 */
export function pageContext(auth: Auth): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    const session = await auth.api.getSession({ headers: c.req.raw.headers });
    const viewer = session
      ? {
          id: session.user.id,
          name: session.user.name,
          email: session.user.email,
          sessionId: session.session.id,
          authenticatedAt: session.session.authenticatedAt ?? null,
        }
      : null;
    const page = pageContextOf(c, viewer);
    c.set("page", page);
    await next();
    c.res.headers.set("content-language", page.locale);
    c.res.headers.append("vary", "Cookie, Accept-Language");
  });
}
