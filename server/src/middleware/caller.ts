import { ClaudemeshError } from "@claudemesh/sdk/errors";
import { parseToken } from "@claudemesh/sdk/token";
import type { Context, MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv, Caller } from "../app-env.js";
import type { Auth } from "../auth.js";
import type { Db } from "../db/database.js";
import { addressKey } from "../limits/address-key.js";
import { takeAttempt } from "../limits/attempts.js";
import { RATE_LIMITS } from "../limits/rate-limits.js";
import { requestInfo } from "../request-info.js";
import { prepareTokenLookup, useRecordedRecently } from "../tokens/token-store.js";
import type { TokenUseRecorder } from "../tokens/token-use-recorder.js";
import { crossSiteRefusal, isSameOrigin } from "./same-origin.js";

/** Who is signed in through Better Auth's cookie, or null. */
async function webSessionCaller(auth: Auth, headers: Headers): Promise<Caller | null> {
  const session = await auth.api.getSession({ headers });
  if (!session) return null;
  const { id, name, email } = session.user;
  return {
    user: { id, name, email },
    kind: "web",
    tokenId: null,
    tokenName: null,
    expiresAt: session.session.expiresAt,
    authenticatedAt: session.session.authenticatedAt ?? null,
  };
}

/**
 * `/api/my/*`: a `Bearer cm_…` token or a browser session. A token costs one
 * indexed read (so revocation is seen at once, on every instance) plus, at most
 * once a minute, a write of `last_used_at` that the answer does not wait for
 * (`tokenUses`). A 401 says why: token_invalid,
 * token_revoked, token_expired or auth_required.
 */
export function requireCaller(deps: {
  db: Db;
  auth: Auth;
  publicUrl: string;
  tokenUses: TokenUseRecorder;
  now: () => Date;
}): MiddlewareHandler<AppEnv> {
  const findToken = prepareTokenLookup(deps.db);
  const ours = new URL(deps.publicUrl).origin;
  return createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header("authorization");
    if (!header) {
      const caller = await webSessionCaller(deps.auth, c.req.raw.headers);
      if (!caller) throw new ClaudemeshError("auth_required", "Sign in first: send `Authorization: Bearer cm_…`.");
      // A cookie rides along on cross-site requests; a bearer token never does.
      const writes = c.req.method !== "GET" && c.req.method !== "HEAD";
      if (writes && !isSameOrigin(c.req.header("origin"), c.req.header("sec-fetch-site"), ours)) {
        throw crossSiteRefusal();
      }
      c.set("caller", caller);
      return next();
    }

    const now = deps.now();
    const raw = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
    if (!raw) throw await unknownToken(c, deps.db, now, "The Authorization header must be `Bearer <token>`.");
    // A token that is found was minted here, so its shape and checksum go unchecked on the
    // hot path; they only name what is wrong with one that is not (still counted, like any unknown one).
    const found = await findToken(raw);
    if (!found) throw await unknownToken(c, deps.db, now, malformation(raw) ?? "Token not recognised.");
    if (found.token.revokedAt) throw new ClaudemeshError("token_revoked", "Authentication failed (token revoked).");
    if (found.token.expiresAt && found.token.expiresAt.getTime() <= now.getTime()) {
      throw new ClaudemeshError("token_expired", "Authentication failed (token expired).");
    }
    const expiresAt = useRecordedRecently(found.token, now)
      ? found.token.expiresAt
      : deps.tokenUses.record(found.token, now);
    c.set("caller", {
      user: found.user,
      kind: found.token.kind,
      tokenId: found.token.id,
      tokenName: found.token.name,
      expiresAt,
      authenticatedAt: null,
    });
    return next();
  });
}

/** What is wrong with a token's shape or checksum, or undefined when nothing is. */
function malformation(raw: string): string | undefined {
  try {
    parseToken(raw);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Browser-only routes (approving a login): a Better Auth session cookie, never a token. */
export function requireWebSession(auth: Auth): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    const caller = await webSessionCaller(auth, c.req.raw.headers);
    if (!caller) throw new ClaudemeshError("auth_required", "Sign in in the browser first.");
    c.set("caller", caller);
    return next();
  });
}

/**
 * The error for an unknown or malformed token: 401 `token_invalid`, counted per
 * address in the database; past the limit, 429. Revoked and expired tokens
 * were real, so they are not guesses and are not counted; a known token costs
 * nothing extra (256 bits are never guessed).
 */
async function unknownToken(c: Context<AppEnv>, db: Db, now: Date, message: string): Promise<ClaudemeshError> {
  const key = `unknown-token:address:${addressKey(requestInfo(c).ipAddress)}`;
  if (!(await takeAttempt(db, key, RATE_LIMITS.unknownTokensPerAddress, now))) {
    return new ClaudemeshError("rate_limited", "Too many unknown tokens from your address; wait 15 minutes.");
  }
  return new ClaudemeshError("token_invalid", message);
}
