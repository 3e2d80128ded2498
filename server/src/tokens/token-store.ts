import { randomUUID } from "node:crypto";
import type { User } from "@claudemesh/sdk/contracts";
import { mintToken, type TokenKind } from "@claudemesh/sdk/token";
import { and, desc, eq, gt, isNull, lte, or, sql } from "drizzle-orm";
import { recordAudit } from "../audit.js";
import type { Db } from "../db/database.js";
import { type CREDENTIAL_FLOWS, cliToken, user } from "../db/schema.js";
import { sha256 } from "../hash.js";
import type { RequestInfo } from "../request-info.js";

export const DAY_MS = 24 * 60 * 60 * 1000;
/** Session tokens live 90 days from their last use. */
export const SESSION_LIFETIME_MS = 90 * DAY_MS;
/** `last_used_at` (and a session's expiry) is written at most this often per token. */
export const LAST_USED_RESOLUTION_MS = 60 * 1000;

export type TokenRow = typeof cliToken.$inferSelect;
export type CredentialFlow = (typeof CREDENTIAL_FLOWS)[number];

export interface IssueTokenInput {
  userId: string;
  kind: TokenKind;
  name: string;
  /** Null: never expires. */
  expiresAt: Date | null;
  device?: { name: string; os: string; arch: string };
  request?: RequestInfo;
  flow: CredentialFlow;
  now: Date;
}

/** Mints a token and stores its hash; the raw value is returned once and kept nowhere. */
export async function issueToken(db: Db, input: IssueTokenInput): Promise<{ token: string; row: TokenRow }> {
  const token = mintToken(input.kind);
  const [row] = await db
    .insert(cliToken)
    .values({
      id: randomUUID(),
      userId: input.userId,
      kind: input.kind,
      name: input.name,
      tokenHash: sha256(token),
      deviceName: input.device?.name ?? null,
      deviceOs: input.device?.os ?? null,
      deviceArch: input.device?.arch ?? null,
      ipAddress: input.request?.ipAddress ?? null,
      userAgent: input.request?.userAgent ?? null,
      flow: input.flow,
      createdAt: input.now,
      expiresAt: input.expiresAt,
    })
    .returning();
  if (!row) throw new Error("inserting the token returned no row");
  return { token, row };
}

/** What a request's token check reads of its token: no more columns than it uses. */
export type LookedUpToken = Pick<
  TokenRow,
  "id" | "kind" | "name" | "tokenHash" | "lastUsedAt" | "expiresAt" | "revokedAt"
>;

/** Finds a token by its raw value, with its owner. */
export type TokenLookup = (token: string) => Promise<{ token: LookedUpToken; user: User } | undefined>;

/**
 * Calls that arrive in the same tick become one batch for `run`, each with its
 * key; a key seen twice in a batch is in it once, and every caller with that
 * key gets its answer. `run` answers with a map from key to result.
 */
function batchPerTick<K, V>(run: (keys: K[]) => Promise<Map<K, V>>): (key: K) => Promise<V | undefined> {
  type Waiter = { resolve(value: V | undefined): void; reject(error: unknown): void };
  let pending = new Map<K, Waiter[]>();
  const flush = async () => {
    const batch = pending;
    pending = new Map();
    try {
      const results = await run([...batch.keys()]);
      for (const [key, waiters] of batch) for (const waiter of waiters) waiter.resolve(results.get(key));
    } catch (error) {
      for (const waiters of batch.values()) for (const waiter of waiters) waiter.reject(error);
    }
  };
  return (key) =>
    new Promise<V | undefined>((resolve, reject) => {
      if (pending.size === 0) setImmediate(flush);
      const waiters = pending.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else pending.set(key, [{ resolve, reject }]);
    });
}

/**
 * The lookup every authenticated request makes. Lookups that arrive in the same
 * tick share one indexed read (`token_hash = any($1)`), a named
 * prepared statement planned once per connection. Every request still reads the
 * database after it arrived, so a revocation is seen by the very next request;
 * under load, one round trip serves many requests instead of one each.
 */
