import type { Context } from "hono";
import { type Locale, requestLocale, type Translate, translator } from "../i18n/locale.js";

/** Who is looking at a page, in which language, and where they are (for the language switcher). */
export interface PageContext {
  locale: Locale;
  t: Translate;
  /** This page's path and query, so switching language comes back here. */
  here: string;
  /**
   * Who is signed in, which of their browser sessions this request rides on, and
   * when that session last proved who it is (step-up/freshness.ts).
   */
  viewer: { id: string; name: string; email: string; sessionId: string; authenticatedAt: Date | null } | null;
}

/** A request's page context: its language and, when the caller read it, who is signed in. */
export function pageContextOf(c: Context, viewer: PageContext["viewer"] = null): PageContext {
  const locale = requestLocale(c);
  const url = new URL(c.req.url);
  return { locale, t: translator(locale), here: url.pathname + url.search, viewer };
}
