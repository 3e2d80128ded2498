import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { endSessionsAfterPasswordChange } from "../accounts/password-change.js";
import type { AppEnv } from "../app-env.js";
import type { Db } from "../db/database.js";
import { user } from "../db/schema.js";
import { TOKENS_PATH } from "../pages/cli-tokens-page.js";
import { MessagePage } from "../pages/message-page.js";
import type { PageContext } from "../pages/page-context.js";
import { FORGOT_PASSWORD_PATH } from "../password-reset/password-reset.js";
import { requestInfo } from "../request-info.js";
import { findOpenAlert, spendAlert } from "../security-alerts/alert-store.js";
import { ALERT_PATH } from "../security-alerts/security-notices.js";
import { revokeToken } from "../tokens/token-store.js";

/**
 * `/security-alert/:secret`, the "this wasn't me" link of a security email.
 * The GET only asks (mail scanners open links); the POST, once, revokes the
 * credential the email was about and ends everything a password change ends,
 * then sends the person on to choose a new password. The link's secret is the
 * authority: whoever got in may have changed the password.
 */
export function securityAlertRoutes({ db, now }: { db: Db; now: () => Date }) {
  const routes = new Hono<AppEnv>();

  const gone = (page: PageContext) => (
    <MessagePage page={page} title={page.t("alert.gone.title")} message={page.t("alert.gone.body")} tone="bad">
      <div class="actions">
        <a class="button" href={TOKENS_PATH}>
          {page.t("tokens.title")}
        </a>
        <a class="button primary" href={FORGOT_PASSWORD_PATH}>
          {page.t("alert.done.reset")}
        </a>
      </div>
    </MessagePage>
  );

  routes.get("/:secret", async (c) => {
    const page = c.var.page;
    const alert = await findOpenAlert(db, c.req.param("secret"), now());
    if (!alert) return c.html(gone(page), 404);
    return c.html(
      <MessagePage page={page} title={page.t("alert.title")} message={page.t(`alert.body.${alert.kind}`)}>
        <p class="muted">{page.t("alert.body.all")}</p>
        <div class="actions">
          <a class="button" href="/">
            {page.t("alert.cancel")}
          </a>
          <form method="post" action={`${ALERT_PATH}/${c.req.param("secret")}`}>
            <button type="submit" class="danger">
              {page.t("alert.confirm")}
            </button>
          </form>
        </div>
      </MessagePage>,
    );
  });

  routes.post("/:secret", async (c) => {
    const page = c.var.page;
    const at = now();
    const alert = await spendAlert(db, c.req.param("secret"), at);
    if (!alert) return c.html(gone(page), 404);
    if (alert.targetId && alert.kind !== "password") {
      const kind = alert.kind === "pat" ? "pat" : "session";
      await revokeToken(db, { userId: alert.userId, id: alert.targetId, kind }, requestInfo(c), at);
    }
    await endSessionsAfterPasswordChange(db, {
      userId: alert.userId,
      keepWebSession: null,
      reason: "auth.alert.not-me",
      now: at,
    });
    const [owner] = await db.select({ email: user.email }).from(user).where(eq(user.id, alert.userId));
    const reset = `${FORGOT_PASSWORD_PATH}?email=${encodeURIComponent(owner?.email ?? "")}`;
    return c.html(
      <MessagePage page={page} title={page.t("alert.done.title")} message={page.t("alert.done.body")} tone="ok">
        <div class="actions">
          <a class="button primary" href={reset}>
            {page.t("alert.done.reset")}
          </a>
        </div>
      </MessagePage>,
    );
  });

  return routes;
}
