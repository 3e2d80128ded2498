import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { describe, expect, it, vi } from "vitest";
import type { Db } from "../db/database.js";
import { SESSION_LIFETIME_MS } from "./token-store.js";
import { logTokenUseFailure, prepareTokenUseRecorder } from "./token-use-recorder.js";

const dialect = new PgDialect();
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * A database that only takes the recorder's UPDATEs: it notes the token ids of
 * each and answers when the test says so. (What the UPDATE does to rows is
 * tested on both real databases in test/my-api.test.ts.)
 */
function heldDatabase() {
  const batches: string[][] = [];
  const answers: Array<{ resolve(): void; reject(error: Error): void }> = [];
  const db = {
    execute: (query: SQL) => {
      batches.push(dialect.sqlToQuery(query).params[0] as string[]);
      return new Promise<void>((resolve, reject) => answers.push({ resolve, reject }));
    },
  } as unknown as Db;
  return { db, batches, answers };
}

const session = (id: string) => ({ id, kind: "session" as const, expiresAt: new Date(0) });

describe("the token use recorder", () => {
  it("answers the expiry at once, writes one batch at a time, and the next carries every use queued meanwhile", async () => {
    const { db, batches, answers } = heldDatabase();
    const recorder = prepareTokenUseRecorder(db, () => {});
    const now = new Date("2026-12-06T12:00:00Z");

    expect(recorder.record(session("a"), now)?.getTime()).toBe(now.getTime() + SESSION_LIFETIME_MS);
    recorder.record({ id: "pat", kind: "pat", expiresAt: null }, now);
    recorder.record(session("a"), now);
    await nextTurn();
    expect(batches).toEqual([["a", "pat"]]);

    // While the first is written, uses queue up behind it, the same token once.
    recorder.record(session("b"), now);
    await nextTurn();
    recorder.record(session("c"), now);
    recorder.record(session("b"), now);
    await nextTurn();
    expect(batches).toHaveLength(1);

    let settled = false;
    void recorder.settled().then(() => {
      settled = true;
    });
    answers[0]?.resolve();
    await nextTurn();
    expect(batches).toEqual([
      ["a", "pat"],
      ["b", "c"],
    ]);
    expect(settled).toBe(false);
    answers[1]?.resolve();
    await nextTurn();
    expect(settled).toBe(true);
  });

  it("a failed batch is reported with its size, and the uses after it are still written", async () => {
    const { db, batches, answers } = heldDatabase();
    const failures: Array<[string, number]> = [];
    const recorder = prepareTokenUseRecorder(db, (error, uses) => failures.push([(error as Error).message, uses]));
    const now = new Date();

    recorder.record(session("a"), now);
    recorder.record(session("b"), now);
    await nextTurn();
    answers[0]?.reject(new Error("connection lost"));
    await recorder.settled();
    expect(failures).toEqual([["connection lost", 2]]);

    recorder.record(session("a"), now);
    await nextTurn();
    expect(batches).toEqual([["a", "b"], ["a"]]);
    answers[1]?.resolve();
    await recorder.settled();
    expect(failures).toHaveLength(1);
  });

  it("a failed batch is logged in the driver's words, not drizzle's, which quote the statement and its ids", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const driver = new Error("terminating connection due to administrator command");
      logTokenUseFailure(
        new Error("Failed query: with due as (…)\nparams: 6cf53173-21e9,2026-12-06", { cause: driver }),
        3,
      );
      expect(warn).toHaveBeenCalledTimes(1);
      const line = String(warn.mock.calls[0]?.[0]);
      expect(line).toContain(
        "could not record the use of 3 token(s) (terminating connection due to administrator command)",
      );
      expect(line).not.toContain("Failed query");
      expect(line).not.toContain("6cf53173");
    } finally {
      warn.mockRestore();
    }
  });
});