export function prepareTokenLookup(db: Db): TokenLookup {
  const byHashes = db
    .select({
      token: {
        id: cliToken.id,
        kind: cliToken.kind,
        name: cliToken.name,
        tokenHash: cliToken.tokenHash,
        lastUsedAt: cliToken.lastUsedAt,
        expiresAt: cliToken.expiresAt,
        revokedAt: cliToken.revokedAt,
      },
      user: { id: user.id, name: user.name, email: user.email },
    })
    .from(cliToken)
    .innerJoin(user, eq(user.id, cliToken.userId))
    .where(sql`${cliToken.tokenHash} = any(${sql.placeholder("hashes")}::text[])`)
    .prepare("claudemesh_tokens_by_hash");
  const lookup = batchPerTick(async (hashes: string[]) => {
    const rows = await byHashes.execute({ hashes });
    return new Map(rows.map((row) => [row.token.tokenHash, row]));
  });
  return (token) => lookup(sha256(token));
}

/** True when the token's use was recorded less than a minute ago, so this one need not be. */
export function useRecordedRecently(row: Pick<TokenRow, "lastUsedAt">, now: Date): boolean {
  return row.lastUsedAt !== null && now.getTime() - row.lastUsedAt.getTime() < LAST_USED_RESOLUTION_MS;
}

/** The expiry a token has once its use at `now` is recorded: a session's slides forward. */
export function expiryAfterUse(row: Pick<TokenRow, "kind" | "expiresAt">, now: Date): Date | null {
  return row.kind === "session" ? new Date(now.getTime() + SESSION_LIFETIME_MS) : row.expiresAt;
}

/**
 * Records use at most once a minute per token (whichever instance gets there
 * first), sliding a session's expiry forward. Returns the expiry now in force.
 * For a row whose use was not recorded recently (`useRecordedRecently`); the
 * update's own condition keeps two instances from both writing.
 */
export async function recordTokenUse(db: Db, row: Pick<TokenRow, "id" | "kind" | "expiresAt">, now: Date) {
  const expiresAt = expiryAfterUse(row, now);
  await db
    .update(cliToken)
    .set({ lastUsedAt: now, expiresAt })
    .where(
      and(
        eq(cliToken.id, row.id),
        isNull(cliToken.revokedAt),
        or(isNull(cliToken.lastUsedAt), lte(cliToken.lastUsedAt, new Date(now.getTime() - LAST_USED_RESOLUTION_MS))),
      ),
    );
  return expiresAt;
}

/** Not revoked and not expired at `now`. */
const isLive = (now: Date) =>
  and(isNull(cliToken.revokedAt), or(isNull(cliToken.expiresAt), gt(cliToken.expiresAt, now)));

/** A user's live (not revoked, not expired) tokens of one kind, newest first. */
export function listTokens(db: Db, userId: string, kind: TokenKind, now: Date) {
  return db
    .select()
    .from(cliToken)
    .where(and(eq(cliToken.userId, userId), eq(cliToken.kind, kind), isLive(now)))
    .orderBy(desc(cliToken.createdAt));
}

/** One of the user's live tokens (either kind) by id; someone else's looks the same as a missing one. */
export async function findLiveToken(db: Db, userId: string, id: string, now: Date): Promise<TokenRow | undefined> {
  const [row] = await db
    .select()
    .from(cliToken)
    .where(and(eq(cliToken.id, id), eq(cliToken.userId, userId), isLive(now)));
  return row;
}

/**
 * Revokes one of the user's tokens and records it in the audit log, together.
 * Undefined when they have no live token of that kind and id (someone else's
 * tokens look the same as missing ones).
 */
export async function revokeToken(
  db: Db,
  where: { userId: string; id: string; kind: TokenKind },
  request: RequestInfo,
  now: Date,
) {
  return db.transaction(async (tx) => {
    const [revoked] = await tx
      .update(cliToken)
      .set({ revokedAt: now })
      .where(
        and(
          eq(cliToken.id, where.id),
          eq(cliToken.userId, where.userId),
          eq(cliToken.kind, where.kind),
          isNull(cliToken.revokedAt),
        ),
      )
      .returning({ id: cliToken.id });
    if (revoked) {
      await recordAudit(tx, {
        action: where.kind === "session" ? "auth.cli.session.revoked" : "auth.cli.pat.revoked",
        userId: where.userId,
        targetId: revoked.id,
        request,
        at: now,
      });
    }
    return revoked;
  });
}

/** Revokes every live personal access token of the user (one audit row each); how many. */
export async function revokeAllPersonalAccessTokens(
  db: Db,
  userId: string,
  request: RequestInfo,
  now: Date,
): Promise<number> {
  return db.transaction(async (tx) => {
    const revoked = await tx
      .update(cliToken)
      .set({ revokedAt: now })
      .where(and(eq(cliToken.userId, userId), eq(cliToken.kind, "pat"), isLive(now)))
      .returning({ id: cliToken.id });
    for (const { id } of revoked) {
      await recordAudit(tx, { action: "auth.cli.pat.revoked", userId, targetId: id, request, at: now });
    }
    return revoked.length;
  });
}

