import { ClaudemeshError } from "@claudemesh/sdk/errors";
import { eq } from "drizzle-orm";
import { hasSecondFactor, secondFactorsOf } from "../accounts/second-factors.js";
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
 * keep or change). Null: the session never proved it (a password sign-in of an
 * account with a second factor, or a row from before step-up existed).
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

/** Better Auth's password sign-in: for an account with a second factor, not a proof of who you are. */
const PASSWORD_SIGN_IN_PATH = "/sign-in/email";

/**
 * Better Auth's session options for step-up: each new session (a sign-in, a second
 * factor, a passkey) starts fresh by our clock, except a password sign-in of an
 * account with a passkey or TOTP, which must confirm with that factor first (the
 * password is what a phisher has; a TOTP account's password step makes no lasting
 * session anyway). Better Auth's own "fresh session" check (a day, from
 * `createdAt`, on its real clock) is off, so ours is the one rule.
 */
export function stepUpSessionOptions({ db, now }: { db: Db; now: () => Date }) {
  const provedAt = async (userId: string, context: { path?: string } | null | undefined) =>
    context?.path === PASSWORD_SIGN_IN_PATH && hasSecondFactor(await secondFactorsOf(db, userId)) ? null : now();
  return {
    session: {
      freshAge: 0,
      additionalFields: { authenticatedAt: { type: "date", required: false, input: false } },
    },
    sessionHooks: {
      create: {
        before: async (row: Record<string, unknown> & { userId: string }, context: { path?: string } | null) => ({
          data: { ...row, authenticatedAt: await provedAt(row.userId, context) },
        }),
      },
    },
  } as const;
}
