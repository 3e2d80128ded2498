import { sql } from "drizzle-orm";
import { type Db, rowsOf } from "./db/database.js";

/** A fixed-window counter in the database, so every instance sees the same count. */
export interface RateLimitWindow {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
}

const MINUTE_MS = 60 * 1000;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * Every limit the server applies, in one table (SECURITY.md cites it). All are
 * counted in the `rate_limit` table, never in process memory, so they hold
 * across instances.
 */
export const RATE_LIMITS = {
  /** Wrong passwords for one account, from anywhere. */
  signInFailuresPerEmail: { limit: 10, windowMs: 15 * MINUTE_MS },
  /** Wrong passwords from one address, for any accounts. */
  signInFailuresPerIp: { limit: 50, windowMs: 15 * MINUTE_MS },
  /** New accounts from one address. */
  signUpsPerIp: { limit: 30, windowMs: HOUR_MS },
  /** Unknown user codes typed by one account, and from one address: 34.5 bits stay out of reach. */
  userCodeMisses: { limit: 10, windowMs: 15 * MINUTE_MS },
  /** Device codes requested from one address. */
  deviceCodesPerIp: { limit: 60, windowMs: 15 * MINUTE_MS },
  /** Unknown or malformed bearer tokens from one address (guessing; revoked and expired ones are not counted). */
  tokenFailuresPerIp: { limit: 100, windowMs: 15 * MINUTE_MS },
  /** Telemetry batches from one address. */
  telemetryBatchesPerIp: { limit: 120, windowMs: HOUR_MS },
} as const satisfies Record<string, RateLimitWindow>;

/** Adds one to the counter for `key` and returns the count in the current window. */
export async function countHit(db: Db, key: string, window: RateLimitWindow, now: Date): Promise<number> {
  const windowOpenedAfter = new Date(now.getTime() - window.windowMs).toISOString();
  const at = now.toISOString();
  const result = await db.execute(sql`
    insert into rate_limit (key, window_start, count) values (${key}, ${at}, 1)
    on conflict (key) do update set
      count = case when rate_limit.window_start <= ${windowOpenedAfter}::timestamptz then 1 else rate_limit.count + 1 end,
      window_start = case when rate_limit.window_start <= ${windowOpenedAfter}::timestamptz then ${at}::timestamptz else rate_limit.window_start end
    returning count`);
  return Number(rowsOf<{ count: number }>(result)[0]?.count ?? 0);
}

/** Counts this call and says whether it went over the limit. */
export async function exceedsLimit(db: Db, key: string, window: RateLimitWindow, now: Date): Promise<boolean> {
  return (await countHit(db, key, window, now)) > window.limit;
}

/** True when `key` has used up its window (without counting this call). */
export async function isLimited(db: Db, key: string, window: RateLimitWindow, now: Date): Promise<boolean> {
  const windowOpenedAfter = new Date(now.getTime() - window.windowMs).toISOString();
  const result = await db.execute(
    sql`select count from rate_limit where key = ${key} and window_start > ${windowOpenedAfter}::timestamptz`,
  );
  return Number(rowsOf<{ count: number }>(result)[0]?.count ?? 0) >= window.limit;
}
