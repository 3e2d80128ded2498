import type { Db } from "../db/database.js";
import { countHit, exceedsLimit, isLimited, RATE_LIMITS, type RateLimitWindow } from "../rate-limit.js";

/**
 * Sign-in and sign-up limits, shared by the web forms (`/login`, `/register`)
 * and Better Auth's JSON routes, so neither door is a way around the other.
 */
function signInFailureWindows(email: string, ip: string | null): [string, RateLimitWindow][] {
  return [
    [`sign-in:email:${email.trim().toLowerCase()}`, RATE_LIMITS.signInFailuresPerEmail],
    [`sign-in:ip:${ip ?? "unknown"}`, RATE_LIMITS.signInFailuresPerIp],
  ];
}

/** True when this account or address has used up its wrong passwords for now. */
export async function signInRefused(db: Db, email: string, ip: string | null, now: Date): Promise<boolean> {
  for (const [key, window] of signInFailureWindows(email, ip)) {
    if (await isLimited(db, key, window, now)) return true;
  }
  return false;
}

export async function recordSignInFailure(db: Db, email: string, ip: string | null, now: Date): Promise<void> {
  for (const [key, window] of signInFailureWindows(email, ip)) await countHit(db, key, window, now);
}

/** Counts a sign-up attempt from `ip` and says whether it is one too many. */
export function signUpRefused(db: Db, ip: string | null, now: Date): Promise<boolean> {
  return exceedsLimit(db, `sign-up:ip:${ip ?? "unknown"}`, RATE_LIMITS.signUpsPerIp, now);
}
