import { ClaudemeshError } from "@claudemesh/sdk/errors";
import { Hono, type MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env.js";
import { type Auth, betterAuthErrorCode } from "../auth.js";
import type { Db } from "../db/database.js";
import { VERIFIED_PATH } from "../email-verification/verification-email.js";
import { VerificationPage } from "../email-verification/verification-pages.js";
import { isAddressVerified } from "../email-verification/verified-address.js";
import { redirectToLogin, safeNextPath } from "../next-path.js";
import { formFields } from "../validation.js";

/** What a verification page says; the page context and `next` come from the request. */
type Outcome = Omit<Parameters<typeof VerificationPage>[0], "page" | "next">;

/** The verification page, sending a verified account on to `next`. */
const verifiedPageFor = (next: string) => `${VERIFIED_PATH}?next=${encodeURIComponent(next)}`;

/**
 * `/email-verification`: where a verification link lands (verified, or why
 * not), and `/email-verification/resend`, a form post that sends the
 * signed-in account a new link. Both for the signed-in account only.
 */
export function emailVerificationRoutes({ db, auth }: { db: Db; auth: Auth }) {
  const routes = new Hono<AppEnv>();

  routes.get("/", async (c) => {
    const viewer = c.var.page.viewer;
    if (!viewer) return redirectToLogin(c, c.var.page.here);
    const { t } = c.var.page;
    const next = safeNextPath(c.req.query("next"));
    const page = (props: Outcome) => c.html(<VerificationPage page={c.var.page} next={next} {...props} />);
    if (await isAddressVerified(db, viewer.id)) {
      const message = t("verify.done.body", { email: viewer.email });
      return page({ title: t("verify.done.title"), message, tone: "ok", offer: "continue" });
    }
    // Better Auth sends a failed link here with its code: TOKEN_EXPIRED, INVALID_TOKEN, …
    const error = c.req.query("error");
    if (error) {
      const message = t(error === "TOKEN_EXPIRED" ? "verify.expired.body" : "verify.invalid.body");
      return page({ title: t("verify.failed.title"), message, tone: "bad", offer: "resend" });
    }
    const message = t("verify.pending.body", { email: viewer.email });
    return page({ title: t("verify.pending.title"), message, tone: "neutral", offer: "resend" });
  });

  routes.post("/resend", formFields, async (c) => {
    const viewer = c.var.page.viewer;
    const next = safeNextPath(c.req.valid("form").next);
    if (!viewer) return redirectToLogin(c, verifiedPageFor(next));
    const { t } = c.var.page;
    const page = (status: 200 | 429 | 503, props: Outcome) =>
      c.html(<VerificationPage page={c.var.page} next={next} {...props} />, status);
    try {
      await auth.api.sendVerificationEmail({
        body: { email: viewer.email, callbackURL: verifiedPageFor(next) },
        headers: c.req.raw.headers,
      });
    } catch (error) {
      const code = betterAuthErrorCode(error);
      if (code === "EMAIL_ALREADY_VERIFIED") return c.redirect(verifiedPageFor(next), 303);
      if (code === "RATE_LIMITED") {
        const message = t("verify.limited.body", { email: viewer.email });
        return page(429, { title: t("verify.limited.title"), message, tone: "bad", offer: "none" });
      }
      if (code === "EMAIL_NOT_SENT") {
        const message = t("verify.notSent.body");
        return page(503, { title: t("verify.notSent.title"), message, tone: "bad", offer: "resend" });
      }
      throw error;
    }
    const message = t("verify.sent.body", { email: viewer.email });
    return page(200, { title: t("verify.sent.title"), message, tone: "ok", offer: "none" });
  });

  return routes;
}

/**
 * `POST /api/auth/send-verification-email` for the signed-in account only.
 * Without a session Better Auth would mail any unverified address on anyone's
 * say-so, spending that account's hourly emails; signing in needs no verified address.
 */
export function resendNeedsSession(auth: Auth): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!(await auth.api.getSession({ headers: c.req.raw.headers }))) {
      throw new ClaudemeshError("auth_required", "Sign in first, then ask for a new verification email.");
    }
    await next();
  });
}
