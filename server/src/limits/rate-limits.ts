import type { AttemptLimit } from "./attempts.js";

const MINUTE_MS = 60 * 1000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/**
 * How long a refused or wrong password's answer is held back, per address: the
 * n-th in a window waits `firstDelayMs` doubled n-1 times, at most `maxDelayMs`.
 * Guessing costs the guesser time on their own connection, while the owner's
 * right password is answered at once.
 */
export const PASSWORD_TARPIT = { windowMs: 15 * MINUTE_MS, firstDelayMs: 250, maxDelayMs: 5000 } as const;

/**
 * Every limit the server applies, in one table (SECURITY.md cites it). Each
 * attempt is counted in the `rate_limit` table before the check it pays for
 * (attempts.ts), never in process memory, so the limits hold across instances
 * and against a parallel burst. Addresses are keyed by addressKey (IPv6 by /64).
 */
export const RATE_LIMITS = {
  /** Password checks (sign-in, verify-password, change-password) for one account from one address: a hard stop for that address only. */
  passwordPerAccountAndAddress: { limit: 10, windowMs: 15 * MINUTE_MS },
  /**
   * Password checks for one account from anywhere: looser, and past 20 each waits
   * for the one before (1 s doubling to 1 min), so a spread-out attack crawls
   * while the owner waits a minute at worst instead of being locked out.
   */
  passwordPerAccount: {
    limit: 100,
    windowMs: HOUR_MS,
    backoff: { after: 20, firstDelayMs: 1000, maxDelayMs: MINUTE_MS },
  },
  /**
   * Password checks for one account from a browser that signed in to it before
   * (its device cookie, accounts/device-cookies.ts): these skip the three limits
   * above, so attackers elsewhere cannot keep the owner out. Past the limit the
   * cookie counts for nothing, and its browser meets the limits above.
   */
  passwordPerDevice: { limit: 10, windowMs: 15 * MINUTE_MS },
  /** Password checks from one address over any accounts (one password sprayed over many). */
  passwordPerAddress: {
    limit: 300,
    windowMs: HOUR_MS,
    backoff: { after: 50, firstDelayMs: 1000, maxDelayMs: MINUTE_MS },
  },
  /** New accounts from one address. */
  signUpsPerAddress: { limit: 30, windowMs: HOUR_MS },
  /** User codes typed by one account; a code that exists is given back, so only misses add up. */
  userCodesPerAccount: { limit: 10, windowMs: 15 * MINUTE_MS },
  /** User codes typed from one address by any accounts: four accounts' worth, so one account's misses never stop another's approval. */
  userCodesPerAddress: { limit: 40, windowMs: 15 * MINUTE_MS },
  /** Device codes requested from one address. */
  deviceCodesPerAddress: { limit: 60, windowMs: 15 * MINUTE_MS },
  /** Unknown or malformed bearer tokens from one address (revoked and expired ones were real, and are not counted). */
  unknownTokensPerAddress: { limit: 100, windowMs: 15 * MINUTE_MS },
  /** Telemetry batches from one address. */
  telemetryBatchesPerAddress: { limit: 120, windowMs: HOUR_MS },
  /** Invites made by one person, over all their meshes. */
  invitesPerUser: { limit: 100, windowMs: DAY_MS },
  /** Invites made for one mesh, by all its admins. */
  invitesPerMesh: { limit: 200, windowMs: DAY_MS },
  /** Invite emails one person sends. */
  inviteEmailsPerUser: { limit: 20, windowMs: DAY_MS },
  /** Invite emails sent for one mesh. */
  inviteEmailsPerMesh: { limit: 50, windowMs: DAY_MS },
  /**
   * Invite emails to one address for one mesh: a mesh cannot flood an inbox, and
   * since the key holds the mesh, a stranger's mesh using up its own allowance
   * leaves a company's invites to the same address alone.
   */
  inviteEmailsPerMeshAndRecipient: { limit: 3, windowMs: DAY_MS },
  /** Invite emails to one address over all meshes: many meshes together cannot turn an inbox into a target. */
  inviteEmailsPerRecipient: { limit: 20, windowMs: DAY_MS },
  /** Verification emails asked for one account. */
  verificationEmailsPerAccount: { limit: 5, windowMs: HOUR_MS },
  /** Password reset emails asked for one address (counted whether or not it has an account, so the limit tells nothing). */
  passwordResetsPerRecipient: { limit: 3, windowMs: HOUR_MS },
  /** Password reset emails asked for from one address, over any recipients. */
  passwordResetsPerAddress: { limit: 10, windowMs: HOUR_MS },
  /** "You already have an account" emails to one address, sent when someone signs up with it; past this, none. */
  existingAccountEmailsPerRecipient: { limit: 3, windowMs: DAY_MS },
} as const satisfies Record<string, AttemptLimit>;
