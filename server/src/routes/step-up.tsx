import { isAPIError } from "better-auth/api";
import { and, eq } from "drizzle-orm";
import { type Context, Hono } from "hono";
import type { PasswordLimits } from "../accounts/password-attempts.js";
import { hasSecondFactor, secondFactorsOf } from "../accounts/second-factors.js";
import type { AppEnv } from "../app-env.js";
import { type Auth, betterAuthErrorCode } from "../auth.js";
import type { Db } from "../db/database.js";
import { passkey, session } from "../db/schema.js";
import type { MessageKey } from "../i18n/en.js";
import { stepUpRedirect } from "../middleware/step-up.js";
import { requireViewer, safeNextPath, viewerOf } from "../next-path.js";
import { SECURITY_PATH } from "../pages/security-page.js";
import { ConfirmPage, TwoFactorSetupPage, TwoFactorSignInPage } from "../pages/step-up-pages.js";
import { CONFIRM_PATH, isFreshlyAuthenticated, recordStepUp } from "../step-up/freshness.js";
import { formFields } from "../validation.js";

export interface StepUpRouteDeps {
  db: Db;
  auth: Auth;
  passwords: PasswordLimits;
  now: () => Date;
}

/** Better Auth's codes for a second-factor code or password that was checked and was wrong. */
const WRONG_CODES = new Set(["INVALID_CODE", "INVALID_BACKUP_CODE", "INVALID_PASSWORD"]);

/** An authenticator app's code is six digits; anything else typed there is taken as a backup code. */
const isTotpCode = (code: string) => /^\d{6}$/.test(code);

/** Passes on the cookies Better Auth set (a session it swapped for a new one). */
function withCookies(c: Context, headers: Headers) {
  for (const cookie of headers.getSetCookie()) c.header("set-cookie", cookie, { append: true });
}

/**
 * Checks a TOTP or backup code for the signed-in account through Better Auth,
 * under the same database-backed limits as a password (with a session, Better
 * Auth counts no wrong codes itself). Backup codes are used up as they are checked.
 */
async function checkSecondFactorCode(
  c: Context<AppEnv>,
  deps: StepUpRouteDeps,
  email: string,
  code: string,
): Promise<{ refused: true } | { refused: false; value: Headers | null }> {
  return deps.passwords.attempt(c, email, deps.now(), async () => {
    const headers = c.req.raw.headers;
    try {
      const answer = isTotpCode(code)
        ? await deps.auth.api.verifyTOTP({ body: { code }, headers, returnHeaders: true })
        : await deps.auth.api.verifyBackupCode({ body: { code }, headers, returnHeaders: true });
      return { outcome: "right", value: answer.headers };
    } catch (error) {
      if (!isAPIError(error)) throw error;
      return { outcome: WRONG_CODES.has(betterAuthErrorCode(error) ?? "") ? "wrong" : "unchecked", value: null };
    }
  });
}

/**
 * `/confirm`: "Confirm it's you" (step-up). The password for an account without
 * a second factor; otherwise its authenticator code, a backup code or a passkey,
 * never the password alone. A right answer marks this browser session fresh in
 * the database for an hour (step-up/freshness.ts) and goes back to `next`.
 */
