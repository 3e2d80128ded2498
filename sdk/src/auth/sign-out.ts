import type { CredentialStore, StoredCredential, TokenStoreKind } from "../credentials/credential-store.js";
import type { ApiFactory } from "./session.js";
import { revokeStoredSession, type SessionRevocation } from "./session-revocation.js";

/** What signing out did, for the door to put into words. */
export interface SignOutResult {
  /** Why the stored credential could not be read; it is removed anyway. */
  unreadable?: unknown;
  revocation: SessionRevocation;
  /** False when there was nothing to remove. */
  cleared: boolean;
  /** Where the token was kept, when it could be read. */
  storeKind?: TokenStoreKind;
  /** The credential was a PAT: it still works until the user revokes it. */
  wasPat: boolean;
}

/**
 * Signs out: revokes the stored session token on the server (best effort),
 * then clears the store whatever failed. A PAT is left working (it is the
 * user's to revoke). Never throws for the server; reports what happened.
 *
 * @example
 * const result = await signOut({ store, api: makeApi });
 * if (result.revocation.outcome === "revoked") say("Token revoked on server");
 */
export async function signOut(options: {
  store: Pick<CredentialStore, "load" | "clear">;
  api: ApiFactory;
}): Promise<SignOutResult> {
  let stored: StoredCredential | null = null;
  let unreadable: unknown;
  try {
    stored = await options.store.load();
  } catch (error) {
    unreadable = error;
  }
  const revocation = await revokeStoredSession(options.api, stored);
  const cleared = await options.store.clear();
  return {
    ...(unreadable === undefined ? {} : { unreadable }),
    revocation,
    cleared,
    ...(stored ? { storeKind: stored.store } : {}),
    wasPat: stored?.record.token_kind === "pat",
  };
}
