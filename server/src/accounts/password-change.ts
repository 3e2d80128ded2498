import { type AuditAction, recordAudit } from "../audit.js";
import type { Db } from "../db/database.js";
import { revokeCredentialsAfterPasswordChange } from "../tokens/token-store.js";
import { endWebSessions } from "./web-sessions.js";

/**
 * A new password (or "this wasn't me") ends every other foothold: the browser
 * sessions but the one that changed it (none after a reset), every CLI session,
 * and every PAT made in the last PASSWORD_CHANGE_ENDS_PATS_WITHIN_DAYS days
 * (every PAT with `allPats`, when the account changes hands). Older PATs stay:
 * scripts use them, and their creation was emailed when it happened.
 */
export async function endSessionsAfterPasswordChange(
  db: Db,
  input: { userId: string; keepWebSession: string | null; allPats?: boolean; reason?: AuditAction; now: Date },
): Promise<void> {
  const request = { ipAddress: null, userAgent: null };
  const webSessionsEnded = await endWebSessions(db, {
    userId: input.userId,
    which: { allBut: input.keepWebSession ?? "" },
    request,
    now: input.now,
  });
  const cli = await revokeCredentialsAfterPasswordChange(db, {
    userId: input.userId,
    allPats: input.allPats ?? false,
    now: input.now,
  });
  await recordAudit(db, {
    action: input.reason ?? "auth.password.changed",
    userId: input.userId,
    metadata: { web_sessions_ended: webSessionsEnded, cli_sessions_ended: cli.sessions, pats_ended: cli.pats },
    at: input.now,
  });
}
