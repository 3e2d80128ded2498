import { AsyncLocalStorage } from "node:async_hooks";
import type { MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import { DEFAULT_LOCALE, type Locale, requestLocale } from "../i18n/locale.js";

// Better Auth hands sendVerificationEmail no request when a page calls auth.api, so the language travels here.
const mailLocales = new AsyncLocalStorage<Locale>();

/**
 * On the routes that may send a verification email (sign-up, resend): the
 * request's language (the switcher's cookie, else Accept-Language), which the
 * email is written in.
 */
export function mailLocale(): MiddlewareHandler {
  return createMiddleware(async (c, next) => {
    await mailLocales.run(requestLocale(c), () => next());
  });
}

/** The language of the request now sending an email; English outside one. */
export function currentMailLocale(): Locale {
  return mailLocales.getStore() ?? DEFAULT_LOCALE;
}
