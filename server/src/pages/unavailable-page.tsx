import type { Context } from "hono";
import { pageContextOf } from "../middleware/page-context.js";
import { PAGE_SECURITY_HEADERS } from "../middleware/security-headers.js";
import { MessagePage } from "./message-page.js";

/** The 503 a person sees while the database is away: no viewer (the session could not be read), their language. */
export function unavailablePage(c: Context) {
  const page = pageContextOf(c);
  return c.html(
    <MessagePage page={page} tone="bad" title={page.t("unavailable.title")} message={page.t("unavailable.body")} />,
    503,
    PAGE_SECURITY_HEADERS as Record<string, string>,
  );
}
