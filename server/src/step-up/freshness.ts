import { ClaudemeshError } from "@claudemesh/sdk/errors";
import { eq } from "drizzle-orm";
import type { Db } from "../db/database.js";
import { session } from "../db/schema.js";
import { safeNextPath } from "../next-path.js";

/** How long a proof of who you are lets what matters through (GitHub's sudo mode uses a few hours; we use one). */
export const STEP_UP_WINDOW_MS = 60 * 60 * 1000;

/** The "Confirm it's you" page. */
export const CONFIRM_PATH = "/confirm";

/**
 * Whether a browser session proved who it is within the last hour. `authenticatedAt`
 * is read from the session row on the server (never from a cookie the browser could
 * keep or change); rows from before step-up existed count from their sign-in.
 */
export function isFreshlyAuthenticated(authenticatedAt: Date | null | undefined, now: Date): boolean {
  if (!authenticatedAt) return false;
  return now.getTime() - authenticatedAt.getTime() < STEP_UP_WINDOW_MS;
}

/** Records that this browser session just proved who it is (password, TOTP, backup code or passkey). */
export async function recordStepUp(db: Db, sessionId: string, now: Date): Promise<void> {
  await db.update(session).set({ authenticatedAt: now }).where(eq(session.id, sessionId));
}

/** The API's answer to a browser session that has not proved who it is lately: 403 `step_up_required`. */
export function stepUpRequired(): ClaudemeshError {
  return new ClaudemeshError(
    "step_up_required",
    `Confirm it's you first (password, authenticator code or passkey) at ${CONFIRM_PATH}, then try again.`,
  );
}

/** Where to send a browser to confirm it's you, coming back to `back` (a path on this site) afterwards. */
export function confirmPathFor(back: string): string {
  return `${CONFIRM_PATH}?next=${encodeURIComponent(safeNextPath(back))}`;
}

/**
 * Better Auth's session options for step-up: each new session (a sign-in, a second
 * factor, a passkey) starts fresh by our clock, and Better Auth's own "fresh session"
 * check (a day, from `createdAt`, on its real clock) is off, so ours is the one rule.
 */
export function stepUpSessionOptions(now: () => Date) {
  return {
    session: {
      freshAge: 0,
      additionalFields: { authenticatedAt: { type: "date", required: false, input: false } },
    },
    sessionHooks: {
      create: { before: async (row: Record<string, unknown>) => ({ data: { ...row, authenticatedAt: now() } }) },
    },
  } as const;
}
