import type { MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env.js";
import type { Auth } from "../auth.js";
import { pageContextOf } from "../pages/page-context.js";
import { PAGE_SECURITY_HEADERS } from "./security-headers.js";

/**
 * For every server-rendered page: reads the browser session once (the header
 * shows who is signed in, the routes decide with it), picks the language, and
 * sets the headers no page may go without — CSP with `frame-ancestors 'none'` and
 * no referrer (codes travel in URLs); `no-store` is set for every answer (no-store.ts).
 */
export function pageContext(auth: Auth): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    const session = await auth.api.getSession({ headers: c.req.raw.headers });
    const viewer = session
      ? { id: session.user.id, name: session.user.name, email: session.user.email, sessionId: session.session.id }
      : null;
    const page = pageContextOf(c, viewer);
    c.set("page", page);
    await next();
    for (const [name, value] of Object.entries(PAGE_SECURITY_HEADERS)) {
      if (!c.res.headers.has(name)) c.res.headers.set(name, value);
    }
    c.res.headers.set("content-language", page.locale);
    c.res.headers.append("vary", "Cookie, Accept-Language");
  });
}
