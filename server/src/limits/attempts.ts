import { sql } from "drizzle-orm";
import { type Db, rowsOf } from "../db/database.js";

/** How many attempts one key gets, counted in the database so every instance sees the same count. */
export interface AttemptLimit {
  /** Attempts a window allows at most; past it, none until the window is over. */
  limit: number;
  windowMs: number;
  /**
   * After `after` attempts in a window, each next one waits for the one before it,
   * the wait doubling from `firstDelayMs` up to `maxDelayMs`: guessing slows to a
   * crawl while the person the key belongs to is kept out for seconds, not a window.
   */
  backoff?: { after: number; firstDelayMs: number; maxDelayMs: number };
}

/** One attempt counted on a key, to give back when the check it paid for succeeds. */
export interface TakenAttempt {
  key: string;
  limit: AttemptLimit;
}

/**
 * Counts one attempt for `key` before the check it guards, atomically: the
 * row's lock orders concurrent takers, so however many arrive at once, at most
 * `limit` per window get through (and, under back-off, one per wait). A refused
 * attempt is not counted, so a refused burst does not prolong the refusal.
 * Returns false when the key has no attempt left right now.
 */
export async function takeAttempt(db: Db, key: string, limit: AttemptLimit, now: Date): Promise<boolean> {
  const at = now.toISOString();
  const openedAfter = new Date(now.getTime() - limit.windowMs).toISOString();
  // Without back-off the wait is zero: nothing but `limit` holds an attempt back.
  const { after, firstDelayMs, maxDelayMs } = limit.backoff ?? { after: limit.limit, firstDelayMs: 0, maxDelayMs: 0 };
  const firstNextAt = after <= 1 ? new Date(now.getTime() + firstDelayMs).toISOString() : null;
  const result = await db.execute(sql`
    insert into rate_limit as r (key, window_start, count, next_at) values (${key}, ${at}, 1, ${firstNextAt})
    on conflict (key) do update set
      window_start = case when r.window_start <= ${openedAfter}::timestamptz then ${at}::timestamptz else r.window_start end,
      count = case when r.window_start <= ${openedAfter}::timestamptz then 1 else r.count + 1 end,
      next_at = case
        when r.window_start <= ${openedAfter}::timestamptz then ${firstNextAt}::timestamptz
        when r.count + 1 >= ${after}::int then ${at}::timestamptz
          + least(${firstDelayMs}::float8 * power(2, r.count + 1 - ${after}::int), ${maxDelayMs}::float8) * interval '1 millisecond'
        else null end
    where r.window_start <= ${openedAfter}::timestamptz
      or (r.count < ${limit.limit}::int and (r.count < ${after}::int or r.next_at is null or r.next_at <= ${at}::timestamptz))
    returning count`);
  return rowsOf(result).length > 0;
}

/**
 * Counts one event (a refused or wrong password) for `key` in a window that
 * opens with the first, atomically, and returns how many the window holds now:
 * what a tarpit grows its wait by. Nothing is refused here.
 */
export async function countEvent(db: Db, key: string, windowMs: number, now: Date): Promise<number> {
  const at = now.toISOString();
  const openedAfter = new Date(now.getTime() - windowMs).toISOString();
  const result = await db.execute(sql`
    insert into rate_limit as r (key, window_start, count) values (${key}, ${at}, 1)
    on conflict (key) do update set
      window_start = case when r.window_start <= ${openedAfter}::timestamptz then ${at}::timestamptz else r.window_start end,
      count = case when r.window_start <= ${openedAfter}::timestamptz then 1 else r.count + 1 end
    returning count`);
  const [row] = rowsOf<{ count: number | string }>(result);
  return Number(row?.count ?? 1);
}

/**
 * Takes one attempt on every key, in order, or on none: when one key refuses,
 * the attempts already taken on the others are given back (nothing was checked).
 * Null when refused.
 */
export async function takeAttempts(db: Db, keys: readonly TakenAttempt[], now: Date): Promise<TakenAttempt[] | null> {
  const taken: TakenAttempt[] = [];
  for (const attempt of keys) {
    if (!(await takeAttempt(db, attempt.key, attempt.limit, now))) {
      await giveBackAttempts(db, taken, now);
      return null;
    }
    taken.push(attempt);
  }
  return taken;
}

/**
 * Gives back attempts whose check succeeded (the right password, a real code),
 * so the owner's own successes never count towards their limit. A window that
 * has closed since is left alone.
 */
export async function giveBackAttempts(db: Db, taken: readonly TakenAttempt[], now: Date): Promise<void> {
  for (const { key, limit } of taken) {
    const openedAfter = new Date(now.getTime() - limit.windowMs).toISOString();
    await db.execute(sql`
      update rate_limit set count = greatest(count - 1, 0)
      where key = ${key} and window_start > ${openedAfter}::timestamptz`);
  }
}
