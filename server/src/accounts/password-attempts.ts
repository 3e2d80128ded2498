import type { Db } from "../db/database.js";
import { addressKey } from "../limits/address-key.js";
import { giveBackAttempts, takeAttempt, takeAttempts } from "../limits/attempts.js";
import { RATE_LIMITS } from "../limits/rate-limits.js";

/** What one password check found. `unchecked`: it stopped before comparing a password (bad input, no session). */
export type PasswordCheck = "right" | "wrong" | "unchecked";

/** A password check that ran, with what it returned; or one the limits refused. */
export type PasswordAttempt<T> = { refused: true } | { refused: false; value: T };

/**
 * Runs one password check (sign-in, verify-password, change-password; web form
 * or JSON) only if the account and the address have an attempt left, counting
 * it first so a parallel burst gets no further than the limits. Only wrong
 * passwords keep their count: the owner's right one is given back.
 * Refused without running `check` when either has none left.
 */
export async function withPasswordAttempt<T>(
  db: Db,
  who: { email: string; ip: string | null; now: Date },
  check: () => Promise<{ outcome: PasswordCheck; value: T }>,
): Promise<PasswordAttempt<T>> {
  const email = who.email.trim().toLowerCase();
  const address = addressKey(who.ip);
  const taken = await takeAttempts(
    db,
    [
      { key: `password:account-address:${email}|${address}`, limit: RATE_LIMITS.passwordPerAccountAndAddress },
      { key: `password:account:${email}`, limit: RATE_LIMITS.passwordPerAccount },
      { key: `password:address:${address}`, limit: RATE_LIMITS.passwordPerAddress },
    ],
    who.now,
  );
  if (!taken) return { refused: true };
  let outcome: PasswordCheck = "unchecked";
  try {
    const result = await check();
    outcome = result.outcome;
    return { refused: false, value: result.value };
  } finally {
    if (outcome !== "wrong") await giveBackAttempts(db, taken, who.now);
  }
}

/** Counts a sign-up attempt from `ip`; false when that address has made too many accounts lately. */
export function takeSignUpAttempt(db: Db, ip: string | null, now: Date): Promise<boolean> {
  return takeAttempt(db, `sign-up:address:${addressKey(ip)}`, RATE_LIMITS.signUpsPerAddress, now);
}
