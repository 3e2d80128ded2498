import { recordAudit } from "../audit.js";
import type { Db } from "../db/database.js";
import { revokeAllSessions } from "../tokens/token-store.js";
import { endWebSessions } from "./web-sessions.js";

/**
 * A new password ends every other session: the browser sessions but the one
 * that changed it (none after a reset) and every CLI session. Personal access
 * tokens stay (scripts use them; the security page offers to revoke them too).
 */
export async function endSessionsAfterPasswordChange(
  db: Db,
  input: { userId: string; keepWebSession: string | null; now: Date },
): Promise<void> {
  const request = { ipAddress: null, userAgent: null };
  const webSessionsEnded = await endWebSessions(db, {
    userId: input.userId,
    which: { allBut: input.keepWebSession ?? "" },
    request,
    now: input.now,
  });
  const cliSessionsEnded = await revokeAllSessions(db, input.userId, input.now);
  await recordAudit(db, {
    action: "auth.password.changed",
    userId: input.userId,
    metadata: { web_sessions_ended: webSessionsEnded, cli_sessions_ended: cliSessionsEnded },
    at: input.now,
  });
}
