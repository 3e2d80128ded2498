import type { Context } from "hono";
import { pageContextOf } from "../middleware/page-context.js";
import { PAGE_SECURITY_HEADERS } from "../middleware/security-headers.js";
import { MessagePage } from "./message-page.js";

/** True when a browser navigated here (so a 404 should be a page, not JSON). */
export function wantsPage(c: Context): boolean {
  return !c.req.path.startsWith("/api/") && (c.req.header("accept") ?? "").includes("text/html");
}

/** The 404 a person sees, in their language, with a way home. */
export function notFoundPage(c: Context) {
  const page = pageContextOf(c);
  return c.html(
    <MessagePage page={page} title={page.t("notFound.title")} message={page.t("notFound.body")}>
      <p class="switch-form">
        <a href="/">{page.t("notFound.home")}</a>
      </p>
    </MessagePage>,
    404,
    PAGE_SECURITY_HEADERS as Record<string, string>,
  );
}
