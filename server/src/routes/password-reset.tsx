import { isAPIError } from "better-auth/api";
import { Hono } from "hono";
import { looksLikeEmail, MAX_EMAIL_LENGTH } from "../accounts/email-address.js";
import type { AppEnv } from "../app-env.js";
import { type Auth, betterAuthErrorCode } from "../auth.js";
import type { Db } from "../db/database.js";
import { ForgotPasswordPage, ResetPasswordPage } from "../pages/auth-pages.js";
import { MessagePage } from "../pages/message-page.js";
import type { PageContext } from "../pages/page-context.js";
import {
  FORGOT_PASSWORD_PATH,
  RESET_PASSWORD_PATH,
  takePasswordResetAttempt,
} from "../password-reset/password-reset.js";
import { requestInfo } from "../request-info.js";
import { formFields } from "../validation.js";

/** An address a browser's email field takes: what sign-up and invites accept. */

/**
 * `/forgot-password` and `/reset-password`: Better Auth's reset flow as pages.
 * The first answers alike whether or not the address has an account; the
 * second sets the new password, which ends every session (auth.ts).
 */
export function passwordResetRoutes({ db, auth, now }: { db: Db; auth: Auth; now: () => Date }) {
  const routes = new Hono<AppEnv>();

  routes.get(FORGOT_PASSWORD_PATH, (c) =>
    c.html(<ForgotPasswordPage page={c.var.page} email={(c.req.query("email") ?? "").slice(0, MAX_EMAIL_LENGTH)} />),
  );

  routes.post(FORGOT_PASSWORD_PATH, formFields, async (c) => {
    const email = (c.req.valid("form").email ?? "").trim().toLowerCase();
    const page = c.var.page;
    if (!looksLikeEmail(email)) {
      return c.html(<ForgotPasswordPage page={page} email={email} error="forgot.emailInvalid" />, 400);
    }
    if (!(await takePasswordResetAttempt(db, { email, ip: requestInfo(c).ipAddress, now: now() }))) {
      return c.html(<ForgotPasswordPage page={page} email={email} error="forgot.limited" />, 429);
    }
    await auth.api.requestPasswordReset({ body: { email }, headers: c.req.raw.headers });
    return c.html(
      <MessagePage page={page} title={page.t("forgot.sent.title")} message={page.t("forgot.sent.body", { email })} />,
    );
  });

  const invalidLink = (page: PageContext) => (
    <MessagePage page={page} title={page.t("reset.invalid.title")} message={page.t("reset.invalid.body")} tone="bad">
      <div class="actions">
        <a class="button primary" href={FORGOT_PASSWORD_PATH}>
          {page.t("reset.invalid.again")}
        </a>
      </div>
    </MessagePage>
  );

  routes.get(RESET_PASSWORD_PATH, (c) => {
    const token = c.req.query("token") ?? "";
    if (!token) return c.html(invalidLink(c.var.page), 400);
    return c.html(<ResetPasswordPage page={c.var.page} token={token} />);
  });

  routes.post(RESET_PASSWORD_PATH, formFields, async (c) => {
    const form = c.req.valid("form");
    const token = form.token ?? "";
    const password = form.password ?? "";
    const page = c.var.page;
    if (!token) return c.html(invalidLink(page), 400);
    if (password.length < 8 || password.length > 128) {
      const error = password.length < 8 ? "register.passwordShort" : "register.passwordLong";
      return c.html(<ResetPasswordPage page={page} token={token} error={error} />, 400);
    }
    try {
      await auth.api.resetPassword({ body: { newPassword: password, token }, headers: c.req.raw.headers });
    } catch (error) {
      if (!isAPIError(error)) throw error;
      if (betterAuthErrorCode(error) === "INVALID_TOKEN") return c.html(invalidLink(page), 400);
      return c.html(<ResetPasswordPage page={page} token={token} error="register.failed" />, 400);
    }
    return c.html(
      <MessagePage page={page} title={page.t("reset.done.title")} message={page.t("reset.done.body")} tone="ok">
        <div class="actions">
          <a class="button primary" href="/login">
            {page.t("reset.done.signIn")}
          </a>
        </div>
      </MessagePage>,
    );
  });

  return routes;
}