export function confirmRoutes(deps: StepUpRouteDeps) {
  const { db, auth, now } = deps;
  const routes = new Hono<AppEnv>();
  routes.use("*", requireViewer(CONFIRM_PATH));

  const page = async (c: Context<AppEnv>, next: string, error?: MessageKey, status: 200 | 400 | 401 | 429 = 200) =>
    c.html(
      <ConfirmPage page={c.var.page} next={next} factors={await secondFactorsOf(db, viewerOf(c).id)} error={error} />,
      status,
    );

  const confirmed = async (c: Context<AppEnv>, next: string) => {
    await recordStepUp(db, viewerOf(c).sessionId, now());
    return c.redirect(next, 303);
  };

  routes.get("/", async (c) => {
    const next = safeNextPath(c.req.query("next"));
    if (isFreshlyAuthenticated(viewerOf(c).authenticatedAt, now())) return c.redirect(next, 302);
    return page(c, next);
  });

  routes.post("/", formFields, async (c) => {
    const viewer = viewerOf(c);
    const form = c.req.valid("form");
    const next = safeNextPath(form.next ?? "");
    const factors = await secondFactorsOf(db, viewer.id);

    if (factors.totp) {
      const code = (form.code ?? "").replace(/\s+/g, "");
      if (!code) return page(c, next, "confirm.missing", 400);
      const checked = await checkSecondFactorCode(c, deps, viewer.email, code);
      if (checked.refused) return page(c, next, "confirm.limited", 429);
      if (!checked.value) return page(c, next, "confirm.wrongCode", 401);
      return confirmed(c, next);
    }
    // A passkey account proves itself with the passkey: its password alone is what a phisher has.
    if (hasSecondFactor(factors)) return page(c, next, "confirm.passkeyFailed", 400);

    const password = form.password ?? "";
    if (!password) return page(c, next, "confirm.missing", 400);
    const checked = await deps.passwords.attempt(c, viewer.email, now(), async () => {
      try {
        await auth.api.verifyPassword({ body: { password }, headers: c.req.raw.headers });
        return { outcome: "right", value: true };
      } catch (error) {
        if (!isAPIError(error)) throw error;
        return { outcome: betterAuthErrorCode(error) === "INVALID_PASSWORD" ? "wrong" : "unchecked", value: false };
      }
    });
    if (checked.refused) return page(c, next, "confirm.limited", 429);
    if (!checked.value) return page(c, next, "confirm.wrongPassword", 401);
    return confirmed(c, next);
  });

  // The passkey button's form: a WebAuthn assertion, checked by Better Auth against this account's passkeys.
  routes.post("/passkey", formFields, async (c) => {
    const viewer = viewerOf(c);
    const form = c.req.valid("form");
    const next = safeNextPath(form.next ?? "");
    let response: unknown;
    try {
      response = JSON.parse(form.assertion ?? "");
    } catch {
      return page(c, next, "confirm.passkeyFailed", 400);
    }
    try {
      const signedIn = await auth.api.verifyPasskeyAuthentication({
        body: { response: response as never },
        headers: c.req.raw.headers,
      });
      // Better Auth answers a passkey with a new session; step-up keeps this one, so that one goes.
      await db.delete(session).where(eq(session.id, signedIn.session.id));
      if (signedIn.session.userId !== viewer.id) return page(c, next, "confirm.passkeyFailed", 401);
    } catch (error) {
      if (!isAPIError(error)) throw error;
      return page(c, next, "confirm.passkeyFailed", 401);
    }
    return confirmed(c, next);
  });

  return routes;
}

/**
 * `/login/two-factor`: after a right password on an account with two-factor
 * authentication, the code. Better Auth's signed cookie carries the half-done
 * sign-in (ten minutes, five wrong codes, and its per-account lock).
 */
export function twoFactorSignInRoutes({ auth }: { auth: Auth }) {
  const routes = new Hono<AppEnv>();

  const page = (c: Context<AppEnv>, next: string, error?: MessageKey, status: 200 | 400 | 401 | 429 = 200) =>
    c.html(
      <TwoFactorSignInPage
        page={c.var.page}
        next={next}
        error={error}
        restart={error === "twoFactor.signIn.expired" || error === "twoFactor.signIn.locked"}
      />,
      status,
    );

  routes.get("/", (c) => {
    const next = safeNextPath(c.req.query("next"));
    if (c.var.page.viewer) return c.redirect(next, 302);
    return page(c, next);
  });

  routes.post("/", formFields, async (c) => {
    const form = c.req.valid("form");
    const next = safeNextPath(form.next ?? "");
    const code = (form.code ?? "").replace(/\s+/g, "");
    if (!code) return page(c, next, "twoFactor.signIn.invalid", 400);
    const headers = c.req.raw.headers;
    try {
      const answer = isTotpCode(code)
        ? await auth.api.verifyTOTP({ body: { code }, headers, returnHeaders: true })
        : await auth.api.verifyBackupCode({ body: { code }, headers, returnHeaders: true });
      withCookies(c, answer.headers);
      return c.redirect(next, 303);
    } catch (error) {
      if (!isAPIError(error)) throw error;
      const reason = betterAuthErrorCode(error);
      if (reason && WRONG_CODES.has(reason)) return page(c, next, "twoFactor.signIn.invalid", 401);
      if (reason === "ACCOUNT_TEMPORARILY_LOCKED") return page(c, next, "twoFactor.signIn.locked", 429);
      return page(c, next, "twoFactor.signIn.expired", 401);
    }
  });

  return routes;
}

/** `?two_factor_error=` after a refused second-factor action on the security page (never text from the URL). */
export const SECOND_FACTOR_ERRORS: Record<string, MessageKey> = {
  "wrong-password": "security.twoFactor.wrongPassword",
  limited: "security.twoFactor.limited",
  stale: "security.twoFactor.setup.stale",
};

