import { CreateTokenRequest } from "@claudemesh/sdk/contracts";
import { type Context, Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import type { Db } from "../db/database.js";
import type { MessageKey } from "../i18n/en.js";
import { stepUpRedirect } from "../middleware/step-up.js";
import { requireViewer } from "../next-path.js";
import {
  CliTokensPage,
  DEFAULT_EXPIRY,
  EXPIRY_CHOICES,
  type NewTokenForm,
  RevokeConfirmPage,
  TOKENS_PATH,
} from "../pages/cli-tokens-page.js";
import type { OneTimeFlashes } from "../pages/one-time-flash.js";
import { requestInfo } from "../request-info.js";
import type { SecurityNotices } from "../security-alerts/security-notices.js";
import { createPersonalAccessToken, findLiveToken, listTokens, revokeToken } from "../tokens/token-store.js";
import { formFields } from "../validation.js";

/** `?done=` after a revoke: which notice to show (never text from the URL itself). */
const DONE_NOTICES: Record<string, MessageKey> = {
  "token-revoked": "tokens.done.tokenRevoked",
  "session-revoked": "tokens.done.sessionRevoked",
  gone: "tokens.done.alreadyGone",
};

/**
 * The CLI tokens dashboard (seed 003 "dashboard PAT UI"): list, create and
 * revoke personal access tokens, and revoke CLI sessions, with plain forms.
 * Revoking here is the same revocation the API does, so the next CLI call
 * with that token fails at once.
 */
export function cliTokensDashboardRoutes({
  db,
  flashes,
  notices,
  now,
}: {
  db: Db;
  flashes: OneTimeFlashes;
  notices: SecurityNotices;
  now: () => Date;
}) {
  const routes = new Hono<AppEnv>();

  routes.use("*", requireViewer(TOKENS_PATH));

  const viewerId = (c: Context<AppEnv>) => c.var.page.viewer?.id ?? "";

  async function render(
    c: Context<AppEnv>,
    extra: { created?: { name: string; token: string }; form?: NewTokenForm; done?: MessageKey } = {},
    status: 200 | 201 | 400 = 200,
  ) {
    const at = now();
    const [pats, sessions] = await Promise.all([
      listTokens(db, viewerId(c), "pat", at),
      listTokens(db, viewerId(c), "session", at),
    ]);
    return c.html(<CliTokensPage page={c.var.page} pats={pats} sessions={sessions} {...extra} />, status);
  }

  routes.get("/", (c) => {
    const flash = flashes.take(c, now());
    const created = flash?.kind === "token" ? { name: flash.name, token: flash.value } : undefined;
    // `claudemesh tokens create --name … --expires-in …` opens this page with its form filled in.
    const asked = c.req.query("expiry");
    const form = {
      name: (c.req.query("name") ?? "").slice(0, 100),
      expiry: EXPIRY_CHOICES.find((choice) => choice.value === asked)?.value ?? DEFAULT_EXPIRY,
    };
    return render(c, { created, form, done: DONE_NOTICES[c.req.query("done") ?? ""] });
  });

  routes.post("/", formFields, async (c) => {
    const confirmFirst = stepUpRedirect(c, now(), TOKENS_PATH);
    if (confirmFirst) return confirmFirst;
    const body = c.req.valid("form");
    const name = (body.name ?? "").trim();
    const expiry = body.expiry ?? "";
    const choice = EXPIRY_CHOICES.find((option) => option.value === expiry);
    const parsed = CreateTokenRequest.safeParse({ name, expires_in_days: choice?.days });
    if (!choice || !parsed.success) {
      const error: MessageKey = !choice
        ? "tokens.new.expiryInvalid"
        : name.length === 0
          ? "tokens.new.nameMissing"
          : name.length > 100
            ? "tokens.new.nameLong"
            : "tokens.new.nameInvalid";
      return render(c, { form: { name: name.slice(0, 100), expiry: choice?.value ?? DEFAULT_EXPIRY, error } }, 400);
    }
    const created = await createPersonalAccessToken(db, {
      userId: viewerId(c),
      name: parsed.data.name,
      days: choice.days,
      request: requestInfo(c),
      now: now(),
    });
    await notices.credentialCreated(created.row.id, now());
    // Shown once on the page this redirects to: a reload there lists the token, never makes another.
    flashes.put(c, { kind: "token", name: parsed.data.name, value: created.token }, now());
    return c.redirect(TOKENS_PATH, 303);
  });

  routes.get("/revoke/:id", async (c) => {
    const row = await findLiveToken(db, viewerId(c), c.req.param("id"), now());
    if (!row) return c.redirect(`${TOKENS_PATH}?done=gone`, 302);
    return c.html(<RevokeConfirmPage page={c.var.page} row={row} />);
  });

  routes.post("/revoke/:id", async (c) => {
    const row = await findLiveToken(db, viewerId(c), c.req.param("id"), now());
    const revoked = row
      ? await revokeToken(db, { userId: viewerId(c), id: row.id, kind: row.kind }, requestInfo(c), now())
      : undefined;
    if (!row || !revoked) return c.redirect(`${TOKENS_PATH}?done=gone`, 303);
    return c.redirect(`${TOKENS_PATH}?done=${row.kind === "pat" ? "token-revoked" : "session-revoked"}`, 303);
  });

  return routes;
}
