import { AsyncLocalStorage } from "node:async_hooks";
import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { DEFAULT_LOCALE, LOCALE_COOKIE, type Locale, pickLocale } from "../i18n/locale.js";

// Better Auth hands sendVerificationEmail no request when a page calls auth.api, so the language travels here.
const requestLocale = new AsyncLocalStorage<Locale>();

/**
 * On the routes that may send a verification email (sign-up, resend): the
 * request's language (the switcher's cookie, else Accept-Language), which the
 * email is written in.
 */
export function mailLocale(): MiddlewareHandler {
  return createMiddleware(async (c, next) => {
    const locale = pickLocale(getCookie(c, LOCALE_COOKIE), c.req.header("accept-language"));
    await requestLocale.run(locale, () => next());
  });
}

/** The language of the request now sending an email; English outside one. */
export function currentMailLocale(): Locale {
  return requestLocale.getStore() ?? DEFAULT_LOCALE;
}
