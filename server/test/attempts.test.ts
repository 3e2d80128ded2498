import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { giveBackAttempts, takeAttempt, takeAttempts } from "../src/limits/attempts.js";
import { createMigratedDatabase, DATABASE_KINDS, type TestDatabase } from "./support/test-database.js";

const MINUTE_MS = 60_000;
const FIXED = { limit: 5, windowMs: 15 * MINUTE_MS };
const BACKOFF = { limit: 50, windowMs: 60 * MINUTE_MS, backoff: { after: 3, firstDelayMs: 1000, maxDelayMs: 8000 } };

describe.each(DATABASE_KINDS)("attempt limits on %s", (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createMigratedDatabase(kind);
  });
  afterAll(() => database?.close());

  const freshKey = () => `test:${randomUUID()}`;
  const at = (ms: number) => new Date(Date.UTC(2026, 11, 1) + ms);

  it("a parallel burst gets exactly the limit, and the refused are not counted", async () => {
    const key = freshKey();
    const burst = await Promise.all(Array.from({ length: 40 }, () => takeAttempt(database.db, key, FIXED, at(0))));
    expect(burst.filter(Boolean)).toHaveLength(FIXED.limit);
    // Nothing more inside the window, however often it is asked; a new window starts afresh.
    expect(await takeAttempt(database.db, key, FIXED, at(FIXED.windowMs - 1))).toBe(false);
    expect(await takeAttempt(database.db, key, FIXED, at(FIXED.windowMs))).toBe(true);
  });

  it("an attempt given back can be taken again", async () => {
    const key = freshKey();
    for (let i = 0; i < FIXED.limit; i += 1) expect(await takeAttempt(database.db, key, FIXED, at(0))).toBe(true);
    expect(await takeAttempt(database.db, key, FIXED, at(0))).toBe(false);
    await giveBackAttempts(database.db, [{ key, limit: FIXED }], at(0));
    expect(await takeAttempt(database.db, key, FIXED, at(0))).toBe(true);
  });

  it("under back-off, a burst gets the free attempts, then one per doubling wait", async () => {
    const key = freshKey();
    const burst = await Promise.all(Array.from({ length: 20 }, () => takeAttempt(database.db, key, BACKOFF, at(0))));
    expect(burst.filter(Boolean)).toHaveLength(BACKOFF.backoff.after);
    // The waits after attempts 3, 4, 5, 6, 7 are 1, 2, 4, 8 and (capped) 8 seconds.
    let clock = 0;
    for (const wait of [1000, 2000, 4000, 8000, 8000]) {
      expect(await takeAttempt(database.db, key, BACKOFF, at(clock + wait - 1))).toBe(false);
      clock += wait;
      expect(await takeAttempt(database.db, key, BACKOFF, at(clock))).toBe(true);
    }
  });

  it("takes on every key or on none: a refusal gives back what the others took", async () => {
    const open = freshKey();
    const full = freshKey();
    for (let i = 0; i < FIXED.limit; i += 1) await takeAttempt(database.db, full, FIXED, at(0));
    for (let i = 0; i < 3 * FIXED.limit; i += 1) {
      expect(
        await takeAttempts(
          database.db,
          [
            { key: open, limit: FIXED },
            { key: full, limit: FIXED },
          ],
          at(0),
        ),
      ).toBeNull();
    }
    const taken = await takeAttempts(database.db, [{ key: open, limit: FIXED }], at(0));
    expect(taken).toEqual([{ key: open, limit: FIXED }]);
  });

  it("attempts given back lift the back-off: the owner's successes never slow them down", async () => {
    const key = freshKey();
    for (let i = 0; i < BACKOFF.backoff.after; i += 1)
      expect(await takeAttempt(database.db, key, BACKOFF, at(0))).toBe(true);
    expect(await takeAttempt(database.db, key, BACKOFF, at(0))).toBe(false);
    await giveBackAttempts(database.db, [{ key, limit: BACKOFF }], at(0));
    expect(await takeAttempt(database.db, key, BACKOFF, at(0))).toBe(true);
  });
});
