import { sql } from "drizzle-orm";
import { type Db, rowsOf } from "./db/database.js";

/** A fixed-window counter in the database, so every instance sees the same count. */
export interface RateLimitWindow {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
}

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

/** True when `key` has used up its window (without counting this call). */
export async function isLimited(db: Db, key: string, window: RateLimitWindow, now: Date): Promise<boolean> {
  const windowOpenedAfter = new Date(now.getTime() - window.windowMs).toISOString();
  const result = await db.execute(
    sql`select count from rate_limit where key = ${key} and window_start > ${windowOpenedAfter}::timestamptz`,
  );
  return Number(rowsOf<{ count: number }>(result)[0]?.count ?? 0) >= window.limit;
}
