import type { Locale, Translate } from "../i18n/locale.js";

/** Who is looking at a page, in which language, and where they are (for the language switcher). */
export interface PageContext {
  locale: Locale;
  t: Translate;
  /** This page's path and query, so switching language comes back here. */
  here: string;
  /** Who is signed in, and which of their browser sessions this request rides on. */
  viewer: { id: string; name: string; email: string; sessionId: string } | null;
}
