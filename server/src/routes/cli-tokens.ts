import {
  type CreatedToken,
  CreateTokenRequest,
  DEFAULT_PAT_LIFETIME_DAYS,
  type RevokedResponse,
  type TokenList,
  type TokenSummary,
} from "@claudemesh/sdk/contracts";
import { ClaudemeshError } from "@claudemesh/sdk/errors";
import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import type { Db } from "../db/database.js";
import { requireFreshCaller } from "../middleware/step-up.js";
import { browserLabel } from "../pages/browser-label.js";
import { TOKENS_PATH } from "../pages/cli-tokens-page.js";
import { requestInfo } from "../request-info.js";
import type { SecurityNotices } from "../security-alerts/security-notices.js";
import { createPersonalAccessToken, listTokens, revokeToken, type TokenRow } from "../tokens/token-store.js";
import type { TokenUseRecorder } from "../tokens/token-use-recorder.js";
import { validJson } from "../validation.js";

function summary(row: TokenRow): TokenSummary {
  return {
    id: row.id,
    name: row.name,
    created_at: row.createdAt.toISOString(),
    last_used_at: row.lastUsedAt?.toISOString() ?? null,
    expires_at: row.expiresAt?.toISOString() ?? null,
    ip_address: row.ipAddress,
    browser: browserLabel(row.userAgent),
    flow: row.flow,
  };
}

/**
 * `/api/my/cli/tokens`: personal access tokens. The raw value is answered once,
 * at creation, which only a browser session may ask for: a token (a phished CLI
 * session, a leaked PAT) must not mint itself a longer life.
 */
export function cliTokenRoutes({
  db,
  notices,
  tokenUses,
  now,
}: {
  db: Db;
  notices: SecurityNotices;
  tokenUses: TokenUseRecorder;
  now: () => Date;
}) {
  const routes = new Hono<AppEnv>();

  // A browser session creates a token only within the hour after it proved who it is (step-up).
  routes.post("/", requireFreshCaller(now), validJson(CreateTokenRequest), async (c) => {
    const caller = c.var.caller;
    if (caller.kind !== "web") {
      throw new ClaudemeshError(
        "web_session_required",
        `Personal access tokens are created in the browser, at ${TOKENS_PATH}, not with a token.`,
      );
    }
    // Accepting scopes and ignoring them would hand out full access to someone who asked for less.
    if ((c.var.json as Record<string, unknown> | undefined)?.scopes !== undefined) {
      throw new ClaudemeshError(
        "scopes_unsupported",
        "Token scopes are not supported yet: every token has its account's full access.",
      );
    }
    const input = c.req.valid("json");
    const days = input.expires_in_days === undefined ? DEFAULT_PAT_LIFETIME_DAYS : input.expires_in_days;
    const created = await createPersonalAccessToken(db, {
      userId: caller.user.id,
      name: input.name,
      days,
      request: requestInfo(c),
      now: now(),
    });
    await notices.credentialCreated(created.row.id, now());
    return c.json({ ...summary(created.row), token: created.token } satisfies CreatedToken, 201);
  });

  routes.get("/", async (c) => {
    // The list shows this very request's use (written after answering, see TokenUseRecorder).
    await tokenUses.settled();
    const rows = await listTokens(db, c.var.caller.user.id, "pat", now());
    return c.json({ tokens: rows.map(summary) } satisfies TokenList);
  });

  routes.delete("/:id", async (c) => {
    const caller = c.var.caller;
    const at = now();
    const revoked = await revokeToken(
      db,
      { userId: caller.user.id, id: c.req.param("id"), kind: "pat" },
      requestInfo(c),
      at,
    );
    if (!revoked) throw new ClaudemeshError("not_found", "No such personal access token.");
    return c.json({ id: revoked.id, revoked_at: at.toISOString() } satisfies RevokedResponse);
  });

  return routes;
}