/**
 * A personal access token the user asked for (API or dashboard), recorded in
 * the audit log in the same transaction. `days` null never expires.
 */
export async function createPersonalAccessToken(
  db: Db,
  input: { userId: string; name: string; days: number | null; request: RequestInfo; now: Date },
): Promise<{ token: string; row: TokenRow }> {
  return db.transaction(async (tx) => {
    const issued = await issueToken(tx, {
      userId: input.userId,
      kind: "pat",
      name: input.name,
      expiresAt: input.days === null ? null : new Date(input.now.getTime() + input.days * DAY_MS),
      request: input.request,
      flow: "web",
      now: input.now,
    });
    await recordAudit(tx, {
      action: "auth.cli.pat.created",
      userId: input.userId,
      targetId: issued.row.id,
      request: input.request,
      metadata: { name: input.name, expires_in_days: input.days },
      at: input.now,
    });
    return issued;
  });
}

export interface NewCliSession {
  token: string;
  tokenId: string;
  user: User;
  expiresAt: Date;
}

/**
 * What every login ends in, whichever flow it took: a fresh 90-day session
 * token for the user's device, recorded in the audit log. Call it inside the
 * flow's transaction. Undefined when the user no longer exists.
 */
export async function startCliSession(
  tx: Db,
  input: {
    userId: string;
    device: { name: string; os: string; arch: string };
    /** Stored on the token: the device's own address. */
    deviceRequest: RequestInfo;
    /** Stored on the audit row: the request that completed the login. */
    request: RequestInfo;
    flow: "device-code" | "browser";
    now: Date;
  },
): Promise<NewCliSession | undefined> {
  const [owner] = await tx
    .select({ id: user.id, name: user.name, email: user.email })
    .from(user)
    .where(eq(user.id, input.userId));
  if (!owner) return undefined;
  const expiresAt = new Date(input.now.getTime() + SESSION_LIFETIME_MS);
  const { token, row } = await issueToken(tx, {
    userId: owner.id,
    kind: "session",
    name: input.device.name,
    expiresAt,
    device: input.device,
    request: input.deviceRequest,
    flow: input.flow === "browser" ? "browser" : "device-code",
    now: input.now,
  });
  await recordAudit(tx, {
    action: "auth.cli.session.created",
    userId: owner.id,
    targetId: row.id,
    request: input.request,
    metadata: {
      flow: input.flow,
      device_name: input.device.name,
      device_os: input.device.os,
      device_arch: input.device.arch,
    },
    at: input.now,
  });
  return { token, tokenId: row.id, user: owner, expiresAt };
}

/**
 * PATs younger than this end with a password change, a reset or "this wasn't
 * me": a foothold taken with a stolen session or password is at most this old
 * when the owner acts on the email sent at its creation, while a script's PAT
 * made months ago keeps working.
 */
export const PASSWORD_CHANGE_ENDS_PATS_WITHIN_DAYS = 30;

/**
 * What a new password ends on the CLI side: every session token and every PAT
 * created in the last PASSWORD_CHANGE_ENDS_PATS_WITHIN_DAYS days (`allPats`:
 * every PAT, when the account changes hands). How many of each.
 */
export async function revokeCredentialsAfterPasswordChange(
  db: Db,
  input: { userId: string; allPats: boolean; now: Date },
): Promise<{ sessions: number; pats: number }> {
  const patsSince = new Date(input.now.getTime() - PASSWORD_CHANGE_ENDS_PATS_WITHIN_DAYS * DAY_MS);
  const revoked = await db
    .update(cliToken)
    .set({ revokedAt: input.now })
    .where(
      and(
        eq(cliToken.userId, input.userId),
        isNull(cliToken.revokedAt),
        input.allPats
          ? undefined
          : or(eq(cliToken.kind, "session"), and(eq(cliToken.kind, "pat"), gt(cliToken.createdAt, patsSince))),
      ),
    )
    .returning({ kind: cliToken.kind });
  return {
    sessions: revoked.filter((row) => row.kind === "session").length,
    pats: revoked.filter((row) => row.kind === "pat").length,
  };
}
