import { isAPIError } from "better-auth/api";
import { type Context, Hono } from "hono";
import type { PasswordLimits } from "../accounts/password-attempts.js";
import { secondFactorsOf } from "../accounts/second-factors.js";
import { endWebSessions, listWebSessions } from "../accounts/web-sessions.js";
import type { AppEnv } from "../app-env.js";
import { type Auth, betterAuthErrorCode } from "../auth.js";
import type { Db } from "../db/database.js";
import type { MessageKey } from "../i18n/en.js";
import { stepUpRedirect } from "../middleware/step-up.js";
import { requireViewer, viewerOf } from "../next-path.js";
import { SECURITY_PATH, type SecurityNotice, SecurityPage } from "../pages/security-page.js";
import { requestInfo } from "../request-info.js";
import { listTokens, revokeAllPersonalAccessTokens } from "../tokens/token-store.js";
import { formFields } from "../validation.js";
import { SECOND_FACTOR_ERRORS } from "./step-up.js";

/** `?done=` after an action: which notice to show (never text from the URL itself). */
const DONE_NOTICES: Record<string, MessageKey> = {
  "password-changed": "security.done.passwordChanged",
  "tokens-revoked": "security.done.tokensRevoked",
  "session-revoked": "security.done.sessionRevoked",
  "others-revoked": "security.done.othersRevoked",
  gone: "security.done.gone",
  "two-factor-on": "security.done.twoFactorOn",
  "two-factor-off": "security.done.twoFactorOff",
  "passkey-added": "security.done.passkeyAdded",
  "passkey-removed": "security.done.passkeyRemoved",
};

// Better Auth's own words for a new password it will not take.
const NEW_PASSWORD_ERRORS: Record<string, MessageKey> = {
  PASSWORD_TOO_SHORT: "register.passwordShort",
  PASSWORD_TOO_LONG: "register.passwordLong",
};

/** What a password change came to: Better Auth's cookies for this browser, or what to say. */
type PasswordChange = { headers: Headers } | { error: MessageKey };

/**
 * The security dashboard: change the password (under the same limits as
 * signing in; it ends every other session, auth.ts), list and end browser
 * sessions, and revoke every personal access token at once.
 */
export function securityDashboardRoutes({
  db,
  auth,
  passwords,
  now,
}: {
  db: Db;
  auth: Auth;
  passwords: PasswordLimits;
  now: () => Date;
}) {
  const routes = new Hono<AppEnv>();
  routes.use("*", requireViewer(SECURITY_PATH));

  async function render(c: Context<AppEnv>, passwordError?: MessageKey, status: 200 | 400 | 401 | 429 = 200) {
    const viewer = viewerOf(c);
    const at = now();
    const [sessions, pats, secondFactors] = await Promise.all([
      listWebSessions(db, viewer.id, at),
      listTokens(db, viewer.id, "pat", at),
      secondFactorsOf(db, viewer.id),
    ]);
    const done = DONE_NOTICES[c.req.query("done") ?? ""];
    const notices: SecurityNotice[] = done ? [{ key: done, tone: "ok" }] : [];
    // Right after a new password, the tokens it did not stop are the next thing to decide about.
    if (done === "security.done.passwordChanged" && pats.length > 0) {
      notices.push({ key: "security.done.tokensStillWork", tone: "warn", count: pats.length });
    }
    return c.html(
      <SecurityPage
        page={c.var.page}
        sessions={sessions}
        patCount={pats.length}
        notices={notices}
        passwordError={passwordError}
        secondFactors={secondFactors}
        secondFactorError={SECOND_FACTOR_ERRORS[c.req.query("two_factor_error") ?? ""]}
      />,
      status,
    );
  }

  routes.get("/", (c) => render(c));

  routes.post("/password", formFields, async (c) => {
    const confirmFirst = stepUpRedirect(c, now(), SECURITY_PATH);
    if (confirmFirst) return confirmFirst;
    const viewer = viewerOf(c);
    const form = c.req.valid("form");
    const currentPassword = form.current ?? "";
    const newPassword = form.password ?? "";
    if (!currentPassword || !newPassword) return render(c, "security.password.missing", 400);

    const attempt = await passwords.attempt<PasswordChange>(c, viewer.email, now(), async () => {
      try {
        const { headers } = await auth.api.changePassword({
          body: { currentPassword, newPassword },
          headers: c.req.raw.headers,
          returnHeaders: true,
        });
        return { outcome: "right", value: { headers } };
      } catch (error) {
        if (!isAPIError(error)) throw error;
        const code = betterAuthErrorCode(error);
        if (code === "INVALID_PASSWORD") return { outcome: "wrong", value: { error: "security.password.wrong" } };
        const known = typeof code === "string" ? NEW_PASSWORD_ERRORS[code] : undefined;
        return { outcome: "unchecked", value: { error: known ?? "security.password.missing" } };
      }
    });
    if (attempt.refused) return render(c, "security.password.limited", 429);
    const result = attempt.value;
    if ("error" in result) return render(c, result.error, result.error === "security.password.wrong" ? 401 : 400);
    for (const cookie of result.headers.getSetCookie()) c.header("set-cookie", cookie, { append: true });
    return c.redirect(`${SECURITY_PATH}?done=password-changed`, 303);
  });

  routes.post("/other-sessions/revoke", async (c) => {
    const viewer = viewerOf(c);
    await endWebSessions(db, {
      userId: viewer.id,
      which: { allBut: viewer.sessionId },
      request: requestInfo(c),
      now: now(),
    });
    return c.redirect(`${SECURITY_PATH}?done=others-revoked`, 303);
  });

  routes.post("/sessions/:id/revoke", async (c) => {
    const viewer = viewerOf(c);
    const id = c.req.param("id");
    // This browser signs out with the header's button; here it would only lose its own page.
    const ended =
      id === viewer.sessionId
        ? 0
        : await endWebSessions(db, { userId: viewer.id, which: { id }, request: requestInfo(c), now: now() });
    return c.redirect(`${SECURITY_PATH}?done=${ended > 0 ? "session-revoked" : "gone"}`, 303);
  });

  routes.post("/tokens/revoke-all", async (c) => {
    await revokeAllPersonalAccessTokens(db, viewerOf(c).id, requestInfo(c), now());
    return c.redirect(`${SECURITY_PATH}?done=tokens-revoked`, 303);
  });

  return routes;
}