/**
 * The security page's second factors: turn two-factor authentication on (the
 * key and backup codes are shown once, then the first code turns it on) or off,
 * and remove a passkey. Each needs a fresh session (step-up) and, where Better
 * Auth asks for it, the password too. Passkeys are added by the page's script
 * through Better Auth's own routes, which app.ts holds to the same step-up.
 */
export function secondFactorDashboardRoutes(deps: StepUpRouteDeps) {
  const { db, auth, now } = deps;
  const routes = new Hono<AppEnv>();
  routes.use("*", requireViewer(SECURITY_PATH));

  const refused = (c: Context<AppEnv>, reason: keyof typeof SECOND_FACTOR_ERRORS) =>
    c.redirect(`${SECURITY_PATH}?two_factor_error=${reason}`, 303);

  /**
   * A password-checked Better Auth call, under the password limits: its answer,
   * `wrong` for a wrong password, or `stale` when Better Auth refused for another
   * reason (already on, already off: the page was out of date).
   */
  async function withPassword<T>(c: Context<AppEnv>, call: () => Promise<T>) {
    return deps.passwords.attempt<T | "wrong" | "stale">(c, viewerOf(c).email, now(), async () => {
      try {
        return { outcome: "right", value: await call() };
      } catch (error) {
        if (!isAPIError(error)) throw error;
        if (betterAuthErrorCode(error) === "INVALID_PASSWORD") return { outcome: "wrong", value: "wrong" };
        return { outcome: "unchecked", value: "stale" };
      }
    });
  }

  routes.post("/two-factor/enable", formFields, async (c) => {
    const confirmFirst = stepUpRedirect(c, now(), SECURITY_PATH);
    if (confirmFirst) return confirmFirst;
    const password = c.req.valid("form").password ?? "";
    const attempt = await withPassword(c, () =>
      auth.api.enableTwoFactor({ body: { password }, headers: c.req.raw.headers }),
    );
    if (attempt.refused) return refused(c, "limited");
    const enabled = attempt.value;
    if (enabled === "wrong") return refused(c, "wrong-password");
    if (enabled === "stale" || !("totpURI" in enabled) || !enabled.totpURI) return refused(c, "stale");
    return c.html(
      <TwoFactorSetupPage page={c.var.page} totpUri={enabled.totpURI} backupCodes={enabled.backupCodes ?? []} />,
    );
  });

  routes.post("/two-factor/verify", formFields, async (c) => {
    const confirmFirst = stepUpRedirect(c, now(), SECURITY_PATH);
    if (confirmFirst) return confirmFirst;
    const code = (c.req.valid("form").code ?? "").replace(/\s+/g, "");
    if (!isTotpCode(code)) return refused(c, "stale");
    const checked = await checkSecondFactorCode(c, deps, viewerOf(c).email, code);
    if (checked.refused) return refused(c, "limited");
    // The key and backup codes are not kept anywhere to show again: a wrong first code starts set-up over.
    if (!checked.value) return refused(c, "stale");
    withCookies(c, checked.value);
    return c.redirect(`${SECURITY_PATH}?done=two-factor-on`, 303);
  });

  routes.post("/two-factor/disable", formFields, async (c) => {
    const confirmFirst = stepUpRedirect(c, now(), SECURITY_PATH);
    if (confirmFirst) return confirmFirst;
    const password = c.req.valid("form").password ?? "";
    const attempt = await withPassword(c, () =>
      auth.api.disableTwoFactor({ body: { password }, headers: c.req.raw.headers, returnHeaders: true }),
    );
    if (attempt.refused) return refused(c, "limited");
    if (attempt.value === "wrong") return refused(c, "wrong-password");
    if (attempt.value === "stale") return refused(c, "stale");
    withCookies(c, attempt.value.headers);
    return c.redirect(`${SECURITY_PATH}?done=two-factor-off`, 303);
  });

  routes.post("/passkeys/:id/remove", async (c) => {
    const confirmFirst = stepUpRedirect(c, now(), SECURITY_PATH);
    if (confirmFirst) return confirmFirst;
    const removed = await db
      .delete(passkey)
      .where(and(eq(passkey.id, c.req.param("id")), eq(passkey.userId, viewerOf(c).id)))
      .returning({ id: passkey.id });
    return c.redirect(`${SECURITY_PATH}?done=${removed.length > 0 ? "passkey-removed" : "gone"}`, 303);
  });

  return routes;
}
