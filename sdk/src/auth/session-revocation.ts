import type { StoredCredential } from "../credentials/credential-store.js";
import { type ClaudemeshError, isAuthError } from "../errors.js";
import type { ApiFactory } from "./session.js";

/** What became of a stored session token that sign-out or a new login meant to revoke. */
export type SessionRevocation =
  | { outcome: "revoked" }
  /** Nothing was asked of the server: no credential, a PAT (the user's to revoke), or the very token kept. */
  | { outcome: "skipped"; why: "no-credential" | "not-session" | "same-token" }
  /** The server already refuses the token (revoked or expired elsewhere): nothing is left to revoke. */
  | { outcome: "already-invalid"; error: ClaudemeshError }
  | { outcome: "failed"; error: unknown };

/**
 * Revokes a stored session token on the server (`DELETE …/sessions/current`
 * sent with that token), best effort: every outcome is returned, none thrown.
 */
export async function revokeStoredSession(
  api: ApiFactory,
  stored: StoredCredential | null,
  keptToken?: string,
): Promise<SessionRevocation> {
  if (!stored) return { outcome: "skipped", why: "no-credential" };
  if (stored.record.token_kind !== "session") return { outcome: "skipped", why: "not-session" };
  if (stored.token === keptToken) return { outcome: "skipped", why: "same-token" };
  try {
    await (await api(stored.token)).revokeSession("current");
    return { outcome: "revoked" };
  } catch (error) {
    if (isAuthError(error)) return { outcome: "already-invalid", error };
    return { outcome: "failed", error };
  }
}
