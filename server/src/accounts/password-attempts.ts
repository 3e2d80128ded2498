import type { Context } from "hono";
import type { Db } from "../db/database.js";
import { addressKey } from "../limits/address-key.js";
import { countEvent, giveBackAttempts, type TakenAttempt, takeAttempt, takeAttempts } from "../limits/attempts.js";
import { type OneAtATimePerKey, oneAtATimePerKey } from "../limits/one-at-a-time.js";
import { PASSWORD_TARPIT, RATE_LIMITS } from "../limits/rate-limits.js";
import { requestInfo } from "../request-info.js";
import type { DeviceCookies, TrustedDevice } from "./device-cookies.js";

/** What one password check found. `unchecked`: it stopped before comparing a password (bad input, no session). */
export type PasswordCheck = "right" | "wrong" | "unchecked";

/** A password check that ran, with what it returned; or one the limits refused. */
export type PasswordAttempt<T> = { refused: true } | { refused: false; value: T };

/** Who is checking a password: the account's address, where from, and the device cookie they carry for it. */
export interface PasswordRequester {
  email: string;
  ip: string | null;
  now: Date;
  /** Set when the browser carries this account's device cookie (device-cookies.ts). */
  device: TrustedDevice | null;
}

/** Waits; the server's is a timer, tests pass one that records the wait. */
export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs one password check (sign-in, verify-password, change-password; web form
 * or JSON) only if the requester has an attempt left, counting it first so a
 * parallel burst gets no further than the limits. Only wrong passwords keep
 * their count: the owner's right one is given back.
 *
 * A browser with the account's device cookie is counted on that cookie alone;
 * any other on the account and address together (a hard stop, which counts
 * even the attempts the shared limits refuse), the account (a back-off) and
 * the address (a back-off). A refused or wrong password is answered late
 * (PASSWORD_TARPIT, growing per address), so guessing costs the guesser's own
 * time and attempts rather than a slot that everyone else then waits for.
 *
 * Checks without a device cookie run one at a time per account in this process
 * (`untrustedChecks`): a burst of guesses for one account hashes one password
 * at a time, so the owner's check with its cookie, and other accounts' checks,
 * share the CPU with one guess at most rather than a queue of them.
 */
export async function withPasswordAttempt<T>(
  deps: { db: Db; sleep: Sleep; untrustedChecks: OneAtATimePerKey },
  who: PasswordRequester,
  check: () => Promise<{ outcome: PasswordCheck; value: T }>,
): Promise<PasswordAttempt<T>> {
  const { db } = deps;
  const address = addressKey(who.ip);
  const taken = await takePasswordAttempt(db, who, address);
  let outcome: PasswordCheck = "unchecked";
  try {
    if (!taken) return { refused: true };
    const result = taken.some(countsOnDevice)
      ? await check()
      : await deps.untrustedChecks(accountKey(who.email), check);
    outcome = result.outcome;
    return { refused: false, value: result.value };
  } finally {
    if (taken && outcome !== "wrong") await giveBackAttempts(db, taken, who.now);
    if (!taken || outcome === "wrong") {
      const failures = await countEvent(db, `password-tarpit:address:${address}`, PASSWORD_TARPIT.windowMs, who.now);
      await deps.sleep(tarpitDelayMs(failures));
    }
  }
}

/** Password checks for the routes that make them: the limits above, with each request's address and device cookie. */
export function passwordLimits(deps: { db: Db; sleep: Sleep; devices: DeviceCookies }) {
  const attemptDeps = { ...deps, untrustedChecks: oneAtATimePerKey() };
  return {
    devices: deps.devices,
    /** withPasswordAttempt for this request, signing in to (or confirming) `email`'s account. */
    async attempt<T>(
      c: Context,
      email: string,
      now: Date,
      check: () => Promise<{ outcome: PasswordCheck; value: T }>,
    ): Promise<PasswordAttempt<T>> {
      const device = await deps.devices.trusted(c, email);
      return withPasswordAttempt(attemptDeps, { email, ip: requestInfo(c).ipAddress, now, device }, check);
    },
  };
}

export type PasswordLimits = ReturnType<typeof passwordLimits>;

/** The wait before answering the `failures`-th refused or wrong password from one address. */
export function tarpitDelayMs(failures: number): number {
  const { firstDelayMs, maxDelayMs } = PASSWORD_TARPIT;
  return Math.min(firstDelayMs * 2 ** Math.min(Math.max(failures - 1, 0), 30), maxDelayMs);
}

const DEVICE_KEY_PREFIX = "password:device:";

/** Whether this attempt was counted on a device cookie's own limit (the cookie still holds). */
function countsOnDevice(attempt: TakenAttempt): boolean {
  return attempt.key.startsWith(DEVICE_KEY_PREFIX);
}

function accountKey(email: string): string {
  return email.trim().toLowerCase();
}

function takePasswordAttempt(db: Db, who: PasswordRequester, address: string): Promise<TakenAttempt[] | null> {
  const email = accountKey(who.email);
  const untrusted = async () => {
    const own = {
      key: `password:account-address:${email}|${address}`,
      limit: RATE_LIMITS.passwordPerAccountAndAddress,
    };
    if (!(await takeAttempt(db, own.key, own.limit, who.now))) return null;
    const shared = await takeAttempts(
      db,
      [
        { key: `password:account:${email}`, limit: RATE_LIMITS.passwordPerAccount },
        { key: `password:address:${address}`, limit: RATE_LIMITS.passwordPerAddress },
      ],
      who.now,
    );
    // Refused by a shared limit, the attempt still counts on the requester's own: refusals are not free, and
    // whoever keeps asking reaches their own hard stop (one statement per refusal from then on).
    return shared ? [own, ...shared] : null;
  };
  if (!who.device) return untrusted();
  // A device cookie that has used up its own attempts counts for nothing (OWASP): its browser is any other.
  const device = { key: `${DEVICE_KEY_PREFIX}${who.device.key}`, limit: RATE_LIMITS.passwordPerDevice };
  return takeAttempts(db, [device], who.now).then((taken) => taken ?? untrusted());
}

/** Counts a sign-up attempt from `ip`; false when that address has made too many accounts lately. */
export function takeSignUpAttempt(db: Db, ip: string | null, now: Date): Promise<boolean> {
  return takeAttempt(db, `sign-up:address:${addressKey(ip)}`, RATE_LIMITS.signUpsPerAddress, now);
}
