import { isAPIError } from "better-auth/api";
import { type Context, Hono } from "hono";
import { setCookie } from "hono/cookie";
import { looksLikeEmail } from "../accounts/email-address.js";
import { type PasswordLimits, takeSignUpAttempt } from "../accounts/password-attempts.js";
import { looksBlankOrAlike, UserName } from "../accounts/user-name.js";
import type { AppEnv } from "../app-env.js";
import { type Auth, betterAuthErrorCode } from "../auth.js";
import type { Db } from "../db/database.js";
import type { MessageKey } from "../i18n/en.js";
import { isLocale, LOCALE_COOKIE } from "../i18n/locale.js";
import { HOME_PATH, safeNextPath } from "../next-path.js";
import { LoginPage, RegisterPage, SignOutPage } from "../pages/auth-pages.js";
import { MessagePage } from "../pages/message-page.js";
import { requestInfo } from "../request-info.js";
import { formFields } from "../validation.js";

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

export interface WebAuthRouteDeps {
  db: Db;
  auth: Auth;
  passwords: PasswordLimits;
  publicUrl: string;
  now: () => Date;
}

/** Passes on the cookies Better Auth set (the session), then sends the browser on. */
function redirectWithCookies(c: Context, headers: Headers, location: string) {
  for (const cookie of headers.getSetCookie()) c.header("set-cookie", cookie, { append: true });
  return c.redirect(location, 303);
}

const SIGN_UP_ERRORS: Record<string, MessageKey> = {
  PASSWORD_TOO_SHORT: "register.passwordShort",
  PASSWORD_TOO_LONG: "register.passwordLong",
  INVALID_EMAIL: "register.emailInvalid",
};

/**
 * The browser's own account pages on Better Auth: `/login`, `/register`,
 * `/logout`, and the language switcher. Forms post back here (no script
 * needed); `next` survives every step but only ever points at this site.
 */
export function webAuthRoutes({ db, auth, passwords, publicUrl, now }: WebAuthRouteDeps) {
  const routes = new Hono<AppEnv>();
  const secureCookies = new URL(publicUrl).protocol === "https:";

  routes.get("/", (c) => c.redirect(c.var.page.viewer ? HOME_PATH : "/login", 302));

  routes.get("/login", (c) => {
    const next = safeNextPath(c.req.query("next"));
    if (c.var.page.viewer) return c.redirect(next, 302);
    const notice = c.req.query("signed_out") !== undefined ? "login.signedOut" : undefined;
    return c.html(<LoginPage page={c.var.page} next={next} notice={notice} />);
  });

  /** One password sign-in under the password limits: the session's cookies, or null for a wrong password. */
  const signIn = (c: Context<AppEnv>, email: string, password: string) =>
    passwords.attempt(c, email, now(), async () => {
      try {
        const { headers, response } = await auth.api.signInEmail({
          body: { email, password },
          headers: c.req.raw.headers,
          returnHeaders: true,
        });
        return { outcome: "right", value: { headers, secondStep: "twoFactorRedirect" in response } };
      } catch (error) {
        if (!isAPIError(error)) throw error;
        return {
          outcome: betterAuthErrorCode(error) === "INVALID_EMAIL_OR_PASSWORD" ? "wrong" : "unchecked",
          value: null,
        };
      }
    });

  routes.post("/login", formFields, async (c) => {
    const form = c.req.valid("form");
    const next = safeNextPath(form.next ?? "");
    const email = (form.email ?? "").trim().toLowerCase();
    const password = form.password ?? "";
    const again = (status: 400 | 401 | 429, error: MessageKey) =>
      c.html(<LoginPage page={c.var.page} next={next} email={email} error={error} />, status);
    if (!email || !password) return again(400, "login.missing");

    const signedIn = await signIn(c, email, password);
    if (signedIn.refused) return again(429, "login.limited");
    if (!signedIn.value) return again(401, "login.invalid");
    // This browser knew the password: its device cookie lets it past the account's back-off next time.
    const device = await passwords.devices.issue(email);
    if (device) c.header("set-cookie", device, { append: true });
    // Two-factor accounts: Better Auth set a short-lived cookie for the code step instead of a session.
    const { headers, secondStep } = signedIn.value;
    if (secondStep) return redirectWithCookies(c, headers, `/login/two-factor?next=${encodeURIComponent(next)}`);
    return redirectWithCookies(c, headers, next);
  });

  routes.get("/register", (c) => {
    const next = safeNextPath(c.req.query("next"));
    if (c.var.page.viewer) return c.redirect(next, 302);
    return c.html(<RegisterPage page={c.var.page} next={next} />);
  });

  routes.post("/register", formFields, async (c) => {
    const form = c.req.valid("form");
    const next = safeNextPath(form.next ?? "");
    const name = (form.name ?? "").trim();
    const email = (form.email ?? "").trim().toLowerCase();
    const password = form.password ?? "";
    const again = (error: MessageKey, status: 400 | 429 = 400) =>
      c.html(<RegisterPage page={c.var.page} next={next} name={name} email={email} error={error} />, status);
    if (!name) return again("register.nameMissing");
    if (!UserName.safeParse(name).success) {
      return again(looksBlankOrAlike(name) ? "register.nameInvisible" : "register.nameInvalid");
    }
    if (!looksLikeEmail(email)) return again("register.emailInvalid");
    if (password.length < 8) return again("register.passwordShort");
    if (password.length > 128) return again("register.passwordLong");
    if (!(await takeSignUpAttempt(db, requestInfo(c).ipAddress, now()))) return again("register.limited", 429);
    try {
      // Answers alike for a free and a taken address (a taken one's owner gets an email instead).
      await auth.api.signUpEmail({ body: { name, email, password }, headers: c.req.raw.headers });
    } catch (error) {
      if (!isAPIError(error)) throw error;
      return again(SIGN_UP_ERRORS[betterAuthErrorCode(error) ?? ""] ?? "register.failed");
    }
    // A new account's password signs it in, as signing in would; any other ends on the same "check your email".
    const signedIn = await signIn(c, email, password);
    if (!signedIn.refused && signedIn.value) return redirectWithCookies(c, signedIn.value.headers, next);
    const { page } = c.var;
    return c.html(
      <MessagePage
        page={page}
        title={page.t("register.checkEmail.title")}
        message={page.t("register.checkEmail.body", { email })}
      />,
    );
  });

  routes.get("/logout", (c) => {
    if (!c.var.page.viewer) return c.redirect("/login", 302);
    return c.html(<SignOutPage page={c.var.page} />);
  });

  routes.post("/logout", async (c) => {
    if (!c.var.page.viewer) return c.redirect("/login?signed_out", 303);
    const { headers } = await auth.api.signOut({ headers: c.req.raw.headers, returnHeaders: true });
    return redirectWithCookies(c, headers, "/login?signed_out");
  });

  routes.get("/lang/:locale", (c) => {
    const locale = c.req.param("locale");
    const next = safeNextPath(c.req.query("next"));
    if (isLocale(locale)) {
      setCookie(c, LOCALE_COOKIE, locale, {
        path: "/",
        maxAge: ONE_YEAR_SECONDS,
        httpOnly: true,
        sameSite: "Lax",
        secure: secureCookies,
      });
    }
    return c.redirect(next, 303);
  });

  return routes;
}
